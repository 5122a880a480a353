// The stage's banner: "MODE PELATIHAN" on every page of the training stage.
//
// Every page loads this module: the landing page with a script tag, the kiosk, the
// citizen web and the officer console by importing it from their own module. It reads
// the stage's settings from /config.json: written by pendopo-publish-web from the
// stack's TrainingMode output when a stage is published, served by the local gateway
// from `make run TRAINING=1` (python -m tools.local.stack --training). Production's
// config says {"training": false}, and a missing or unreadable file shows nothing.
// The banner is a plain element before everything else in <body>, outside any part a
// client redraws, so it stays on every screen.

export const CONFIG_URL = "/config.json";
export const BANNER_ID = "stage-banner";

async function stageConfig() {
  try {
    const answer = await fetch(CONFIG_URL, { cache: "no-cache", credentials: "omit" });
    if (!answer.ok) return {};
    const config = await answer.json();
    return config && typeof config === "object" ? config : {};
  } catch {
    return {};
  }
}

function addStylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./stage-banner.css", import.meta.url).href;
  document.head.append(link);
}

function banner() {
  const element = document.createElement("div");
  element.id = BANNER_ID;
  element.className = "stage-banner";
  element.setAttribute("role", "note");
  element.setAttribute("aria-label", "Mode pelatihan");
  const title = document.createElement("strong");
  title.textContent = "MODE PELATIHAN";
  const text = document.createElement("span");
  text.textContent =
    " Situs latihan petugas: data di sini adalah data latihan, pengaduan yang dikirim tidak ditindaklanjuti.";
  element.append(title, text);
  return element;
}

export async function showStageBanner() {
  const config = await stageConfig();
  if (config.training !== true || document.getElementById(BANNER_ID)) return;
  addStylesheet();
  document.body.prepend(banner());
  document.documentElement.classList.add("training-stage");
}

showStageBanner();
