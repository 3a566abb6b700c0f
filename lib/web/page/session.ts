/// <reference lib="dom" />
/**
 * The API token: asked for in a form when the server answers 401, kept in sessionStorage (this
 * tab only, gone when it closes), sent only as an Authorization header: never in a URL, a query
 * string or a log line. The input has no `name`, so even a native form submission carries nothing.
 */
import { byId } from "./dom.ts";

const KEY = "pgactive-tools.token";

/** The token kept for this tab, if any. */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Keeps (or, with null, forgets) the token for this tab. */
export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the token lives as long as the page
  }
  byId("forget").hidden = token === null;
}

/** Shows the token form with `message`; calls `onToken` with what the user submits. */
export function askToken(message: string, onToken: (token: string) => void): void {
  const section = byId("auth");
  const form = byId<HTMLFormElement>("auth-form");
  const input = byId<HTMLInputElement>("token");
  byId("auth-message").textContent = message;
  section.hidden = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === "") {
      byId("auth-message").textContent = "Enter the token set as server.auth_token.";
      input.focus();
      return;
    }
    input.value = "";
    section.hidden = true;
    onToken(token);
  };
  input.focus();
}

/** Hides the token form. */
export function hideTokenForm(): void {
  byId("auth").hidden = true;
}
