// Words and formats people read. Times are WIB (Asia/Jakarta, UTC+7, no daylight
// saving) whatever zone the browser is in; the API already sends WIB texts
// (`due_at_text`, `at_text`), and this formats the few times the console makes.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];

const WIB_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Jakarta",
  year: "numeric",
  month: "numeric",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** '09 Jun 2025 07:30 WIB', as the API's format_wib writes it. */
export function formatWib(moment) {
  const parts = Object.fromEntries(
    WIB_PARTS.formatToParts(moment).map((part) => [part.type, part.value]),
  );
  const month = MONTHS[Number(parts.month) - 1];
  return `${parts.day} ${month} ${parts.year} ${parts.hour}:${parts.minute} WIB`;
}

/** '07:30 WIB'. */
export function formatWibTime(moment) {
  return formatWib(moment).slice(-9);
}

export const ROLE_LABELS = {
  petugas: "Petugas",
  koordinator: "Koordinator",
  verifikator: "Verifikator",
  admin: "Administrator",
  pimpinan: "Pimpinan",
  pelapor: "Pelapor",
};

// A pimpinan's scope: the Sekda sees every unit, an Asisten the units reporting to them.
export const SCOPE_LABELS = {
  SEKDA: "Sekretaris Daerah",
  ASISTEN_PEM: "Asisten Pemerintahan",
  ASISTEN_PK: "Asisten Perekonomian dan Keuangan",
  ASISTEN_PLH: "Asisten Pembangunan dan Lingkungan Hidup",
  ASISTEN_KESRA: "Asisten Kesejahteraan Rakyat",
};

/** A scope code (or {code, name}) as people read it. */
export function scopeLabel(scope) {
  if (!scope) return "";
  if (typeof scope === "object") return scope.name || SCOPE_LABELS[scope.code] || scope.code || "";
  return SCOPE_LABELS[scope] || scope;
}

export const CHANNEL_LABELS = {
  kiosk: "E-kiosk",
  web: "Web",
  pendopo: "Meja layanan Pendopo",
  open311: "Aplikasi mitra (Open311)",
};

export function roleLabel(code) {
  return ROLE_LABELS[code] || code;
}

export function channelLabel(code) {
  return CHANNEL_LABELS[code] || code;
}

/** A group separator a screen reader reads: '2506-4821-7734' stays as it is. */
export function ticketLabel(ticket) {
  return `Tiket ${ticket}`;
}
