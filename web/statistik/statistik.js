// The public statistics page (issue #19): aggregate figures from GET /v1/statistics,
// no login, drawn by the shared figures module. The period is in the address
// (?period=7d), so the picker is a plain GET form and every view can be linked.
// Opened from the e-kiosk (?kiosk=1) it offers the way back and goes back by itself
// after KIOSK_IDLE_MS without a touch, as the kiosk's own screens do.

import "../shared/stage-banner.js";
import { getJson } from "../shared/api.js";
import { focus, h, replace } from "../shared/dom.js";
import { periodPicker, renderFigures, validPeriod } from "../shared/figures.js";

export const KIOSK_IDLE_MS = 60_000;

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const fromKiosk = params.get("kiosk") === "1";
const period = validPeriod(params.get("period"));

function watchKioskIdle() {
  $("kiosk-back").hidden = false;
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => location.assign("../kiosk/"), KIOSK_IDLE_MS);
  };
  for (const event of ["pointerdown", "keydown", "scroll", "touchstart"]) {
    window.addEventListener(event, arm, { passive: true });
  }
  arm();
}

async function load() {
  const status = $("status");
  const area = $("figures");
  replace($("picker"), periodPicker({ period, hidden: fromKiosk ? { kiosk: "1" } : {} }));
  try {
    const answer = await getJson(`/v1/statistics?${new URLSearchParams({ period })}`);
    replace(status);
    renderFigures(area, answer, { scopeLabel: "Semua unit" });
  } catch (error) {
    replace(status);
    const box = h(
      "div",
      { class: "notice bad", role: "alert" },
      h("p", {}, error.message || "Terjadi gangguan pada layanan. Silakan coba lagi."),
      h("button", { type: "button", class: "button secondary", onclick: () => load() }, "Coba lagi"),
    );
    replace(area, box);
    focus(box);
  } finally {
    area.removeAttribute("aria-busy");
  }
}

if (fromKiosk) watchKioskIdle();
load();
