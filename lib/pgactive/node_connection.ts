/**
 * One persistent connection per node (postgres.js, max 1) and the probe over it: capabilities
 * once per connection, then one statement per cycle, under a hard deadline. A hung node is cut
 * off at the deadline (socket destroyed) and reconnected on a later cycle, with backoff.
 */
import postgres from "postgres";
import { type Capabilities, CAPABILITIES_SQL, decodeCapabilitiesRow } from "./capabilities.ts";
import { CATALOG_CONFLICTS_SQL, CONFLICT_BATCH, decodeCatalogConflicts } from "./conflict_rows.ts";
import { parseDsn } from "./dsn.ts";
import { classifyError, isConnectionLost, NodeProbeError } from "./errors.ts";
import type { RawRow } from "./fields.ts";
import { buildProbeSql, decodeProbeDocument, type ProbeData } from "./probe_query.ts";
import { nodeKey } from "./slot_name.ts";

/** Options of a NodeConnection. */
export interface NodeConnectionOptions {
  /** Deadline of one probe (connect + queries), ms. */
  timeoutMs: number;
  /** Extra strings to redact from error messages (the DSN's own password is always redacted). */
  secrets?: Iterable<string>;
  /** Reconnect backoff after consecutive failures: base and cap in ms (default 1000 / 10000). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Clock (epoch ms), for the backoff. */
  now?: () => number;
}

/** The outcome of one successful probe. */
export interface NodeProbeResult {
  readonly data: ProbeData;
  readonly capabilities: Capabilities;
  /** Wall time of the probe, ms. */
  readonly probeMs: number;
  /** Join-time conflicts on schema pgactive per origin (nodeKey), when conflict_history is readable. */
  readonly catalogConflicts: ReadonlyMap<string, number> | null;
  /** Statements sent during this probe (1 on a warm connection). */
  readonly statements: number;
}

type Sql = ReturnType<typeof postgres>;

/** A monitored node's connection. */
export class NodeConnection {
  readonly name: string;
  #dsn: string;
  #opts: Required<Omit<NodeConnectionOptions, "secrets">>;
  #secrets: string[];
  #sql: Sql | null = null;
  #caps: Capabilities | null = null;
  #probeSql = "";
  #catalog: { asOfId: number; counts: Map<string, number> } | null = null;
  #failures = 0;
  #retryAt = 0;
  #lastError: NodeProbeError | null = null;
  #statementsTotal = 0;

  constructor(name: string, dsn: string, options: NodeConnectionOptions) {
    this.name = name;
    this.#dsn = dsn;
    this.#opts = {
      timeoutMs: options.timeoutMs,
      backoffBaseMs: options.backoffBaseMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
      now: options.now ?? Date.now,
    };
    let own: string | null = null;
    try {
      own = parseDsn(dsn).password;
    } catch { /* reported at connect time */ }
    this.#secrets = [...(options.secrets ?? []), ...(own ? [own] : [])];
  }

  /** Statements sent over this connection's lifetime (benchmarks count round trips with it). */
  get statementsSent(): number {
    return this.#statementsTotal;
  }

  /** Probes the node within the deadline; throws a redacted NodeProbeError. */
  async probe(opts: { conflictHighWater?: number } = {}): Promise<NodeProbeResult> {
    const now = this.#opts.now();
    if (this.#lastError && now < this.#retryAt) throw this.#lastError;
    const started = performance.now();
    const timeoutMs = this.#opts.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new NodeProbeError(this.name, "PROBE_TIMEOUT", `no answer within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
    });
    const state = { statements: 0 };
    const work = this.#attempt(opts.conflictHighWater ?? 0, state);
    work.catch(() => {}); // settled later when the deadline wins
    try {
      const data = await Promise.race([work, deadline]);
      this.#failures = 0;
      this.#lastError = null;
      return {
        data,
        capabilities: this.#caps!,
        probeMs: performance.now() - started,
        catalogConflicts: this.#catalog ? new Map(this.#catalog.counts) : null,
        statements: state.statements,
      };
    } catch (e) {
      const err = classifyError(this.name, e, {
        secrets: this.#secrets,
        connectTimeoutMs: timeoutMs,
      });
      // Anything but a plain query error leaves the connection in doubt: start afresh next time.
      if (err.code !== "QUERY_FAILED" && err.code !== "DECODE_FAILED") this.#discard();
      this.#failures++;
      this.#lastError = err;
      const delay = this.#failures <= 1
        ? 0
        : Math.min(this.#opts.backoffBaseMs * 2 ** (this.#failures - 2), this.#opts.backoffMaxMs);
      this.#retryAt = this.#opts.now() + delay;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async #attempt(highWater: number, state: { statements: number }): Promise<ProbeData> {
    try {
      return await this.#run(highWater, state);
    } catch (e) {
      // After a server restart the first query fails once (57P01 / CONNECTION_CLOSED): retry
      // immediately on a fresh connection, within the same deadline.
      if (!isConnectionLost(e)) throw e;
      this.#caps = null;
      return await this.#run(highWater, state);
    }
  }

  async #run(highWater: number, state: { statements: number }): Promise<ProbeData> {
    const sql = this.#connection();
    const send = async (text: string, params: (string | number)[] = []) => {
      state.statements++;
      this.#statementsTotal++;
      return await sql.unsafe(text, params) as unknown as RawRow[];
    };
    if (this.#caps === null) {
      const caps = decodeCapabilitiesRow((await send(CAPABILITIES_SQL))[0] ?? {});
      if (!caps.isPgactive) {
        throw new NodeProbeError(
          this.name,
          "NOT_PGACTIVE",
          `schema pgactive not found in database "${caps.database}"`,
        );
      }
      this.#probeSql = buildProbeSql(caps);
      this.#catalog = null;
      if (caps.readable.has("conflict_history")) {
        const cat = decodeCatalogConflicts((await send(CATALOG_CONFLICTS_SQL))[0] ?? {});
        this.#catalog = {
          asOfId: cat.asOfId,
          counts: new Map(cat.perOrigin.map((p) => [nodeKey(p.origin), p.count])),
        };
      }
      this.#caps = caps;
    }
    const caps = this.#caps;
    const result = await send(this.#probeSql, [String(highWater), CONFLICT_BATCH]);
    const doc = result[0]?.["probe"];
    if (doc === null || typeof doc !== "object") {
      throw new TypeError("probe: expected a json object");
    }
    const data = decodeProbeDocument(doc as RawRow, caps);
    this.#countCatalogConflicts(data);
    return data;
  }

  #countCatalogConflicts(data: ProbeData): void {
    if (!this.#catalog || !data.conflicts) return;
    for (const c of data.conflicts) {
      if (c.conflictId <= this.#catalog.asOfId) continue;
      this.#catalog.asOfId = c.conflictId;
      if (c.objectSchema !== "pgactive" || c.remote === null) continue;
      const key = nodeKey(c.remote);
      this.#catalog.counts.set(key, (this.#catalog.counts.get(key) ?? 0) + 1);
    }
  }

  #connection(): Sql {
    if (this.#sql) return this.#sql;
    const parsed = parseDsn(this.#dsn);
    const timeoutMs = this.#opts.timeoutMs;
    const options = {
      max: 1,
      prepare: false,
      fetch_types: false,
      idle_timeout: null,
      max_lifetime: null,
      connect_timeout: Math.max(timeoutMs / 1000, 0.05),
      onnotice: () => {},
      onclose: () => {
        this.#caps = null;
      },
      connection: {
        application_name: "pgactive-tools",
        statement_timeout: Math.max(Math.floor(timeoutMs), 1),
      },
    };
    // deno-lint-ignore no-explicit-any
    const sql = parsed.url ? postgres(parsed.url, options as any) : postgres({
      ...parsed.options,
      ...options,
      // deno-lint-ignore no-explicit-any
    } as any);
    this.#sql = sql;
    return sql;
  }

  /** Drops the connection at once (hung or broken); the next probe reconnects. */
  #discard(): void {
    const sql = this.#sql;
    this.#sql = null;
    this.#caps = null;
    if (sql) sql.end({ timeout: 0 }).catch(() => {});
  }

  /** Closes the connection, waiting at most `timeoutMs` for a clean goodbye. */
  async close(timeoutMs = 1000): Promise<void> {
    const sql = this.#sql;
    this.#sql = null;
    this.#caps = null;
    if (sql) await sql.end({ timeout: timeoutMs / 1000 }).catch(() => {});
  }
}
