/**
 * History queries over the metrics and conflict tables. Inputs are epoch milliseconds; outputs are
 * JSON-friendly objects with `at` as an ISO 8601 string. Time ranges are inclusive at both ends.
 * When more rows match than `limit`, the NEWEST `limit` rows are returned, in chronological order.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { ConflictRecord, LagMethod, Status } from "../snapshot/mod.ts";
import { methodOf, statusOf, walStatusOf } from "./codes.ts";
import { decodeFrame } from "./frames.ts";

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

const NODE_SQL = `SELECT c.version, c.at, s.node, p.status, p.reasons, p.error, p.lag_ms,
  p.lag_bytes, p.lag_xid, p.walsender_active, p.conflict_count, p.conflicts_per_minute,
  p.apply_errors, p.retained_wal_bytes, p.apply_paused, p.probe_us
  FROM cycles c JOIN node_points p ON p.version = c.version
  JOIN series s ON s.id = p.series AND s.peer = ''`;
const LINK_SERIES = "SELECT id, node, peer FROM series WHERE peer != ''";
const VERSIONS = `SELECT version, at FROM cycles WHERE at >= ? AND at <= ?
  ORDER BY at DESC, version DESC LIMIT ? OFFSET ?`;
const KEYFRAME_AT_OR_BEFORE = "SELECT max(version) AS v FROM keyframes WHERE version <= ?";
const FIRST_LINK_ROW = "SELECT min(version) AS v FROM link_frames";
const KEYFRAMES_IN = "SELECT version FROM keyframes WHERE version >= ? AND version <= ?";
const LINK_FRAMES = `SELECT version, rows FROM link_frames WHERE version >= ? AND version <= ?
  ORDER BY version`;
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
    const where = ["c.at >= ?", "c.at <= ?"];
    const params: (string | number)[] = [time(q.from, "from", -1), time(q.to, "to", 1)];
    if (q.node !== undefined) {
      where.push("s.node = ?");
      params.push(q.node);
    }
    const sql = `${NODE_SQL} WHERE ${where.join(" AND ")}
      ORDER BY c.at DESC, c.version DESC, s.node DESC LIMIT ?`;
    return this.#all(sql, [...params, limit(q.limit)]).reverse().map(nodePoint);
  }

  /**
   * Link metrics by origin and/or target (all links when omitted) and time range: a point for
   * every version the link was in, rebuilt from the rows of the versions where it changed (from
   * the keyframe at or before the window on).
   */
  linkHistory(q: LinkHistoryQuery = {}): LinkHistoryPoint[] {
    const since = time(q.since, "since", -1);
    const until = time(q.until, "until", 1);
    const max = limit(q.limit);
    const names = new Map<number, [string, string]>();
    for (const r of this.#all(LINK_SERIES, [])) {
      if (q.from !== undefined && r.node !== q.from) continue;
      if (q.to !== undefined && r.peer !== q.to) continue;
      names.set(r.id as number, [r.node as string, r.peer as string]);
    }
    if (names.size === 0) return [];
    const ids = new Set(names.keys());
    const out: LinkHistoryPoint[] = [];
    // Newest versions first, one window at a time, until `max` points (or no version) are left.
    const size = Math.ceil(max / names.size);
    for (let offset = 0; out.length < max; offset += size) {
      const versions = this.#all(VERSIONS, [since, until, size, offset]);
      if (versions.length === 0) break;
      const points = this.#rebuild(versions, ids, names);
      out.unshift(...points.slice(Math.max(0, points.length - (max - out.length))));
      if (versions.length < size) break;
    }
    return out;
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

  /** The points of `versions` (newest first) for the series `ids`, in chronological order. */
  #rebuild(
    versions: Row[],
    ids: ReadonlySet<number>,
    names: Map<number, [string, string]>,
  ): LinkHistoryPoint[] {
    const window = [...versions].reverse();
    const byVersion = [...window].sort((a, b) => (a.version as number) - (b.version as number));
    const low = byVersion[0]!.version as number;
    const high = byVersion[byVersion.length - 1]!.version as number;
    const keyframe = this.#all(KEYFRAME_AT_OR_BEFORE, [low])[0]?.v as number | null;
    const from = keyframe ?? (this.#all(FIRST_LINK_ROW, [])[0]?.v as number | null) ?? low;
    const rows: Row[] = [];
    for (const f of this.#all(LINK_FRAMES, [from, high])) {
      for (const r of decodeFrame(f.rows, ids)) rows.push({ ...r, version: f.version });
    }
    const keyframes = new Set(
      this.#all(KEYFRAMES_IN, [from, high]).map((r) => r.version as number),
    );
    const events = [...new Set([...keyframes, ...rows.map((r) => r.version as number)])]
      .sort((a, b) => a - b);
    const state = new Map<number, Row>();
    const points: LinkHistoryPoint[] = [];
    let e = 0;
    let r = 0;
    for (const cycle of byVersion) {
      const v = cycle.version as number;
      for (; e < events.length && events[e]! <= v; e++) {
        if (keyframes.has(events[e]!)) state.clear();
        for (; r < rows.length && (rows[r]!.version as number) === events[e]; r++) {
          state.set(rows[r]!.series as number, rows[r]!);
        }
      }
      const at = new Date(cycle.at as number).toISOString();
      const here: LinkHistoryPoint[] = [];
      for (const [id, row] of state) {
        if (row.method !== null) here.push(linkPoint(v, at, names.get(id)!, row));
      }
      here.sort((a, b) => a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1);
      points.push(...here);
    }
    // cycles are ordered by (at, version): keep that order for the newest-`limit` cut
    const order = new Map(window.map((c, i) => [c.version as number, i]));
    return points.sort((a, b) => order.get(a.version)! - order.get(b.version)!);
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

/** A stored integer (ms, µs) back in the API's unit. */
function per(v: unknown, divisor: number): number | null {
  return typeof v === "number" ? v / divisor : null;
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function nodePoint(r: Row): NodeHistoryPoint {
  return {
    version: r.version as number,
    at: new Date(r.at as number).toISOString(),
    node: r.node as string,
    status: statusOf(r.status),
    reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) as string[] : [],
    error: str(r.error),
    lag_seconds: per(r.lag_ms, 1000),
    lag_bytes: num(r.lag_bytes),
    lag_xid: num(r.lag_xid),
    walsender_active: bool(r.walsender_active),
    conflict_count: num(r.conflict_count),
    conflicts_per_minute: num(r.conflicts_per_minute),
    apply_errors: num(r.apply_errors),
    retained_wal_bytes: num(r.retained_wal_bytes),
    apply_paused: bool(r.apply_paused),
    probe_ms: per(r.probe_us, 1000),
  };
}

function linkPoint(
  version: number,
  at: string,
  [from, to]: [string, string],
  r: Row,
): LinkHistoryPoint {
  return {
    version,
    at,
    from,
    to,
    active: bool(r.active),
    lag_seconds: per(r.lag_ms, 1000),
    lag_bytes: num(r.lag_bytes),
    lag_xid: num(r.lag_xid),
    pending_send_bytes: num(r.pending_send_bytes),
    retained_wal_bytes: num(r.retained_wal_bytes),
    catch_up_seconds: per(r.catch_up_ms, 1000),
    conflicts: num(r.conflicts),
    apply_errors: num(r.apply_errors),
    lag_method: methodOf(r.method),
    wal_status: walStatusOf(r.wal_status),
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
