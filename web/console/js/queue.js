// The queue: my unit's complaints, most urgent first, with status, overdue, disputed
// and (for verifiers and administrators) unit filters, paged with the API's cursor.
// Filters live in the URL fragment (#/antrean?status=waiting&overdue=1), so a
// filtered queue can be bookmarked; cursors stay in memory (they are long and
// only mean something for the filters they came from).

import { api } from "./api.js";
import { focus, h, replace, uid } from "../../shared/dom.js";
import { channelLabel, formatWibTime } from "./text.js";

const PAGE_SIZES = [10, 25, 50, 100];

/** Filters from the fragment's query: {status, overdue, disputed, unit, limit}. */
export function queueFilters(params) {
  const limit = Number.parseInt(params.get("limit") || "", 10);
  return {
    status: params.get("status") || "",
    overdue: params.get("overdue") === "1",
    disputed: params.get("disputed") === "1",
    unit: params.get("unit") || "",
    limit: limit >= 1 && limit <= 100 ? limit : 25,
  };
}

function queueHash(filters) {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.overdue) params.set("overdue", "1");
  if (filters.disputed) params.set("disputed", "1");
  if (filters.unit) params.set("unit", filters.unit);
  if (filters.limit !== 25) params.set("limit", String(filters.limit));
  const query = params.toString();
  return `#/antrean${query ? `?${query}` : ""}`;
}

function select(label, name, options, value) {
  const id = uid(name);
  const element = h(
    "select",
    { id, name },
    options.map(([code, text]) => h("option", { value: code, selected: code === value }, text)),
  );
  return { element, wrapper: h("div", { class: "field" }, h("label", { for: id }, label), element) };
}

function filterForm(me, filters) {
  const status = select(
    "Status",
    "status",
    [["", "Semua yang masih terbuka"], ...me.statuses.map((s) => [s.code, s.label])],
    filters.status,
  );
  const unit = me.sees_every_unit
    ? select(
        "Unit",
        "unit",
        [["", "Semua unit"], ...me.units.map((u) => [u.code, u.name])],
        filters.unit,
      )
    : null;
  const sizes = PAGE_SIZES.includes(filters.limit) ? PAGE_SIZES : [filters.limit, ...PAGE_SIZES];
  const limit = select(
    "Per halaman",
    "limit",
    sizes.map((n) => [String(n), String(n)]),
    String(filters.limit),
  );
  const overdueId = uid("overdue");
  const overdue = h("input", { type: "checkbox", id: overdueId, name: "overdue", checked: filters.overdue });
  // Complaints whose reporter says the problem is not resolved (a sparse index: the
  // status and overdue choices do not apply to them).
  const disputedId = uid("disputed");
  const disputed = h("input", { type: "checkbox", id: disputedId, name: "disputed", checked: filters.disputed });
  const form = h(
    "form",
    { class: "filters", "aria-label": "Saring antrean" },
    status.wrapper,
    unit ? unit.wrapper : null,
    limit.wrapper,
    h("div", { class: "field check" }, overdue, h("label", { for: overdueId }, "Hanya yang terlambat")),
    h(
      "div",
      { class: "field check" },
      disputed,
      h("label", { for: disputedId }, "Hanya yang disanggah pelapor"),
    ),
    h("button", { type: "submit", class: "button" }, "Terapkan"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = {
      status: status.element.value,
      overdue: overdue.checked,
      disputed: disputed.checked,
      unit: unit ? unit.element.value : "",
      limit: Number(limit.element.value),
    };
    const hash = queueHash(next);
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = hash;
  });
  return form;
}

function dueCell(item) {
  return h(
    "td",
    { "data-label": "Batas waktu" },
    h("span", { class: "due" }, item.due_at_text),
    item.overdue
      ? h("span", { class: "badge badge-overdue" }, `Terlambat ${item.overdue_text || ""}`.trim())
      : null,
  );
}

function row(item) {
  return h(
    "tr",
    { class: item.overdue ? "overdue" : null, "data-ticket": item.ticket },
    h(
      "th",
      { scope: "row", "data-label": "Tiket" },
      h("a", { href: `#/complaints/${encodeURIComponent(item.ticket)}`, class: "ticket" }, item.ticket),
    ),
    h("td", { "data-label": "Judul", class: "title" }, item.title),
    h(
      "td",
      { "data-label": "Status" },
      h("span", { class: `badge status-${item.status.code}` }, item.status.label),
      item.disputed ? h("span", { class: "badge badge-disputed" }, "Disanggah pelapor") : null,
    ),
    h(
      "td",
      { "data-label": "Kategori" },
      item.category.label,
      h("span", { class: "sub" }, item.unit.name),
    ),
    h("td", { "data-label": "Diterima" }, item.received_at_text, h("span", { class: "sub" }, channelLabel(item.channel))),
    dueCell(item),
  );
}

function table(items) {
  return h(
    "table",
    { class: "queue" },
    h("caption", { class: "visually-hidden" }, "Antrean pengaduan, batas waktu terdekat lebih dulu"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Tiket", "Judul", "Status", "Kategori dan unit", "Diterima", "Batas waktu"].map((text) =>
          h("th", { scope: "col" }, text),
        ),
      ),
    ),
    h("tbody", {}, items.map(row)),
  );
}

/**
 * Render the queue into `main`. `me` is GET /v1/officer/me; `params` the fragment's
 * query. `showError(container, error, retry)` renders an error the shared way;
 * `isCurrent()` is false once the console has moved to another route, and then a
 * late answer draws nothing.
 */
export async function renderQueue(main, { me, params, showError, isCurrent = () => true }) {
  const filters = queueFilters(params);
  const cursors = []; // cursors of the pages before this one; [] on page 1
  let current = null; // this page's cursor
  const heading = h("h1", { tabindex: "-1" }, me.sees_every_unit ? "Antrean pengaduan" : "Antrean unit saya");
  const chosen = (me.units || []).find((unit) => unit.code === filters.unit);
  const scope = me.sees_every_unit
    ? chosen ? chosen.name : "Semua unit"
    : me.unit ? me.unit.name : "";
  const results = h("div", { class: "results", "aria-live": "polite", "aria-busy": "true" });

  replace(
    main,
    h(
      "section",
      { class: "queue-page" },
      heading,
      h("p", { class: "lead" }, scope),
      filterForm(me, filters),
      results,
    ),
  );
  document.title = "Antrean — Konsol Petugas Pendopo";
  focus(heading);

  async function load(cursor, direction) {
    results.setAttribute("aria-busy", "true");
    const query = new URLSearchParams({ limit: String(filters.limit) });
    if (filters.status) query.set("status", filters.status);
    if (filters.overdue) query.set("overdue", "true");
    if (filters.disputed) query.set("disputed", "true");
    if (filters.unit) query.set("unit", filters.unit);
    if (cursor) query.set("cursor", cursor);
    let page;
    try {
      page = (await api("GET", `/v1/officer/complaints?${query}`)).data;
    } catch (error) {
      if (!isCurrent()) return; // another page is on screen now
      results.setAttribute("aria-busy", "false");
      showError(results, error, () => load(cursor, direction));
      return;
    }
    if (!isCurrent()) return;
    current = cursor;
    const pageNumber = cursors.length + 1;
    const previous = h(
      "button",
      { type: "button", class: "button", disabled: cursors.length === 0 },
      "‹ Halaman sebelumnya",
    );
    const next = h(
      "button",
      { type: "button", class: "button", disabled: !page.next_cursor },
      "Halaman berikutnya ›",
    );
    previous.addEventListener("click", () => load(cursors.pop() || null, "previous"));
    next.addEventListener("click", () => {
      cursors.push(current);
      load(page.next_cursor, "next");
    });
    const refresh = h("button", { type: "button", class: "button link" }, "Muat ulang");
    refresh.addEventListener("click", () => load(current, null));
    const overdueCount = page.items.filter((item) => item.overdue).length;
    replace(
      results,
      h(
        "p",
        { class: "summary" },
        `Halaman ${pageNumber}: ${page.items.length} pengaduan`,
        overdueCount ? `, ${overdueCount} terlambat` : "",
        `. Dimuat pukul ${formatWibTime(new Date())}. `,
        refresh,
      ),
      page.items.length
        ? table(page.items)
        : h("p", { class: "empty" }, "Tidak ada pengaduan yang cocok dengan saringan ini."),
      h("nav", { class: "pager", "aria-label": "Halaman antrean" }, previous, h("span", {}, `Halaman ${pageNumber}`), next),
    );
    results.setAttribute("aria-busy", "false");
    if (direction === "next") focus(next.disabled ? previous : next);
    else if (direction === "previous") focus(previous.disabled ? next : previous);
  }

  await load(null, null);
}
