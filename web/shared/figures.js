// Live figures (issue #19): what the officer console's "Dasbor" and the public
// statistics page (web/statistik/) both draw from one answer of
// GET /v1/officer/dashboard or GET /v1/statistics:
//   the period picker, headline tiles, the per-Asisten and per-unit tables, and the
//   90-day trend as an SVG chart with the same numbers in a table beside it.
// Numbers are written the Indonesian way (Intl id-ID: 1.234 and 85,7%), durations as
// officers say them ("2 hari 3 jam"), dates in WIB. Every text comes from the
// answer as a text node (dom.js h()), never as markup. The chart is plain SVG drawn
// here (no library): three series of at most 90 points need no more, and SVG
// presentation attributes pass the strict Content-Security-Policy (no inline style).

import { h, replace, uid } from "./dom.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const NUMBER = new Intl.NumberFormat("id-ID");
const ONE_DECIMAL = new Intl.NumberFormat("id-ID", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
const MONTHS_LONG = [
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
];
// The service started on 1 June 2025 (Instruksi Sekda 28/2025): no month before it.
const FIRST_MONTH = "2025-06";
const PAST_MONTHS = 12;
export const NO_DATA = "–";

// ------------------------------------------------------------------- formats

/** 1234 -> "1.234"; null -> "–". */
export function formatCount(value) {
  return value === null || value === undefined ? NO_DATA : NUMBER.format(value);
}

/** 85.714 -> "85,7%"; null -> "–". */
export function formatPercent(value) {
  return value === null || value === undefined ? NO_DATA : `${ONE_DECIMAL.format(value)}%`;
}

/** 4.25 -> "4,3"; null -> "–". */
export function formatDecimal(value) {
  return value === null || value === undefined ? NO_DATA : ONE_DECIMAL.format(value);
}

/**
 * Hours as officers say them, to the minute (as the API's describe_delay):
 * 51.5 -> "2 hari 3 jam", 5.2 -> "5 jam", 0.5 -> "30 menit", null -> "–".
 */
export function formatHours(hours) {
  if (hours === null || hours === undefined) return NO_DATA;
  const minutes = Math.floor(hours * 60 + 1e-6);
  const days = Math.floor(minutes / 1440);
  const wholeHours = Math.floor((minutes % 1440) / 60);
  if (days) return wholeHours ? `${days} hari ${wholeHours} jam` : `${days} hari`;
  if (wholeHours) return `${wholeHours} jam`;
  return `${minutes % 60} menit`;
}

/** "2026-11-06" -> "6 Nov 2026" (a calendar date: no zone involved). */
export function formatDate(isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${day} ${MONTHS_SHORT[month - 1]} ${year}`;
}

/** "2026-11" -> "November 2026". */
export function monthName(code) {
  const [year, month] = code.split("-").map(Number);
  return `${MONTHS_LONG[month - 1]} ${year}`;
}

const WIB_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Jakarta",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function wibParts(moment) {
  return Object.fromEntries(WIB_PARTS.formatToParts(moment).map((p) => [p.type, p.value]));
}

/** An ISO moment -> "5 Des 2026 10.15 WIB", whatever zone the browser is in. */
export function formatMoment(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const p = wibParts(moment);
  return `${Number(p.day)} ${MONTHS_SHORT[Number(p.month) - 1]} ${p.year} ${p.hour}.${p.minute} WIB`;
}

// ------------------------------------------------------------------- periods

/** The WIB month of `now` as "YYYY-MM". */
export function currentMonth(now = new Date()) {
  const p = wibParts(now);
  return `${p.year}-${p.month}`;
}

function previousMonth(code) {
  let [year, month] = code.split("-").map(Number);
  month -= 1;
  if (month === 0) {
    year -= 1;
    month = 12;
  }
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** [[code, label]]: today, 7 and 30 days, this month, then the past months, newest first. */
export function periodOptions(now = new Date()) {
  const thisMonth = currentMonth(now);
  const options = [
    ["today", "Hari ini"],
    ["7d", "7 hari terakhir"],
    ["30d", "30 hari terakhir"],
    [thisMonth, `Bulan ini (${monthName(thisMonth)})`],
  ];
  let month = thisMonth;
  for (let i = 0; i < PAST_MONTHS; i += 1) {
    month = previousMonth(month);
    if (month < FIRST_MONTH) break;
    options.push([month, monthName(month)]);
  }
  return options;
}

/** A period code the pickers offer (an unknown value falls back to 30 days). */
export function validPeriod(code, now = new Date()) {
  if (code && /^\d{4}-\d{2}$/.test(code)) return code; // the API judges older months
  return periodOptions(now).some(([value]) => value === code) ? code : "30d";
}

/**
 * The picker: a form with a "Periode" select (and any `extra` fields, e.g. the unit)
 * and a "Tampilkan" button; nothing changes until it is pressed (WCAG 3.2.2).
 * `onSubmit(values)` gets {period, ...extra names}; without it the form is a plain
 * GET form (the public page works as links).
 */
export function periodPicker({ period, extra = [], onSubmit, hidden = {} }) {
  const id = uid("period");
  const options = periodOptions();
  if (!options.some(([code]) => code === period)) options.push([period, monthName(period)]);
  const select = h(
    "select",
    { id, name: "period" },
    options.map(([code, label]) => h("option", { value: code, selected: code === period }, label)),
  );
  const form = h(
    "form",
    { class: "fig-picker", method: "get", "aria-label": "Pilih periode" },
    h("div", { class: "fig-field" }, h("label", { for: id }, "Periode"), select),
    extra.map((field) => field.wrapper),
    Object.entries(hidden).map(([name, value]) => h("input", { type: "hidden", name, value })),
    h("button", { type: "submit", class: "button" }, "Tampilkan"),
  );
  if (onSubmit) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = { period: select.value };
      for (const field of extra) values[field.name] = field.element.value;
      onSubmit(values);
    });
  }
  return form;
}

/** A labelled select for the picker's `extra` (e.g. the unit filter). */
export function pickerSelect(label, name, options, value) {
  const id = uid(name);
  const element = h(
    "select",
    { id, name },
    options.map(([code, text]) => h("option", { value: code, selected: code === value }, text)),
  );
  return { name, element, wrapper: h("div", { class: "fig-field" }, h("label", { for: id }, label), element) };
}

// ------------------------------------------------------------------- figures

function whenLabel(period) {
  return period.complete ? "pada akhir bulan" : "saat ini";
}

function tile(name, label, value, note) {
  return h(
    "div",
    { class: "fig-tile", "data-figure": name },
    h("dt", {}, label),
    h("dd", {}, h("span", { class: "fig-value" }, value), note ? h("span", { class: "fig-note" }, note) : null),
  );
}

function countList(title, items, name) {
  const id = uid("list");
  return h(
    "section",
    { class: "fig-box", "aria-labelledby": id, "data-list": name },
    h("h3", { id }, title),
    items.length
      ? h(
          "ul",
          { class: "fig-counts" },
          items.map((item) =>
            h("li", {}, h("span", { class: "fig-count-label" }, item.label), h("span", { class: "fig-count" }, formatCount(item.count))),
          ),
        )
      : h("p", { class: "fig-empty" }, "Belum ada."),
  );
}

/** The headline tiles and the breakdowns of one FIGURES object. */
export function headline(figures, period) {
  const when = whenLabel(period);
  const s = figures.satisfaction;
  const tiles = h(
    "dl",
    { class: "fig-tiles" },
    tile("received", "Pengaduan diterima", formatCount(figures.received)),
    tile("open", `Masih terbuka ${when}`, formatCount(figures.open)),
    tile(
      "overdue",
      `Melewati batas waktu ${when}`,
      formatCount(figures.overdue),
      figures.max_overdue_hours === null ? null : `paling lama ${formatHours(figures.max_overdue_hours)}`,
    ),
    tile(
      "within_3_days",
      "Tindak lanjut dalam 3 hari",
      formatPercent(figures.within_3_days_pct),
      // The percentage is of the complaints assessed (delivered, or past their deadline
      // without a follow-up), as the recap counts it: not of the deliveries alone.
      `${formatCount(figures.within_3_days)} tepat waktu · ${formatCount(figures.follow_ups_delivered)} tindak lanjut terkirim`,
    ),
    tile("median", "Median waktu tindak lanjut", formatHours(figures.median_hours_to_follow_up)),
    tile(
      "p90",
      "Persentil ke-90 waktu tindak lanjut",
      formatHours(figures.p90_hours_to_follow_up),
      "90% tindak lanjut terkirim dalam waktu ini",
    ),
    tile("rejected", "Ditolak saat verifikasi", formatCount(figures.rejected_at_verification)),
    tile("returned", "Tindak lanjut dikembalikan", formatCount(figures.follow_ups_returned)),
    tile(
      "satisfaction",
      "Rata-rata penilaian pelapor (1–5)",
      formatDecimal(s.average),
      `${formatCount(s.rated)} penilaian, ${formatPercent(s.satisfied_pct)} puas`,
    ),
    tile("disputed", "Disanggah / dibuka kembali", `${formatCount(s.disputed)} / ${formatCount(s.reopened)}`),
  );
  const boxes = h(
    "div",
    { class: "fig-boxes" },
    countList("Menurut kanal", figures.by_channel, "by_channel"),
    countList("Kategori terbanyak", figures.top_categories, "top_categories"),
    countList(`Lama keterlambatan (${when})`, figures.overdue_bands, "overdue_bands"),
  );
  return [tiles, boxes];
}

const TABLE_COLUMNS = [
  ["received", "Diterima", (f) => formatCount(f.received)],
  ["open", "Terbuka", (f) => formatCount(f.open)],
  ["overdue", "Terlambat", (f) => formatCount(f.overdue)],
  ["within_3_days", "TL ≤ 3 hari", (f) => formatCount(f.within_3_days)],
  ["within_3_days_pct", "% TL ≤ 3 hari", (f) => formatPercent(f.within_3_days_pct)],
  ["median", "Median TL", (f) => formatHours(f.median_hours_to_follow_up)],
  ["p90", "P90 TL", (f) => formatHours(f.p90_hours_to_follow_up)],
  ["rejected", "Ditolak verifikasi", (f) => formatCount(f.rejected_at_verification)],
  ["returned", "TL dikembalikan", (f) => formatCount(f.follow_ups_returned)],
  ["rating", "Nilai rata-rata", (f) => formatDecimal(f.satisfaction.average)],
];

/** A table that scrolls sideways inside itself on a phone, never the page. */
function scrollingTable(captionId, table) {
  return h("div", { class: "fig-scroll", role: "region", "aria-labelledby": captionId, tabindex: "0" }, table);
}

function breakdownTable(name, caption, rows, period, firstHeader, extraColumn) {
  const captionId = uid("caption");
  const when = whenLabel(period);
  const table = h(
    "table",
    { class: "fig-table", "data-table": name },
    h("caption", { id: captionId }, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, firstHeader),
        extraColumn ? h("th", { scope: "col" }, extraColumn[0]) : null,
        TABLE_COLUMNS.map(([, label]) => h("th", { scope: "col", class: "num" }, label)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          { "data-code": row.code },
          h("th", { scope: "row" }, row.name),
          extraColumn ? h("td", {}, extraColumn[1](row)) : null,
          TABLE_COLUMNS.map(([key, , format]) => h("td", { class: "num", "data-column": key }, format(row.figures))),
        ),
      ),
    ),
  );
  return [
    h("p", { class: "fig-table-note" }, `Terbuka dan terlambat: ${when}. TL: tindak lanjut; median dan P90: waktu sampai tindak lanjut (90% terkirim dalam waktu P90).`),
    scrollingTable(captionId, table),
  ];
}

// --------------------------------------------------------------------- trend

const SERIES = [
  ["received", "Diterima", "fig-line-received"],
  ["completed", "Selesai", "fig-line-completed"],
  ["overdue", "Terlambat", "fig-line-overdue"],
];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** A "nice" top for the y axis and its step: 0..top in 4 or 5 whole steps. */
function yScale(max) {
  if (max <= 4) return { top: 4, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough && Number.isInteger(s)) || 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

/** The chart, drawn for `width` CSS pixels (redrawn when its box changes size). */
function trendSvg(trend, width, titleId, descId) {
  const height = width < 500 ? 220 : 280;
  const pad = { left: 40, right: 12, top: 12, bottom: 28 };
  const plotW = Math.max(width - pad.left - pad.right, 10);
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(0, ...trend.flatMap((d) => SERIES.map(([key]) => d[key])));
  const { top, step } = yScale(max);
  const n = trend.length;
  const x = (i) => pad.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const root = svg(
    "svg",
    {
      class: "fig-chart-svg",
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-labelledby": `${titleId} ${descId}`,
    },
  );
  const grid = svg("g", { class: "fig-grid", "aria-hidden": "true" });
  for (let v = 0; v <= top; v += step) {
    grid.appendChild(svg("line", { x1: pad.left, x2: pad.left + plotW, y1: y(v), y2: y(v) }));
    grid.appendChild(svg("text", { x: pad.left - 6, y: y(v) + 4, "text-anchor": "end", class: "fig-axis" }, NUMBER.format(v)));
  }
  // A date label about every 2 weeks (every month on a phone), the last day always.
  const every = width < 500 ? 30 : 15;
  for (let i = n - 1; i >= 0; i -= every) {
    const [, month, day] = trend[i].date.split("-").map(Number);
    grid.appendChild(
      svg("text", { x: x(i), y: height - 8, "text-anchor": i === n - 1 ? "end" : "middle", class: "fig-axis" }, `${day} ${MONTHS_SHORT[month - 1]}`),
    );
  }
  root.appendChild(grid);
  for (const [key, , className] of SERIES) {
    const points = trend.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(" ");
    root.appendChild(svg("polyline", { points, class: `fig-line ${className}`, fill: "none", "aria-hidden": "true" }));
  }
  // One hover target per day, with the day's numbers as its tooltip.
  const hits = svg("g", { class: "fig-hits" });
  const slot = n > 1 ? plotW / (n - 1) : plotW;
  trend.forEach((d, i) => {
    hits.appendChild(
      svg(
        "rect",
        { x: (x(i) - slot / 2).toFixed(1), y: pad.top, width: slot.toFixed(1), height: plotH, fill: "transparent" },
        svg("title", {}, `${formatDate(d.date)}: ${formatCount(d.received)} diterima, ${formatCount(d.completed)} selesai, ${formatCount(d.overdue)} terlambat`),
      ),
    );
  });
  root.appendChild(hits);
  return root;
}

function trendTable(trend, captionId) {
  const table = h(
    "table",
    { class: "fig-table fig-trend-table", "data-table": "trend" },
    h("caption", { id: captionId }, "Tren harian 90 hari: pengaduan diterima, diselesaikan, dan yang terlambat per hari"),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Tanggal"), SERIES.map(([, label]) => h("th", { scope: "col", class: "num" }, label))),
    ),
    h(
      "tbody",
      {},
      trend.map((d) =>
        h(
          "tr",
          { "data-date": d.date },
          h("th", { scope: "row" }, formatDate(d.date)),
          SERIES.map(([key]) => h("td", { class: "num", "data-column": key }, formatCount(d[key]))),
        ),
      ),
    ),
  );
  return scrollingTable(captionId, table);
}

function trendSection(trend) {
  const headingId = uid("trend");
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const captionId = uid("caption");
  const first = trend.length ? formatDate(trend[0].date) : "";
  const last = trend.length ? formatDate(trend[trend.length - 1].date) : "";
  const chart = h("div", { class: "fig-chart" });
  const legend = h(
    "ul",
    { class: "fig-legend", "aria-hidden": "true" },
    SERIES.map(([, label, className]) =>
      h("li", {}, h("span", { class: `fig-swatch ${className}` }), label),
    ),
  );
  const section = h(
    "section",
    { class: "fig-trend", "aria-labelledby": headingId },
    h("h2", { id: headingId }, "Tren harian 90 hari"),
    h("p", { id: titleId, class: "fig-chart-title" }, `Grafik garis ${first} – ${last}: diterima, selesai dan terlambat per hari.`),
    h("p", { id: descId, class: "fig-sr" }, "Angka yang sama ada di tabel tren harian di bawah grafik."),
    legend,
    chart,
    h(
      "details",
      { class: "fig-details" },
      h("summary", {}, "Tabel angka tren harian (90 hari)"),
      trendTable(trend, captionId),
    ),
  );
  let drawnWidth = 0;
  const draw = () => {
    const width = Math.max(Math.floor(chart.clientWidth), 280);
    if (width === drawnWidth) return;
    drawnWidth = width;
    replace(chart, trendSvg(trend, width, titleId, descId));
  };
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(() => requestAnimationFrame(draw)).observe(chart);
  }
  requestAnimationFrame(draw);
  return section;
}

// ---------------------------------------------------------------------- page

/**
 * Draw one answer into `container`: the period and when it was computed, the
 * headline (the whole scope), the per-Asisten and per-unit tables, the trend.
 * `scopeLabel` names what "the whole" is ("Semua unit", a unit's name).
 */
export function renderFigures(container, answer, { scopeLabel } = {}) {
  const { period } = answer;
  const summaryId = uid("summary");
  const sections = [
    h(
      "p",
      { class: "fig-period", "data-period": period.code },
      h("strong", {}, period.label),
      ` (${formatDate(period.from)} – ${formatDate(period.to)})`,
      period.complete ? ". Bulan sudah berakhir: angka terbuka dan terlambat dihitung pada akhir bulan." : ". Angka terbuka dan terlambat dihitung saat ini.",
      " Diperbarui ",
      h("span", { class: "fig-generated" }, formatMoment(answer.generated_at)),
      ".",
    ),
    h(
      "section",
      { class: "fig-summary", "aria-labelledby": summaryId },
      h("h2", { id: summaryId }, scopeLabel ? `Ringkasan: ${scopeLabel}` : "Ringkasan"),
      headline(answer.total, period),
    ),
  ];
  if (answer.asisten && answer.asisten.length) {
    const id = uid("asisten");
    sections.push(
      h(
        "section",
        { "aria-labelledby": id },
        h("h2", { id }, "Per Asisten"),
        breakdownTable("asisten", "Angka per Asisten", answer.asisten, period, "Asisten"),
      ),
    );
  }
  if (answer.units && answer.units.length) {
    const id = uid("units");
    const asistenNames = Object.fromEntries((answer.asisten || []).map((a) => [a.code, a.name]));
    sections.push(
      h(
        "section",
        { "aria-labelledby": id },
        h("h2", { id }, "Per unit"),
        breakdownTable("units", "Angka per unit", answer.units, period, "Unit", [
          "Asisten",
          (row) => asistenNames[row.asisten] || row.asisten,
        ]),
      ),
    );
  }
  sections.push(trendSection(answer.trend || []));
  replace(container, ...sections);
}
