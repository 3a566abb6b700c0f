/**
 * NodeProbeError: why a node could not be probed, with a stable code. Messages never carry a
 * password: postgres.js errors keep hidden `query`/`parameters` fields and `sql.options` holds the
 * password, so only the message and code of the driver error are read, then redacted.
 */

/** Stable error codes of a failed probe. */
export type ProbeErrorCode =
  | "CONNECT_REFUSED"
  | "CONNECT_TIMEOUT"
  | "PROBE_TIMEOUT"
  | "CONNECTION_LOST"
  | "AUTH_FAILED"
  | "NOT_PGACTIVE"
  | "QUERY_FAILED"
  | "DECODE_FAILED";

/** A node probe failure; `cause` is a plain summary, never the driver error object. */
export class NodeProbeError extends Error {
  override name = "NodeProbeError";
  readonly code: ProbeErrorCode;
  readonly node: string;
  /** SQLSTATE or driver code of the underlying error, when any. */
  readonly detailCode: string | null;

  constructor(
    node: string,
    code: ProbeErrorCode,
    detail: string,
    options: { detailCode?: string | null; cause?: unknown } = {},
  ) {
    super(
      `${
        code === "NOT_PGACTIVE" || code === "QUERY_FAILED" || code === "DECODE_FAILED"
          ? "Cannot probe"
          : "Cannot reach"
      } node "${node}": ${detail}`,
      { cause: options.cause },
    );
    this.code = code;
    this.node = node;
    this.detailCode = options.detailCode ?? null;
  }
}

/** Replaces every secret (longer than 2 chars) in `text` with `****`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length > 2) out = out.split(s).join("****");
  return out;
}

function field(err: unknown, key: string): string | null {
  if (err === null || typeof err !== "object") return null;
  const v = (err as Record<string, unknown>)[key];
  return typeof v === "string" ? v : null;
}

/** Driver codes / SQLSTATEs that mean the connection is gone and a reconnect may help. */
const LOST = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
]);

/** True when the error means "the connection was lost, retry once on a fresh one". */
export function isConnectionLost(err: unknown): boolean {
  const code = field(err, "code");
  return code !== null && LOST.has(code);
}

/** Turns any driver error into a redacted NodeProbeError. */
export function classifyError(
  node: string,
  err: unknown,
  opts: { secrets: Iterable<string>; connectTimeoutMs: number },
): NodeProbeError {
  if (err instanceof NodeProbeError) return err;
  const code = field(err, "code");
  const raw = field(err, "message") ?? String(err);
  const message = redact(raw, opts.secrets);
  const summary = { name: field(err, "name") ?? "Error", code, message };
  const make = (c: ProbeErrorCode, detail: string) =>
    new NodeProbeError(node, c, detail, { detailCode: code, cause: summary });
  switch (code) {
    case "ECONNREFUSED":
      return make("CONNECT_REFUSED", "connection refused");
    case "CONNECT_TIMEOUT":
      return make("CONNECT_TIMEOUT", `no answer after ${opts.connectTimeoutMs} ms`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return make("CONNECT_REFUSED", `host not found (${message})`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return make("CONNECT_REFUSED", `host unreachable (${message})`);
    case "28P01":
    case "28000":
      return make("AUTH_FAILED", `authentication failed: ${message}`);
    case "3D000":
      return make("CONNECT_REFUSED", message);
    case "57014":
      return make("PROBE_TIMEOUT", `statement timeout: ${message}`);
  }
  if (code !== null && LOST.has(code)) {
    return make("CONNECTION_LOST", `connection lost: ${message}`);
  }
  if (err instanceof TypeError) return make("DECODE_FAILED", `unexpected probe result: ${message}`);
  return make(
    "QUERY_FAILED",
    code ? `query failed (${code}): ${message}` : `query failed: ${message}`,
  );
}
