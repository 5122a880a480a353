// Track a complaint: ticket and tracking code, from the form or the URL fragment
// (#tiket=...&kode=..., what the kiosk's QR code and the web receipt link to).
// The code is sent in the X-Tracking-Code header only: never in a URL, so it never
// reaches a server's or a proxy's access log.

import "../shared/stage-banner.js";
import { ApiError, trackComplaint } from "../shared/api.js";
import { showErrors } from "../shared/complaint-form.js";
import { h, replace } from "../shared/dom.js";
import { renderGroups } from "../shared/receipt.js";

const $ = (id) => document.getElementById(id);
const form = $("track-form");

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
  $("r-reason").hidden = !tracking.reason;
  text("r-reason", tracking.reason ? `Alasan penolakan: ${tracking.reason}` : "");
  replace(
    $("r-timeline"),
    tracking.timeline.map((step) =>
      h("li", {}, h("strong", {}, step.at_text), h("p", {}, `${step.description} — ${step.status.label}`)),
    ),
  );
  $("result").hidden = false;
  $("result-title").focus();
}

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
  } catch (error) {
    $("result").hidden = true;
    const message =
      error instanceof ApiError ? error.message : "Tidak dapat terhubung. Periksa koneksi internet Anda lalu coba lagi.";
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
