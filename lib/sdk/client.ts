/** The HTTP client of pgactive-server: typed, validated reads, a resuming watch and waitFor. */
import {
  type ConflictRecord,
  ConflictRecordSchema,
  type Snapshot,
  SnapshotSchema,
} from "../snapshot/mod.ts";
import { safeUrl, SnapshotFormatError } from "./errors.ts";
import { checkTimeout, type RequestContext, requestText } from "./request.ts";
import { validate } from "./validate.ts";
import { type WatchOptions, watchSnapshots } from "./watch.ts";
import { type WaitForOptions, waitForSnapshot } from "./wait.ts";
import { CaughtUpBarrier, type CaughtUpOptions } from "./barrier.ts";

/** A minimal structured logger (lib/telemetry's Logger fits). */
export interface SdkLogger {
  /** Reconnections and other details. */
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Problems the SDK recovered from. */
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link Client}. */
export interface ClientOptions {
  /** Bearer token for a server with `server.auth_token` set. */
  token?: string | null | undefined;
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Where reconnection details go (default: nowhere). */
  logger?: SdkLogger;
  /** Deadline of one request, and of connecting a watch (default 10 s). */
  timeoutMs?: number;
}

/** Query of {@link Client.getConflicts}. */
export interface ConflictQuery {
  /** Only conflicts at or after this time (Date, epoch ms or ISO 8601 text). */
  since?: Date | number | string | undefined;
  /** Only conflicts detected on this node. */
  node?: string | undefined;
  /** At most this many rows (server caps at 10,000). */
  limit?: number | undefined;
  /** Cancels the request. */
  signal?: AbortSignal | undefined;
}

/** The server's own liveness (GET /health); cluster health is in the snapshot. */
export interface ServerHealth {
  /** "ok", "starting" (no cycle yet) or "stale" (cycles late). */
  status: string;
  /** Version of the latest snapshot (null before the first cycle). */
  version: number | null;
  /** Seconds since the latest snapshot was published. */
  last_cycle_age_seconds: number | null;
  /** Why the server is stale, else null. */
  error: string | null;
  /** Further fields of the report (uptime, watchers, cycles...). */
  [field: string]: unknown;
}

const quiet: SdkLogger = { debug() {}, warn() {} };

/**
 * Client of one pgactive-server; stateless, safe to share.
 *
 * @example
 * ```ts
 * import { Client } from "./mod.ts";
 * const canned = {
 *   version: 7, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {}, links: [],
 *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 3 },
 * };
 * // A custom fetch stands in for a running server here; omit it to use the global fetch.
 * const client = new Client("http://127.0.0.1:8080", {
 *   fetch: () => Promise.resolve(Response.json(canned)),
 * });
 * const snapshot = await client.getSnapshot();
 * if (snapshot.version !== 7 || snapshot.status !== "HEALTHY") throw new Error("unexpected");
 * ```
 */
export class Client {
  #ctx: RequestContext;
  #timeoutMs: number;
  #logger: SdkLogger;

  /** A client of the server at `baseUrl` (credentials in the URL are dropped). */
  constructor(baseUrl: string | URL, options: ClientOptions = {}) {
    const base = new URL(baseUrl);
    base.username = "";
    base.password = "";
    base.search = "";
    base.hash = "";
    this.#ctx = {
      base,
      display: safeUrl(base),
      token: options.token ?? null,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    };
    this.#timeoutMs = checkTimeout("timeoutMs", options.timeoutMs ?? 10_000);
    this.#logger = options.logger ?? quiet;
  }

  /** The server's base URL as shown in messages (no credentials). */
  get url(): string {
    return this.#ctx.display;
  }

  /** The latest snapshot, validated against SnapshotSchema. */
  async getSnapshot(options: { signal?: AbortSignal | undefined } = {}): Promise<Snapshot> {
    const { text } = await requestText(this.#ctx, "/snapshot", {
      signal: options.signal,
      timeoutMs: this.#timeoutMs,
    });
    return validate(text, SnapshotSchema, "snapshot") as Snapshot;
  }

  /** Stored conflicts, oldest first (the newest `limit` rows when more match), no row images. */
  async getConflicts(query: ConflictQuery = {}): Promise<ConflictRecord[]> {
    const since = query.since instanceof Date
      ? query.since.toISOString()
      : query.since === undefined
      ? undefined
      : String(query.since);
    const { text } = await requestText(this.#ctx, "/conflicts", {
      signal: query.signal,
      timeoutMs: this.#timeoutMs,
      query: {
        since,
        node: query.node,
        limit: query.limit === undefined ? undefined : String(query.limit),
      },
    });
    const body = validate(text, null, "conflicts response");
    const rows = Array.isArray(body) ? body : (body as { conflicts?: unknown })?.conflicts;
    if (!Array.isArray(rows)) {
      throw new SnapshotFormatError("conflicts response", ["conflicts: expected an array"]);
    }
    return rows.map((row, i) => validate(row, ConflictRecordSchema, `conflicts[${i}]`));
  }

  /** The server's liveness report; a stale server (503) still resolves, with status "stale". */
  async health(options: { signal?: AbortSignal | undefined } = {}): Promise<ServerHealth> {
    const { text } = await requestText(this.#ctx, "/health", {
      signal: options.signal,
      timeoutMs: this.#timeoutMs,
      accept: [503],
    });
    const body = validate(text, null, "health response") as ServerHealth;
    if (typeof body?.status !== "string") {
      throw new SnapshotFormatError("health response", ["status: expected a string"]);
    }
    return body;
  }

  /**
   * Every new snapshot version, in increasing order, reconnecting with backoff and resuming with
   * Last-Event-ID. Ends when `signal` aborts or the consumer stops iterating.
   *
   * @example
   * ```ts
   * import { Client } from "./mod.ts";
   * const snap = (version: number) => JSON.stringify({
   *   version, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {}, links: [],
   *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 3 },
   * });
   * const body = `: hello\n\nid: 1\nevent: snapshot\ndata: ${snap(1)}\n\nid: 2\nevent: snapshot\ndata: ${snap(2)}\n\n`;
   * const client = new Client("http://127.0.0.1:8080", {
   *   fetch: () => Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
   * });
   * const seen: number[] = [];
   * for await (const snapshot of client.watchSnapshots()) {
   *   seen.push(snapshot.version);
   *   if (snapshot.version === 2) break; // or pass { signal } and abort it
   * }
   * if (seen.join() !== "1,2") throw new Error(`unexpected ${seen}`);
   * ```
   */
  watchSnapshots(options: WatchOptions = {}): AsyncGenerator<Snapshot, void, undefined> {
    return watchSnapshots(this.#ctx, {
      connectTimeoutMs: this.#timeoutMs,
      logger: this.#logger,
      ...options,
    });
  }

  /**
   * The first snapshot (current or future) matching `predicate`; TimeoutError after `timeout` ms.
   *
   * @example
   * ```ts
   * import { caughtUp, Client, TimeoutError } from "./mod.ts";
   * const snap = JSON.stringify({
   *   version: 3, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {},
   *   links: [{ from: "node1", to: "node2", active: true, lag_seconds: 4, lag_bytes: 96,
   *     lag_xid: 2, pending_send_bytes: 0, retained_wal_bytes: 0, sent_lsn: null,
   *     write_lsn: null, flush_lsn: null, replay_lsn: null, catch_up_seconds: null,
   *     conflicts: 0, apply_errors: 0, lag_method: "last_applied_commit", wal_status: "reserved" }],
   *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 3 },
   * });
   * const client = new Client("http://127.0.0.1:8080", {
   *   fetch: () =>
   *     Promise.resolve(
   *       new Response(`id: 3\nevent: snapshot\ndata: ${snap}\n\n`, {
   *         headers: { "content-type": "text/event-stream" },
   *       }),
   *     ),
   * });
   * try {
   *   await client.waitFor((s) => caughtUp(s, { maxLagSeconds: 1 }).caughtUp, { timeout: 200 });
   * } catch (err) {
   *   if (!(err instanceof TimeoutError) || err.lastSnapshot?.version !== 3) throw err;
   * }
   * ```
   */
  waitFor(
    predicate: (snapshot: Snapshot) => boolean,
    options: WaitForOptions = {},
  ): Promise<Snapshot> {
    return waitForSnapshot(this, predicate, options);
  }

  /**
   * Waits until every node has applied everything committed on any node before this call (or
   * before `options.barrier`): the barrier positions come from the first snapshot collected
   * after the call began, so on an idle mesh it returns within about two collector intervals.
   * Resolves with the snapshot that satisfied it; TimeoutError after `timeout` ms.
   */
  waitForCaughtUp(options: CaughtUpOptions & WaitForOptions = {}): Promise<Snapshot> {
    const barrier = new CaughtUpBarrier(options);
    return waitForSnapshot(this, (s) => barrier.check(s).caughtUp, options);
  }
}
