// A complaint on its way to the API, kept in localStorage until the API has answered.
//
// The entry holds the Idempotency-Key and the exact request body (the serialised
// string), so every retry is byte-for-byte the first request: the API replays its
// first answer for the same key and body, and never creates a second complaint.
// Network errors (also a request with no answer within FETCH_TIMEOUT_MS), 429, 5xx
// and a 201 whose body cannot be read are retried (with back-off, at once when the
// browser comes back online, or when the person asks); any other answer ends the entry.
// The entry survives a reload: `resume()` sends what a previous page left behind.
//
// Retries are capped by time: an entry still unsent GIVE_UP_MS after it was saved is
// moved out of the way, to the "tertunda" (deferred) list, and the caller is told so;
// `resendDeferred()` (a staff member's button) sends those once more with their own key.
// An entry older than REPLAY_WINDOW_MS is never sent automatically: the API keeps an
// Idempotency-Key for 24 hours, and after that a resend would be a second complaint.
// It goes to the deferred list flagged `expired`, for a person to check first.

const RETRY_DELAYS_MS = [2000, 4000, 8000, 15000];
export const FETCH_TIMEOUT_MS = 20_000;
export const GIVE_UP_MS = 15 * 60_000;
export const REPLAY_WINDOW_MS = 23 * 60 * 60_000;
const KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export function newIdempotencyKey(prefix) {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${prefix}-${hex}`;
}

function retryable(status) {
  return status === 429 || status >= 500;
}

function validEntry(entry) {
  return Boolean(entry && typeof entry === "object" && KEY_PATTERN.test(entry.key) && typeof entry.body === "string");
}

function ageMs(entry) {
  const saved = Date.parse(entry.savedAt);
  return Number.isNaN(saved) ? Infinity : Date.now() - saved;
}

/** A receipt a person can keep: a 201 body without these is treated as lost. */
function goodReceipt(body) {
  return Boolean(
    body &&
      typeof body === "object" &&
      typeof body.ticket === "string" &&
      body.ticket &&
      typeof body.tracking_code === "string" &&
      body.tracking_code,
  );
}

/**
 * One request with a deadline. The fetch is aborted after FETCH_TIMEOUT_MS (a hung
 * connection) or when `cancel` fires (the person gave up); either is a network error.
 * The timer is a plain setTimeout with an AbortController rather than
 * AbortSignal.timeout(): the same effect, and it follows the page's clock, so a
 * browser test can move time forward instead of waiting 20 s.
 */
async function fetchWithDeadline(url, init, cancel) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  const onCancel = () => controller.abort();
  cancel.addEventListener("abort", onCancel);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener("abort", onCancel);
  }
}

export class Outbox {
  /**
   * @param {string} storageKey localStorage key of the one pending entry
   * @param {string} keyPrefix prefix of new Idempotency-Keys ("kiosk", "web")
   * @param {(state: object) => void} onStatus told about each attempt and wait
   */
  constructor(storageKey, keyPrefix, onStatus) {
    this.storageKey = storageKey;
    this.deferredKey = `${storageKey}.tertunda`;
    this.keyPrefix = keyPrefix;
    this.onStatus = onStatus;
    this.wakeUp = null;
    this.running = null;
    this.cancel = null;
    window.addEventListener("online", () => this.retryNow());
  }

  pending() {
    try {
      const entry = JSON.parse(localStorage.getItem(this.storageKey) || "null");
      return validEntry(entry) ? entry : null;
    } catch {
      return null;
    }
  }

  clear() {
    localStorage.removeItem(this.storageKey);
  }

  /** The entries moved out of the way: [{key, body, savedAt, deferredAt, reason, expired}]. */
  deferred() {
    try {
      const list = JSON.parse(localStorage.getItem(this.deferredKey) || "[]");
      return Array.isArray(list) ? list.filter(validEntry) : [];
    } catch {
      return [];
    }
  }

  saveDeferred(list) {
    if (list.length) localStorage.setItem(this.deferredKey, JSON.stringify(list));
    else localStorage.removeItem(this.deferredKey);
  }

  /** Move the pending entry to the deferred list (same key, same body). */
  defer(entry, reason) {
    const list = this.deferred().filter((item) => item.key !== entry.key);
    const expired = ageMs(entry) >= REPLAY_WINDOW_MS;
    list.push({ ...entry, deferredAt: new Date().toISOString(), reason, expired });
    this.saveDeferred(list);
    this.clear();
    return { ok: false, deferred: true, reason, expired, entry };
  }

  /** Keep the complaint, then send it; resolves with the outcome (never rejects). */
  submit(payload) {
    if (this.running) return this.running;
    const entry = {
      key: newIdempotencyKey(this.keyPrefix),
      body: JSON.stringify(payload),
      savedAt: new Date().toISOString(),
    };
    localStorage.setItem(this.storageKey, JSON.stringify(entry));
    return this.resume();
  }

  /** Send the pending entry, if any, until the API answers something final. */
  resume() {
    if (this.running) return this.running;
    const entry = this.pending();
    if (!entry) return Promise.resolve(null);
    this.cancel = new AbortController();
    this.running = this.deliver(entry, this.cancel.signal).finally(() => {
      this.running = null;
      this.cancel = null;
    });
    return this.running;
  }

  retryNow() {
    if (this.wakeUp) this.wakeUp();
  }

  /** Stop sending now: the entry goes to the deferred list (the way out of the sending screen). */
  giveUp() {
    if (this.cancel) this.cancel.abort();
    this.retryNow();
  }

  /**
   * One attempt: {final: result} when the API answered for good (the entry is
   * cleared by the caller), or {final: null, offline} when it should be tried again.
   */
  async attempt(entry, cancel) {
    let response = null;
    try {
      response = await fetchWithDeadline(
        "/v1/complaints",
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "Idempotency-Key": entry.key,
          },
          body: entry.body,
        },
        cancel,
      );
    } catch {
      return { final: null, offline: true }; // offline, cut, timed out or cancelled
    }
    if (retryable(response.status)) return { final: null, offline: false };
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.status === 201) {
      // An unreadable receipt is retried: the same key makes the API replay it.
      if (!goodReceipt(body)) return { final: null, offline: true };
      return { final: { ok: true, receipt: body } };
    }
    body = body && typeof body === "object" ? body : {};
    return {
      final: {
        ok: false,
        status: response.status,
        message: body.message || "Pengaduan tidak dapat diterima.",
        errors: Array.isArray(body.errors) ? body.errors : [],
      },
    };
  }

  async deliver(entry, cancel) {
    if (ageMs(entry) >= REPLAY_WINDOW_MS) return this.defer(entry, "expired");
    for (let attempt = 1; ; attempt += 1) {
      this.onStatus({ state: "sending", attempt });
      const outcome = await this.attempt(entry, cancel);
      if (outcome.final) {
        this.clear();
        return outcome.final;
      }
      if (cancel.aborted) return this.defer(entry, "manual");
      if (ageMs(entry) >= GIVE_UP_MS) return this.defer(entry, "timeout");
      const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
      this.onStatus({
        state: "waiting",
        attempt,
        delayMs: delay,
        offline: outcome.offline,
        online: navigator.onLine,
      });
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
      if (cancel.aborted) return this.defer(entry, "manual");
    }
  }

  /** A deferred entry past the API's replay window: only a person may decide its fate. */
  isExpired(entry) {
    return Boolean(entry.expired) || ageMs(entry) >= REPLAY_WINDOW_MS;
  }

  /**
   * Send each of `entries` once (a staff member's button): `skip(entry)` ones are kept
   * unsent, `prepare(entry)` is what goes out for a kept one. An entry the API answered
   * for good leaves the deferred list. Resolves with {sent, refused, left}: created (or
   * replayed), refused for good, kept.
   */
  async sendOnce(entries, { skip = () => false, prepare = (entry) => entry } = {}) {
    const counts = { sent: 0, refused: 0, left: 0 };
    const neverCancelled = new AbortController().signal;
    for (const entry of entries) {
      if (skip(entry)) {
        counts.left += 1;
        continue;
      }
      const outcome = await this.attempt(prepare(entry), neverCancelled);
      if (!outcome.final) {
        counts.left += 1;
        continue;
      }
      this.saveDeferred(this.deferred().filter((item) => item.key !== entry.key));
      if (outcome.final.ok) counts.sent += 1;
      else counts.refused += 1;
    }
    return counts;
  }

  /**
   * Staff checked the console and found no such complaint: send the expired entries
   * as new complaints (a new key each, since the old one is past the replay window).
   */
  sendExpiredAsNew() {
    const expired = this.deferred().filter((item) => this.isExpired(item));
    const fresh = (entry) => ({ ...entry, key: newIdempotencyKey(this.keyPrefix), savedAt: new Date().toISOString() });
    return this.sendOnce(expired, { prepare: fresh });
  }

  /** Staff found the expired entries already recorded: remove them and their personal data. */
  discardExpired() {
    const kept = this.deferred().filter((item) => !this.isExpired(item));
    const removed = this.deferred().length - kept.length;
    this.saveDeferred(kept);
    return removed;
  }

  /**
   * Send each deferred entry once more, with its own key (a staff member's button).
   * Entries past the API's replay window are left for a person to check, never sent.
   */
  resendDeferred() {
    return this.sendOnce(this.deferred(), { skip: (entry) => this.isExpired(entry) });
  }
}
