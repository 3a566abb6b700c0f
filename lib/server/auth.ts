/** Optional bearer-token authentication, compared in constant time. */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** The expected token. */
  token: string;
  /** Paths served without a token (exact match). */
  openPaths: readonly string[];
}

/**
 * Middleware requiring `Authorization: Bearer <token>` on every path but `openPaths`; otherwise
 * 401 with `WWW-Authenticate: Bearer` and a JSON error. The token never appears in a response.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler {
  const { token, openPaths } = options;
  const expected = digest(token);
  const open = new Set(openPaths);
  return async (c, next) => {
    if (open.has(c.req.path)) return await next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match && tokensEqual(expected, digest(match[1] ?? ""))) return await next();
    // RFC 6750: no error code when the request carried no credentials at all.
    c.header(
      "WWW-Authenticate",
      `Bearer realm="pgactive-tools"${match ? ', error="invalid_token"' : ""}`,
    );
    return c.json(
      {
        error: match
          ? "The bearer token is not valid"
          : "This endpoint requires an Authorization: Bearer token",
      },
      401,
    );
  };
}

/**
 * Compares two equal-length digests without an early exit, so the time taken does not reveal how
 * many leading bytes matched. Hashing both sides first makes the lengths equal and hides the
 * expected token's length.
 */
export function tokensEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** SHA-256, synchronously: no pending async work is left behind by a request or an app. */
function digest(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text, "utf8").digest());
}
