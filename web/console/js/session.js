// The officer's tokens, kept in sessionStorage: they live only as long as this
// browser tab (desk computers are shared) and are never put in a URL.

const KEY = "pendopo.console.session";

/** {accessToken, refreshToken, expiresAt (ms epoch), officer: {username, role, unit}} or null. */
export function loadSession() {
  try {
    const raw = sessionStorage.getItem(KEY);
    const session = raw ? JSON.parse(raw) : null;
    return session && session.accessToken ? session : null;
  } catch {
    return null;
  }
}

export function saveTokens(answer, previous = null) {
  const session = {
    accessToken: answer.access_token,
    // A refresh answers refresh_token: null (the refresh token stays the same).
    refreshToken: answer.refresh_token || (previous && previous.refreshToken) || null,
    expiresAt: Date.now() + Number(answer.expires_in || 3600) * 1000,
    officer: answer.officer || (previous && previous.officer) || null,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}
