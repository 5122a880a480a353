// The citizen web: submit a complaint from a phone or a desktop browser.
// The same form, checks and retrying outbox as the e-kiosk (web/shared/).

import "../shared/stage-banner.js";
import { loadCategories, requestUploadSlot, topicsWithCategories, uploadStatus } from "../shared/api.js";
import { apiErrors, fillForm, payload, renderFields, showErrors, validate } from "../shared/complaint-form.js";
import { Outbox } from "../shared/outbox.js";
import { renderReceipt, trackingUrl } from "../shared/receipt.js";
import { UploadField, attachmentErrors } from "../shared/uploads.js";

const CHANNEL = "web";
const $ = (id) => document.getElementById(id);
const form = $("complaint-form");
const hints = new Map();
let uploads = null; // the photos and documents (web/shared/uploads.js)

function show(name) {
  for (const screen of ["form", "sending", "receipt"]) $(`screen-${screen}`).hidden = screen !== name;
  window.scrollTo(0, 0);
  $(`${name}-title`).focus();
}

async function fillCategories() {
  const select = $("f-category");
  try {
    for (const topic of topicsWithCategories(await loadCategories())) {
      const group = document.createElement("optgroup");
      group.label = topic.label;
      for (const category of topic.categories) {
        group.append(new Option(category.label, category.code));
        hints.set(category.code, category.hint || "");
      }
      select.append(group);
    }
  } catch {
    showErrors(form, $("form-summary"), [
      { field: "category", message: "Daftar kategori belum dapat dimuat. Muat ulang halaman ini." },
    ]);
  }
  select.addEventListener("change", () => {
    $("f-category-detail").textContent = hints.get(select.value) || "";
  });
}

function renderSending(status) {
  const box = $("sending-status");
  if (status.state === "sending") {
    box.className = "notice";
    box.textContent =
      status.attempt === 1 ? "Pengaduan Anda sedang dikirim…" : `Mencoba mengirim lagi (percobaan ke-${status.attempt})…`;
    $("retry-now").hidden = true;
    return;
  }
  const seconds = Math.round(status.delayMs / 1000);
  box.className = "notice bad";
  box.textContent =
    (status.offline ? "Koneksi internet terputus. " : "Layanan sedang sibuk. ") +
    `Pengaduan Anda tersimpan di peramban ini dan dikirim ulang otomatis dalam ${seconds} detik, ` +
    "tanpa terkirim dua kali. Jangan tutup halaman ini.";
  $("retry-now").hidden = false;
}

const outbox = new Outbox("pendopo.web.pending", CHANNEL, renderSending);

/** Put a stored complaint back into the form (category too), so nothing typed is lost. */
function refill(entry) {
  try {
    const body = JSON.parse(entry.body);
    fillForm(form, body);
    if (body.attachments && !uploads.items.length) uploads.restore(body.attachments);
    if (body.category) {
      $("f-category").value = body.category;
      $("f-category-detail").textContent = hints.get(body.category) || "";
    }
  } catch {
    // an unreadable body: the form stays as it is
  }
}

const DEFERRED = {
  timeout:
    "Pengaduan Anda belum dapat terkirim karena gangguan layanan selama beberapa menit. " +
    "Isian Anda dikembalikan di bawah ini: kirim lagi nanti.",
  manual: "Pengiriman dihentikan. Isian Anda dikembalikan di bawah ini.",
  expired:
    "Pengaduan ini tersimpan di peramban lebih dari 23 jam lalu dan tidak dikirim ulang otomatis, " +
    "agar tidak tercatat dua kali. Bila Anda sudah menerima nomor tiket untuknya, abaikan; " +
    "bila belum, periksa isian di bawah ini lalu kirim lagi.",
};

async function send(promise) {
  show("sending");
  const result = await promise;
  if (!result) {
    show("form");
    return;
  }
  if (result.deferred) {
    refill(result.entry);
    show("form");
    showErrors(form, $("form-summary"), [{ field: "", message: DEFERRED[result.reason] || DEFERRED.timeout }],
      "Pengaduan belum terkirim");
    return;
  }
  if (result.ok) {
    const receipt = result.receipt;
    renderReceipt($, receipt);
    $("receipt-link").href = trackingUrl(receipt.ticket, receipt.tracking_code);
    form.reset();
    uploads.clear();
    show("receipt");
    return;
  }
  show("form");
  showErrors(form, $("form-summary"), attachmentErrors(apiErrors(result)));
}

function onSubmit(event) {
  event.preventDefault();
  const category = $("f-category").value;
  const errors = validate(form, { category });
  const waiting = uploads.problem();
  if (waiting) errors.push({ field: "attachments", message: waiting });
  if (errors.length) {
    showErrors(form, $("form-summary"), errors);
    return;
  }
  showErrors(form, $("form-summary"), []);
  const body = payload(form, CHANNEL, category);
  const attachments = uploads.ids();
  if (attachments.length) body.attachments = attachments;
  send(outbox.submit(body));
}

renderFields($("form-fields"));
// Photos and documents right after what the complaint is about, before the reporter's data.
const uploadBox = document.createElement("div");
$("form-fields").querySelector("fieldset").after(uploadBox);
uploads = new UploadField(uploadBox, {
  requestSlot: requestUploadSlot,
  readStatus: uploadStatus,
  legend: "Foto atau dokumen pendukung ",
});
form.addEventListener("submit", onSubmit);
$("retry-now").addEventListener("click", () => outbox.retryNow());
fillCategories().then(() => {
  document.documentElement.dataset.ready = "true";
  // Left unsent by an earlier visit: back into the form first, so a final refusal
  // (a 422) shows its messages next to what the person typed, as on the first try.
  const pending = outbox.pending();
  if (pending) {
    refill(pending);
    send(outbox.resume());
  }
});
