/** The Store: SQLite history of cycles (node:sqlite, WAL), owned by the server process. */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import type { ConflictRecord, ConflictSample, CycleResult, Snapshot } from "../snapshot/mod.ts";
import { type Logger, silentLogger } from "../telemetry/mod.ts";
import { migrate } from "./migrations.ts";
import { Pruner } from "./pruner.ts";
import {
  type ConflictQuery,
  HistoryQueries,
  type LinkHistoryPoint,
  type LinkHistoryQuery,
  type NodeHistoryPoint,
  type NodeHistoryQuery,
} from "./queries.ts";
import { redactText } from "./redact.ts";
import { CycleWriter } from "./writer.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of {@link Store.open}. */
export interface StoreOptions {
  logger?: Logger;
  /** Age after which metrics, cycle and conflict rows are pruned (default 7 days). */
  retentionMs?: number;
  /**
   * Age after which full snapshot JSON is pruned; the newest is always kept (default 1 hour).
   * Metric rows of every version are kept for retentionMs either way.
   */
  snapshotRetentionMs?: number;
  /** Reserved for storing conflict row images (a later issue): accepted, nothing extra stored. */
  storeConflictTuples?: boolean;
  /** Clock for prune() (epoch ms; default Date.now). */
  now?: () => number;
  /** How long a write waits for a lock held by another connection (default 500 ms). */
  busyTimeoutMs?: number;
  /** Max rows deleted per table per prune() call (default 500). */
  pruneBatch?: number;
  /** Min time between WAL checkpoints run by prune() (default 10 s). */
  checkpointIntervalMs?: number;
}

/**
 * Pages in the WAL at which SQLite checkpoints inside a commit. Only a backstop for owners that
 * never call prune(): prune() checkpoints first, keeping that fsync-bound work out of write().
 */
const AUTO_CHECKPOINT_PAGES = 10_000;

/**
 * History of collection cycles in one SQLite file. Each write() stores a whole version or nothing.
 *
 * Failed writes (disk full, read-only file, lock held elsewhere past busyTimeoutMs, bad input):
 * write() rolls the transaction back and returns false, never throws. The failure is logged
 * (`logger.error("Store write failed", { version, error, write_errors })`, message redacted),
 * counted in `writeErrors` and kept in `lastWriteError`. The store does not retry that version:
 * it is ABSENT from the history, seen as a gap in the version sequence. The next write() starts
 * afresh and, once it succeeds, logs "Store write recovered".
 *
 * Durability: WAL with synchronous=NORMAL, so a process crash loses nothing committed; an OS
 * crash or power loss may lose the commits since the last checkpoint (prune(), every 10 s).
 */
export class Store implements Disposable {
  #db: DatabaseSync;
  #writer: CycleWriter;
  #queries: HistoryQueries;
  #pruner: Pruner;
  #logger: Logger;
  #now: () => number;
  #writeErrors = 0;
  #lastWriteError: string | null = null;
  #open = true;
  #checkpointIntervalMs: number;
  #lastCheckpoint = -Infinity;

  private constructor(db: DatabaseSync, opts: StoreOptions) {
    this.#db = db;
    this.#logger = opts.logger ?? silentLogger;
    this.#now = opts.now ?? Date.now;
    this.#checkpointIntervalMs = opts.checkpointIntervalMs ?? 10_000;
    this.#writer = new CycleWriter(db);
    this.#queries = new HistoryQueries(db);
    this.#pruner = new Pruner(db, {
      retentionMs: opts.retentionMs ?? 7 * DAY_MS,
      snapshotRetentionMs: opts.snapshotRetentionMs ?? 60 * 60 * 1000,
      batch: opts.pruneBatch ?? 500,
    });
  }

  /**
   * Opens (creating the file and its parent directory if missing) and migrates the database.
   * Throws when the file cannot be opened or its schema is newer than this build.
   */
  static open(path: string, opts: StoreOptions = {}): Store {
    if (path !== ":memory:") Deno.mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 500))}`);
      db.exec(`PRAGMA journal_size_limit = ${16 * 1024 * 1024}`);
      db.exec(`PRAGMA wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
      migrate(db);
      return new Store(db, opts);
    } catch (err) {
      db.close();
      throw new Error(`Cannot open store "${path}": ${message(err)}`, { cause: err });
    }
  }

  /** Failed writes since open. */
  get writeErrors(): number {
    return this.#writeErrors;
  }

  /** Message of the last failed write (null after none). */
  get lastWriteError(): string | null {
    return this.#lastWriteError;
  }

  /** Last stored version, 0 when empty: the collector continues at +1. */
  lastVersion(): number {
    this.#live();
    return this.#writer.lastVersion();
  }

  /**
   * The newest stored full snapshot (redacted as stored), or null when empty. Full snapshots are
   * stored at the first write of a run, when anything but positions, times and figures changed,
   * and at least every minute: this may be up to a minute older than lastVersion().
   */
  latestSnapshot(): Snapshot | null {
    const row = this.#stmt("SELECT json FROM snapshots ORDER BY version DESC LIMIT 1").get();
    return typeof row?.json === "string" ? JSON.parse(row.json) as Snapshot : null;
  }

  /** Node -> highest conflict_id ever stored (survives retention pruning). */
  conflictHighWater(): Record<string, number> {
    const rows = this.#stmt("SELECT node, conflict_id FROM conflict_high_water").all();
    const out: Record<string, number> = {};
    for (const r of rows) out[r.node as string] = r.conflict_id as number;
    return out;
  }

  /** Per-node conflict_count samples at or after `sinceMs` (epoch ms), oldest first. */
  recentConflictSamples(sinceMs: number): ConflictSample[] {
    const rows = this.#stmt(
      `SELECT s.node, c.at, p.conflict_count FROM cycles c
       JOIN node_points p ON p.version = c.version JOIN series s ON s.id = p.series
       WHERE c.at >= ? AND p.conflict_count IS NOT NULL ORDER BY c.at, s.node`,
    ).all(sinceMs);
    return rows.map((r) => ({
      node: r.node as string,
      at_ms: r.at as number,
      conflict_count: r.conflict_count as number,
    }));
  }

  /** Stores one cycle in one transaction; false (logged and counted) on failure, never throws. */
  write(result: CycleResult): boolean {
    try {
      if (!this.#open) throw new Error("Store is closed");
      this.#writer.write(result);
      if (this.#lastWriteError !== null) {
        this.#logger.info("Store write recovered", { version: result.snapshot.version });
        this.#lastWriteError = null;
      }
      return true;
    } catch (err) {
      this.#writeErrors++;
      this.#lastWriteError = redactText(message(err));
      this.#logger.error("Store write failed", {
        version: result?.snapshot?.version ?? null,
        error: this.#lastWriteError,
        write_errors: this.#writeErrors,
      });
      return false;
    }
  }

  /** Node metrics by node and time range (epoch ms, inclusive); newest `limit` rows, oldest first. */
  nodeHistory(q: NodeHistoryQuery = {}): NodeHistoryPoint[] {
    this.#live();
    return this.#queries.nodeHistory(q);
  }

  /** Link metrics by origin/target and time range (epoch ms, inclusive). */
  linkHistory(q: LinkHistoryQuery = {}): LinkHistoryPoint[] {
    this.#live();
    return this.#queries.linkHistory(q);
  }

  /** Stored conflict rows detected at or after `since` (epoch ms). */
  conflicts(q: ConflictQuery = {}): ConflictRecord[] {
    this.#live();
    return this.#queries.conflicts(q);
  }

  /**
   * Maintenance, once per cycle after the write: deletes one small batch of rows past retention
   * (returns rows deleted) and, at most every checkpointIntervalMs, checkpoints the WAL into the
   * database file. Never throws: a failure is logged and 0 returned (the next call catches up).
   */
  prune(nowMs: number = this.#now()): number {
    try {
      this.#live();
      const deleted = this.#pruner.prune(nowMs);
      if (Math.abs(nowMs - this.#lastCheckpoint) >= this.#checkpointIntervalMs) {
        this.#lastCheckpoint = nowMs;
        this.#db.exec("PRAGMA wal_checkpoint(PASSIVE)");
      }
      return deleted;
    } catch (err) {
      this.#logger.warn("Store prune failed", { error: redactText(message(err)) });
      return 0;
    }
  }

  /** Closes the database; later calls do nothing. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #live(): void {
    if (!this.#open) throw new Error("Store is closed");
  }

  #stmt(sql: string) {
    this.#live();
    return this.#db.prepare(sql);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
