// The complaint form shared by the e-kiosk and the citizen web: its fields, the
// checks a browser can make before sending (the same limits as the API), and the
// field messages of either those checks or the API's 422 answer.

// Each field carries the API's field path (data-field), so a 422 message lands next
// to the input it is about.
const FIELDS = `
<fieldset class="group">
  <legend>Pengaduan Anda</legend>
  <div class="field">
    <label for="f-title">Judul singkat</label>
    <p class="hint" id="f-title-hint">Contoh: Jalan berlubang di depan SDN 01 Kramat.</p>
    <input id="f-title" name="title" data-field="title" type="text" maxlength="150"
           autocomplete="off" aria-describedby="f-title-hint f-title-error" required>
    <p class="error" id="f-title-error" data-error-for="title"></p>
  </div>
  <div class="field">
    <label for="f-description">Ceritakan masalahnya</label>
    <p class="hint" id="f-description-hint">Apa yang terjadi, sejak kapan, dan apa akibatnya. Minimal 20 huruf.</p>
    <textarea id="f-description" name="description" data-field="description" rows="5" maxlength="4000"
              aria-describedby="f-description-hint f-description-error" required></textarea>
    <p class="error" id="f-description-error" data-error-for="description"></p>
  </div>
  <div class="field">
    <label for="f-location">Lokasi <span class="optional">(boleh dikosongkan)</span></label>
    <p class="hint" id="f-location-hint">Alamat atau patokan, misalnya Jl. Kramat Raya 98, dekat halte.</p>
    <input id="f-location" name="location" data-field="location.text" type="text" maxlength="300"
           autocomplete="off" aria-describedby="f-location-hint f-location-error">
    <p class="error" id="f-location-error" data-error-for="location.text"></p>
  </div>
</fieldset>
<fieldset class="group">
  <legend>Data diri pelapor</legend>
  <p class="hint">Petugas memakai data ini untuk menghubungi Anda bila perlu. Data diri tidak pernah ditampilkan kepada publik.</p>
  <div class="field">
    <label for="f-name">Nama lengkap</label>
    <input id="f-name" name="name" data-field="reporter.name" type="text" maxlength="100"
           autocomplete="name" aria-describedby="f-name-error" required>
    <p class="error" id="f-name-error" data-error-for="reporter.name"></p>
  </div>
  <div class="field">
    <label for="f-phone">Nomor telepon atau WhatsApp</label>
    <p class="hint" id="f-phone-hint">Contoh: 0812 3456 7890.</p>
    <input id="f-phone" name="phone" data-field="reporter.phone" type="tel" inputmode="tel" maxlength="25"
           autocomplete="tel" aria-describedby="f-phone-hint f-phone-error" required>
    <p class="error" id="f-phone-error" data-error-for="reporter.phone"></p>
  </div>
  <div class="field">
    <label for="f-nik">NIK <span class="optional">(boleh dikosongkan)</span></label>
    <p class="hint" id="f-nik-hint">16 angka pada KTP Anda.</p>
    <input id="f-nik" name="nik" data-field="reporter.nik" type="text" inputmode="numeric" maxlength="25"
           autocomplete="off" aria-describedby="f-nik-hint f-nik-error">
    <p class="error" id="f-nik-error" data-error-for="reporter.nik"></p>
  </div>
  <div class="field">
    <label for="f-email">Email <span class="optional">(boleh dikosongkan)</span></label>
    <input id="f-email" name="email" data-field="reporter.email" type="email" maxlength="254"
           autocomplete="email" aria-describedby="f-email-error">
    <p class="error" id="f-email-error" data-error-for="reporter.email"></p>
  </div>
</fieldset>
<fieldset class="group">
  <legend>Kabar perkembangan <span class="optional">(boleh tidak dipilih)</span></legend>
  <p class="hint" id="f-notify-hint">Kami hanya mengirim kabar bila Anda setuju. Nomor ponsel dan email Anda dipakai
    untuk kabar tentang pengaduan ini saja: tanda terima (nomor tiket dan kode pelacakan), verifikasi,
    penerusan ke dinas, dan hasilnya. Anda dapat berhenti kapan saja lewat tautan di email.</p>
  <div class="choice">
    <input id="f-notify-sms" name="notify_sms" data-field="notify" type="checkbox" aria-describedby="f-notify-sms-hint f-notify-error">
    <label for="f-notify-sms">Ya, kirim kabar lewat SMS ke nomor ponsel saya</label>
    <p class="hint" id="f-notify-sms-hint">Hanya untuk nomor ponsel Indonesia (awalan 08).</p>
  </div>
  <div class="choice">
    <input id="f-notify-email" name="notify_email" type="checkbox" aria-describedby="f-notify-email-hint f-notify-error">
    <label for="f-notify-email">Ya, kirim kabar lewat email</label>
    <p class="hint" id="f-notify-email-hint">Isi alamat email Anda di atas.</p>
  </div>
  <p class="error" id="f-notify-error" data-error-for="notify"></p>
</fieldset>
<fieldset class="group">
  <legend>Pilihan perlindungan <span class="optional">(boleh tidak dipilih)</span></legend>
  <div class="choice">
    <input id="f-anonymous" name="anonymous" type="checkbox" aria-describedby="f-anonymous-hint">
    <label for="f-anonymous">Sembunyikan identitas saya dari petugas unit</label>
    <p class="hint" id="f-anonymous-hint">Nama, NIK, telepon dan email Anda hanya dapat dilihat oleh petugas verifikasi di Biro Pemerintahan, bukan oleh petugas unit yang menangani pengaduan.</p>
  </div>
  <div class="choice">
    <input id="f-confidential" name="confidential" type="checkbox" aria-describedby="f-confidential-hint">
    <label for="f-confidential">Rahasiakan pengaduan ini</label>
    <p class="hint" id="f-confidential-hint">Isi pengaduan tidak akan pernah ditampilkan kepada publik. Petugas tetap membacanya untuk menindaklanjuti.</p>
  </div>
</fieldset>
`;

/**
 * Put the fields into `container`. `kiosk: true` turns autocomplete off on every
 * field and on the form: a kiosk's browser is shared by strangers, and a profile's
 * autofill table would offer one person's name, phone and email to the next. The
 * citizen web on a person's own phone keeps the autocomplete hints (name, tel, email).
 */
export function renderFields(container, { kiosk = false } = {}) {
  container.innerHTML = FIELDS;
  if (!kiosk) return;
  const form = container.closest("form");
  if (form) form.setAttribute("autocomplete", "off");
  for (const field of container.querySelectorAll("input, textarea, select")) {
    field.setAttribute("autocomplete", "off");
  }
}

/** Put a stored request body (POST /v1/complaints) back into the form's fields. */
export function fillForm(form, body) {
  const set = (name, value) => {
    const input = form.elements.namedItem(name);
    if (!input) return;
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = value || "";
  };
  const reporter = body.reporter || {};
  set("title", body.title);
  set("description", body.description);
  set("location", body.location && body.location.text);
  set("name", reporter.name);
  set("phone", reporter.phone);
  set("nik", reporter.nik);
  set("email", reporter.email);
  set("anonymous", reporter.anonymous);
  set("confidential", reporter.confidential);
  const notify = body.notify || {};
  set("notify_sms", notify.sms);
  set("notify_email", notify.email);
}

function value(form, name) {
  const input = form.elements.namedItem(name);
  return input ? input.value.trim() : "";
}

function checked(form, name) {
  const input = form.elements.namedItem(name);
  return Boolean(input && input.checked);
}

const PHONE = /^(\+62|62|0)[1-9][0-9]{7,11}$/;
const MOBILE = /^(\+62|62|0)8/;
// The API's own words (pendopo/domain/complaint.py), so both checks say the same.
const SMS_NEEDS_MOBILE =
  "SMS hanya dapat dikirim ke nomor ponsel Indonesia (awalan 08 atau +62 8). " +
  "Ganti nomor telepon dengan nomor ponsel, atau jangan pilih SMS.";
const EMAIL_NEEDS_ADDRESS =
  "Isi alamat email Anda untuk menerima kabar lewat email, atau jangan pilih email.";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a browser can check before sending: the API's own limits, in its words. */
export function validate(form, { category } = {}) {
  const errors = [];
  const add = (field, message) => errors.push({ field, message });
  if (category !== undefined && !category) add("category", "Pilih kategori pengaduan.");
  const title = value(form, "title");
  if (title.length < 5) add("title", "Judul terlalu pendek: tulis minimal 5 huruf.");
  const description = value(form, "description");
  if (description.length < 20)
    add("description", `Ceritakan sedikit lebih lengkap: minimal 20 huruf (sekarang ${description.length}).`);
  if (value(form, "name").length < 2) add("reporter.name", "Tuliskan nama Anda (minimal 2 huruf).");
  const phone = value(form, "phone").replace(/[\s().-]/g, "");
  if (!phone) add("reporter.phone", "Tuliskan nomor telepon Anda. Contoh: 0812 3456 7890.");
  else if (!PHONE.test(phone)) add("reporter.phone", "Nomor telepon tidak valid. Contoh: 0812 3456 7890.");
  const nik = value(form, "nik").replace(/[\s.-]/g, "");
  if (nik && !/^[0-9]{16}$/.test(nik)) add("reporter.nik", "NIK harus terdiri dari 16 angka.");
  const email = value(form, "email");
  if (email && !EMAIL.test(email)) add("reporter.email", "Alamat email tidak valid.");
  if (checked(form, "notify_sms") && PHONE.test(phone) && !MOBILE.test(phone)) add("notify", SMS_NEEDS_MOBILE);
  else if (checked(form, "notify_email") && !email) add("notify", EMAIL_NEEDS_ADDRESS);
  return errors;
}

/** The request body of POST /v1/complaints. */
export function payload(form, channel, category) {
  const reporter = {
    name: value(form, "name"),
    phone: value(form, "phone"),
    anonymous: checked(form, "anonymous"),
    confidential: checked(form, "confidential"),
  };
  if (value(form, "nik")) reporter.nik = value(form, "nik");
  if (value(form, "email")) reporter.email = value(form, "email");
  const body = {
    channel,
    category,
    title: value(form, "title"),
    description: value(form, "description"),
    reporter,
    // The reporter's explicit consent (UU PDP), per channel; both false unless ticked.
    notify: { sms: checked(form, "notify_sms"), email: checked(form, "notify_email") },
  };
  if (value(form, "location")) body.location = { text: value(form, "location") };
  return body;
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll("[data-error-for]")) el.textContent = "";
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * Show field messages next to their inputs, and a summary (a list of every message,
 * each a link to its field). Focus moves to the summary so a screen reader reads it.
 */
export function showErrors(root, summary, errors, heading) {
  clearErrors(root);
  summary.replaceChildren();
  if (!errors.length) {
    summary.hidden = true;
    return;
  }
  const title = document.createElement("h2");
  title.textContent = heading || "Mohon periksa kembali isian berikut:";
  const list = document.createElement("ul");
  for (const { field, message } of errors) {
    const slot = root.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const input = root.querySelector(`[data-field="${CSS.escape(field)}"]`);
    if (slot) slot.textContent = message;
    if (input) input.setAttribute("aria-invalid", "true");
    const item = document.createElement("li");
    if (input && input.id) {
      const link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = message;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        input.focus();
      });
      item.append(link);
    } else {
      item.textContent = message;
    }
    list.append(item);
  }
  summary.append(title, list);
  summary.hidden = false;
  summary.focus();
}

/** The API's 422 body as field messages: its own Indonesian words, as they are. */
export function apiErrors(result) {
  if (result.errors && result.errors.length) {
    return result.errors.map((e) => ({ field: e.field || "", message: e.message }));
  }
  return [{ field: "", message: result.message }];
}
