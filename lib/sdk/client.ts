/** The HTTP client of pgactive-server: typed, validated reads, a resuming watch and waitFor. */
import {
  type ConflictRecord,
  ConflictRecordSchema,
  type Snapshot,
  SnapshotSchema,
} from "../snapshot/mod.ts";
import { safeUrl, SnapshotFormatError } from "./errors.ts";
import { type RequestContext, requestText } from "./request.ts";
import { validate } from "./validate.ts";
import { type WatchOptions, watchSnapshots } from "./watch.ts";
import { waitForSnapshot, type WaitForOptions } from "./wait.ts";

/** A minimal structured logger (lib/telemetry's Logger fits). */
export interface SdkLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link Client}. */
export interface ClientOptions {
  /** Bearer token for a server with `server.auth_token` set. */
  token?: string | null | undefined;
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
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
  signal?: AbortSignal | undefined;
}

/** The server's own liveness (GET /health); cluster health is in the snapshot. */
export interface ServerHealth {
  /** "ok", "starting" (no cycle yet) or "stale" (cycles late). */
  status: string;
  version: number | null;
  last_cycle_age_seconds: number | null;
  error: string | null;
  [field: string]: unknown;
}

const quiet: SdkLogger = { debug() {}, warn() {} };

/** Client of one pgactive-server; stateless, safe to share. */
export class Client {
  #ctx: RequestContext;
  #timeoutMs: number;
  #logger: SdkLogger;

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
    this.#timeoutMs = options.timeoutMs ?? 10_000;
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

  /** Stored conflicts, newest first as the server orders them (no row images). */
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
   */
  watchSnapshots(options: WatchOptions = {}): AsyncGenerator<Snapshot, void, undefined> {
    return watchSnapshots(this.#ctx, {
      connectTimeoutMs: this.#timeoutMs,
      logger: this.#logger,
      ...options,
    });
  }

  /** The first snapshot (current or future) matching `predicate`; TimeoutError after `timeout` ms. */
  waitFor(
    predicate: (snapshot: Snapshot) => boolean,
    options: WaitForOptions = {},
  ): Promise<Snapshot> {
    return waitForSnapshot(this, predicate, options);
  }
}
