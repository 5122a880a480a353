// Who saw whom (admins): the access records of one complaint, or of one officer in a
// month, from GET /v1/officer/access-log. Records name the reporter's fields an
// officer was shown whole (never their values). The query lives in the fragment
// (#/log-akses?ticket=.. or ?officer=..&month=..), so a view can be bookmarked.

import { api } from "./api.js";
import { focus, h, replace, uid } from "../../shared/dom.js";

const FIELD_LABELS = { name: "Nama", nik: "NIK", phone: "Telepon", email: "Email" };
const ROLE_LABELS = {
  petugas: "Petugas",
  koordinator: "Koordinator",
  verifikator: "Verifikator",
  admin: "Admin",
};

function input(label, name, value, attributes = {}) {
  const id = uid(name);
  const element = h("input", { id, name, value: value || "", ...attributes });
  return { element, wrapper: h("div", { class: "field" }, h("label", { for: id }, label), element) };
}

function currentMonth() {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Jakarta",
    year: "numeric",
    month: "2-digit",
  }).formatToParts(new Date());
  const get = (type) => parts.find((part) => part.type === type).value;
  return `${get("year")}-${get("month")}`;
}

function queryForm(query) {
  const ticket = input("Nomor tiket", "ticket", query.ticket, { inputmode: "numeric", autocomplete: "off" });
  const officer = input("Email petugas", "officer", query.officer, { type: "email", autocomplete: "off" });
  const month = input("Bulan", "month", query.month || currentMonth(), { type: "month" });
  const byTicket = h(
    "form",
    { class: "filters", "aria-label": "Log akses satu pengaduan" },
    ticket.wrapper,
    h("button", { type: "submit", class: "button" }, "Tampilkan per pengaduan"),
  );
  const byOfficer = h(
    "form",
    { class: "filters", "aria-label": "Log akses satu petugas dalam sebulan" },
    officer.wrapper,
    month.wrapper,
    h("button", { type: "submit", class: "button" }, "Tampilkan per petugas"),
  );
  function go(params) {
    const hash = `#/log-akses?${new URLSearchParams(params)}`;
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = hash;
  }
  byTicket.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ ticket: ticket.element.value.trim() });
  });
  byOfficer.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ officer: officer.element.value.trim(), month: month.element.value });
  });
  return [byTicket, byOfficer];
}

function row(item) {
  return h(
    "tr",
    {},
    h("td", { "data-label": "Waktu" }, item.at_text),
    h("td", { "data-label": "Petugas" }, item.officer, h("span", { class: "sub" }, ROLE_LABELS[item.role] || item.role)),
    h(
      "th",
      { scope: "row", "data-label": "Tiket" },
      h("a", { href: `#/complaints/${encodeURIComponent(item.ticket)}`, class: "ticket" }, item.ticket),
    ),
    h("td", { "data-label": "Data yang ditampilkan", class: "fields" }, item.fields.map((f) => FIELD_LABELS[f] || f).join(", ")),
    h("td", { "data-label": "Rute" }, h("code", {}, item.route)),
  );
}

const HEADINGS = ["Waktu", "Petugas", "Tiket", "Data yang ditampilkan", "Rute"];

function table(items) {
  const caption = "Log akses data identitas pelapor, terlama lebih dulu";
  const headings = HEADINGS.map((text) => h("th", { scope: "col" }, text));
  const head = h("thead", {}, h("tr", {}, headings));
  const body = h("tbody", {}, items.map(row));
  return h("table", { class: "queue access-log" }, h("caption", { class: "visually-hidden" }, caption), head, body);
}

export async function renderAccessLog(main, { params, showError, isCurrent = () => true }) {
  const query = {
    ticket: params.get("ticket") || "",
    officer: params.get("officer") || "",
    month: params.get("month") || "",
  };
  const heading = h("h1", { tabindex: "-1" }, "Log akses data pelapor");
  const results = h("div", { class: "results", "aria-live": "polite" });
  replace(
    main,
    h(
      "section",
      { class: "access-log-page" },
      heading,
      h(
        "p",
        { class: "lead" },
        "Siapa melihat identitas pelapor secara utuh, kapan, dan data apa saja (tanpa isinya).",
      ),
      ...queryForm(query),
      results,
    ),
  );
  document.title = "Log akses — Konsol Petugas Pendopo";
  focus(heading);
  if (!query.ticket && !(query.officer && query.month)) return;

  const items = [];
  async function load(cursor) {
    const search = new URLSearchParams({ limit: "50" });
    if (query.ticket) search.set("ticket", query.ticket);
    else {
      search.set("officer", query.officer);
      search.set("month", query.month);
    }
    if (cursor) search.set("cursor", cursor);
    let page;
    try {
      page = (await api("GET", `/v1/officer/access-log?${search}`)).data;
    } catch (error) {
      if (isCurrent()) showError(results, error, () => load(cursor));
      return;
    }
    if (!isCurrent()) return;
    items.push(...page.items);
    const more = page.next_cursor
      ? h("button", { type: "button", class: "button", onclick: () => load(page.next_cursor) }, "Muat lebih banyak")
      : null;
    replace(
      results,
      h("p", { class: "summary" }, `${items.length} catatan akses.`),
      items.length ? table(items) : h("p", { class: "empty" }, "Belum ada catatan akses untuk pencarian ini."),
      more,
    );
  }
  await load(null);
}
