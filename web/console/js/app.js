// The console's shell: the hash router, the header (who is logged in, logout) and
// the one way errors are shown. Routes:
//   #/antrean[?status=..&overdue=1&unit=..&limit=..]   the queue (the default)
//   #/complaints/<ticket>                               one complaint (emails link here)
//   #/log-akses[?ticket=..|?officer=..&month=..]        who saw whom (admins only)
//   #/tatap-muka                                        a walk-in at the desk (not admins)
//   #/dasbor[?period=30d&unit=..]                       live figures (not petugas)
// Pimpinan (the Sekda, an Asisten) have the dashboard only: every other route, and
// the default, opens it, and the menu shows nothing else.
// Without a session every route shows the login first and then opens itself, so a
// link from an email lands on its complaint after logging in.

import "../../shared/stage-banner.js";
import { renderAccessLog } from "./access-log.js";
import { api, MESSAGES, revokeSession, setUnauthorizedHandler } from "./api.js";
import { DASHBOARD_ROLES, renderDashboard } from "./dashboard.js";
import { renderDetail } from "./detail.js";
import { focus, h, replace } from "../../shared/dom.js";
import { renderLogin } from "./login.js";
import { watchIdle } from "./idle.js";
import { renderQueue } from "./queue.js";
import { clearSession, loadSession } from "./session.js";
import { roleLabel, scopeLabel } from "./text.js";
import { renderWalkIn, WALK_IN_ROLES } from "./walk-in.js";

const main = document.getElementById("main");
const who = document.getElementById("who");
const nav = document.getElementById("nav");
const logout = document.getElementById("logout");
const accessLogLink = document.getElementById("nav-access-log");
const walkInLink = document.getElementById("nav-walk-in");
const queueLink = document.getElementById("nav-queue");
const dashboardLink = document.getElementById("nav-dashboard");
const idle = watchIdle({
  banner: document.getElementById("idle-warning"),
  isActive: () => Boolean(loadSession()),
  onIdle: () => endSession("Anda dikeluarkan otomatis karena 15 menit tanpa aktivitas."),
});

let me = null; // GET /v1/officer/me, once per session
let renderId = 0; // the latest render; an older one that finishes late draws nothing

function showError(container, error, retry) {
  if (error.kind === "unauthorized") return; // the login is already on screen
  const retryButton = retry && ["network", "server", "busy", "unexpected"].includes(error.kind)
    ? h("button", { type: "button", class: "button", onclick: retry }, "Coba lagi")
    : null;
  const box = h(
    "div",
    { class: "alert alert-error", role: "alert", tabindex: "-1" },
    h("p", {}, error.message || MESSAGES.unexpected),
    retryButton,
  );
  replace(container, box);
  focus(box);
}

function showHeader(session) {
  const loggedIn = Boolean(session);
  nav.hidden = !loggedIn;
  logout.hidden = !loggedIn;
  accessLogLink.hidden = !(loggedIn && me && me.role === "admin");
  walkInLink.hidden = !(loggedIn && me && WALK_IN_ROLES.has(me.role));
  queueLink.hidden = !(loggedIn && !isLeader());
  dashboardLink.hidden = !(loggedIn && me && DASHBOARD_ROLES.has(me.role));
  if (!loggedIn) {
    replace(who);
    return;
  }
  const officer = session.officer || {};
  let unit = me && me.unit ? me.unit.name : officer.unit || "Semua unit";
  if (isLeader()) unit = scopeLabel((me && me.scope) || officer.scope);
  replace(
    who,
    h("span", { class: "who-name" }, officer.username || ""),
    h("span", { class: "who-role" }, `${roleLabel(officer.role)} · ${unit}`),
  );
}

/** A pimpinan (the Sekda, an Asisten): the dashboard is all they have. */
function isLeader() {
  const session = loadSession();
  const role = (me && me.role) || (session && session.officer && session.officer.role);
  return role === "pimpinan";
}

function showLogin(notice) {
  me = null;
  idle.stop();
  showHeader(null);
  renderLogin(main, {
    notice,
    onLoggedIn: () => {
      idle.restart();
      route();
    },
  });
}

/** Log out: revoke the refresh token at Cognito, forget the tokens, show the login. */
function endSession(notice) {
  const session = loadSession();
  clearSession();
  revokeSession(session);
  history.replaceState(null, "", "#/antrean");
  showLogin(notice);
}

function parseHash() {
  const hash = location.hash.replace(/^#/, "") || "/antrean";
  const [path, query = ""] = hash.split("?");
  return { path, params: new URLSearchParams(query) };
}

async function route() {
  const id = ++renderId;
  const session = loadSession();
  if (!session) {
    showLogin(null);
    return;
  }
  if (!me) {
    try {
      me = (await api("GET", "/v1/officer/me")).data;
    } catch (error) {
      if (id !== renderId || error.kind === "unauthorized") return;
      if (error.kind === "forbidden" && isLeader()) {
        // A pimpinan may have no officer profile to read: the login's answer says enough.
        me = { role: "pimpinan", scope: session.officer.scope, units: [] };
        route();
        return;
      }
      showHeader(session);
      const box = h("div");
      replace(main, h("h1", { tabindex: "-1" }, "Konsol Petugas"), box);
      showError(box, error, () => route());
      return;
    }
  }
  if (id !== renderId) return;
  showHeader(loadSession());
  const { path, params } = parseHash();
  const detail = path.match(/^\/complaints\/([^/]+)$/);
  // A render that is no longer the latest (the address bar moved on) draws nothing.
  const isCurrent = () => id === renderId;
  if (isLeader()) {
    if (path === "/dasbor") await renderDashboard(main, { me, params, showError, isCurrent });
    else location.replace("#/dasbor");
  } else if (path === "/dasbor") {
    await renderDashboard(main, { me, params, showError, isCurrent });
  } else if (detail) {
    await renderDetail(main, { me, ticket: decodeURIComponent(detail[1]), showError, isCurrent });
  } else if (path === "/log-akses" && me.role === "admin") {
    await renderAccessLog(main, { params, showError, isCurrent });
  } else if (path === "/tatap-muka" && WALK_IN_ROLES.has(me.role)) {
    await renderWalkIn(main, { showError, isCurrent });
  } else if (path === "/antrean") {
    await renderQueue(main, { me, params, showError, isCurrent });
  } else {
    location.replace("#/antrean");
  }
}

setUnauthorizedHandler(() => showLogin(MESSAGES.expired));

logout.addEventListener("click", () => endSession("Anda sudah keluar."));

// The skip link must not touch the fragment: the fragment is the route.
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  focus(main);
});

window.addEventListener("hashchange", () => route());
idle.restart(); // a session left in this tab (a reload) is watched too
route();
