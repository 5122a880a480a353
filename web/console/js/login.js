// Login, and the steps Cognito may ask for after the password:
// - the new-password step of an account's first login (NEW_PASSWORD_REQUIRED,
//   answered by POST /v1/auth/new-password);
// - the 6-digit code of the officer's authenticator app (SOFTWARE_TOKEN_MFA,
//   answered by POST /v1/auth/mfa);
// - the first-time TOTP setup of a verifier or admin (MFA_SETUP: the secret as a
//   QR code and as text, then the first code, POST /v1/auth/mfa/setup, which needs
//   the password again; it is kept in this closure only, never stored).

import { authCall } from "./api.js";
import { focus, h, replace, uid } from "../../shared/dom.js";
import { renderQr } from "../../shared/receipt.js";
import { saveTokens } from "./session.js";

const PASSWORD_RULES =
  "Minimal 12 karakter, dengan huruf besar, huruf kecil, angka dan simbol.";

function field({ label, type, name, autocomplete, hint }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = h("input", {
    id,
    name,
    type,
    autocomplete,
    required: true,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
  });
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrapper = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { id: hintId, class: "hint" }, hint) : null,
    input,
    error,
  );
  return { wrapper, input, error };
}

function showFieldError(entry, message) {
  entry.error.textContent = message || "";
  entry.error.hidden = !message;
  if (message) entry.input.setAttribute("aria-invalid", "true");
  else entry.input.removeAttribute("aria-invalid");
}

function alertBox() {
  return h("div", { class: "alert alert-error", role: "alert", hidden: true, tabindex: "-1" });
}

function showAlert(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
  if (message) focus(box);
}

/** A password field (the login's, or one of the two of a new password). */
function passwordField(label, name, autocomplete, hint) {
  return field({ label, type: "password", name, autocomplete, hint });
}

/**
 * One step of logging in, drawn into `main`: a heading, a lead, an optional notice,
 * then the form (an alert, the fields, the submit button). The form's submit runs
 * `onSubmit({alert, button})`.
 */
function renderStep(
  main,
  { id, heading, lead, notice, before, fields, submit, title, focusOn, onSubmit, after },
) {
  const alert = alertBox();
  const button = h("button", { type: "submit", class: "button primary" }, submit);
  const headingElement = h("h1", { tabindex: "-1", id }, heading);
  const form = h(
    "form",
    { class: "card login", novalidate: true, "aria-labelledby": id },
    alert,
    fields.map((entry) => entry.wrapper),
    button,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showAlert(alert, "");
    onSubmit({ alert, button });
  });
  replace(
    main,
    h(
      "section",
      { class: "login-page" },
      headingElement,
      h("p", { class: "lead" }, lead),
      notice ? h("p", { class: "alert alert-info", role: "status" }, notice) : null,
      before || null,
      form,
      after || null,
    ),
  );
  document.title = title;
  focus(notice ? headingElement : focusOn);
}

/**
 * Render the login into `main`. `notice` is a message shown above the form
 * (session ended, logged out). `onLoggedIn(session)` runs once tokens are saved.
 */
export function renderLogin(main, { notice, onLoggedIn }) {
  const email = field({ label: "Email dinas", type: "email", name: "email", autocomplete: "username" });
  const password = passwordField("Kata sandi", "password", "current-password");
  // Verifiers and admins must use TOTP; the other roles may choose it here.
  const chooseId = uid("setup_mfa");
  const choose = h("input", { id: chooseId, name: "setup_mfa", type: "checkbox" });
  const chooseMfa = {
    wrapper: h(
      "div",
      { class: "field field-check" },
      choose,
      h("label", { for: chooseId }, "Aktifkan verifikasi dua langkah (aplikasi autentikator)"),
    ),
  };
  renderStep(main, {
    id: "login-heading",
    heading: "Masuk ke Konsol Petugas",
    lead: "Gunakan akun yang dibuat Diskominfotik untuk Anda.",
    notice,
    fields: [email, password, chooseMfa],
    submit: "Masuk",
    title: "Masuk — Konsol Petugas Pendopo",
    focusOn: email.input,
    onSubmit: async ({ alert, button }) => {
      showFieldError(email, email.input.value.trim() ? "" : "Wajib diisi.");
      showFieldError(password, password.input.value ? "" : "Wajib diisi.");
      if (!email.input.value.trim()) return focus(email.input);
      if (!password.input.value) return focus(password.input);
      button.disabled = true;
      button.textContent = "Sedang masuk…";
      try {
        const answer = await authCall("/v1/auth/login", {
          email: email.input.value.trim(),
          password: password.input.value,
          ...(choose.checked ? { setup_mfa: true } : {}),
        });
        if (answer.challenge === "NEW_PASSWORD_REQUIRED") {
          renderNewPassword(main, {
            email: email.input.value.trim(),
            session: answer.session,
            message: answer.message,
            onLoggedIn,
          });
          return;
        }
        if (nextStep(main, answer, email.input.value.trim(), password.input.value, onLoggedIn)) {
          return;
        }
        onLoggedIn(saveTokens(answer));
      } catch (error) {
        for (const problem of error.fields || []) {
          if (problem.field === "email") showFieldError(email, problem.message);
          if (problem.field === "password") showFieldError(password, problem.message);
        }
        showAlert(alert, error.message);
        button.disabled = false;
        button.textContent = "Masuk";
      }
    },
  });
}

function renderNewPassword(main, { email, session, message, onLoggedIn }) {
  const password = passwordField("Kata sandi baru", "new_password", "new-password", PASSWORD_RULES);
  const confirm = passwordField("Ulangi kata sandi baru", "confirm_password", "new-password");
  renderStep(main, {
    id: "new-password-heading",
    heading: "Buat kata sandi baru",
    lead: message || "Ini masuk pertama Anda. Buat kata sandi baru untuk melanjutkan.",
    fields: [password, confirm],
    submit: "Simpan dan masuk",
    title: "Kata sandi baru — Konsol Petugas Pendopo",
    focusOn: password.input,
    onSubmit: async ({ alert, button }) => {
      const value = password.input.value;
      showFieldError(password, value ? "" : "Wajib diisi.");
      showFieldError(
        confirm,
        confirm.input.value === value ? "" : "Kedua kata sandi tidak sama. Ketik ulang.",
      );
      if (!value) return focus(password.input);
      if (confirm.input.value !== value) return focus(confirm.input);
      button.disabled = true;
      try {
        const answer = await authCall("/v1/auth/new-password", {
          email,
          session,
          new_password: value,
        });
        if (nextStep(main, answer, email, value, onLoggedIn)) return;
        onLoggedIn(saveTokens(answer));
      } catch (error) {
        button.disabled = false;
        if (error.kind === "unauthorized") {
          renderLogin(main, {
            notice: "Waktu untuk membuat kata sandi baru sudah habis. Silakan masuk lagi.",
            onLoggedIn,
          });
          return;
        }
        const problem = (error.fields || []).find((item) => item.field === "new_password");
        if (problem) {
          showFieldError(password, problem.message);
          focus(password.input);
        } else {
          showAlert(alert, error.message);
        }
      }
    },
  });
}

/** Draw the TOTP step an answer asks for; false when the answer holds tokens. */
function nextStep(main, answer, email, password, onLoggedIn) {
  if (answer.challenge === "SOFTWARE_TOKEN_MFA") {
    renderMfaCode(main, { email, session: answer.session, message: answer.message, onLoggedIn });
    return true;
  }
  if (answer.challenge === "MFA_SETUP") {
    renderMfaSetup(main, { email, password, setup: answer, onLoggedIn });
    return true;
  }
  return false;
}

/** The 6-digit code field (authenticator apps show "123 456": spaces are dropped). */
function codeField() {
  const entry = field({
    label: "Kode verifikasi",
    type: "text",
    name: "code",
    autocomplete: "one-time-code",
    hint: "6 angka dari aplikasi autentikator; kode berganti setiap 30 detik.",
  });
  entry.input.setAttribute("inputmode", "numeric");
  entry.input.setAttribute("maxlength", "7");
  return entry;
}

function codeOf(entry) {
  const code = entry.input.value.replace(/\s/g, "");
  showFieldError(entry, /^[0-9]{6}$/.test(code) ? "" : "Masukkan 6 angka kode verifikasi.");
  return /^[0-9]{6}$/.test(code) ? code : null;
}

function backToLogin(main, onLoggedIn) {
  const button = h("button", { type: "button", class: "button" }, "Kembali ke halaman masuk");
  button.addEventListener("click", () => renderLogin(main, { notice: null, onLoggedIn }));
  return h("p", { class: "login-back" }, button);
}

/** Send a code; on a refusal show the server's message (a wrong code or an ended sign-in). */
async function sendCode(main, { entry, alert, button, label, path, body, onLoggedIn }) {
  const code = codeOf(entry);
  if (!code) return focus(entry.input);
  button.disabled = true;
  button.textContent = "Memeriksa…";
  try {
    onLoggedIn(saveTokens(await authCall(path, { ...body, code })));
  } catch (error) {
    const problem = (error.fields || []).find((item) => item.field === "code");
    entry.input.value = "";
    showFieldError(entry, problem ? problem.message : "");
    showAlert(alert, error.message);
    button.disabled = false;
    button.textContent = label;
  }
}

/**
 * A step that takes a code: the form, its "back to the login" button, and the send to
 * `path` with `body` (and the code) under the `submit` button.
 */
function renderCodeStep(main, { id, heading, lead, before, submit, title, path, body, onLoggedIn }) {
  const code = codeField();
  renderStep(main, {
    id,
    heading,
    lead,
    before,
    fields: [code],
    submit,
    title: `${title} — Konsol Petugas Pendopo`,
    focusOn: code.input,
    after: backToLogin(main, onLoggedIn),
    onSubmit: ({ alert, button }) =>
      sendCode(main, { entry: code, alert, button, label: submit, path, body, onLoggedIn }),
  });
}

function renderMfaCode(main, { email, session, message, onLoggedIn }) {
  renderCodeStep(main, {
    id: "mfa-heading",
    heading: "Verifikasi dua langkah",
    lead: message || "Masukkan kode 6 angka dari aplikasi autentikator di ponsel Anda.",
    submit: "Verifikasi",
    title: "Verifikasi dua langkah",
    path: "/v1/auth/mfa",
    body: { email, session },
    onLoggedIn,
  });
}

/** The secret in groups of four, as authenticator apps let one type it. */
function grouped(secret) {
  return secret.match(/.{1,4}/g).join(" ");
}

function renderMfaSetup(main, { email, password, setup, onLoggedIn }) {
  const qr = h("div", { class: "mfa-qr" });
  const steps = h(
    "div",
    { class: "card mfa-setup" },
    h(
      "ol",
      {},
      h("li", {}, "Buka aplikasi autentikator di ponsel dinas Anda (mis. Google Authenticator, Microsoft Authenticator, FreeOTP)."),
      h("li", {}, "Pindai kode QR ini, atau pilih tambah akun secara manual dan ketik kuncinya."),
      h("li", {}, "Masukkan kode 6 angka yang tampil di aplikasi."),
    ),
    qr,
    h("p", {}, "Kunci (jika tidak bisa memindai):"),
    h("p", { class: "mfa-secret", "aria-label": `Kunci: ${setup.secret_code.split("").join(" ")}` }, grouped(setup.secret_code)),
  );
  renderQr(qr, setup.otpauth_uri, "Kode QR untuk aplikasi autentikator");
  renderCodeStep(main, {
    id: "mfa-setup-heading",
    heading: "Siapkan verifikasi dua langkah",
    lead: setup.message,
    before: steps,
    submit: "Aktifkan dan masuk",
    title: "Siapkan verifikasi dua langkah",
    path: "/v1/auth/mfa/setup",
    body: { email, password },
    onLoggedIn,
  });
}
