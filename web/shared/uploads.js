// Photos and documents attached to a complaint, a reporter's addition, a walk-in or a
// follow-up (issue #17). One widget for every form:
//
// 1. pick files (several at once) or take a photo with the camera;
// 2. shrink a photo in the browser (mobile data): decoded with createImageBitmap, the
//    orientation applied, drawn on a canvas at most MAX_SIDE px on its longest side and
//    encoded as JPEG (quality JPEG_QUALITY); a photo already small is sent as it is, a
//    PDF always as it is;
// 3. ask the API for an upload slot (`requestSlot`: POST /v1/uploads or
//    /v1/officer/uploads) and send the file straight to S3 with the slot's presigned POST
//    (XMLHttpRequest, for its upload progress): the slot's `fields`, then `file`, last;
// 4. a dropped connection is retried by itself (RETRY_DELAYS_MS), then the person gets
//    "Coba lagi"; a slot about to expire (or refused by S3 as expired) is replaced by a new
//    one before sending again;
// 5. poll GET /v1/uploads/{id} until the checker says clean or refused (its reason shown);
// 6. the form sends `ids()`, the clean uploads' ids, as `attachments`.
//
// Everything a person reads is Bahasa Indonesia. The list is a live region (polite) that
// announces each file's state changes, not every percent; progress is a <progress> with a
// label.

import { h, replace, uid } from "./dom.js";

export const MAX_FILES = 5;
export const MAX_BYTES = 10 * 1024 * 1024;
export const MAX_SIDE = 2560;
export const JPEG_QUALITY = 0.85;
// A photo at most this large (and MAX_SIDE) is not re-encoded: shrinking would save little.
export const SMALL_BYTES = 1024 * 1024;
export const ACCEPT = "image/*,application/pdf";
const SENDABLE = new Set(["image/jpeg", "image/png", "image/webp", "application/pdf"]);
const BY_EXTENSION = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", pdf: "application/pdf" };

// Automatic retries of a dropped upload, then the "Coba lagi" button.
export const RETRY_DELAYS_MS = [1000, 3000];
// A slot with less than this left is replaced before (re)sending.
const SLOT_MARGIN_MS = 60 * 1000;
// The upload itself: no answer at all within this long counts as a dropped connection.
const UPLOAD_TIMEOUT_MS = 120 * 1000;
// Checking usually takes a second or two; poll quickly first, then less often.
const POLL_DELAYS_MS = [700, 1000, 1500, 2000, 3000, 5000];

const OFFLINE = "Koneksi terputus.";

export function formatSize(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(".", ",")} MB`;
}

function typeOf(file) {
  if (file.type) return file.type.toLowerCase();
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  return BY_EXTENSION[extension] || "";
}

function asJpegName(name) {
  const base = name.replace(/\.[^./\\]*$/, "") || "foto";
  return `${base}.jpg`;
}

function isImageType(type) {
  return type.startsWith("image/");
}

/**
 * A photo ready to send: shrunk to MAX_SIDE px as JPEG when it is large or not one of
 * the sendable types; as it is when already small (or when the browser cannot decode it
 * and its type is sendable: the checker decides). Returns {blob, name, type} or throws
 * an Error whose message a person can read.
 */
export async function prepareImage(file) {
  const type = typeOf(file);
  let bitmap = null;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    if (SENDABLE.has(type) && file.size <= MAX_BYTES) return { blob: file, name: file.name, type };
    throw new Error("Foto ini tidak dapat dibuka. Kirim foto berformat JPEG, PNG atau WebP.");
  }
  try {
    const longest = Math.max(bitmap.width, bitmap.height);
    if (SENDABLE.has(type) && longest <= MAX_SIDE && file.size <= SMALL_BYTES) {
      return { blob: file, name: file.name, type };
    }
    const scale = Math.min(1, MAX_SIDE / longest);
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    // JPEG has no transparency: a transparent PNG gets a white background, not black.
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob) throw new Error("Foto ini tidak dapat diperkecil. Coba foto lain.");
    // Re-encoding a small, already compressed photo can make it larger: keep the smaller.
    if (SENDABLE.has(type) && file.size <= blob.size && longest <= MAX_SIDE) {
      return { blob: file, name: file.name, type };
    }
    return { blob, name: asJpegName(file.name), type: "image/jpeg" };
  } finally {
    bitmap.close();
  }
}

/** What to send for `file`, or throws an Error with the reason it cannot be sent. */
async function prepare(file) {
  const type = typeOf(file);
  if (type === "application/pdf") {
    if (file.size > MAX_BYTES) {
      throw new Error(`Dokumen lebih besar dari 10 MB (${formatSize(file.size)}). Perkecil atau bagi dokumennya.`);
    }
    return { blob: file, name: file.name, type };
  }
  if (!isImageType(type)) {
    throw new Error("Jenis berkas ini tidak diterima. Kirim foto (JPEG, PNG, WebP) atau dokumen PDF.");
  }
  const prepared = await prepareImage(file);
  if (prepared.blob.size > MAX_BYTES) {
    throw new Error(`Foto lebih besar dari 10 MB (${formatSize(prepared.blob.size)}).`);
  }
  return prepared;
}

function wait(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * POST the file to S3 with the slot's presigned form. Resolves on 2xx; rejects with
 * {kind: "network"} (no answer: retry), {kind: "expired"} (S3 refused the policy: a new
 * slot) or {kind: "refused", message}.
 */
function postToStorage(slot, blob, name, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [key, value] of Object.entries(slot.fields || {})) body.append(key, value);
    body.append("file", blob, name); // last: S3 ignores every field after the file
    const xhr = new XMLHttpRequest();
    xhr.open("POST", slot.url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else if (xhr.status === 403) reject({ kind: "expired" });
      else if (xhr.status === 400 && /EntityTooLarge/.test(xhr.responseText)) {
        reject({ kind: "refused", message: "Berkas lebih besar dari 10 MB." });
      } else if (xhr.status >= 500 || xhr.status === 0) reject({ kind: "network" });
      else reject({ kind: "refused", message: "Penyimpanan menolak berkas ini. Coba lagi dengan berkas lain." });
    });
    xhr.addEventListener("error", () => reject({ kind: "network" }));
    xhr.addEventListener("timeout", () => reject({ kind: "network" }));
    xhr.addEventListener("abort", () => reject({ kind: "aborted" }));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

const STATE_TEXT = {
  preparing: "Menyiapkan…",
  slot: "Menyiapkan unggahan…",
  uploading: "Mengunggah…",
  waiting: "Koneksi terputus, mencoba lagi…",
  checking: "Sedang diperiksa…",
  clean: "Siap dikirim",
  refused: "Ditolak",
  failed: "Belum terunggah",
};

/**
 * The attachment widget. `requestSlot({filename, content_type, size})` resolves to the
 * slot {upload_id, url, fields, expires_at} or rejects with an Error carrying `status`
 * (422: final, its message shown; anything else: retried like a dropped connection);
 * `readStatus(uploadId)` resolves to {status, reason?}.
 */
export class UploadField {
  constructor(container, { requestSlot, readStatus, legend, hint, idPrefix = "lampiran" }) {
    this.requestSlot = requestSlot;
    this.readStatus = readStatus;
    this.items = [];
    // The given prefix as it is (stable ids for tests and links), unless already on the page.
    const prefix = document.getElementById(`${idPrefix}-pick`) ? uid(idPrefix) : idPrefix;
    this.pickInput = h("input", {
      type: "file",
      accept: ACCEPT,
      multiple: true,
      class: "upload-input",
      id: `${prefix}-pick`,
      "data-upload": "pick",
      tabindex: "-1",
      "aria-hidden": "true",
    });
    this.cameraInput = h("input", {
      type: "file",
      accept: "image/*",
      capture: "environment",
      class: "upload-input",
      id: `${prefix}-camera`,
      "data-upload": "camera",
      tabindex: "-1",
      "aria-hidden": "true",
    });
    const hintId = `${prefix}-hint`;
    const errorId = `${prefix}-error`;
    this.pickButton = h(
      "button",
      { type: "button", class: "button secondary upload-pick", "aria-describedby": `${hintId} ${errorId}`, "data-field": "attachments", id: `${prefix}-pick-button` },
      "Pilih foto atau PDF",
    );
    this.cameraButton = h(
      "button",
      { type: "button", class: "button secondary upload-camera", "aria-describedby": hintId, id: `${prefix}-camera-button` },
      "Ambil foto dengan kamera",
    );
    this.pickButton.addEventListener("click", () => this.pickInput.click());
    this.cameraButton.addEventListener("click", () => this.cameraInput.click());
    for (const input of [this.pickInput, this.cameraInput]) {
      input.addEventListener("change", () => {
        this.add([...input.files]);
        input.value = ""; // the same file may be picked again after removing it
      });
    }
    this.count = h("p", { class: "hint upload-count" });
    this.message = h("p", { class: "error", id: errorId, "data-error-for": "attachments", role: "alert" });
    this.list = h("ul", { class: "upload-list", "aria-label": "Berkas terlampir" });
    this.live = h("p", { class: "upload-live", "aria-live": "polite", "data-upload": "live" });
    this.element = h(
      "fieldset",
      { class: "group upload-field", "data-upload": "field" },
      h("legend", {}, legend || "Foto atau dokumen ", h("span", { class: "optional" }, "(boleh dikosongkan)")),
      h(
        "p",
        { class: "hint", id: hintId },
        hint ||
          `Paling banyak ${MAX_FILES} berkas: foto (JPEG, PNG, WebP) atau PDF, masing-masing paling besar 10 MB. ` +
            "Foto diperkecil dulu di perangkat Anda agar hemat kuota.",
      ),
      h("div", { class: "upload-buttons" }, this.pickButton, this.cameraButton),
      this.pickInput,
      this.cameraInput,
      this.message,
      this.count,
      this.list,
      this.live,
    );
    replace(container, this.element);
    this.refresh();
  }

  /** The clean uploads' ids, in the order they were added: the body's `attachments`. */
  ids() {
    return this.items.filter((item) => item.state === "clean").map((item) => item.uploadId);
  }

  /** Why the form cannot be sent yet (files still moving, refused or failed), or null. */
  problem() {
    if (this.items.some((item) => ["preparing", "slot", "uploading", "waiting", "checking"].includes(item.state))) {
      return "Tunggu sampai semua berkas selesai diunggah dan diperiksa.";
    }
    const bad = this.items.filter((item) => item.state === "refused" || item.state === "failed");
    if (bad.length) {
      return `${bad.map((item) => item.name).join(", ")} belum dapat dilampirkan: hapus, atau coba lagi.`;
    }
    return null;
  }

  /** Show `text` under the buttons (e.g. the API's message about attachments). */
  say(text) {
    this.message.textContent = text || "";
  }

  /** Remove every file (after the form was sent). */
  clear() {
    for (const item of this.items) {
      item.controller.abort();
      if (item.preview) URL.revokeObjectURL(item.preview);
    }
    this.items = [];
    replace(this.list);
    this.say("");
    this.refresh();
  }

  /** Files left by an earlier visit (a stored complaint's `attachments`): shown and checked again. */
  restore(uploadIds) {
    for (const uploadId of uploadIds || []) {
      if (this.items.length >= MAX_FILES) break;
      const item = this.newItem(`Lampiran ${this.items.length + 1}`, 0);
      item.uploadId = uploadId;
      this.poll(item);
    }
  }

  add(files) {
    this.say("");
    const room = MAX_FILES - this.items.length;
    const taken = files.slice(0, Math.max(0, room));
    if (files.length > taken.length) {
      const left = files.length - taken.length;
      this.say(`Paling banyak ${MAX_FILES} berkas. ${left} berkas tidak ditambahkan.`);
    }
    for (const file of taken) this.start(this.newItem(file.name, file.size), file);
  }

  newItem(name, size) {
    const id = uid("berkas");
    const item = {
      id,
      name,
      size,
      state: "preparing",
      uploadId: null,
      slot: null,
      prepared: null,
      reason: "",
      controller: new AbortController(),
    };
    item.nameEl = h("span", { class: "upload-name", id: `${id}-nama` }, name);
    item.sizeEl = h("span", { class: "upload-size" }, size ? formatSize(size) : "");
    item.progress = h("progress", { max: "100", value: "0", "aria-labelledby": `${id}-nama`, class: "upload-progress" });
    item.statusEl = h("span", { class: "upload-status", "data-upload": "status" });
    item.reasonEl = h("p", { class: "upload-reason", hidden: true });
    item.thumb = h("span", { class: "upload-thumb", "aria-hidden": "true" });
    item.retry = h("button", { type: "button", class: "button secondary upload-retry", hidden: true }, "Coba lagi");
    item.retry.setAttribute("aria-label", `Coba lagi unggah ${name}`);
    item.retry.addEventListener("click", () => this.retry(item));
    item.remove = h("button", { type: "button", class: "button secondary upload-remove" }, "Hapus");
    item.remove.setAttribute("aria-label", `Hapus ${name}`);
    item.remove.addEventListener("click", () => this.remove(item));
    item.row = h(
      "li",
      { class: "upload-item", id, "data-state": item.state },
      item.thumb,
      h(
        "div",
        { class: "upload-body" },
        h("p", { class: "upload-title" }, item.nameEl, " ", item.sizeEl),
        item.progress,
        h("p", { class: "upload-line" }, item.statusEl),
        item.reasonEl,
      ),
      h("div", { class: "upload-actions" }, item.retry, item.remove),
    );
    this.items.push(item);
    this.list.append(item.row);
    this.setState(item, "preparing");
    this.refresh();
    return item;
  }

  refresh() {
    const full = this.items.length >= MAX_FILES;
    this.pickButton.disabled = full;
    this.cameraButton.disabled = full;
    this.count.textContent = this.items.length
      ? `${this.items.length} dari ${MAX_FILES} berkas.` + (full ? " Hapus satu untuk menambah yang lain." : "")
      : "";
  }

  setState(item, state, { reason = "", announce = true } = {}) {
    item.state = state;
    item.reason = reason;
    item.row.dataset.state = state;
    item.statusEl.textContent = STATE_TEXT[state];
    item.reasonEl.textContent = reason;
    item.reasonEl.hidden = !reason;
    item.retry.hidden = state !== "failed";
    item.progress.hidden = !["slot", "uploading", "waiting"].includes(state);
    if (state === "clean" || state === "checking") item.progress.value = 100;
    if (announce) this.live.textContent = `${item.name}: ${STATE_TEXT[state]}${reason ? `. ${reason}` : ""}`;
  }

  remove(item) {
    item.controller.abort();
    const index = this.items.indexOf(item);
    this.items.splice(index, 1);
    item.row.remove();
    if (item.preview) URL.revokeObjectURL(item.preview);
    this.live.textContent = `${item.name} dihapus.`;
    this.say("");
    this.refresh();
    // Keyboard users land on the next file's "Hapus", else on the picker.
    const next = this.items[index] || this.items[index - 1];
    (next ? next.remove : this.pickButton).focus();
  }

  async start(item, file) {
    const { signal } = item.controller;
    try {
      item.prepared = await prepare(file);
    } catch (error) {
      if (signal.aborted) return;
      this.setState(item, "refused", { reason: error.message });
      return;
    }
    if (signal.aborted) return;
    const { blob, name } = item.prepared;
    if (blob !== file || name !== file.name) {
      item.sizeEl.textContent = `${formatSize(blob.size)} (asli ${formatSize(file.size)})`;
    }
    if (isImageType(item.prepared.type)) {
      item.preview = URL.createObjectURL(blob);
      replace(item.thumb, h("img", { src: item.preview, alt: "" }));
    } else {
      replace(item.thumb, h("span", { class: "upload-doc" }, "PDF"));
    }
    this.send(item);
  }

  retry(item) {
    item.controller = new AbortController();
    this.send(item);
    item.remove.focus();
  }

  /** Slot (new when missing or about to expire), upload with automatic retries, then poll. */
  async send(item) {
    const { signal } = item.controller;
    const { blob, name, type } = item.prepared;
    let attempt = 0;
    for (;;) {
      if (signal.aborted) return;
      try {
        const expiresAt = item.slot ? Date.parse(item.slot.expires_at) : 0;
        if (!item.slot || !(expiresAt - Date.now() > SLOT_MARGIN_MS)) {
          this.setState(item, "slot", { announce: attempt === 0 });
          item.slot = await this.requestSlot({ filename: name, content_type: type, size: blob.size });
          item.uploadId = item.slot.upload_id;
        }
        if (signal.aborted) return;
        this.setState(item, "uploading", { announce: attempt === 0 });
        await postToStorage(
          item.slot,
          blob,
          name,
          (share) => {
            item.progress.value = Math.round(share * 100);
          },
          signal,
        );
        break;
      } catch (error) {
        if (signal.aborted || error.kind === "aborted") return;
        if (error.status === 422 || error.kind === "refused") {
          this.setState(item, "refused", { reason: error.message });
          return;
        }
        if (error.status && error.status < 500 && error.status !== 429 && error.status !== 408) {
          // A 4xx other than busy: retrying the same request would get the same answer.
          this.setState(item, "failed", { reason: error.message });
          return;
        }
        if (error.kind === "expired") item.slot = null; // a new slot, then send again
        if (attempt >= RETRY_DELAYS_MS.length) {
          this.setState(item, "failed", {
            reason: `${OFFLINE} Periksa sambungan internet, lalu tekan "Coba lagi".`,
          });
          return;
        }
        this.setState(item, "waiting", { announce: attempt === 0 });
        await wait(RETRY_DELAYS_MS[attempt], signal);
        attempt += 1;
      }
    }
    if (signal.aborted) return;
    this.poll(item);
  }

  async poll(item) {
    const { signal } = item.controller;
    this.setState(item, "checking");
    let round = 0;
    while (!signal.aborted) {
      await wait(POLL_DELAYS_MS[Math.min(round, POLL_DELAYS_MS.length - 1)], signal);
      if (signal.aborted) return;
      round += 1;
      let answer;
      try {
        answer = await this.readStatus(item.uploadId);
      } catch (error) {
        if (error.status === 404 || error.status === 422) {
          this.setState(item, "refused", { reason: "Unggahan ini tidak ditemukan lagi. Hapus, lalu pilih berkasnya lagi." });
          return;
        }
        continue; // offline or busy: ask again
      }
      if (signal.aborted) return;
      if (answer.status === "clean") {
        this.setState(item, "clean");
        return;
      }
      if (answer.status === "refused") {
        this.setState(item, "refused", { reason: answer.reason || "Berkas ini tidak dapat diterima." });
        return;
      }
    }
  }
}

/** Mark the widget's message from an API 422 about `attachments` (or `attachments.N`). */
export function attachmentErrors(errors) {
  return errors.map((error) =>
    error.field && error.field.startsWith("attachments") ? { ...error, field: "attachments" } : error,
  );
}

/**
 * Files shown as thumbnails (images) and links (PDFs), each image opening in a viewer
 * (<dialog>) at full size. `files` are [{url, filename, content_type, internal?}];
 * `extra(file)` adds controls under a file (the console's internal/public button).
 */
export function fileGallery(files, { extra, label = "Berkas" } = {}) {
  const viewer = h("dialog", { class: "file-viewer", "aria-label": "Penampil foto" });
  const close = () => viewer.close();
  const list = h(
    "ul",
    { class: "file-gallery", "aria-label": label },
    files.map((file) => {
      const isImage = (file.content_type || "").startsWith("image/");
      const name = file.filename || "berkas";
      const badge = file.internal ? h("span", { class: "badge badge-internal" }, "Internal") : null;
      let shown;
      if (!file.url) {
        shown = h("p", { class: "file-doc" }, `${name} (tautan belum tersedia; muat ulang halaman)`);
      } else if (isImage) {
        shown = h(
          "button",
          { type: "button", class: "file-thumb", "aria-label": `Lihat foto ${name}` },
          h("img", { src: file.url, alt: "", loading: "lazy" }),
        );
        shown.addEventListener("click", () => {
          replace(
            viewer,
            h(
              "figure",
              {},
              h("img", { src: file.url, alt: `Foto ${name}` }),
              h("figcaption", {}, name, " ", h("a", { href: file.url, target: "_blank", rel: "noopener noreferrer" }, "Buka ukuran asli")),
            ),
            h("button", { type: "button", class: "button", onclick: close, autofocus: true }, "Tutup"),
          );
          viewer.showModal();
        });
      } else {
        shown = h(
          "a",
          { class: "file-doc", href: file.url, target: "_blank", rel: "noopener noreferrer" },
          h("span", { class: "upload-doc", "aria-hidden": "true" }, "PDF"),
          ` ${name}`,
        );
      }
      return h(
        "li",
        { class: "file-item", "data-upload-id": file.upload_id || "" },
        shown,
        h("p", { class: "file-name" }, isImage && file.url ? name : null, badge ? " " : null, badge),
        extra ? extra(file) : null,
      );
    }),
  );
  viewer.addEventListener("click", (event) => {
    if (event.target === viewer) close(); // a click on the backdrop
  });
  return h("div", { class: "files" }, list, viewer);
}
