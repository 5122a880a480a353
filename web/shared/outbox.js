// A complaint on its way to the API, kept in localStorage until the API has answered.
//
// The entry holds the Idempotency-Key and the exact request body (the serialised
// string), so every retry is byte-for-byte the first request: the API replays its
// first answer for the same key and body, and never creates a second complaint.
// Network errors, 429 and 5xx are retried (with back-off, at once when the browser
// comes back online, or when the person asks); any other answer ends the entry.
// The entry survives a reload: `resume()` sends what a previous page left behind.

const RETRY_DELAYS_MS = [2000, 4000, 8000, 15000];
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

export class Outbox {
  /**
   * @param {string} storageKey localStorage key of the one pending entry
   * @param {string} keyPrefix prefix of new Idempotency-Keys ("kiosk", "web")
   * @param {(state: object) => void} onStatus told about each attempt and wait
   */
  constructor(storageKey, keyPrefix, onStatus) {
    this.storageKey = storageKey;
    this.keyPrefix = keyPrefix;
    this.onStatus = onStatus;
    this.wakeUp = null;
    this.running = null;
    window.addEventListener("online", () => this.retryNow());
  }

  pending() {
    try {
      const entry = JSON.parse(localStorage.getItem(this.storageKey) || "null");
      return entry && KEY_PATTERN.test(entry.key) && typeof entry.body === "string" ? entry : null;
    } catch {
      return null;
    }
  }

  clear() {
    localStorage.removeItem(this.storageKey);
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
    this.running = this.deliver(entry).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  retryNow() {
    if (this.wakeUp) this.wakeUp();
  }

  async deliver(entry) {
    for (let attempt = 1; ; attempt += 1) {
      this.onStatus({ state: "sending", attempt });
      let response = null;
      try {
        response = await fetch("/v1/complaints", {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "Idempotency-Key": entry.key,
          },
          body: entry.body,
        });
      } catch {
        response = null; // offline, connection cut, or the answer was lost
      }
      if (response && !retryable(response.status)) {
        let body = {};
        try {
          body = await response.json();
        } catch {
          body = {};
        }
        this.clear();
        if (response.status === 201) return { ok: true, receipt: body };
        return {
          ok: false,
          status: response.status,
          message: body.message || "Pengaduan tidak dapat diterima.",
          errors: body.errors || [],
        };
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
      this.onStatus({
        state: "waiting",
        attempt,
        delayMs: delay,
        offline: response === null,
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
    }
  }
}
