// One complaint: what it is, who reported it (as much as my role may see), the
// actions my role may take on its current status (only those the API lists in
// `allowed_actions`), each with the form of its command, and the audit trail.
// An action is sent with If-Match: the version this page shows; if someone else
// changed the complaint since, the API refuses (412/409) and the page says so and
// offers to reload.

import { ACTIONS, checkField } from "./actions.js";
import { MESSAGES, api, categories } from "./api.js";
import { focus, h, replace, uid } from "../../shared/dom.js";
import { channelLabel, roleLabel } from "./text.js";
import { filesSection, officerUploads } from "./files.js";

function unitName(me, code) {
  const unit = (me.units || []).find((u) => u.code === code);
  return unit ? unit.name : code;
}

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))),
  );
}

function section(title, ...content) {
  const id = uid("section");
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function reporterSection(reporter) {
  const notes = [];
  if (reporter.identity_hidden) {
    notes.push("Pelapor memilih anonim: identitasnya hanya terlihat oleh verifikator.");
  } else if (reporter.anonymous) {
    notes.push("Pelapor memilih anonim: jangan sampaikan identitasnya kepada pihak lain.");
  }
  if (reporter.confidential) notes.push("Pelapor meminta pengaduan ini dirahasiakan.");
  return section(
    "Pelapor",
    notes.map((text) => h("p", { class: "alert alert-info" }, text)),
    facts([
      ["Nama", reporter.name],
      ["NIK", reporter.nik],
      ["Telepon", reporter.phone],
      ["Email", reporter.email],
    ]),
  );
}

// The reporter's rating; when they said "tidak", what the verifier is asked to decide.
function feedbackSection(feedback, disputed) {
  return section(
    "Penilaian pelapor",
    facts([
      ["Nilai", `${feedback.rating} dari 5`],
      ["Masalah selesai", feedback.resolved.label],
      ["Dinilai", feedback.at_text],
    ]),
    feedback.comment ? h("p", { class: "prose" }, feedback.comment) : null,
    disputed
      ? h(
          "p",
          { class: "dispute-note" },
          "Pelapor menyatakan masalahnya belum selesai. Verifikator memutuskan: buka kembali, " +
            "atau tetapkan selesai dengan catatan untuk pelapor.",
        )
      : null,
  );
}

// A partner's media_url, shown as a link the officer may open; the server never fetches it.
function mediaLink(url) {
  if (!url || !/^https?:\/\//.test(url)) return null;
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, url);
}

function locationText(location) {
  if (!location) return null;
  const parts = [];
  if (location.text) parts.push(location.text);
  if (typeof location.lat === "number" && typeof location.lon === "number") {
    parts.push(`(${location.lat}, ${location.lon})`);
  }
  return parts.join(" ") || null;
}

function trail(me, events) {
  return h(
    "ol",
    { class: "trail" },
    events.map((event) =>
      h(
        "li",
        {},
        h("p", { class: "trail-head" }, h("time", { datetime: event.at }, event.at_text), " · ", event.action.label),
        h(
          "p",
          { class: "trail-body" },
          `Oleh ${event.actor} (${roleLabel(event.role)}). Status: `,
          event.from_status ? `${event.from_status.label} → ` : "",
          h("strong", {}, event.to_status.label),
          ".",
          event.previous_unit
            ? ` Unit: ${unitName(me, event.previous_unit)} → ${unitName(me, event.unit)}.`
            : "",
        ),
        event.note ? h("p", { class: "trail-note" }, event.note) : null,
      ),
    ),
  );
}

// Only verifiers decide what of a complaint's files the public may see.
function canMarkInternal(me) {
  return Boolean(me && me.role === "verifikator");
}

async function control(field, detail) {
  const id = uid(field.name);
  const common = {
    id,
    name: field.name,
    required: field.required,
    "aria-required": field.required ? "true" : null,
  };
  if (field.kind === "textarea") {
    return h("textarea", { ...common, rows: 4, maxlength: field.maxLength });
  }
  if (field.kind === "agency") {
    return h(
      "select",
      common,
      h("option", { value: "" }, "— Pilih —"),
      detail.agencies.map((agency) => h("option", { value: agency.code }, agency.name)),
    );
  }
  if (field.kind === "category") {
    const taxonomy = await categories();
    return h(
      "select",
      common,
      h("option", { value: "" }, "— Pilih —"),
      taxonomy.units
        .filter((unit) => unit.code !== detail.unit.code)
        .map((unit) =>
          h(
            "optgroup",
            { label: unit.name },
            unit.categories.map((category) => h("option", { value: category.code }, category.label)),
          ),
        ),
    );
  }
  return h("input", { ...common, type: "text" });
}

/** The form of one action; `onSubmit(body, form)` sends it. */
async function actionForm(spec, detail, { onSubmit, onCancel }) {
  const entries = [];
  for (const field of spec.fields) {
    const input = await control(field, detail);
    const hintId = field.hint ? `${input.id}-hint` : null;
    const error = h("p", { id: `${input.id}-error`, class: "field-error", hidden: true });
    input.setAttribute("aria-describedby", [hintId, error.id].filter(Boolean).join(" "));
    entries.push({ field, input, error });
    entries[entries.length - 1].wrapper = h(
      "div",
      { class: "field" },
      h("label", { for: input.id }, field.label),
      field.hint ? h("p", { id: hintId, class: "hint" }, field.hint) : null,
      input,
      error,
    );
  }
  const alert = h("div", { class: "alert alert-error", role: "alert", hidden: true, tabindex: "-1" });
  const uploadBox = spec.attachments ? h("div") : null;
  const uploads = spec.attachments ? officerUploads(uploadBox, spec.attachments) : null;
  const submit = h("button", { type: "submit", class: "button primary" }, spec.button);
  const cancel = h("button", { type: "button", class: "button" }, "Batal");
  cancel.addEventListener("click", onCancel);
  // A cancelled form's uploads stop; what was sent is never claimed and expires.
  if (uploads) cancel.addEventListener("click", () => uploads.clear());
  const headingId = uid("action");
  const form = h(
    "form",
    { class: "action-form", novalidate: true, "aria-labelledby": headingId, "data-action": spec.segment },
    h("h3", { id: headingId }, spec.title),
    h("p", { class: "hint" }, spec.explain),
    alert,
    entries.map((entry) => entry.wrapper),
    uploadBox,
    h("div", { class: "buttons" }, submit, cancel),
  );

  const setError = (entry, message) => {
    entry.error.textContent = message || "";
    entry.error.hidden = !message;
    if (message) entry.input.setAttribute("aria-invalid", "true");
    else entry.input.removeAttribute("aria-invalid");
  };

  form.showErrors = (error) => {
    let first = null;
    for (const problem of error.fields || []) {
      if (uploads && (problem.field || "").startsWith("attachments")) {
        uploads.say(problem.message);
        first = first || uploads.pickButton;
        continue;
      }
      const entry = entries.find((item) => item.field.name === problem.field);
      if (entry) {
        setError(entry, problem.message);
        first = first || entry.input;
      }
    }
    alert.textContent = error.message;
    alert.hidden = false;
    focus(first || alert);
  };
  form.busy = (busy) => {
    submit.disabled = busy;
    submit.textContent = busy ? "Mengirim…" : spec.button;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    alert.hidden = true;
    const body = {};
    let first = null;
    for (const entry of entries) {
      const value = entry.input.value.trim();
      const message = checkField(entry.field, value);
      setError(entry, message);
      if (message) first = first || entry.input;
      if (value) body[entry.field.name] = value;
    }
    if (uploads) {
      const waiting = uploads.problem();
      uploads.say(waiting);
      if (waiting) first = first || uploads.pickButton;
      const attachments = uploads.ids();
      if (attachments.length) body.attachments = attachments;
    }
    if (first) {
      alert.textContent = MESSAGES.invalid;
      alert.hidden = false;
      focus(first);
      return;
    }
    onSubmit(body, form);
  });
  form.firstField = () => (entries[0] ? entries[0].input : submit);
  return form;
}

/**
 * Render complaint `ticket` into `main`. `me` is GET /v1/officer/me;
 * `showError(container, error, retry)` renders an error the shared way;
 * `isCurrent()` is false once the console has moved to another route: an answer
 * that arrives after that draws nothing over the page the address bar names.
 */
export async function renderDetail(main, { me, ticket, showError, isCurrent = () => true }) {
  let flash = null; // {kind: "success" | "conflict" | "error", ...} shown above the actions

  const path = `/v1/officer/complaints/${encodeURIComponent(ticket)}`;
  const back = h("p", { class: "back" }, h("a", { href: "#/antrean" }, "‹ Kembali ke antrean"));

  const etagOf = (answer) => answer.headers.get("ETag") || `"${answer.data.version}"`;

  async function load({ focusFlash = false } = {}) {
    main.setAttribute("aria-busy", "true");
    let answer;
    try {
      answer = await api("GET", path);
    } catch (error) {
      if (!isCurrent()) return; // another page is on screen now
      main.setAttribute("aria-busy", "false");
      if (error.kind === "unauthorized") return; // the app shows the login
      const heading = h("h1", { tabindex: "-1" }, `Tiket ${ticket}`);
      const box = h("div");
      replace(main, back, heading, box);
      showError(box, error, () => load());
      return;
    }
    if (!isCurrent()) return;
    main.setAttribute("aria-busy", "false");
    render(answer.data, etagOf(answer), focusFlash);
  }

  function render(detail, etag, focusFlash) {
    document.title = `${detail.ticket} — Konsol Petugas Pendopo`;
    const heading = h("h1", { tabindex: "-1", class: "detail-title" }, detail.title);
    const header = h(
      "header",
      { class: "detail-header" },
      h("p", { class: "ticket-line" }, "Tiket ", h("span", { class: "ticket" }, detail.ticket)),
      heading,
      h(
        "p",
        { class: "badges" },
        h("span", { class: `badge status-${detail.status.code}`, "data-testid": "status" }, `Status: ${detail.status.label}`),
        detail.overdue ? h("span", { class: "badge badge-overdue" }, `Terlambat ${detail.overdue_text || ""}`.trim()) : null,
        detail.outside_hours ? h("span", { class: "badge" }, "Di luar jam layanan") : null,
        detail.disputed
          ? h("span", { class: "badge badge-disputed", "data-testid": "disputed" }, "Disanggah pelapor")
          : null,
      ),
    );

    const flashBox = renderFlash();
    const actions = actionsSection(detail, etag);
    replace(
      main,
      back,
      header,
      flashBox,
      h(
        "div",
        { class: "detail-grid" },
        h("div", { class: "detail-actions" }, actions),
        h(
          "div",
          { class: "detail-main" },
          section(
            "Rincian",
            facts([
              ["Batas waktu", detail.due_at_text],
              ["Diterima", detail.received_at_text],
              ["Kanal", channelLabel(detail.channel)],
              ["Mitra Open311", detail.partner],
              ["Kategori", detail.category.label],
              ["Unit", detail.unit.name],
              ["Perangkat daerah/BUMD", detail.agency ? detail.agency.name : "Belum didisposisikan"],
              ["Dicatat oleh", detail.entered_by],
              ["Lokasi", locationText(detail.location)],
              ["Tautan media dari mitra", mediaLink(detail.media_url)],
            ]),
          ),
          section("Uraian", h("p", { class: "prose" }, detail.description || "(Mitra tidak mengirim uraian.)")),
          detail.decision_reason
            ? section("Alasan keputusan terakhir", h("p", { class: "prose" }, detail.decision_reason))
            : null,
          detail.follow_up
            ? section(
                "Hasil tindak lanjut",
                h("p", { class: "prose" }, detail.follow_up.result),
                facts([
                  ["Disampaikan", detail.follow_up.at_text],
                  ["Oleh", detail.follow_up.by],
                  [
                    "Dikembalikan verifikator",
                    detail.validation_rejections ? `${detail.validation_rejections} kali` : null,
                  ],
                ]),
              )
            : null,
          detail.files && detail.files.length
            ? section(
                "Foto dan dokumen",
                h(
                  "p",
                  { class: "hint" },
                  "Pilih foto untuk melihatnya lebih besar. Tautan berlaku beberapa menit; muat ulang halaman bila sudah kedaluwarsa.",
                ),
                filesSection(detail.files, { onToggle: canMarkInternal(me) ? (file, button) => toggleInternal(detail, etag, file, button) : null }),
              )
            : null,
          detail.feedback ? feedbackSection(detail.feedback, detail.disputed) : null,
          reporterSection(detail.reporter),
        ),
        h("div", { class: "detail-trail" }, section("Jejak audit", trail(me, detail.events))),
      ),
    );
    if (focusFlash && flashBox) focus(flashBox);
    else focus(heading);
  }

  /**
   * Hide a file from the public tracking page (internal) or show it again: an audited
   * change of the complaint, sent with If-Match like every action.
   */
  async function toggleInternal(detail, etag, file, button) {
    const internal = !file.internal;
    button.disabled = true;
    try {
      await api("POST", `${path}/files/${encodeURIComponent(file.upload_id)}/visibility`, {
        body: { internal },
        headers: { "If-Match": etag },
      });
      flash = {
        kind: "success",
        message: internal
          ? `${file.filename} sekarang internal: tidak tampil di halaman pelacakan pelapor.`
          : `${file.filename} sekarang dapat tampil di halaman pelacakan pelapor.`,
      };
      await load({ focusFlash: true });
    } catch (error) {
      button.disabled = false;
      if (!isCurrent() || error.kind === "unauthorized") return;
      flash = error.kind === "conflict" ? { kind: "conflict", detail: error.message } : { kind: "error", message: error.message };
      render(detail, etag, true);
    }
  }

  function renderFlash() {
    if (!flash) return null;
    if (flash.kind === "success") {
      return h("div", { class: "alert alert-success", role: "status", tabindex: "-1" }, flash.message);
    }
    const reload = h("button", { type: "button", class: "button primary" }, "Muat ulang");
    reload.addEventListener("click", () => {
      flash = null;
      load();
    });
    if (flash.kind === "conflict") {
      return h(
        "div",
        { class: "alert alert-conflict", role: "alert", tabindex: "-1" },
        h("h2", {}, "Pengaduan ini sudah diubah sejak Anda membukanya"),
        h("p", {}, MESSAGES.conflict),
        flash.detail && flash.detail !== MESSAGES.conflict ? h("p", { class: "sub" }, flash.detail) : null,
        reload,
      );
    }
    return h("div", { class: "alert alert-error", role: "alert", tabindex: "-1" }, h("p", {}, flash.message), reload);
  }

  function actionsSection(detail, etag) {
    const known = detail.allowed_actions.filter((action) => ACTIONS[action.code]);
    if (!known.length) {
      return section(
        "Tindakan",
        h("p", { class: "empty" }, "Tidak ada tindakan untuk peran Anda pada status ini."),
      );
    }
    const panel = h("div", { class: "action-panel" });
    const buttons = known.map((action) => {
      const spec = ACTIONS[action.code];
      const button = h(
        "button",
        { type: "button", class: "button", "aria-expanded": "false", "data-action": action.code },
        spec.button,
      );
      button.addEventListener("click", () => open(action.code, button));
      return button;
    });

    async function open(code, button) {
      for (const other of buttons) other.setAttribute("aria-expanded", String(other === button));
      const spec = ACTIONS[code];
      let form;
      try {
        form = await actionForm(spec, detail, {
          onSubmit: (body, theForm) => send(spec, body, theForm),
          onCancel: () => {
            button.setAttribute("aria-expanded", "false");
            replace(panel);
            focus(button);
          },
        });
      } catch (error) {
        showError(panel, error, () => open(code, button));
        return;
      }
      replace(panel, form);
      focus(form.firstField());
    }

    async function send(spec, body, form) {
      form.busy(true);
      try {
        const answer = await api("POST", `${path}/${spec.segment}`, {
          body,
          headers: { "If-Match": etag },
        });
        const status = answer.data && answer.data.status ? answer.data.status.label : null;
        flash = {
          kind: "success",
          message: `Berhasil: ${spec.title.toLowerCase()}.${status ? ` Status sekarang ${status}.` : ""}`,
        };
        await load({ focusFlash: true });
      } catch (error) {
        form.busy(false);
        if (!isCurrent()) return;
        if (error.kind === "unauthorized") return; // the app shows the login
        if (error.kind === "conflict") {
          flash = { kind: "conflict", detail: error.message };
          render(detail, etag, true);
          return;
        }
        if (error.kind === "network") {
          await afterLostAnswer(error, form);
          return;
        }
        form.showErrors(error);
      }
    }

    /**
     * The action's answer never came: it may or may not have been applied. Read the
     * complaint again before offering a resend, so a resend carries the current
     * version, and an action that did go through shows as done (not as a conflict
     * with "another officer", which is what the old ETag would have said).
     */
    async function afterLostAnswer(error, form) {
      let answer;
      try {
        answer = await api("GET", path);
      } catch (again) {
        if (!isCurrent() || again.kind === "unauthorized") return;
        form.showErrors({
          message:
            `${error.message} Keadaan terbaru pengaduan ini belum dapat diperiksa. Sebelum mengirim ulang, ` +
            "muat ulang halaman: bila tindakan tadi sudah tersimpan, ia tampil di jejak audit.",
        });
        return;
      }
      if (!isCurrent()) return;
      const fresh = etagOf(answer);
      if (fresh === etag) {
        form.showErrors({
          message:
            `${error.message} Pengaduan ini belum berubah, jadi tindakan tadi belum tersimpan. ` +
            "Kirim lagi bila sambungan sudah pulih.",
        });
        return;
      }
      flash = {
        kind: "lost",
        message:
          "Jawaban server tidak sampai, dan pengaduan ini sudah berubah sejak Anda membukanya. " +
          "Keadaan terbaru ditampilkan di bawah: bila tindakan Anda sudah tercatat di jejak audit, " +
          "tidak perlu mengirim ulang.",
      };
      render(answer.data, fresh, true);
    }

    return section(
      "Tindakan",
      h("p", { class: "hint" }, "Hanya tindakan yang boleh Anda lakukan pada status sekarang."),
      h("div", { class: "buttons action-buttons" }, buttons),
      panel,
    );
  }

  await load();
}
