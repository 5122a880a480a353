// Track a complaint: ticket and tracking code, from the form or the URL fragment
// (#tiket=...&kode=..., what the kiosk's QR code and the web receipt link to).
// The code is sent in the X-Tracking-Code header only: never in a URL, so it never
// reaches a server's or a proxy's access log.

import "../shared/stage-banner.js";
import { ApiError, addUpdate, giveFeedback, requestUploadSlot, trackComplaint, uploadStatus } from "../shared/api.js";
import { showErrors } from "../shared/complaint-form.js";
import { h, replace } from "../shared/dom.js";
import { renderGroups } from "../shared/receipt.js";
import { UploadField, attachmentErrors, fileGallery } from "../shared/uploads.js";

const $ = (id) => document.getElementById(id);
const form = $("track-form");
// The pair that last opened a complaint: the forms below act on it.
let current = null;
const OFFLINE = "Tidak dapat terhubung. Periksa koneksi internet Anda lalu coba lagi.";
// Photos and documents sent with an addition (web/shared/uploads.js).
const uploads = new UploadField($("u-files"), {
  requestSlot: requestUploadSlot,
  readStatus: uploadStatus,
  legend: "Foto atau dokumen tambahan ",
});

function fromFragment() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return { ticket: params.get("tiket") || "", code: params.get("kode") || "" };
}

function text(id, value) {
  $(id).textContent = value;
}

function render(tracking) {
  renderGroups($("r-ticket"), tracking.ticket);
  text("r-status", tracking.status.label);
  $("r-overdue").hidden = !tracking.overdue;
  text("r-category", tracking.category.label);
  text("r-unit", tracking.unit.name);
  text("r-received", tracking.received_at_text);
  text("r-due", tracking.due_at_text);
  $("r-result").hidden = !tracking.result;
  text("r-result", tracking.result ? `Hasil tindak lanjut: ${tracking.result}` : "");
  // The officers' proof photos, once the result is validated (never the reporter's own files).
  const files = tracking.files || [];
  $("r-files").hidden = !files.length;
  replace($("r-files-list"), files.length ? fileGallery(files, { label: "Foto bukti tindak lanjut" }) : null);
  $("r-reason").hidden = !tracking.reason;
  text("r-reason", tracking.reason ? `Alasan penolakan: ${tracking.reason}` : "");
  const feedback = tracking.feedback;
  $("r-feedback").hidden = !feedback;
  text("r-feedback", feedback ? `Penilaian Anda: ${feedback.rating} dari 5 — ${feedback.resolved.label}.` : "");
  replace(
    $("r-timeline"),
    tracking.timeline.map((step) =>
      h(
        "li",
        {},
        h("strong", {}, step.at_text),
        h("p", {}, `${step.description} — ${step.status.label}`),
        step.text ? h("p", { class: "step-text" }, `Catatan verifikator: ${step.text}`) : null,
      ),
    ),
  );
  $("update-form").hidden = !tracking.can_update;
  text("u-left", `Sisa ${tracking.updates_left} kali.`);
  $("rate-form").hidden = !tracking.can_rate;
  text("rate-until", tracking.rate_until_text ? `Paling lambat ${tracking.rate_until_text}.` : "");
  $("result").hidden = false;
}

function showDone(message) {
  text("step-done", message);
  $("step-done").hidden = false;
  $("step-done").focus();
}

// Send one of the reporter's steps; on success show its message and the page again.
async function sendStep(stepForm, summary, button, send) {
  showErrors(stepForm, summary, []);
  button.disabled = true;
  try {
    const answer = await send();
    stepForm.reset();
    if (stepForm.id === "update-form") uploads.clear();
    render(await trackComplaint(current.ticket, current.code));
    showDone(answer.message);
  } catch (error) {
    const message = error instanceof ApiError ? error.message : OFFLINE;
    const errors =
      error instanceof ApiError && error.errors.length ? attachmentErrors(error.errors) : [{ field: "", message }];
    showErrors(stepForm, summary, errors, "Belum terkirim");
  } finally {
    button.disabled = false;
  }
}

$("update-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("u-text").value.trim();
  const errors = [];
  if (value.length < 5) errors.push({ field: "text", message: "Tulis tambahan informasi, paling sedikit 5 huruf." });
  const waiting = uploads.problem();
  if (waiting) errors.push({ field: "attachments", message: waiting });
  if (errors.length) {
    showErrors($("update-form"), $("update-summary"), errors);
    return;
  }
  const attachments = uploads.ids();
  sendStep($("update-form"), $("update-summary"), $("u-send"), () =>
    addUpdate(current.ticket, current.code, value, attachments),
  );
});

$("rate-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const rateForm = $("rate-form");
  const rating = rateForm.querySelector('input[name="rating"]:checked');
  const resolved = rateForm.querySelector('input[name="resolved"]:checked');
  const errors = [];
  if (!rating) errors.push({ field: "rating", message: "Pilih nilai 1 sampai 5." });
  if (!resolved) errors.push({ field: "resolved", message: "Pilih apakah masalahnya sudah selesai." });
  if (errors.length) {
    showErrors(rateForm, $("rate-summary"), errors);
    return;
  }
  const comment = $("f-comment").value.trim();
  const body = { rating: Number(rating.value), resolved: resolved.value, ...(comment ? { comment } : {}) };
  sendStep(rateForm, $("rate-summary"), $("f-send"), () => giveFeedback(current.ticket, current.code, body));
});

async function lookUp(ticket, code) {
  const errors = [];
  if (!/^[0-9]{4}-?[0-9]{4}-?[0-9]{4}$/.test(ticket.trim()))
    errors.push({ field: "ticket", message: "Nomor tiket terdiri dari 12 angka, contoh: 2506-4821-7734." });
  if (code.trim().replace(/-/g, "").length !== 8)
    errors.push({ field: "code", message: "Kode pelacakan terdiri dari 8 huruf dan angka, contoh: K7QM-2XPD." });
  if (errors.length) {
    $("result").hidden = true;
    showErrors(form, $("track-summary"), errors);
    return;
  }
  showErrors(form, $("track-summary"), []);
  $("track").disabled = true;
  try {
    render(await trackComplaint(ticket, code));
    current = { ticket, code };
    $("step-done").hidden = true;
    $("result-title").focus();
  } catch (error) {
    $("result").hidden = true;
    current = null;
    const message = error instanceof ApiError ? error.message : OFFLINE;
    showErrors(form, $("track-summary"), [{ field: "", message }], "Pengaduan belum dapat ditampilkan");
  } finally {
    $("track").disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  lookUp($("t-ticket").value, $("t-code").value);
});

function fromUrl() {
  const { ticket, code } = fromFragment();
  if (ticket) $("t-ticket").value = ticket;
  if (code) $("t-code").value = code;
  if (ticket && code) lookUp(ticket, code);
}

window.addEventListener("hashchange", fromUrl);
fromUrl();
document.documentElement.dataset.ready = "true";
