// Logs the officer out after 15 idle minutes (desk computers are shared), with a
// warning one minute before. Any key, click, touch or scroll counts as activity and
// starts the 15 minutes again. Timers only (no polling), so a test moves them with
// Playwright's page clock.

import { h, replace } from "../../shared/dom.js";

export const IDLE_LIMIT_MS = 15 * 60 * 1000;
export const WARNING_BEFORE_MS = 60 * 1000;
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"];

/**
 * Watch for idleness while `isActive()` (a session exists). `onIdle()` ends the
 * session; `banner` is the element that carries the warning.
 */
export function watchIdle({ banner, isActive, onIdle }) {
  let warnTimer = null;
  let idleTimer = null;

  function hideWarning() {
    banner.hidden = true;
    replace(banner);
  }

  function showWarning() {
    const stay = h("button", { type: "button", class: "button" }, "Tetap masuk");
    stay.addEventListener("click", () => restart());
    replace(
      banner,
      h(
        "p",
        {},
        "Tidak ada aktivitas selama 14 menit. Demi keamanan, Anda akan dikeluarkan otomatis " +
          "dalam 1 menit. ",
      ),
      stay,
    );
    banner.hidden = false;
  }

  function stop() {
    clearTimeout(warnTimer);
    clearTimeout(idleTimer);
    warnTimer = idleTimer = null;
    hideWarning();
  }

  function restart() {
    stop();
    if (!isActive()) return;
    warnTimer = setTimeout(showWarning, IDLE_LIMIT_MS - WARNING_BEFORE_MS);
    idleTimer = setTimeout(() => {
      stop();
      onIdle();
    }, IDLE_LIMIT_MS);
  }

  for (const type of ACTIVITY) {
    window.addEventListener(
      type,
      (event) => {
        // The warning's own button restarts on click; removing it on pointerdown
        // would swallow that click.
        if (event.target instanceof Node && banner.contains(event.target)) return;
        restart();
      },
      { passive: true, capture: true },
    );
  }
  return { restart, stop };
}
