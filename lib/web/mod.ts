/**
 * The live dashboard served at `GET /`: one HTML document (script and style inline, built from
 * ./page by build.ts into page.gen.ts) under a strict Content-Security-Policy that allows no
 * request but to the page's own origin. Imports nothing but the generated strings.
 * @module
 */
import { PAGE_HTML, SCRIPT_HASH, STYLE_HASH } from "./page.gen.ts";
import { createHash } from "node:crypto";

/** The page's Content-Security-Policy: its own script and style only, requests to itself only. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${SCRIPT_HASH}`,
  `style-src ${STYLE_HASH}`,
  "connect-src 'self'",
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const BODY = new TextEncoder().encode(PAGE_HTML);
const ETAG = `"${createHash("sha256").update(BODY).digest("base64url").slice(0, 22)}"`;
let gzipped: Promise<Uint8Array<ArrayBuffer>> | null = null;

/** Size of the page in bytes, uncompressed. */
export const DASHBOARD_BYTES: number = BODY.length;

/**
 * The dashboard's response to `request` (GET or HEAD): gzip when accepted (compressed once),
 * 304 for a matching If-None-Match, security headers always.
 */
export async function dashboardResponse(request: Request): Promise<Response> {
  const headers = new Headers({
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": DASHBOARD_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
    "ETag": ETAG,
    "Vary": "Accept-Encoding",
  });
  const match = request.headers.get("if-none-match") ?? "";
  if (match.split(",").some((t) => t.trim().replace(/^W\//, "") === ETAG)) {
    return new Response(null, { status: 304, headers });
  }
  let body: Uint8Array<ArrayBuffer> = BODY;
  if (/\bgzip\b/i.test(request.headers.get("accept-encoding") ?? "")) {
    body = await (gzipped ??= gzip(BODY));
    headers.set("Content-Encoding", "gzip");
  }
  headers.set("Content-Length", String(body.length));
  return new Response(request.method === "HEAD" ? null : body, { status: 200, headers });
}

async function gzip(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
