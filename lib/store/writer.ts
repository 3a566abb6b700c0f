/** Writes one CycleResult (snapshot, node rows, link rows, conflict rows) in one transaction. */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { ConflictRecord, CycleResult, Link, NodeState } from "../snapshot/mod.ts";
import { redactDeep } from "./redact.ts";

const LAST_VERSION = "SELECT max(version) AS v FROM cycles";
const INSERT_CYCLE = "INSERT INTO cycles (version, at, status, cycle_ms) VALUES (?, ?, ?, ?)";
const INSERT_SNAPSHOT = "INSERT INTO snapshots (version, json) VALUES (?, ?)";
const INSERT_NODE = `INSERT INTO node_metrics (at, version, node, status, reasons, error,
  lag_seconds, lag_bytes, lag_xid, walsender_active, conflict_count, conflicts_per_minute,
  apply_errors, retained_wal_bytes, apply_paused, probe_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_LINK = `INSERT INTO link_metrics (at, version, from_node, to_node, active,
  lag_seconds, lag_bytes, lag_xid, pending_send_bytes, retained_wal_bytes, catch_up_seconds,
  conflicts, apply_errors, lag_method, wal_status)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_CONFLICT = `INSERT OR IGNORE INTO conflicts (node, conflict_id, at,
  local_conflict_time, object_schema, object_name, remote_node, conflict_type,
  conflict_resolution, error_sqlstate, error_message)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UPSERT_HIGH_WATER = `INSERT INTO conflict_high_water (node, conflict_id) VALUES (?, ?)
  ON CONFLICT (node) DO UPDATE SET conflict_id = max(conflict_id, excluded.conflict_id)`;

/** Prepared statements for writing cycles on one connection. */
export class CycleWriter {
  #db: DatabaseSync;
  #last: StatementSync;
  #cycle: StatementSync;
  #snapshot: StatementSync;
  #node: StatementSync;
  #link: StatementSync;
  #conflict: StatementSync;
  #highWater: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#last = db.prepare(LAST_VERSION);
    this.#cycle = db.prepare(INSERT_CYCLE);
    this.#snapshot = db.prepare(INSERT_SNAPSHOT);
    this.#node = db.prepare(INSERT_NODE);
    this.#link = db.prepare(INSERT_LINK);
    this.#conflict = db.prepare(INSERT_CONFLICT);
    this.#highWater = db.prepare(UPSERT_HIGH_WATER);
  }

  /**
   * Stores the cycle (strings redacted) in one BEGIN IMMEDIATE ... COMMIT. On any error the
   * transaction is rolled back and the error rethrown: either all rows of the version are stored
   * or none. A version not above the last stored one is refused: versions never go backwards.
   */
  write(result: CycleResult): void {
    const { snapshot, conflicts } = redactDeep(result);
    const at = Date.parse(snapshot.collected_at);
    if (!Number.isFinite(at)) {
      throw new TypeError(`Invalid collected_at "${snapshot.collected_at}"`);
    }
    const json = JSON.stringify(snapshot);
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      const v = snapshot.version;
      const last = this.lastVersion();
      if (!(v > last)) {
        throw new RangeError(`Version ${v} is not above the last stored version ${last}`);
      }
      this.#cycle.run(v, at, snapshot.status, snapshot.cluster?.cycle_ms ?? null);
      this.#snapshot.run(v, json);
      for (const node of Object.values(snapshot.nodes)) this.#node.run(...nodeParams(at, v, node));
      for (const link of snapshot.links) this.#link.run(...linkParams(at, v, link));
      const highWater = new Map<string, number>();
      for (const c of conflicts) {
        this.#conflict.run(...conflictParams(c));
        highWater.set(c.node, Math.max(highWater.get(c.node) ?? -Infinity, c.conflict_id));
      }
      for (const [node, id] of highWater) this.#highWater.run(node, id);
      db.exec("COMMIT");
    } catch (err) {
      try {
        if (db.isTransaction) db.exec("ROLLBACK");
      } catch {
        // SQLite rolls back by itself after some errors; the original error is the one to report.
      }
      throw err;
    }
  }

  /** Highest stored version, 0 when empty. */
  lastVersion(): number {
    return (this.#last.get() as { v: number | null } | undefined)?.v ?? 0;
  }
}

/** Booleans as 0/1, missing values as NULL (SQLite cannot bind undefined or booleans). */
function val(v: number | string | boolean | null | undefined): SQLInputValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

function nodeParams(at: number, version: number, n: NodeState): SQLInputValue[] {
  const m = n.metrics;
  return [
    at,
    version,
    n.name,
    n.status,
    n.reasons.length > 0 ? JSON.stringify(n.reasons) : null,
    val(n.error),
    val(m.lag_seconds),
    val(m.lag_bytes),
    val(m.lag_xid),
    val(m.walsender_active),
    val(m.conflict_count),
    val(m.conflicts_per_minute),
    val(m.apply_errors),
    val(m.retained_wal_bytes),
    val(m.apply_paused),
    val(m.probe_ms),
  ];
}

function linkParams(at: number, version: number, l: Link): SQLInputValue[] {
  return [
    at,
    version,
    l.from,
    l.to,
    val(l.active),
    val(l.lag_seconds),
    val(l.lag_bytes),
    val(l.lag_xid),
    val(l.pending_send_bytes),
    val(l.retained_wal_bytes),
    val(l.catch_up_seconds),
    val(l.conflicts),
    val(l.apply_errors),
    l.lag_method,
    val(l.wal_status),
  ];
}

function conflictParams(c: ConflictRecord): SQLInputValue[] {
  const at = Date.parse(c.local_conflict_time);
  if (!Number.isFinite(at)) {
    throw new TypeError(`Invalid local_conflict_time "${c.local_conflict_time}"`);
  }
  return [
    c.node,
    c.conflict_id,
    at,
    c.local_conflict_time,
    val(c.object_schema),
    val(c.object_name),
    val(c.remote_node),
    c.conflict_type,
    c.conflict_resolution,
    val(c.error_sqlstate),
    val(c.error_message),
  ];
}
