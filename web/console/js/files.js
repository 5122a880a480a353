// Photos and documents in the console (issue #17): the upload widget of the walk-in and
// the follow-up (web/shared/uploads.js, with the officer's slot route), and the files of a
// complaint: thumbnails opening a viewer, PDFs as links (presigned GET links, valid for a
// few minutes: the page reloads the complaint for fresh ones), an "Internal" badge, and for
// verifiers a button to hide a file from the public tracking page or show it again.

import { UploadField, fileGallery } from "../../shared/uploads.js";
import { uploadStatus } from "../../shared/api.js";
import { h } from "../../shared/dom.js";
import { api } from "./api.js";

/** A slot for an officer's upload: POST /v1/officer/uploads. */
async function officerSlot(file) {
  const answer = await api("POST", "/v1/officer/uploads", { body: file });
  return answer.data;
}

/** The upload widget in `container`, for officers. */
export function officerUploads(container, options = {}) {
  return new UploadField(container, { requestSlot: officerSlot, readStatus: uploadStatus, ...options });
}

/**
 * The complaint's files. `onToggle(file)` (verifiers only) marks a file internal or
 * public; without it no button is drawn.
 */
export function filesSection(files, { onToggle } = {}) {
  if (!files || !files.length) return null;
  return fileGallery(files, {
    label: "Berkas pengaduan",
    extra: (file) =>
      h(
        "div",
        { class: "file-extra" },
        // source: {code, label} ("Lampiran pengaduan", "Bukti tindak lanjut", ...), and when
        file.source ? h("p", { class: "hint" }, file.source.label, file.at_text ? `, ${file.at_text}` : "") : null,
        onToggle
          ? h(
              "button",
              {
                type: "button",
                class: "button",
                "data-testid": "toggle-internal",
                "aria-label": `${file.internal ? "Tampilkan untuk publik" : "Jadikan internal"}: ${file.filename}`,
                onclick: (event) => onToggle(file, event.currentTarget),
              },
              file.internal ? "Tampilkan untuk publik" : "Jadikan internal",
            )
          : null,
      ),
  });
}
