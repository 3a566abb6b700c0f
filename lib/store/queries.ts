/**
 * History queries over the metrics and conflict tables. Inputs are epoch milliseconds; outputs are
 * JSON-friendly objects with `at` as an ISO 8601 string. Time ranges are inclusive at both ends.
 * When more rows match than `limit`, the NEWEST `limit` rows are returned, in chronological order.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { ConflictRecord, LagMethod, Status } from "../snapshot/mod.ts";

/** Rows returned when no limit is given. */
export const DEFAULT_LIMIT = 1000;
/** Largest limit honoured; larger limits are clamped to it. */
export const MAX_LIMIT = 10000;

/** One node's metrics at one version. */
export interface NodeHistoryPoint {
  version: number;
  /** ISO 8601 UTC time of the cycle (the snapshot's collected_at). */
  at: string;
  node: string;
  status: Status;
  reasons: string[];
  error: string | null;
  lag_seconds: number | null;
  lag_bytes: number | null;
  lag_xid: number | null;
  walsender_active: boolean | null;
  conflict_count: number | null;
  conflicts_per_minute: number | null;
  apply_errors: number | null;
  retained_wal_bytes: number | null;
  apply_paused: boolean | null;
  probe_ms: number | null;
}

/** One directed link's metrics at one version. */
export interface LinkHistoryPoint {
  version: number;
  /** ISO 8601 UTC time of the cycle (the snapshot's collected_at). */
  at: string;
  from: string;
  to: string;
  active: boolean | null;
  lag_seconds: number | null;
  lag_bytes: number | null;
  lag_xid: number | null;
  pending_send_bytes: number | null;
  retained_wal_bytes: number | null;
  catch_up_seconds: number | null;
  conflicts: number | null;
  apply_errors: number | null;
  lag_method: LagMethod;
  wal_status: string | null;
}

/** Query of {@link HistoryQueries.nodeHistory}: `from`/`to` are epoch ms (inclusive). */
export interface NodeHistoryQuery {
  node?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** Query of {@link HistoryQueries.linkHistory}: `from`/`to` are node names, times epoch ms. */
export interface LinkHistoryQuery {
  from?: string;
  to?: string;
  since?: number;
  until?: number;
  limit?: number;
}

/** Query of {@link HistoryQueries.conflicts}: `since` is epoch ms of local_conflict_time. */
export interface ConflictQuery {
  since?: number;
  node?: string;
  limit?: number;
}

type Row = Record<string, unknown>;

const NODE_COLUMNS = `version, at, node, status, reasons, error, lag_seconds, lag_bytes, lag_xid,
  walsender_active, conflict_count, conflicts_per_minute, apply_errors, retained_wal_bytes,
  apply_paused, probe_ms`;
const LINK_COLUMNS = `version, at, from_node, to_node, active, lag_seconds, lag_bytes, lag_xid,
  pending_send_bytes, retained_wal_bytes, catch_up_seconds, conflicts, apply_errors, lag_method, wal_status`;
const CONFLICT_COLUMNS = `node, conflict_id, local_conflict_time, object_schema, object_name,
  remote_node, conflict_type, conflict_resolution, error_sqlstate, error_message`;

/** Read-side statements of one connection, prepared on first use. */
export class HistoryQueries {
  #db: DatabaseSync;
  #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Node metrics by node (all nodes when omitted) and time range. */
  nodeHistory(q: NodeHistoryQuery = {}): NodeHistoryPoint[] {
    const where = ["at >= ?", "at <= ?"];
    const params: (string | number)[] = [time(q.from, "from", -1), time(q.to, "to", 1)];
    if (q.node !== undefined) {
      where.push("node = ?");
      params.push(q.node);
    }
    const sql = `SELECT ${NODE_COLUMNS} FROM node_metrics WHERE ${where.join(" AND ")}
      ORDER BY at DESC, version DESC, node DESC LIMIT ?`;
    return this.#all(sql, [...params, limit(q.limit)]).reverse().map(nodePoint);
  }

  /** Link metrics by origin and/or target (all links when omitted) and time range. */
  linkHistory(q: LinkHistoryQuery = {}): LinkHistoryPoint[] {
    const where = ["at >= ?", "at <= ?"];
    const params: (string | number)[] = [time(q.since, "since", -1), time(q.until, "until", 1)];
    if (q.from !== undefined) {
      where.push("from_node = ?");
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push("to_node = ?");
      params.push(q.to);
    }
    const sql = `SELECT ${LINK_COLUMNS} FROM link_metrics WHERE ${where.join(" AND ")}
      ORDER BY at DESC, version DESC, from_node DESC, to_node DESC LIMIT ?`;
    return this.#all(sql, [...params, limit(q.limit)]).reverse().map(linkPoint);
  }

  /** Stored conflict rows detected at or after `since`, for one node or all. */
  conflicts(q: ConflictQuery = {}): ConflictRecord[] {
    const where = ["at >= ?"];
    const params: (string | number)[] = [time(q.since, "since", -1)];
    if (q.node !== undefined) {
      where.push("node = ?");
      params.push(q.node);
    }
    const sql = `SELECT ${CONFLICT_COLUMNS} FROM conflicts WHERE ${where.join(" AND ")}
      ORDER BY at DESC, node DESC, conflict_id DESC LIMIT ?`;
    return this.#all(sql, [...params, limit(q.limit)]).reverse().map(conflictRecord);
  }

  #all(sql: string, params: (string | number)[]): Row[] {
    let stmt = this.#cache.get(sql);
    if (!stmt) this.#cache.set(sql, stmt = this.#db.prepare(sql));
    return stmt.all(...params) as Row[];
  }
}

/** Validates an epoch-ms bound; a missing bound is open (-1: lower, 1: upper). */
function time(value: number | undefined, name: string, open: -1 | 1): number {
  if (value === undefined) return open * Number.MAX_SAFE_INTEGER;
  if (!Number.isFinite(value)) {
    throw new RangeError(`Invalid ${name} "${value}": epoch ms expected`);
  }
  return value;
}

function limit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid limit "${value}": a positive integer expected`);
  }
  return Math.min(value, MAX_LIMIT);
}

function bool(v: unknown): boolean | null {
  return v === null || v === undefined ? null : v !== 0;
}

function num(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function nodePoint(r: Row): NodeHistoryPoint {
  return {
    version: r.version as number,
    at: new Date(r.at as number).toISOString(),
    node: r.node as string,
    status: r.status as Status,
    reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) as string[] : [],
    error: str(r.error),
    lag_seconds: num(r.lag_seconds),
    lag_bytes: num(r.lag_bytes),
    lag_xid: num(r.lag_xid),
    walsender_active: bool(r.walsender_active),
    conflict_count: num(r.conflict_count),
    conflicts_per_minute: num(r.conflicts_per_minute),
    apply_errors: num(r.apply_errors),
    retained_wal_bytes: num(r.retained_wal_bytes),
    apply_paused: bool(r.apply_paused),
    probe_ms: num(r.probe_ms),
  };
}

function linkPoint(r: Row): LinkHistoryPoint {
  return {
    version: r.version as number,
    at: new Date(r.at as number).toISOString(),
    from: r.from_node as string,
    to: r.to_node as string,
    active: bool(r.active),
    lag_seconds: num(r.lag_seconds),
    lag_bytes: num(r.lag_bytes),
    lag_xid: num(r.lag_xid),
    pending_send_bytes: num(r.pending_send_bytes),
    retained_wal_bytes: num(r.retained_wal_bytes),
    catch_up_seconds: num(r.catch_up_seconds),
    conflicts: num(r.conflicts),
    apply_errors: num(r.apply_errors),
    lag_method: r.lag_method as LagMethod,
    wal_status: r.wal_status as string | null,
  };
}

function conflictRecord(r: Row): ConflictRecord {
  return {
    node: r.node as string,
    conflict_id: r.conflict_id as number,
    local_conflict_time: r.local_conflict_time as string,
    object_schema: str(r.object_schema),
    object_name: str(r.object_name),
    remote_node: str(r.remote_node),
    conflict_type: r.conflict_type as string,
    conflict_resolution: r.conflict_resolution as string,
    error_sqlstate: str(r.error_sqlstate),
    error_message: str(r.error_message),
  };
}
