// The walk-in desk: an officer enters the complaint of a citizen who came to the
// Pendopo (POST /v1/officer/complaints, channel "pendopo"). The fields, checks and
// field messages are the citizen form's own (web/shared/complaint-form.js), so the
// desk asks exactly what the web and the e-kiosk ask, the consent to "Kabar
// perkembangan" included: the officer reads the question to the citizen and ticks
// only what the citizen says yes to. The receipt is the shared one, to read aloud.

import { topicsWithCategories } from "../../shared/api.js";
import { apiErrors, payload, renderFields, showErrors, validate } from "../../shared/complaint-form.js";
import { focus, h, replace } from "../../shared/dom.js";
import { newIdempotencyKey } from "../../shared/outbox.js";
import { renderReceipt } from "../../shared/receipt.js";
import { attachmentErrors } from "../../shared/uploads.js";
import { api, categories } from "./api.js";
import { officerUploads } from "./files.js";

/** The roles the API lets enter a walk-in (functions/intake/app.py, WALK_IN_ROLES). */
export const WALK_IN_ROLES = new Set(["petugas", "koordinator", "verifikator"]);

const DESK_PROMPT =
  "Tanyakan kepada pelapor: “Apakah Bapak/Ibu ingin menerima kabar perkembangan pengaduan ini " +
  "lewat SMS, lewat email, atau tidak sama sekali?” Centang hanya yang disetujui pelapor.";

function categorySelect(catalog) {
  return h(
    "select",
    {
      id: "f-category",
      name: "category",
      "data-field": "category",
      "aria-describedby": "f-category-error",
      required: true,
    },
    h("option", { value: "" }, "— Pilih kategori —"),
    topicsWithCategories(catalog).map((topic) =>
      h(
        "optgroup",
        { label: topic.label },
        topic.categories.map((category) => h("option", { value: category.code }, category.label)),
      ),
    ),
  );
}

function receiptScreen(receipt, again) {
  const byId = new Map();
  const slot = (tag, id, attributes = {}) => {
    const element = h(tag, { id, ...attributes });
    byId.set(id, element);
    return element;
  };
  const card = h(
    "section",
    { class: "card walk-in-receipt", "aria-labelledby": "receipt-title" },
    h("h1", { id: "receipt-title", tabindex: "-1" }, "Pengaduan tatap muka tercatat"),
    slot("p", "receipt-message"),
    slot("p", "receipt-notify", { class: "alert alert-info", role: "status", hidden: true }),
    h("p", { class: "hint" }, "Bacakan nomor tiket dan kode pelacakan kepada pelapor, dan minta pelapor mencatatnya."),
    h("p", { class: "label" }, "Nomor tiket"),
    slot("p", "receipt-ticket", { class: "ticket large", "data-testid": "walk-in-ticket" }),
    h("p", { class: "label" }, "Kode pelacakan (rahasia, hanya untuk pelapor)"),
    slot("p", "receipt-code", { class: "code large", "data-testid": "walk-in-code" }),
    h(
      "dl",
      { class: "receipt-facts" },
      h("dt", {}, "Batas tindak lanjut"),
      slot("dd", "receipt-due"),
      h("dt", {}, "Diteruskan ke"),
      slot("dd", "receipt-unit"),
    ),
    h(
      "p",
      { class: "buttons" },
      h("button", { type: "button", class: "button primary", onclick: again }, "Catat pengaduan lain"),
      h("a", { class: "button", href: `#/complaints/${encodeURIComponent(receipt.ticket)}` }, "Buka pengaduan ini"),
    ),
  );
  renderReceipt((id) => byId.get(id), receipt);
  return card;
}

/** Draw the walk-in form into `main`; `showError` shows a failure to load or send. */
export async function renderWalkIn(main, { showError, isCurrent }) {
  const heading = h("h1", { tabindex: "-1" }, "Pengaduan tatap muka");
  const status = h("div");
  replace(main, heading, status);
  let catalog;
  try {
    catalog = await categories();
  } catch (error) {
    if (isCurrent()) showError(status, error, () => renderWalkIn(main, { showError, isCurrent }));
    return;
  }
  if (!isCurrent()) return;

  const summary = h("div", { class: "alert alert-error form-summary", tabindex: "-1", role: "alert", hidden: true });
  const fields = h("div");
  const submit = h("button", { type: "submit", class: "button primary" }, "Catat pengaduan");
  const form = h(
    "form",
    { class: "walk-in", novalidate: true },
    summary,
    h(
      "div",
      { class: "field" },
      h("label", { for: "f-category" }, "Pengaduan tentang apa?"),
      categorySelect(catalog),
      h("p", { class: "error", id: "f-category-error", "data-error-for": "category" }),
    ),
    fields,
    submit,
  );
  // The desk's browser serves one citizen after another: no autofill of the last one.
  replace(
    main,
    heading,
    h("p", { class: "lead" }, "Isi bersama warga yang datang ke meja layanan. Pengaduan dicatat dengan kanal Meja layanan Pendopo atas nama Anda."),
    form,
  );
  renderFields(fields, { kiosk: true });
  // Documents the citizen brought, scanned or photographed at the desk.
  const uploadBox = h("div");
  fields.querySelector("fieldset").after(uploadBox);
  const uploads = officerUploads(uploadBox, {
    legend: "Dokumen atau foto dari pelapor ",
    hint:
      "Pindai atau foto dokumen yang dibawa pelapor: paling banyak 5 berkas, foto (JPEG, PNG, WebP) atau PDF, " +
      "masing-masing paling besar 10 MB.",
  });
  const notifyHint = form.querySelector("#f-notify-hint");
  notifyHint.before(h("p", { class: "alert alert-info desk-prompt", id: "f-notify-prompt" }, DESK_PROMPT));
  focus(heading);

  // One key per request body: a resend of the same body after a lost answer replays
  // the first answer instead of entering the complaint twice; a corrected body is new.
  let sent = { body: null, key: null };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const category = form.elements.namedItem("category").value;
    const errors = validate(form, { category });
    const waiting = uploads.problem();
    if (waiting) errors.push({ field: "attachments", message: waiting });
    if (errors.length) {
      showErrors(form, summary, errors);
      return;
    }
    showErrors(form, summary, []);
    const body = payload(form, "pendopo", category);
    delete body.channel; // the channel is the desk's, from the route
    const attachments = uploads.ids();
    if (attachments.length) body.attachments = attachments;
    const text = JSON.stringify(body);
    if (sent.body !== text) sent = { body: text, key: newIdempotencyKey("desk") };
    submit.disabled = true;
    try {
      const answer = await api("POST", "/v1/officer/complaints", {
        body,
        headers: { "Idempotency-Key": sent.key },
      });
      if (!isCurrent()) return;
      const card = receiptScreen(answer.data, () => renderWalkIn(main, { showError, isCurrent }));
      replace(main, card);
      focus(card.querySelector("h1"));
    } catch (error) {
      if (error.kind === "unauthorized") return;
      if (error.kind === "invalid") {
        showErrors(form, summary, attachmentErrors(apiErrors(error.body || { message: error.message })));
      } else {
        showErrors(form, summary, [{ field: "", message: error.message }], "Pengaduan belum tercatat");
      }
    } finally {
      submit.disabled = false;
    }
  });
}
