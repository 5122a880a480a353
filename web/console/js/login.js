// Login, and the new-password step of an account's first login (Cognito's
// NEW_PASSWORD_REQUIRED challenge, answered by POST /v1/auth/new-password).

import { authCall } from "./api.js";
import { focus, h, replace, uid } from "../../shared/dom.js";
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

/**
 * Render the login into `main`. `notice` is a message shown above the form
 * (session ended, logged out). `onLoggedIn(session)` runs once tokens are saved.
 */
export function renderLogin(main, { notice, onLoggedIn }) {
  const email = field({ label: "Email dinas", type: "email", name: "email", autocomplete: "username" });
  const password = field({
    label: "Kata sandi",
    type: "password",
    name: "password",
    autocomplete: "current-password",
  });
  const alert = alertBox();
  const button = h("button", { type: "submit", class: "button primary" }, "Masuk");
  const heading = h("h1", { tabindex: "-1" }, "Masuk ke Konsol Petugas");
  const form = h(
    "form",
    { class: "card login", novalidate: true, "aria-labelledby": "login-heading" },
    alert,
    email.wrapper,
    password.wrapper,
    button,
  );
  heading.id = "login-heading";

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert(alert, "");
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
  });

  replace(
    main,
    h(
      "section",
      { class: "login-page" },
      heading,
      h("p", { class: "lead" }, "Gunakan akun yang dibuat Diskominfotik untuk Anda."),
      notice ? h("p", { class: "alert alert-info", role: "status" }, notice) : null,
      form,
    ),
  );
  document.title = "Masuk — Konsol Petugas Pendopo";
  focus(notice ? heading : email.input);
}

function renderNewPassword(main, { email, session, message, onLoggedIn }) {
  const password = field({
    label: "Kata sandi baru",
    type: "password",
    name: "new_password",
    autocomplete: "new-password",
    hint: PASSWORD_RULES,
  });
  const confirm = field({
    label: "Ulangi kata sandi baru",
    type: "password",
    name: "confirm_password",
    autocomplete: "new-password",
  });
  const alert = alertBox();
  const button = h("button", { type: "submit", class: "button primary" }, "Simpan dan masuk");
  const heading = h("h1", { tabindex: "-1", id: "new-password-heading" }, "Buat kata sandi baru");
  const form = h(
    "form",
    { class: "card login", novalidate: true, "aria-labelledby": "new-password-heading" },
    alert,
    password.wrapper,
    confirm.wrapper,
    button,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert(alert, "");
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
  });

  replace(
    main,
    h(
      "section",
      { class: "login-page" },
      heading,
      h(
        "p",
        { class: "lead" },
        message || "Ini masuk pertama Anda. Buat kata sandi baru untuk melanjutkan.",
      ),
      form,
    ),
  );
  document.title = "Kata sandi baru — Konsol Petugas Pendopo";
  focus(password.input);
}
