// The workflow actions the console offers: for each action code the API lists in
// `allowed_actions`, the URL segment it posts to and the form of its command
// (layers/common/pendopo/domain/workflow.py: NoteCommand, ReasonCommand,
// RerouteCommand, DispositionCommand, FollowUpCommand, KeepClosedCommand). Limits repeat the
// command models', so most mistakes are caught before a round trip; the API
// checks them again and its 422 field messages land on the same fields.

const note = {
  name: "note",
  label: "Catatan (opsional)",
  kind: "textarea",
  required: false,
  minLength: 1,
  maxLength: 1000,
};

const reason = (label, hint) => ({
  name: "reason",
  label,
  hint,
  kind: "textarea",
  required: true,
  minLength: 5,
  maxLength: 1000,
});

export const ACTIONS = {
  verify: {
    segment: "verify",
    button: "Verifikasi",
    title: "Verifikasi pengaduan",
    explain: "Pengaduan valid dan diteruskan ke koordinator unit untuk didisposisikan.",
    fields: [note],
  },
  reject: {
    segment: "reject",
    button: "Tolak",
    title: "Tolak pengaduan",
    explain: "Pengaduan tidak dapat diproses. Alasan ini dibaca pelapor di halaman pelacakan.",
    fields: [reason("Alasan penolakan", "Minimal 5 karakter. Dibaca pelapor.")],
  },
  reroute: {
    segment: "reroute",
    button: "Alihkan ke unit lain",
    title: "Alihkan ke unit lain",
    explain: "Pilih kategori yang benar; unit tujuan mengikuti kategori itu.",
    fields: [
      { name: "category", label: "Kategori yang benar", kind: "category", required: true },
      reason("Alasan pengalihan", "Minimal 5 karakter."),
    ],
  },
  disposition: {
    segment: "disposition",
    button: "Disposisi",
    title: "Disposisi ke perangkat daerah atau BUMD",
    explain: "Pilih perangkat daerah atau BUMD yang menindaklanjuti pengaduan ini.",
    fields: [{ name: "agency", label: "Perangkat daerah atau BUMD", kind: "agency", required: true }, note],
  },
  acknowledge: {
    segment: "acknowledge",
    button: "Catat mulai ditindaklanjuti",
    title: "Perangkat daerah mulai menindaklanjuti",
    explain: "Catat bahwa perangkat daerah atau BUMD sudah mulai menangani pengaduan ini.",
    fields: [note],
  },
  submit_follow_up: {
    segment: "follow-up",
    button: "Sampaikan hasil tindak lanjut",
    title: "Sampaikan hasil tindak lanjut",
    explain: "Hasil dari perangkat daerah atau BUMD; verifikator akan memvalidasinya.",
    // Proof photos (and documents) of the follow-up: shown to the reporter once accepted,
    // unless the verifier marks one internal.
    attachments: {
      legend: "Foto bukti tindak lanjut ",
      hint:
        "Foto hasil pekerjaan di lokasi, atau dokumen pendukung: paling banyak 5 berkas (JPEG, PNG, WebP, PDF; " +
        "masing-masing paling besar 10 MB). Setelah hasil diterima verifikator, fotonya tampil di halaman " +
        "pelacakan pelapor, kecuali yang dijadikan internal.",
    },
    fields: [
      {
        name: "result",
        label: "Hasil tindak lanjut",
        hint: "Minimal 10 karakter. Setelah diterima verifikator, hasil ini dibaca pelapor.",
        kind: "textarea",
        required: true,
        minLength: 10,
        maxLength: 4000,
      },
    ],
  },
  accept_follow_up: {
    segment: "accept",
    button: "Terima hasil (selesai)",
    title: "Terima hasil tindak lanjut",
    explain: "Hasil tindak lanjut sudah memadai; pengaduan selesai.",
    fields: [note],
  },
  reject_follow_up: {
    segment: "return",
    button: "Kembalikan hasil",
    title: "Kembalikan hasil tindak lanjut",
    explain: "Hasil belum memadai; koordinator unit harus menindaklanjuti ulang.",
    fields: [reason("Alasan pengembalian", "Minimal 5 karakter.")],
  },
  // A reporter said the problem is not resolved: the verifier reopens it or keeps it
  // closed. Both texts are shown to the reporter on the tracking page.
  reopen: {
    segment: "reopen",
    button: "Buka kembali",
    title: "Buka kembali pengaduan",
    explain:
      "Pelapor menyatakan masalahnya belum selesai. Pengaduan kembali ke unit (TL Ditolak) dengan batas waktu semula.",
    fields: [reason("Alasan dibuka kembali", "Minimal 5 karakter. Dibaca pelapor.")],
  },
  keep_closed: {
    segment: "keep-closed",
    button: "Tetap selesai",
    title: "Tetapkan pengaduan tetap selesai",
    explain: "Hasil tindak lanjut sudah memadai. Catatan ini dibaca pelapor di halaman pelacakan.",
    fields: [
      {
        name: "note",
        label: "Catatan untuk pelapor",
        hint: "Jelaskan mengapa pengaduan tetap dinyatakan selesai.",
        kind: "textarea",
        required: true,
        minLength: 1,
        maxLength: 1000,
      },
    ],
  },
};

/** The Indonesian message for a value that breaks a field's limits, or null. */
export function checkField(field, value) {
  if (!value) return field.required ? "Wajib diisi." : null;
  if (field.minLength && value.length < field.minLength) {
    return `Terlalu pendek: minimal ${field.minLength} karakter.`;
  }
  if (field.maxLength && value.length > field.maxLength) {
    return `Terlalu panjang: maksimal ${field.maxLength} karakter.`;
  }
  return null;
}
