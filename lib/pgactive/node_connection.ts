/**
 * One persistent connection per node (postgres.js, max 1) and the probe over it: capabilities
 * once per connection, then one prepared statement per cycle, under a hard deadline. A hung node
 * is cut off at the deadline (socket destroyed) and reconnected on a later cycle, with backoff.
 * While an unreachable node backs off, each probe only pings it (an SSLRequest, see ping.ts): the
 * cycle it answers again, the full probe runs at once, so a node that comes back is seen within
 * one interval without full connection attempts against a dead one.
 *
 * Connecting is not the probe (issue 13): the first connection (TCP, authentication,
 * capabilities) is set up in the background under its own deadline (connectTimeoutMs, default
 * max(10 s, probe timeout)). A probe waits for it only as long as its own deadline allows; while
 * it is still being set up the probe throws NodeConnectingError (the collector reports the node
 * UNKNOWN, not DOWN), and the setup goes on into the next cycle instead of being thrown away.
 * Only when the connect deadline passes (or the connect fails) is the node DOWN. From then on,
 * reconnects are the returning-node path above: within the probe deadline, backoff and pings.
 */
import { type Capabilities, CAPABILITIES_SQL, decodeCapabilitiesRow } from "./capabilities.ts";
import { CONFLICT_BATCH } from "./conflict_rows.ts";
import { COMMIT_VISIBILITY_MARGIN_MS } from "./local_commits.ts";
import { buildConnectSql, decodeConnectDocument } from "./connect_query.ts";
import { openDriver, type Sql } from "./driver.ts";
import { parseDsn } from "./dsn.ts";
import { classifyError, isConnectionLost, NodeProbeError } from "./errors.ts";
import type { RawRow } from "./fields.ts";
import { buildProbeSql, decodeProbeDocument, type ProbeData } from "./probe_query.ts";
import { nodeKey } from "./slot_name.ts";
import { pingPostgres, type PingTarget } from "./ping.ts";
import { SocketPool } from "./socket_pool.ts";
import {
  NodeConnectingError,
  type NodeConnectionOptions,
  type NodeProbeResult,
} from "./connection_types.ts";

export { NodeConnectingError } from "./connection_types.ts";
export type { NodeConnectionOptions, NodeProbeResult } from "./connection_types.ts";

/** Where the next local-commit scan starts (from the previous successful probe). */
interface CommitScan {
  readonly fromXid: bigint;
  readonly afterMs: number;
}

/** Failures after which a ping, not a backoff, decides whether to probe: the node is away. */
const PINGABLE = new Set([
  "CONNECT_REFUSED",
  "CONNECT_TIMEOUT",
  "PROBE_TIMEOUT",
  "CONNECTION_LOST",
]);

/** Workers are read on the first probe of a connection and every this many probes after. */
const WORKERS_EVERY = 10;

/** Per-probe bookkeeping: statements sent, and whether the deadline already fired. */
interface ProbeState {
  statements: number;
  expired: boolean;
}

/** A monitored node's connection. */
export class NodeConnection {
  readonly name: string;
  #dsn: string;
  #opts: Required<Omit<NodeConnectionOptions, "secrets">>;
  #secrets: string[];
  #sql: Sql | null = null;
  #sockets: SocketPool | null = null;
  #caps: Capabilities | null = null;
  #probeSql = "";
  #probeSqlLight = "";
  #probes = 0;
  #libraryVersion: string | null = null;
  #catalog: { asOfId: number; counts: Map<string, number>; totals: Map<string, number> } | null =
    null;
  #failures = 0;
  #retryAt = 0;
  #lastError: NodeProbeError | null = null;
  #statementsTotal = 0;
  #ending = new Set<Promise<void>>();
  #scan: CommitScan | null = null;
  #target: PingTarget | null = null;
  #pings = 0;
  /** The connection being set up in the background (null: none), and since when. */
  #connecting: Promise<void> | null = null;
  #connectStarted = 0;
  #cancelConnect: (() => void) | null = null;

  constructor(name: string, dsn: string, options: NodeConnectionOptions) {
    this.name = name;
    this.#dsn = dsn;
    this.#opts = {
      timeoutMs: options.timeoutMs,
      backoffBaseMs: options.backoffBaseMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.max(10_000, options.timeoutMs),
      now: options.now ?? Date.now,
    };
    let own: string | null = null;
    try {
      own = parseDsn(dsn).password;
    } catch { /* reported at connect time */ }
    this.#secrets = [...(options.secrets ?? []), ...(own ? [own] : [])];
  }

  /** Pings sent while backing off (tests count them). */
  get pingsSent(): number {
    return this.#pings;
  }

  /** Statements sent over this connection's lifetime (benchmarks count round trips with it). */
  get statementsSent(): number {
    return this.#statementsTotal;
  }

  /** Probes the node within the deadline; throws a redacted NodeProbeError. */
  async probe(opts: { conflictHighWater?: number } = {}): Promise<NodeProbeResult> {
    const now = this.#opts.now();
    const started = performance.now();
    const timeoutMs = this.#opts.timeoutMs;
    if (this.#lastError && now < this.#retryAt) await this.#ping(this.#lastError, timeoutMs);
    // A first connection (no failure seen) is set up in the background under its own deadline;
    // after a failure, reconnects stay within the probe deadline (backoff and pings decide).
    if (this.#caps === null && this.#lastError === null) {
      const wait = Math.max(1, timeoutMs - (performance.now() - started));
      if (!(await this.#connected(wait))) {
        throw new NodeConnectingError(
          this.name,
          performance.now() - this.#connectStarted,
          this.#opts.connectTimeoutMs,
        );
      }
    }
    // One deadline for the ping, the wait for the connection and the probe together.
    const remaining = Math.max(1, timeoutMs - (performance.now() - started));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const state: ProbeState = { statements: 0, expired: false };
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        state.expired = true;
        reject(new NodeProbeError(this.name, "PROBE_TIMEOUT", `no answer within ${timeoutMs} ms`));
      }, remaining);
    });
    const scan = this.#scan;
    const work = this.#attempt(opts.conflictHighWater ?? 0, scan, state);
    work.catch(() => {}); // settled later when the deadline wins
    try {
      const data = await Promise.race([work, deadline]);
      this.#failures = 0;
      this.#lastError = null;
      // Only a probe whose result is used moves the scan on: nothing is skipped in between.
      this.#scan = {
        fromXid: data.xmin,
        afterMs: data.serverNowMs - COMMIT_VISIBILITY_MARGIN_MS,
      };
      return {
        data,
        capabilities: this.#caps!,
        probeMs: performance.now() - started,
        catalogConflicts: this.#catalog ? new Map(this.#catalog.counts) : null,
        historyConflicts: this.#catalog ? new Map(this.#catalog.totals) : null,
        statements: state.statements,
        localCommitsAfterMs: data.localCommits === null
          ? null
          : data.localCommits.sinceMs ?? scan?.afterMs ?? null,
      };
    } catch (e) {
      throw this.#failed(e, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The redacted error of a failed probe or connect, with the bookkeeping: a query/decode error on
   * a healthy connection is retried next cycle as is; anything else leaves the connection in
   * doubt: drop it and reconnect with backoff (1st retry at once).
   */
  #failed(e: unknown, connectTimeoutMs: number): NodeProbeError {
    const err = classifyError(this.name, e, { secrets: this.#secrets, connectTimeoutMs });
    if (err.code === "QUERY_FAILED" || err.code === "DECODE_FAILED") {
      this.#failures = 0;
      this.#lastError = null;
      return err;
    }
    this.#discard();
    this.#failures++;
    this.#lastError = err;
    const delay = this.#failures <= 1
      ? 0
      : Math.min(this.#opts.backoffBaseMs * 2 ** (this.#failures - 2), this.#opts.backoffMaxMs);
    this.#retryAt = this.#opts.now() + delay;
    return err;
  }

  /**
   * Whether a connection is ready within `waitMs`: starts setting one up in the background (own
   * deadline) unless one is under way; a failed setup rejects with the redacted error.
   */
  async #connected(waitMs: number): Promise<boolean> {
    if (this.#connecting === null) {
      this.#connecting = this.#connect();
      this.#connecting.catch(() => {}); // the waiting probe, if any, reports it
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), waitMs));
    try {
      return await Promise.race([this.#connecting.then(() => true), later]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Connects and reads the capabilities under the connect deadline; settles #connecting. */
  async #connect(): Promise<void> {
    this.#connectStarted = performance.now();
    const deadlineMs = this.#opts.connectTimeoutMs;
    const state: ProbeState = { statements: 0, expired: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const expire = (err: NodeProbeError) => {
        state.expired = true;
        reject(err);
      };
      timer = setTimeout(
        () =>
          expire(
            new NodeProbeError(
              this.name,
              "CONNECT_TIMEOUT",
              `no connection within ${deadlineMs} ms`,
            ),
          ),
        deadlineMs,
      );
      this.#cancelConnect = () =>
        expire(
          new NodeProbeError(this.name, "CONNECTION_LOST", "connection closed while connecting"),
        );
    });
    const work = this.#setup(this.#connection(deadlineMs), state);
    work.catch(() => {}); // settled later when the deadline wins
    try {
      await Promise.race([work, deadline]);
    } catch (e) {
      throw this.#failed(e, deadlineMs);
    } finally {
      clearTimeout(timer);
      this.#connecting = null;
      this.#cancelConnect = null;
    }
  }

  /** Backing off: throws unless the node answers a ping (then the full probe runs now). */
  async #ping(lastError: NodeProbeError, timeoutMs: number): Promise<void> {
    if (this.#target === null || !PINGABLE.has(lastError.code)) throw lastError;
    this.#pings++;
    try {
      await pingPostgres(this.#target, timeoutMs);
    } catch (e) {
      // Still away: report how it is away now (hung, refused...), keep the backoff schedule.
      const err = classifyError(this.name, e, {
        secrets: this.#secrets,
        connectTimeoutMs: timeoutMs,
      });
      this.#lastError = err;
      throw err;
    }
  }

  async #attempt(
    highWater: number,
    scan: CommitScan | null,
    state: ProbeState,
  ): Promise<ProbeData> {
    try {
      return await this.#run(highWater, scan, state);
    } catch (e) {
      // After a server restart the first query fails once (57P01 / CONNECTION_CLOSED): retry
      // immediately on a fresh connection, within the same deadline.
      if (!isConnectionLost(e) || state.expired) throw e;
      this.#discard();
      return await this.#run(highWater, scan, state);
    }
  }

  /** A statement sender over `sql` that counts statements and stops once `state` expired. */
  #sender(sql: Sql, state: ProbeState) {
    return async (text: string, params: (string | number)[] = [], prepare = false) => {
      if (state.expired) throw new Error("probe deadline passed");
      state.statements++;
      this.#statementsTotal++;
      return await sql.unsafe(text, params, { prepare }) as unknown as RawRow[];
    };
  }

  async #run(highWater: number, scan: CommitScan | null, state: ProbeState): Promise<ProbeData> {
    const sql = this.#connection(this.#opts.timeoutMs);
    const send = this.#sender(sql, state);
    if (this.#caps === null) await this.#setup(sql, state);
    const caps = this.#caps!;
    const shape = { workers: this.#probes++ % WORKERS_EVERY === 0 };
    const text = shape.workers ? this.#probeSql : this.#probeSqlLight;
    // Prepared (named, per connection): after the first probe of each shape a cycle is one
    // Bind/Execute/Sync round trip and the server reuses its plan. Unprepared, a statement with
    // parameters costs postgres.js two round trips (Parse/Describe first) plus a parse and plan.
    const result = await send(text, [
      String(highWater),
      CONFLICT_BATCH,
      scan ? String(scan.fromXid) : "-1",
      new Date(scan?.afterMs ?? 0).toISOString(),
    ], true);
    const doc = result[0]?.["probe"];
    if (doc === null || typeof doc !== "object") {
      throw new TypeError("probe: expected a json object");
    }
    const decoded = decodeProbeDocument(doc as RawRow, caps, shape);
    const data = { ...decoded, libraryVersion: this.#libraryVersion ?? decoded.libraryVersion };
    this.#countCatalogConflicts(data);
    return data;
  }

  /** Capabilities and once-per-connection facts, on a new connection. */
  async #setup(sql: Sql, state: ProbeState): Promise<void> {
    const send = this.#sender(sql, state);
    const caps = decodeCapabilitiesRow((await send(CAPABILITIES_SQL))[0] ?? {});
    if (!caps.isPgactive) {
      throw new NodeProbeError(
        this.name,
        "NOT_PGACTIVE",
        `schema pgactive not found in database "${caps.database}"`,
      );
    }
    const connectSql = buildConnectSql(caps);
    const facts = decodeConnectDocument(
      connectSql ? ((await send(connectSql))[0]?.["doc"] as RawRow | undefined) ?? null : null,
    );
    // A connection dropped meanwhile (deadline, close) must not install its state.
    if (this.#sql !== sql) throw new Error("connection closed while connecting");
    this.#probeSql = buildProbeSql(caps);
    this.#probeSqlLight = buildProbeSql(caps, { workers: false });
    this.#probes = 0;
    this.#libraryVersion = facts.libraryVersion;
    const cat = facts.catalogConflicts;
    this.#catalog = cat && {
      asOfId: cat.asOfId,
      counts: new Map(cat.perOrigin.map((p) => [nodeKey(p.origin), p.count])),
      totals: new Map(cat.perOrigin.map((p) => [nodeKey(p.origin), p.total])),
    };
    this.#caps = caps;
  }

  #countCatalogConflicts(data: ProbeData): void {
    const cat = this.#catalog;
    if (!cat || !data.conflicts) return;
    for (const c of data.conflicts) {
      if (c.conflictId <= cat.asOfId) continue;
      cat.asOfId = c.conflictId;
      if (c.remote === null) continue;
      const key = nodeKey(c.remote);
      cat.totals.set(key, (cat.totals.get(key) ?? 0) + 1);
      if (c.objectSchema === "pgactive") cat.counts.set(key, (cat.counts.get(key) ?? 0) + 1);
    }
  }

  /** The connection, created with `connectTimeoutMs` for the driver's connect if there is none. */
  #connection(connectTimeoutMs: number): Sql {
    if (this.#sql) return this.#sql;
    const sockets = new SocketPool((target) => this.#target = target);
    const sql: Sql = openDriver(this.#dsn, sockets, {
      statementTimeoutMs: this.#opts.timeoutMs,
      connectTimeoutMs,
      // A closed connection (server restart, max_lifetime) re-detects capabilities on reconnect;
      // only this instance's close counts, not a discarded one's.
      onClose: () => {
        if (this.#sql === sql) this.#caps = null;
      },
    });
    this.#sql = sql;
    this.#sockets = sockets;
    return sql;
  }

  /** Drops the connection at once (hung or broken); the next probe reconnects. */
  #discard(): void {
    const sql = this.#sql;
    const sockets = this.#sockets;
    this.#sql = null;
    this.#sockets = null;
    this.#caps = null;
    if (!sql) return;
    const p: Promise<void> = sql.end({ timeout: 0 }).catch(() => {}).finally(() => {
      sockets?.destroyAll();
      this.#ending.delete(p);
    });
    this.#ending.add(p);
  }

  /** Closes the connection, waiting at most `timeoutMs` for a clean goodbye. */
  async close(timeoutMs = 1000): Promise<void> {
    this.#cancelConnect?.();
    const sql = this.#sql;
    const sockets = this.#sockets;
    this.#sql = null;
    this.#sockets = null;
    this.#caps = null;
    if (sql) await sql.end({ timeout: timeoutMs / 1000 }).catch(() => {});
    sockets?.destroyAll();
    await Promise.all(this.#ending);
  }
}
