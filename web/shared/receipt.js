// What a reporter keeps: the ticket in groups of digits, the tracking code, the due
// date (the API's WIB text), and a link or QR code to the tracking page.

import qrcode from "../vendor/qrcode-generator/qrcode.mjs";
import { h, replace } from "./dom.js";

export const TRACKING_PAGE = "/warga/lacak.html";

/**
 * The tracking page with ticket and code in the URL fragment. A fragment never
 * leaves the browser: it is not sent to the server nor written to any access log.
 */
export function trackingUrl(ticket, code, origin = window.location.origin) {
  const fragment = new URLSearchParams({ tiket: ticket, kode: code });
  return `${origin}${TRACKING_PAGE}#${fragment}`;
}

/** ["2611", "7151", "5574"]: a ticket's groups, as it is read aloud. */
export function ticketGroups(ticket) {
  const digits = String(ticket).replace(/[^0-9A-Za-z]/g, "");
  return digits.match(/.{1,4}/g) || [];
}

export function renderGroups(element, value) {
  replace(
    element,
    ticketGroups(value).map((group) => h("span", { class: "digit-group" }, group)),
  );
  element.setAttribute("aria-label", ticketGroups(value).join(" "));
}

/** An SVG QR code (error correction M) of `text`, sized by its container's CSS. */
export function renderQr(element, text, label) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  // margin is in pixels: 32 = the 4-module quiet zone a phone camera needs.
  element.innerHTML = qr.createSvgTag({ cellSize: 8, margin: 32, scalable: true });
  const svg = element.querySelector("svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
}

/**
 * What the receipt says about the messages the reporter asked for (the API's
 * `notify`): the SMS and email on their way, or nothing when none was chosen.
 */
export function messagesNote(receipt) {
  const notify = receipt.notify || {};
  if (notify.sms && notify.email)
    return "SMS dan email berisi nomor tiket dan kode pelacakan sedang dikirim ke nomor ponsel dan alamat email Anda. Kabar berikutnya menyusul setiap ada perkembangan.";
  if (notify.sms)
    return "SMS berisi nomor tiket dan kode pelacakan sedang dikirim ke nomor ponsel Anda. Kabar berikutnya menyusul lewat SMS setiap ada perkembangan.";
  if (notify.email)
    return "Email berisi nomor tiket dan kode pelacakan sedang dikirim ke alamat email Anda. Kabar berikutnya menyusul lewat email setiap ada perkembangan.";
  return "";
}

function renderMessagesNote(element, receipt) {
  element.textContent = messagesNote(receipt);
  element.hidden = !element.textContent;
}

/** The receipt's facts both clients show, into the elements of the same ids. */
export function renderReceipt(byId, receipt) {
  byId("receipt-message").textContent = receipt.message;
  renderMessagesNote(byId("receipt-notify"), receipt);
  renderGroups(byId("receipt-ticket"), receipt.ticket);
  byId("receipt-code").textContent = receipt.tracking_code;
  byId("receipt-due").textContent = receipt.due_at_text;
  byId("receipt-unit").textContent = (receipt.unit && receipt.unit.name) || "";
}
