/**
 * One-shot reads of pgactive-server for `lag`, `check`, `status` and `conflicts`: fetch with a
 * deadline, the SDK's own errors (ServerUnavailableError, HttpError, SnapshotFormatError) and a
 * structural check of what the commands read. The SDK validates with zod, which costs more
 * start-up than the whole request; `watch` and `wait` still use the SDK (imported lazily).
 *
 * Two zod-free files are imported directly instead of their folder's mod.ts (whose graph loads
 * zod): lib/sdk/errors.ts and lib/snapshot/types.ts. Both import no code at run time;
 * tests/cli/startup_test.ts pins that nothing else of lib/sdk or lib/snapshot's schema loads.
 */
import {
  HttpError,
  networkReason,
  oneLine,
  safeUrl,
  ServerUnavailableError,
  SnapshotFormatError,
} from "../sdk/errors.ts";
import { type ConflictRecord, LAG_METHODS, type Snapshot, STATUSES } from "../snapshot/types.ts";
import { httpGet } from "./http_get.ts";

export { HttpError, ServerUnavailableError, SnapshotFormatError };

/** Where and how to ask. */
export interface ServerTarget {
  /** Base URL without credentials. */
  base: URL;
  /** The URL as shown in messages. */
  display: string;
  token: string | null;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Plain http:// with no custom fetch and no proxy: one GET over TCP (./http_get.ts). */
  raw: boolean;
}

/** The target of `url` (credentials dropped, as the SDK does). */
export function serverTarget(
  url: string,
  options: {
    token: string | null;
    timeoutMs: number;
    fetch?: typeof fetch | undefined;
    /** An HTTP(S)_PROXY / ALL_PROXY is set: fetch honours it, the raw GET would not. */
    proxy?: boolean;
  },
): ServerTarget {
  const base = new URL(url);
  base.username = "";
  base.password = "";
  base.search = "";
  base.hash = "";
  return {
    base,
    display: safeUrl(base),
    token: options.token,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    raw: base.protocol === "http:" && options.fetch === undefined && !options.proxy,
  };
}

/** GET `path` and parse the JSON body, all within the deadline. */
export async function getJson(
  target: ServerTarget,
  path: string,
  options: {
    query?: Record<string, string | undefined>;
    signal?: AbortSignal | undefined;
    /** Sees the answer's headers (a 2xx answer's, before its body is parsed). */
    onHeaders?: (header: (name: string) => string | null) => void;
  } = {},
): Promise<unknown> {
  const url = new URL(target.base.pathname.replace(/\/$/, "") + path, target.base);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.token !== null) headers.authorization = `Bearer ${target.token}`;
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(new Error("deadline"));
  }, target.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  let text: string;
  let status: number;
  let header: (name: string) => string | null;
  try {
    if (target.raw) ({ status, text, header } = await httpGet(url, headers, signal));
    else {
      const response = await target.fetch(url, { headers, signal });
      status = response.status;
      text = await response.text();
      header = (name) => response.headers.get(name);
    }
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    const reason = timedOut ? `timed out after ${target.timeoutMs} ms` : networkReason(err);
    throw new ServerUnavailableError(target.display, reason, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  if (status < 200 || status > 299) {
    throw new HttpError(target.display, path, status, errorText(text));
  }
  options.onHeaders?.(header);
  try {
    return JSON.parse(text);
  } catch (err) {
    const flat = oneLine(text, 40);
    const excerpt = flat === "" ? "empty body" : `starts with ${JSON.stringify(flat)}`;
    throw new SnapshotFormatError(`${path.slice(1)} response`, [`not valid JSON (${excerpt})`], {
      cause: err,
    });
  }
}

const STATUS_NAMES: readonly string[] = STATUSES;
const METHOD_NAMES: readonly string[] = LAG_METHODS;
/** Fields added after the first release: absent in older snapshots, null then (as the schema). */
const LINK_LATE = ["caught_up", "confirmed_lsn", "unconfirmed_bytes", "apply_paused"] as const;

/**
 * Checks the fields the commands read (types, statuses, lag methods) and fills the late fields
 * with null, as lib/snapshot's schema does; throws SnapshotFormatError naming up to 3 paths.
 */
export function checkSnapshot(value: unknown): Snapshot {
  const problems: string[] = [];
  const want = (ok: boolean, path: string, what: string) => {
    if (!ok) problems.push(`${path}: expected ${what}`);
  };
  const s = value as Record<string, unknown>;
  if (!isObject(s)) throw new SnapshotFormatError("snapshot", ["(root): expected object"]);
  want(Number.isInteger(s.version) && (s.version as number) >= 0, "version", "a version number");
  want(typeof s.collected_at === "string", "collected_at", "a timestamp");
  want(STATUS_NAMES.includes(s.status as string), "status", "a status");
  want(isObject(s.cluster), "cluster", "object");
  if (isObject(s.nodes)) {
    for (const [name, raw] of Object.entries(s.nodes)) {
      const n = raw as Record<string, unknown>;
      if (!isObject(n)) {
        problems.push(`nodes.${name}: expected object`);
        continue;
      }
      want(typeof n.name === "string", `nodes.${name}.name`, "string");
      want(STATUS_NAMES.includes(n.status as string), `nodes.${name}.status`, "a status");
      want(Array.isArray(n.reasons), `nodes.${name}.reasons`, "array");
      want(isObject(n.metrics), `nodes.${name}.metrics`, "object");
      if (isObject(n.metrics) && n.metrics.wal_lsn === undefined) n.metrics.wal_lsn = null;
    }
  } else problems.push("nodes: expected object");
  if (Array.isArray(s.links)) {
    s.links.forEach((raw: unknown, i: number) => {
      const l = raw as Record<string, unknown>;
      if (!isObject(l)) {
        problems.push(`links.${i}: expected object`);
        return;
      }
      want(typeof l.from === "string" && typeof l.to === "string", `links.${i}`, "from and to");
      want(METHOD_NAMES.includes(l.lag_method as string), `links.${i}.lag_method`, "a lag method");
      for (const key of LINK_LATE) if (l[key] === undefined) l[key] = null;
    });
  } else problems.push("links: expected array");
  if (problems.length > 0) throw new SnapshotFormatError("snapshot", problems);
  return s as unknown as Snapshot;
}

/** The rows of a /conflicts answer (array, or `{conflicts: [...]}`), checked shallowly. */
export function checkConflicts(value: unknown): ConflictRecord[] {
  const rows = Array.isArray(value) ? value : (value as { conflicts?: unknown })?.conflicts;
  if (!Array.isArray(rows)) {
    throw new SnapshotFormatError("conflicts response", ["conflicts: expected an array"]);
  }
  rows.forEach((r: Record<string, unknown>, i) => {
    if (!isObject(r) || typeof r.node !== "string" || typeof r.local_conflict_time !== "string") {
      throw new SnapshotFormatError(`conflicts[${i}]`, ["expected a conflict record"]);
    }
  });
  return rows as ConflictRecord[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === "string") return oneLine(parsed.error, 200);
  } catch {
    // not JSON: an excerpt
  }
  return oneLine(body, 120);
}
