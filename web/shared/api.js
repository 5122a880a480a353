// Calls to the Pendopo API. Every URL is relative (/v1/...): the web files and the
// API share one origin, locally (the gateway) and deployed (CloudFront).

export class ApiError extends Error {
  constructor(status, message, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors; // [{field, message}] on a 422
  }
}

const GENERIC = "Terjadi gangguan pada layanan. Silakan coba lagi.";
const BUSY = "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.";

// Throttled requests and gateway failures are answered by API Gateway itself, in
// English and outside our error shape, so those statuses get our own words.
function messageFor(status, body) {
  if (status === 429) return BUSY;
  if (status >= 500) return GENERIC;
  return body.message || GENERIC;
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

export async function getJson(path, headers = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json", ...headers } });
  const body = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, messageFor(response.status, body), body.errors || []);
  }
  return body;
}

export async function postJson(path, body, headers = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const answer = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, messageFor(response.status, answer), answer.errors || []);
  }
  return answer;
}

export function loadCategories() {
  return getJson("/v1/categories");
}

export function loadKioskInfo() {
  return getJson("/v1/kiosk/info");
}

// The tracking code travels in a header, never in the URL (URLs land in logs).
export function trackComplaint(ticket, code) {
  const path = "/v1/complaints/" + encodeURIComponent(ticket.trim());
  return getJson(path, { "X-Tracking-Code": code.trim() });
}

// The reporter's own steps, with the code in the same header as tracking.
function reporterStep(ticket, code, step, body) {
  const path = "/v1/complaints/" + encodeURIComponent(ticket.trim()) + "/" + step;
  return postJson(path, body, { "X-Tracking-Code": code.trim() });
}

export function addUpdate(ticket, code, text, attachments = []) {
  return reporterStep(ticket, code, "updates", attachments.length ? { text, attachments } : { text });
}

export function giveFeedback(ticket, code, feedback) {
  return reporterStep(ticket, code, "feedback", feedback);
}

// The taxonomy as the citizen sees it: topics, each with its categories (label, hint).
export function topicsWithCategories(catalog) {
  const byCode = new Map();
  for (const unit of catalog.units) {
    for (const category of unit.categories) byCode.set(category.code, category);
  }
  return catalog.topics.map((topic) => ({
    code: topic.code,
    label: topic.label,
    categories: topic.categories.map((code) => byCode.get(code)).filter(Boolean),
  }));
}

// Photos and documents (web/shared/uploads.js): a slot for one file, then its check.
export function requestUploadSlot(file) {
  return postJson("/v1/uploads", file);
}

export function uploadStatus(uploadId) {
  return getJson("/v1/uploads/" + encodeURIComponent(uploadId));
}
