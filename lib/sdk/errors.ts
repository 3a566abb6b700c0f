/**
 * The SDK's typed errors. Every message is one line and never contains a token, a password or the
 * userinfo part of the server URL.
 *
 * Besides mod.ts, this file is the one other door into lib/sdk: the CLI's one-shot reader
 * (lib/cli/server_read.ts) imports it alone, so keep it free of run-time imports (no zod, no
 * schema; types only) -- tests/cli/startup_test.ts checks the `lag --server` graph.
 */
import type { Snapshot } from "../snapshot/mod.ts";

/** Stable codes of {@link SdkError} subclasses. */
export type SdkErrorCode = "SERVER_UNAVAILABLE" | "HTTP_ERROR" | "SNAPSHOT_FORMAT" | "TIMEOUT";

/** Base class of every error the SDK throws (aborts reject with the signal's reason instead). */
export abstract class SdkError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: SdkErrorCode;
}

/** The server could not be reached: connection refused, DNS failure, reset or request timeout. */
export class ServerUnavailableError extends SdkError {
  /** Error name. */
  override name = "ServerUnavailableError";
  /** Stable code. */
  readonly code = "SERVER_UNAVAILABLE" as const;
  /** Base URL of the server (without credentials). */
  readonly url: string;
  /** Short reason, e.g. "connection refused", "timed out after 5000 ms". */
  readonly reason: string;

  /** `url` must already be free of credentials. */
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot reach pgactive-server at ${url}: ${reason}`, options);
    this.url = url;
    this.reason = reason;
  }
}

/** The server answered with a non-success HTTP status. */
export class HttpError extends SdkError {
  /** Error name. */
  override name = "HttpError";
  /** Stable code. */
  readonly code = "HTTP_ERROR" as const;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The server's `{"error": "..."}` text (or a short excerpt of a non-JSON body), may be "". */
  readonly serverMessage: string;
  /** Request path, e.g. "/snapshot". */
  readonly path: string;

  /** An error for `status` on `path` of the server at `url` (no credentials in it). */
  constructor(url: string, path: string, status: number, serverMessage: string) {
    const detail = serverMessage === "" ? "" : `: ${serverMessage}`;
    super(`pgactive-server at ${url} answered ${statusLabel(status)} for ${path}${detail}`);
    this.status = status;
    this.serverMessage = serverMessage;
    this.path = path;
  }
}

/** A response was not valid JSON or did not match the published schema. */
export class SnapshotFormatError extends SdkError {
  /** Error name. */
  override name = "SnapshotFormatError";
  /** Stable code. */
  readonly code = "SNAPSHOT_FORMAT" as const;
  /** Each problem as `path: message`. */
  readonly problems: readonly string[];

  /** `what` names the payload ("snapshot", "conflicts response"). */
  constructor(what: string, problems: readonly string[], options?: { cause?: unknown }) {
    const shown = problems.slice(0, 3).join("; ");
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
    super(oneLine(`invalid ${what}: ${shown}${more}`), options);
    this.problems = problems;
  }
}

/** {@link Client.waitFor} gave up; carries the last snapshot seen (null if none). */
export class TimeoutError extends SdkError {
  /** Error name. */
  override name = "TimeoutError";
  /** Stable code. */
  readonly code = "TIMEOUT" as const;
  /** The timeout that passed. */
  readonly timeoutMs: number;
  /** The last snapshot received before giving up (null: none). */
  readonly lastSnapshot: Snapshot | null;

  /** The last connection error, when the watch was disconnected at the end. */
  readonly lastError: Error | null;

  /** `what` describes what was awaited (default "a matching snapshot"). */
  constructor(
    timeoutMs: number,
    lastSnapshot: Snapshot | null,
    options: { what?: string; lastError?: Error | null } = {},
  ) {
    const last = lastSnapshot ? `last version ${lastSnapshot.version}` : "no snapshot received";
    const error = options.lastError ? `; ${options.lastError.message}` : "";
    const what = options.what ?? "a matching snapshot";
    super(
      oneLine(`timed out after ${timeoutMs} ms waiting for ${what} (${last}${error})`),
      options.lastError ? { cause: options.lastError } : undefined,
    );
    this.timeoutMs = timeoutMs;
    this.lastSnapshot = lastSnapshot;
    this.lastError = options.lastError ?? null;
  }
}

/** Collapses whitespace and clips, so a message is always one readable line. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A human reason for a failed fetch, from the error chain of Deno, Node (undici) or browsers. */
export function networkReason(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if (e instanceof Error || (typeof e === "object" && e !== null)) {
      const o = e as { message?: unknown; code?: unknown; cause?: unknown };
      parts.push(`${String(o.code ?? "")} ${String(o.message ?? "")}`);
      e = o.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  const text = parts.join(" ");
  if (/ECONNREFUSED|connection refused/i.test(text)) return "connection refused";
  if (/ENOTFOUND|EAI_AGAIN|dns error|failed to lookup|name or service not known/i.test(text)) {
    return "host name not found";
  }
  if (
    /ECONNRESET|connection reset|broken pipe|EPIPE|socket hang up|other side closed/i.test(text)
  ) {
    return "connection reset";
  }
  if (/EHOSTUNREACH|ENETUNREACH|unreachable/i.test(text)) return "host unreachable";
  if (/certificate|tls|ssl/i.test(text)) return "TLS handshake failed";
  if (/port \d+ .*blocked|bad port/i.test(text)) return "port blocked by fetch (bad port)";
  const first = err instanceof Error ? err.message : String(err);
  return `network error: ${oneLine(first, 120)}`;
}

/** The URL without userinfo, query or trailing slash, safe for messages. */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function statusLabel(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : String(status);
}
