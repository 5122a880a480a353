// The dashboard (#/dasbor?period=30d&unit=BIRO_PLH): live figures from
// GET /v1/officer/dashboard, drawn by the shared figures module (web/shared/figures.js).
// Coordinators see their own unit (the API decides); verifiers and administrators see
// every unit and get a unit filter; pimpinan (the Sekda, an Asisten) see the units of
// their scope, and this is the only view they have.

import { api } from "./api.js";
import { focus, h, replace } from "../../shared/dom.js";
import { periodPicker, pickerSelect, renderFigures, validPeriod } from "../../shared/figures.js";

export const DASHBOARD_ROLES = new Set(["koordinator", "verifikator", "admin", "pimpinan"]);

// The units a pimpinan may filter by: learnt from their first unfiltered answer (the
// API lists only the units of their scope), kept for the page's life.
let scopeUnits = null;

export function dashboardHash({ period, unit }) {
  const params = new URLSearchParams();
  params.set("period", period);
  if (unit) params.set("unit", unit);
  return `#/dasbor?${params.toString()}`;
}

function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

function unitChoices(me) {
  if (me.role === "pimpinan") return scopeUnits && scopeUnits.length > 1 ? scopeUnits : null;
  if (me.sees_every_unit && Array.isArray(me.units)) return me.units.map((u) => [u.code, u.name]);
  return null;
}

export async function renderDashboard(main, { me, params, showError, isCurrent }) {
  const period = validPeriod(params.get("period"));
  const unit = params.get("unit") || "";
  const heading = h("h1", { tabindex: "-1" }, "Dasbor pengaduan");
  const intro = h(
    "p",
    { class: "lead" },
    me.role === "pimpinan"
      ? "Angka terkini pengaduan unit-unit di bawah Anda. Hanya angka agregat, tanpa data pelapor."
      : "Angka terkini pengaduan, sama dengan cara hitung rekap bulanan.",
  );
  const status = h("p", { class: "fig-loading", role: "status" }, "Memuat angka…");
  const area = h("div", { class: "fig-area", "aria-busy": "true" });
  const pickerSlot = h("div");
  replace(main, heading, intro, pickerSlot, status, area);
  focus(heading);

  const drawPicker = () => {
    const units = unitChoices(me);
    const extra = units
      ? [pickerSelect("Unit", "unit", [["", me.role === "pimpinan" ? "Semua unit saya" : "Semua unit"], ...units], unit)]
      : [];
    replace(pickerSlot, periodPicker({ period, extra, onSubmit: (values) => go(dashboardHash(values)) }));
  };
  drawPicker();

  const query = new URLSearchParams({ period });
  if (unit) query.set("unit", unit);
  let answer;
  try {
    answer = (await api("GET", `/v1/officer/dashboard?${query.toString()}`)).data;
  } catch (error) {
    if (!isCurrent()) return;
    replace(status);
    area.removeAttribute("aria-busy");
    showError(area, error, () => renderDashboard(main, { me, params, showError, isCurrent }));
    return;
  }
  if (!isCurrent()) return;
  if (me.role === "pimpinan" && !unit && scopeUnits === null) {
    scopeUnits = (answer.units || []).map((u) => [u.code, u.name]);
    drawPicker();
  }
  replace(status);
  const units = answer.units || [];
  let scopeLabel = "Semua unit";
  if (unit) {
    const known = [...units, ...(me.units || [])].find((u) => u.code === unit);
    scopeLabel = known ? known.name : unit;
  }
  else if (units.length === 1) scopeLabel = units[0].name;
  else if (me.role === "pimpinan" && answer.asisten && answer.asisten.length === 1) scopeLabel = answer.asisten[0].name;
  renderFigures(area, answer, { scopeLabel });
  area.removeAttribute("aria-busy");
}
