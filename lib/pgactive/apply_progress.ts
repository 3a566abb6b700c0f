/**
 * Inbound side of each link, read on the receiver: last applied transaction per upstream, the
 * per-origin apply counters (pgactive_get_stats) and the workers. Version branches are chosen by
 * the caller from the connection's Capabilities.
 */
import { int, optBool, optInt, optText, optTimestamp, type RawRow, text } from "./fields.ts";
import { type NodeId, parseOriginName } from "./slot_name.ts";

/** Peers from pgactive_nodes, minus this node and detached members. */
export const PEERS_FROM_NODES_SQL = `SELECT n.node_sysid AS sysid, n.node_timeline AS timeline,
    n.node_dboid AS dboid FROM pgactive.pgactive_nodes n, pgactive.pgactive_get_local_nodeid() l
  WHERE n.node_status <> 'k'
    AND NOT (n.node_sysid = l.sysid AND n.node_timeline = l.timeline AND n.node_dboid = l.dboid)`;

/** Peers from this node's slot names (no grant needed; never includes this node). */
export const PEERS_FROM_SLOTS_SQL = `SELECT m[1] AS sysid, m[2]::oid AS timeline, m[3]::oid AS dboid
  FROM (SELECT regexp_match(slot_name, '^pgactive_[0-9]+_([0-9]+)_([0-9]+)_([0-9]+)__$') AS m
        FROM pg_catalog.pg_replication_slots WHERE database = current_database()) s
  WHERE m IS NOT NULL`;

/**
 * Sub-select: last applied xact per peer via `fn` (2.1.1+ or 2.1.0 name). With `guard`, no call
 * is made while pgactive is not active in the database (the function would raise an error).
 */
export function lastAppliedSql(fn: string, peersSql: string, guard = false): string {
  // The guard filters the peer rows, so it runs before any call even if it is VOLATILE.
  const peers = guard
    ? `SELECT * FROM (${peersSql}) q WHERE pgactive.pgactive_is_active_in_db()`
    : peersSql;
  return `(SELECT json_agg(json_build_object('sysid', p.sysid, 'timeline', p.timeline,
    'dboid', p.dboid, 'xid', x.last_applied_xact_id, 'committs', x.last_applied_xact_committs,
    'applied_at', x.last_applied_xact_at))
  FROM (${peers}) p
  CROSS JOIN LATERAL ${fn}(p.sysid, p.timeline, p.dboid) x)`;
}

/** Sub-select: per-origin counters (instance-wide; filtered to this database when decoded). */
export const STATS_SQL = `(SELECT json_agg(json_build_object('riremoteid', riremoteid,
    'nr_commit', nr_commit, 'nr_rollback', nr_rollback, 'nr_insert_conflict', nr_insert_conflict,
    'nr_update_conflict', nr_update_conflict, 'nr_delete_conflict', nr_delete_conflict))
  FROM pgactive.pgactive_get_stats())`;

/** Sub-select: workers; before 2.1.4 the function has only 5 columns (no last_error). */
export function workersSql(withErrors: boolean): string {
  const errors = withErrors
    ? "'last_error', w.last_error, 'last_error_time', w.last_error_time"
    : "'last_error', NULL, 'last_error_time', NULL";
  return `(SELECT json_agg(json_build_object('sysid', w.sysid, 'timeline', w.timeline,
    'dboid', w.dboid, 'worker_type', w.worker_type, 'pid', w.pid, ${errors}))
  FROM pgactive.pgactive_get_workers_info() w)`;
}

/** Upstream transaction last applied here; nulls when no apply worker ran for that peer. */
export interface AppliedInfo {
  readonly peer: NodeId;
  /** The upstream's xid (32-bit), null for pgactive's "0 = unknown". */
  readonly xid: number | null;
  /** Upstream commit time (epoch ms), null for pgactive's 2000-01-01 placeholder. */
  readonly commitTsMs: number | null;
  /** When it was applied here (epoch ms), null when unknown. */
  readonly appliedAtMs: number | null;
}

/** 2000-01-01 00:00:00+00, pgactive's "no data" value (PostgreSQL epoch). */
export const PG_EPOCH_MS = 946_684_800_000;

function known(ts: number | null): number | null {
  return ts === null || ts <= PG_EPOCH_MS ? null : ts;
}

/** Decodes one last-applied object (zero xid and 2000-01-01 become null). */
export function decodeAppliedRow(row: RawRow): AppliedInfo {
  const xid = optInt(row, "xid");
  const unknown = xid === null || xid === 0;
  return {
    peer: { sysid: text(row, "sysid"), timeline: int(row, "timeline"), dboid: int(row, "dboid") },
    xid: unknown ? null : xid,
    commitTsMs: unknown ? null : known(optTimestamp(row, "committs")),
    appliedAtMs: unknown ? null : known(optTimestamp(row, "applied_at")),
  };
}

/** Counters of changes applied here from one upstream. */
export interface OriginStats {
  readonly origin: NodeId;
  /** Database OID on this side (stats are instance-wide). */
  readonly localDboid: number;
  readonly commits: number;
  /** Apply transactions that failed and rolled back. */
  readonly rollbacks: number;
  /** nr_insert_conflict + nr_update_conflict + nr_delete_conflict. */
  readonly conflicts: number;
}

/** Decodes one pgactive_get_stats() object; null for an origin name that is not pgactive's. */
export function decodeStatsRow(row: RawRow): OriginStats | null {
  const parsed = parseOriginName(text(row, "riremoteid"));
  if (!parsed) return null;
  return {
    origin: parsed.upstream,
    localDboid: parsed.localDboid,
    commits: int(row, "nr_commit"),
    rollbacks: int(row, "nr_rollback"),
    conflicts: int(row, "nr_insert_conflict") + int(row, "nr_update_conflict") +
      int(row, "nr_delete_conflict"),
  };
}

/** One pgactive worker. */
export interface WorkerInfo {
  /** Peer triple; null for the per-db worker. */
  readonly peer: NodeId | null;
  readonly type: string;
  /** 0 when not running. */
  readonly pid: number;
  readonly unregistered: boolean | null;
  readonly lastError: string | null;
  readonly lastErrorTimeMs: number | null;
}

/** Decodes one worker object. */
export function decodeWorkerRow(row: RawRow): WorkerInfo {
  const sysid = optText(row, "sysid");
  const timeline = optInt(row, "timeline");
  return {
    peer: sysid === null || timeline === null
      ? null
      : { sysid, timeline, dboid: int(row, "dboid") },
    type: text(row, "worker_type"),
    pid: optInt(row, "pid") ?? 0,
    unregistered: optBool(row, "unregistered"),
    lastError: optText(row, "last_error"),
    lastErrorTimeMs: optTimestamp(row, "last_error_time"),
  };
}
