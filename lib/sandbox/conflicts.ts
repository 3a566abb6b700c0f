/** SQL for simulated conflicts (the sandbox has no pgactive conflict handling of its own). */
import { SIMULATED_MARKER } from "./compat_schema.ts";

/** pgactive's `pgactive_conflict_type` labels. */
export const CONFLICT_TYPES = [
  "insert_insert",
  "insert_update",
  "update_update",
  "update_delete",
  "delete_delete",
  "unhandled_tx_abort",
] as const;
/** A `pgactive_conflict_type` label. */
export type ConflictType = typeof CONFLICT_TYPES[number];

/** pgactive's `pgactive_conflict_resolution` labels. */
export const CONFLICT_RESOLUTIONS = [
  "conflict_trigger_skip_change",
  "conflict_trigger_returned_tuple",
  "last_update_wins_keep_local",
  "last_update_wins_keep_remote",
  "apply_change",
  "skip_change",
  "unhandled_tx_abort",
] as const;
/** A `pgactive_conflict_resolution` label. */
export type ConflictResolution = typeof CONFLICT_RESOLUTIONS[number];

/** Options of `Sandbox.recordConflict`. */
export interface ConflictOptions {
  /** The pgactive_conflict_type label. */
  type: ConflictType;
  /** Origin node name (the node the incoming change came from). */
  from: string;
  /** `schema.table` or `table` (public); default the origin's table; `pgactive.pgactive_nodes` ok. */
  table?: string;
  /** Default per type: keep_local for insert/update races, skip_change for missing rows. */
  resolution?: ConflictResolution;
  /** Number of rows (default 1). */
  count?: number;
}

const DEFAULT_RESOLUTION: Record<ConflictType, ConflictResolution> = {
  insert_insert: "last_update_wins_keep_local",
  insert_update: "last_update_wins_keep_local",
  update_update: "last_update_wins_keep_local",
  update_delete: "skip_change",
  delete_delete: "skip_change",
  unhandled_tx_abort: "unhandled_tx_abort",
};

/** Which pgactive_get_stats() counter a conflict of this type bumps. */
export const CONFLICT_COUNTER: Record<ConflictType, string> = {
  insert_insert: "nr_insert_conflict",
  insert_update: "nr_insert_conflict",
  update_update: "nr_update_conflict",
  update_delete: "nr_update_conflict",
  delete_delete: "nr_delete_conflict",
  unhandled_tx_abort: "nr_rollback",
};

/** Builds the INSERT (returning conflict_id) and the counter upsert ($1 origin sysid, $2 n). */
export function recordConflictSql(
  opts: ConflictOptions,
  ctx: {
    localSysid: string;
    originSysid: string;
    originDboid: number;
    originName: string;
    subscription: string;
  },
): { sql: { insert: string; counters: string }; params: (string | number)[] } {
  if (!CONFLICT_TYPES.includes(opts.type)) {
    throw new RangeError(`Unknown conflict type "${opts.type}"`);
  }
  const resolution = opts.resolution ?? DEFAULT_RESOLUTION[opts.type];
  if (!CONFLICT_RESOLUTIONS.includes(resolution)) {
    throw new RangeError(`Unknown conflict resolution "${resolution}"`);
  }
  const count = opts.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new RangeError("count must be an integer between 1 and 100000");
  }
  const table = opts.table ?? `public.sandbox_${ctx.originName}`;
  const dot = table.indexOf(".");
  const [schema, name] = dot < 0 ? ["public", table] : [table.slice(0, dot), table.slice(dot + 1)];
  const t = opts.type;
  const hasLocalTuple = t === "insert_insert" || t === "insert_update" || t === "update_update";
  const isAbort = t === "unhandled_tx_abort";
  const insert = `
    INSERT INTO pgactive.pgactive_conflict_history (
      local_node_sysid, local_conflict_xid, local_conflict_lsn, local_conflict_time,
      object_schema, object_name, remote_node_sysid, remote_txid, remote_commit_time,
      remote_commit_lsn, conflict_type, conflict_resolution, local_tuple, remote_tuple,
      local_tuple_xmin, local_tuple_origin_sysid, error_message, error_sqlstate, error_context,
      remote_node_timeline, remote_node_dboid, local_tuple_origin_timeline,
      local_tuple_origin_dboid, local_commit_time)
    SELECT $1, pg_current_xact_id()::xid, pg_current_wal_lsn(), now(),
      $2, $3, $4,
      (coalesce(a.upstream_xid, 0) % 4294967296)::text::xid,
      now() - interval '5 milliseconds',
      coalesce(os.remote_lsn, '0/0'::pg_lsn),
      $5::pgactive.pgactive_conflict_type, $6::pgactive.pgactive_conflict_resolution,
      ${hasLocalTuple ? "json_build_object('id', g, 'payload', 'local version')" : "NULL"},
      ${
    isAbort
      ? "NULL"
      : hasLocalTuple
      ? "json_build_object('id', g, 'payload', 'remote version')"
      : "json_build_object('id', g)"
  },
      ${hasLocalTuple ? "pg_current_xact_id()::xid" : "NULL"},
      ${hasLocalTuple ? "$1" : "NULL"},
      ${isAbort ? "'simulated apply failure'" : "NULL"},
      ${isAbort ? "'XX000'" : "NULL"},
      $7,
      0, $8::oid,
      ${hasLocalTuple ? "0" : "NULL"},
      ${
    hasLocalTuple ? "(SELECT oid FROM pg_database WHERE datname = current_database())" : "NULL"
  },
      ${hasLocalTuple ? "now() - interval '1 second'" : "NULL"}
    FROM generate_series(1, $9::int) g
    LEFT JOIN pgactive_sandbox.apply_live a ON a.origin_sysid = $4
    LEFT JOIN pg_subscription s ON s.subname = $10
    LEFT JOIN pg_replication_origin ro ON ro.roname = 'pg_' || s.oid
    LEFT JOIN pg_replication_origin_status os ON os.local_id = ro.roident
    ORDER BY g
    RETURNING conflict_id`;
  const c = CONFLICT_COUNTER[t];
  const counters = `INSERT INTO pgactive_sandbox.apply_live AS l (origin_sysid, ${c})
    VALUES ($1, $2::int8) ON CONFLICT (origin_sysid) DO UPDATE SET ${c} = l.${c} + EXCLUDED.${c}`;
  return {
    sql: { insert, counters },
    params: [
      ctx.localSysid,
      schema,
      name,
      ctx.originSysid,
      t,
      resolution,
      SIMULATED_MARKER,
      ctx.originDboid,
      count,
      ctx.subscription,
    ],
  };
}
