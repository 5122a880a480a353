// The officer API over fetch: relative /v1 URLs (same origin as the console), the
// access token as Authorization: Bearer, one refresh when it is about to run out
// or the gateway answers 401, and every failure turned into an ApiError whose
// message is Bahasa Indonesia a person can act on.

import { clearSession, loadSession, saveTokens } from "./session.js";

export const MESSAGES = {
  network:
    "Tidak dapat terhubung ke server Pendopo. Periksa sambungan jaringan, lalu coba lagi.",
  expired: "Sesi Anda sudah berakhir. Silakan masuk lagi.",
  forbidden: "Anda tidak berwenang melakukan ini.",
  notFound: "Data tidak ditemukan.",
  conflict:
    "Pengaduan ini sudah diubah sejak Anda membukanya: oleh petugas lain, atau oleh percobaan " +
    "Anda sendiri yang jawabannya tidak sampai. Muat ulang untuk melihat keadaan terbaru, lalu periksa kembali.",
  invalid: "Data yang dikirim belum benar. Periksa kembali isian yang ditandai.",
  busy: "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.",
  server: "Layanan Pendopo sedang mengalami gangguan. Coba lagi beberapa saat lagi.",
  unexpected: "Terjadi kesalahan yang tidak terduga. Coba lagi.",
};

// Refresh when less than this is left of the access token's life.
const REFRESH_MARGIN_MS = 60 * 1000;

export class ApiError extends Error {
  /**
   * kind: network | unauthorized | forbidden | not_found | conflict | invalid |
   *       precondition | busy | server | unexpected
   * fields: [{field, message}] for 422.
   */
  constructor(kind, status, message, body = null) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.fields = (body && Array.isArray(body.errors) && body.errors) || [];
  }
}

let onUnauthorized = () => {};
/** What to do when the session is gone for good (the app routes to the login). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

async function rawFetch(method, path, { body, headers = {}, token } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, cache: "no-store" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (token) init.headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError("network", 0, MESSAGES.network);
  }
  let data = null;
  if ((response.headers.get("content-type") || "").includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  return { status: response.status, headers: response.headers, data };
}

// What API Gateway answers by itself (authorizer, throttling, a failed or slow function):
// English, so never shown; our own API always answers in Indonesian.
const GATEWAY_MESSAGES = new Set([
  "Unauthorized",
  "Forbidden",
  "Not Found",
  "Too Many Requests",
  "Internal Server Error",
  "Service Unavailable",
  "Endpoint request timed out",
  "Request Entity Too Large",
]);

function errorFor(status, data) {
  const message = data && typeof data.message === "string" ? data.message : null;
  const said = message && !GATEWAY_MESSAGES.has(message) ? message : null;
  if (status === 401) return new ApiError("unauthorized", status, said || MESSAGES.expired, data);
  if (status === 403) return new ApiError("forbidden", status, said || MESSAGES.forbidden, data);
  if (status === 404) return new ApiError("not_found", status, said || MESSAGES.notFound, data);
  if (status === 409 || status === 412) {
    return new ApiError("conflict", status, said || MESSAGES.conflict, data);
  }
  if (status === 422) return new ApiError("invalid", status, said || MESSAGES.invalid, data);
  if (status === 428) return new ApiError("precondition", status, said || MESSAGES.unexpected, data);
  if (status === 429) return new ApiError("busy", status, MESSAGES.busy, data);
  if (status >= 500) return new ApiError("server", status, said || MESSAGES.server, data);
  return new ApiError("unexpected", status, said || MESSAGES.unexpected, data);
}

/** A public auth call (login, new password): the answer's data, or an ApiError. */
export async function authCall(path, body) {
  const { status, data } = await rawFetch("POST", path, { body });
  if (status === 200 && data) return data;
  throw errorFor(status, data);
}

/**
 * End the session at Cognito: POST /v1/auth/logout revokes the refresh token. Best
 * effort: the tokens are dropped from this tab whatever the answer, and an access
 * token already issued runs out within its 30 minutes.
 */
export async function revokeSession(session) {
  if (!session || !session.refreshToken) return;
  try {
    await rawFetch("POST", "/v1/auth/logout", { body: { refresh_token: session.refreshToken } });
  } catch {
    // offline: nothing more this tab can do
  }
}

let refreshing = null;

async function refreshTokens(session) {
  if (!session || !session.refreshToken) return null;
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const { status, data } = await rawFetch("POST", "/v1/auth/refresh", {
          body: { refresh_token: session.refreshToken },
        });
        if (status === 200 && data && data.access_token) return saveTokens(data, session);
        if (status === 401 || status === 403 || status === 422) return null;
        throw errorFor(status, data); // 503 and friends: the session may still be fine
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

function sessionGone() {
  clearSession();
  onUnauthorized();
  return new ApiError("unauthorized", 401, MESSAGES.expired);
}

/**
 * An officer API call. Returns {status, headers, data} for a 2xx answer; throws
 * ApiError otherwise. A 401 is retried once after a refresh: the gateway refuses
 * before any handler runs, so nothing happened and the retry is safe (and an
 * action carries If-Match, so even a repeat could not apply twice).
 */
export async function api(method, path, { body, headers } = {}) {
  let session = loadSession();
  if (!session) throw sessionGone();
  if (session.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
    session = (await refreshTokens(session)) || null;
    if (!session) throw sessionGone();
  }
  let answer = await rawFetch(method, path, { body, headers, token: session.accessToken });
  if (answer.status === 401) {
    session = await refreshTokens(session);
    if (!session) throw sessionGone();
    answer = await rawFetch(method, path, { body, headers, token: session.accessToken });
    if (answer.status === 401) throw sessionGone();
  }
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw errorFor(answer.status, answer.data);
}

let categoriesPromise = null;
/** GET /v1/categories (public): units with their categories, fetched once per page. */
export function categories() {
  if (!categoriesPromise) {
    categoriesPromise = rawFetch("GET", "/v1/categories").then(({ status, data }) => {
      if (status === 200 && data) return data;
      throw errorFor(status, data);
    });
    categoriesPromise.catch(() => {
      categoriesPromise = null; // try again next time
    });
  }
  return categoriesPromise;
}
