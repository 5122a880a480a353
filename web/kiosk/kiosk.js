// The e-kiosk at the Pendopo (1080×1920 portrait touch screen).
//
// Screens: home (program information, desk hours) → topic → category → form →
// sending → receipt. Nothing personal outlives the person at the screen: after
// IDLE_MS without a touch a dialog counts down WARNING_MS, then every field, the
// receipt and its QR code are wiped and the home screen returns. A complaint that
// is still being sent stays in localStorage (Outbox) until the API has answered, or
// until the outbox gives up (GIVE_UP_MS) or the person touches "Simpan untuk petugas":
// then it waits in the "tertunda" list, which staff resend from the home screen.
// The answer to a send is shown only to the person who is likely still there: if the
// sending screen was up longer than IDLE_MS, or the entry came from an earlier page
// load, a receipt becomes a neutral screen (ticket only, no tracking code, no QR) and
// a refusal goes home, so nobody sees a stranger's form or receipt.

import "../shared/stage-banner.js";
import { loadCategories, loadKioskInfo, topicsWithCategories } from "../shared/api.js";
import { apiErrors, clearErrors, payload, renderFields, showErrors, validate } from "../shared/complaint-form.js";
import { h, replace } from "../shared/dom.js";
import { Outbox } from "../shared/outbox.js";
import { TRACKING_PAGE, renderQr, renderReceipt, trackingUrl } from "../shared/receipt.js";

export const IDLE_MS = 60_000;
export const WARNING_MS = 20_000;
const INFO_REFRESH_MS = 60_000;
const CHANNEL = "kiosk";

const $ = (id) => document.getElementById(id);
const form = $("complaint-form");
const state = { topics: [], topic: null, category: null, screen: "home" };

// ------------------------------------------------------------------ screens

const SCREENS = ["home", "topics", "categories", "form", "sending", "receipt", "previous"];

function show(name) {
  state.screen = name;
  for (const screen of SCREENS) $(`screen-${screen}`).hidden = screen !== name;
  window.scrollTo(0, 0);
  const heading = $(`screen-${name}`).querySelector("h1");
  if (name !== "home" && heading) heading.focus();
  armIdle();
}

// --------------------------------------------------------------------- home

const wibClock = new Intl.DateTimeFormat("id-ID", {
  timeZone: "Asia/Jakarta",
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit",
});

function tickClock() {
  $("clock").textContent = `${wibClock.format(new Date())} WIB`;
}

// "2026-11-30T09:30:00+07:00" -> "09.30": the API gives WIB times, read them as they are.
const hhmm = (iso) => iso.slice(11, 16).replace(":", ".");

function renderInfo(info) {
  $("home-title").textContent = info.title;
  $("welcome").textContent = info.welcome;
  const desk = $("desk-status");
  desk.className = "desk " + (info.desks_open ? "open" : "closed");
  const now = info.desks_open
    ? `Loket tatap muka sedang BUKA, sampai pukul ${hhmm(info.current_session.closes_at)} WIB.`
    : "Loket tatap muka sedang tutup.";
  const next = info.desks_open
    ? `Jam layanan loket: ${info.desk_hours}.`
    : `Buka lagi ${info.next_session.text}. Jam layanan loket: ${info.desk_hours}.`;
  const always = "E-kiosk ini menerima pengaduan kapan saja, juga di luar jam loket.";
  replace(desk, h("p", { class: "desk-now" }, now), h("p", {}, next), h("p", {}, always));
  replace(
    $("programs"),
    info.programs.map((program) => h("li", {}, h("h3", {}, program.title), h("p", {}, program.summary))),
  );
}

async function refreshInfo() {
  try {
    renderInfo(await loadKioskInfo());
  } catch {
    $("desk-status").textContent =
      "Informasi jam layanan belum dapat dimuat. Loket tatap muka: Senin–Jumat, 07.30–09.30 WIB.";
  }
}

// ---------------------------------------------------------- topic, category

function tile(label, detail, onChoose) {
  return h(
    "button",
    { type: "button", class: "tile", onclick: onChoose },
    h("span", { class: "tile-label" }, label),
    detail ? h("span", { class: "tile-detail" }, detail) : null,
  );
}

function renderTopics() {
  $("topics").replaceChildren(
    ...state.topics.map((topic) =>
      tile(
        topic.label,
        topic.categories
          .slice(0, 3)
          .map((c) => c.label)
          .join(" · "),
        () => chooseTopic(topic),
      ),
    ),
  );
}

function chooseTopic(topic) {
  state.topic = topic;
  if (topic.categories.length === 1) {
    chooseCategory(topic.categories[0]);
    return;
  }
  $("categories-title").textContent = topic.label;
  $("categories").replaceChildren(
    ...topic.categories.map((category) => tile(category.label, category.hint, () => chooseCategory(category))),
  );
  show("categories");
}

function chooseCategory(category) {
  state.category = category;
  $("chosen-category").textContent = category.label;
  show("form");
}

async function startComplaint() {
  if (!state.topics.length) {
    try {
      state.topics = topicsWithCategories(await loadCategories());
      renderTopics();
    } catch {
      $("desk-status").textContent = "Daftar kategori belum dapat dimuat. Silakan sentuh tombol sekali lagi.";
      return;
    }
  }
  show("topics");
}

// ------------------------------------------------------------- submit, send

const outbox = new Outbox("pendopo.kiosk.pending", CHANNEL, renderSending);

function renderSending(status) {
  const box = $("sending-status");
  const retry = $("retry-now");
  if (status.state === "sending") {
    box.className = "notice";
    box.textContent =
      status.attempt === 1
        ? "Pengaduan Anda sedang dikirim. Mohon tunggu sebentar."
        : `Mencoba mengirim lagi (percobaan ke-${status.attempt})…`;
    retry.hidden = true;
    if (status.attempt === 1) $("give-up").hidden = true;
    return;
  }
  const seconds = Math.round(status.delayMs / 1000);
  box.className = "notice bad";
  box.textContent = status.offline
    ? `Koneksi internet terputus. Pengaduan Anda sudah tersimpan di kiosk ini dan akan dikirim otomatis ` +
      `begitu koneksi kembali (dicoba lagi dalam ${seconds} detik). Pengaduan tidak akan terkirim dua kali. ` +
      `Mohon tunggu di sini.`
    : `Layanan sedang sibuk. Pengaduan Anda sudah tersimpan dan akan dikirim ulang dalam ${seconds} detik. ` +
      `Pengaduan tidak akan terkirim dua kali. Mohon tunggu di sini.`;
  retry.hidden = false;
  $("give-up").hidden = false; // the way out, once a send has failed
}

let sendingSince = 0;

/**
 * Show the answer to a send. `earlier`: the entry was left by an earlier page load
 * (reload, power cut), so whoever stands here now is not who typed it.
 */
async function send(promise, { earlier = false } = {}) {
  sendingSince = Date.now();
  show("sending");
  const result = await promise;
  // Whoever sent it may have walked away: the idle time has passed on this screen.
  const stale = earlier || Date.now() - sendingSince > IDLE_MS;
  if (!result || result.deferred) {
    resetKiosk(); // nothing left to show; a deferred entry waits in the staff list
    return;
  }
  if (result.ok) {
    if (stale) showPrevious(result.receipt);
    else showReceipt(result.receipt);
    return;
  }
  if (stale) {
    resetKiosk(); // a final refusal of someone else's form: never refill it
    return;
  }
  show("form");
  const heading =
    result.status === 422 ? "Pengaduan belum dapat diterima. Mohon perbaiki isian berikut:" : undefined;
  showErrors(form, $("form-summary"), apiErrors(result), heading);
}

function onSubmit(event) {
  event.preventDefault();
  const errors = validate(form);
  if (errors.length) {
    showErrors(form, $("form-summary"), errors);
    return;
  }
  showErrors(form, $("form-summary"), []);
  send(outbox.submit(payload(form, CHANNEL, state.category.code)));
}

// ------------------------------------------------------------------ receipt

function showReceipt(receipt) {
  renderReceipt($, receipt);
  $("receipt-category").textContent = (receipt.category && receipt.category.label) || "";
  const url = trackingUrl(receipt.ticket, receipt.tracking_code);
  renderQr($("receipt-qr"), url, `Kode QR untuk memantau pengaduan ${receipt.ticket}`);
  $("receipt-qr").dataset.url = url; // what the QR code encodes (the browser tests open it)
  show("receipt");
}

/** A receipt nobody may still be waiting for: the ticket only, never the tracking code. */
function showPrevious(receipt) {
  wipe();
  $("previous-ticket").textContent = receipt.ticket;
  show("previous");
}

// ---------------------------------------------------------- deferred (staff)

function renderDeferred(message) {
  const list = outbox.deferred();
  const box = $("deferred");
  box.hidden = !list.length && !message;
  const expired = list.filter((entry) => outbox.isExpired(entry)).length;
  const parts = [];
  if (list.length) {
    parts.push(`Untuk petugas: ${list.length} pengaduan tertunda di kiosk ini (belum terkirim karena gangguan).`);
  }
  if (expired) {
    parts.push(
      `${expired} di antaranya disimpan lebih dari 23 jam lalu dan tidak dikirim ulang otomatis, ` +
        "agar tidak tercatat dua kali: periksa dulu di konsol petugas. Bila belum tercatat, " +
        "kirim sebagai pengaduan baru; bila sudah, hapus dari kiosk ini.",
    );
  }
  if (message) parts.push(message);
  $("deferred-text").textContent = parts.join(" ");
  $("deferred-resend").hidden = list.length === expired;
  $("deferred-expired-send").hidden = !expired;
  $("deferred-expired-discard").hidden = !expired;
}

/**
 * A staff member's send of the deferred list: the button is off while it runs, then
 * the list says what came of it, after `label`.
 */
async function sendDeferred(buttonId, sending, label) {
  const button = $(buttonId);
  button.disabled = true;
  const counts = await sending();
  button.disabled = false;
  renderDeferred(`${label}: ${counts.sent} terkirim, ${counts.refused} ditolak, ${counts.left} masih tertunda.`);
}

function discardExpired() {
  const removed = outbox.discardExpired();
  renderDeferred(`${removed} pengaduan kedaluwarsa dihapus dari kiosk ini.`);
}

// -------------------------------------------------------------- idle reset

let idleTimer = null;
let countdownTimer = null;

function armIdle() {
  clearTimeout(idleTimer);
  clearInterval(countdownTimer);
  $("idle-dialog").hidden = true;
  // Home holds nothing personal; a complaint being sent must not be interrupted.
  if (state.screen === "home" || state.screen === "sending") return;
  idleTimer = setTimeout(warnIdle, IDLE_MS);
}

function warnIdle() {
  let left = WARNING_MS / 1000;
  $("idle-seconds").textContent = String(left);
  $("idle-dialog").hidden = false;
  $("idle-continue").focus();
  countdownTimer = setInterval(() => {
    left -= 1;
    $("idle-seconds").textContent = String(Math.max(left, 0));
    if (left <= 0) resetKiosk();
  }, 1000);
}

/** Wipe every personal detail on the screen. */
function wipe() {
  clearInterval(countdownTimer);
  form.reset();
  clearErrors(form);
  showErrors(form, $("form-summary"), []);
  $("receipt-notify").hidden = true;
  for (const id of ["receipt-message", "receipt-notify", "receipt-ticket", "receipt-code", "receipt-due", "receipt-unit", "receipt-category"]) {
    $(id).replaceChildren();
  }
  $("receipt-qr").replaceChildren();
  delete $("receipt-qr").dataset.url;
  $("chosen-category").textContent = "";
  $("previous-ticket").textContent = "";
  state.topic = null;
  state.category = null;
}

/** Wipe every personal detail on the screen and go home. */
function resetKiosk() {
  wipe();
  show("home");
  renderDeferred();
  refreshInfo();
  $("main").focus();
}

function onActivity() {
  if (!$("idle-dialog").hidden) return; // only "Lanjutkan" dismisses the warning
  armIdle();
}

// --------------------------------------------------------------------- wire

function start() {
  renderFields($("form-fields"), { kiosk: true });
  $("track-address").textContent = window.location.host + TRACKING_PAGE;
  $("start").addEventListener("click", startComplaint);
  form.addEventListener("submit", onSubmit);
  $("retry-now").addEventListener("click", () => outbox.retryNow());
  $("give-up").addEventListener("click", () => outbox.giveUp());
  $("deferred-resend").addEventListener("click", () =>
    sendDeferred("deferred-resend", () => outbox.resendDeferred(), "Hasil kirim ulang"),
  );
  $("deferred-expired-send").addEventListener("click", () =>
    sendDeferred("deferred-expired-send", () => outbox.sendExpiredAsNew(), "Hasil kirim sebagai pengaduan baru"),
  );
  $("deferred-expired-discard").addEventListener("click", discardExpired);
  $("idle-continue").addEventListener("click", armIdle);
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      if (action === "home" || action === "cancel" || action === "finish") resetKiosk();
      else if (action === "topics") show("topics");
    });
  }
  for (const type of ["pointerdown", "keydown", "input", "wheel"]) {
    document.addEventListener(type, onActivity, { passive: true, capture: true });
  }
  tickClock();
  setInterval(tickClock, 30_000);
  refreshInfo();
  setInterval(() => {
    if (state.screen === "home") refreshInfo();
  }, INFO_REFRESH_MS);
  document.documentElement.dataset.ready = "true";

  renderDeferred();
  // A complaint a previous page left unsent (power cut, reload): send it now, but
  // never put it back on the screen: whoever stands here now did not type it.
  if (outbox.pending()) send(outbox.resume(), { earlier: true });
  else show("home");
}

start();
