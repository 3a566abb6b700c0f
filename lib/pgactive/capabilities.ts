/**
 * What this connection may read, and which pgactive version branch to use: checked once per
 * connection (catalog lookups only, so it works for any role and on a non-pgactive database).
 */
import { optBool, optInt, optText, type RawRow } from "./fields.ts";

/** Catalog and privilege checks; every function lookup goes through to_regprocedure, so a
 * missing object gives NULL instead of an error. */
export const CAPABILITIES_SQL = `
SELECT
  to_regnamespace('pgactive') IS NOT NULL AS has_schema,
  (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pgactive') AS extension_version,
  current_setting('server_version_num') AS server_version_num,
  (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) AS db_oid,
  current_database() AS database,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
  has_function_privilege(to_regprocedure('pgactive.pgactive_version()'), 'EXECUTE') AS version_fn,
  has_table_privilege(to_regclass('pgactive.pgactive_nodes'), 'SELECT') AS nodes,
  has_function_privilege(to_regprocedure('pgactive.pgactive_get_local_nodeid()'), 'EXECUTE') AS local_nodeid,
  has_function_privilege(to_regprocedure('pgactive.pgactive_get_stats()'), 'EXECUTE') AS stats,
  has_function_privilege(to_regprocedure('pgactive.pgactive_get_workers_info()'), 'EXECUTE') AS workers,
  (SELECT count(*) FROM pg_catalog.pg_proc p, unnest(p.proargmodes) m
    WHERE p.oid = to_regprocedure('pgactive.pgactive_get_workers_info()') AND m IN ('o', 't')) AS workers_columns,
  has_function_privilege(to_regprocedure('pgactive.pgactive_get_last_applied_xact_info(text,oid,oid)'), 'EXECUTE') AS last_applied,
  has_function_privilege(to_regprocedure('pgactive.get_last_applied_xact_info(text,oid,oid)'), 'EXECUTE') AS last_applied_legacy,
  has_function_privilege(to_regprocedure('pgactive.pgactive_is_apply_paused()'), 'EXECUTE') AS apply_paused_fn,
  has_function_privilege(to_regprocedure('pgactive.pgactive_is_active_in_db()'), 'EXECUTE') AS active_in_db_fn,
  has_table_privilege(to_regclass('pgactive.pgactive_conflict_history'), 'SELECT') AS conflict_history,
  CASE WHEN to_regprocedure('pg_catalog.pg_xact_commit_timestamp_origin(xid)') IS NOT NULL THEN
    current_setting('track_commit_timestamp') = 'on' AND has_function_privilege(
      to_regprocedure('pg_catalog.pg_xact_commit_timestamp_origin(xid)'), 'EXECUTE') END AS commit_ts
`;

/** Optional objects the probe reads when allowed. */
export type OptionalObject =
  | "local_nodeid"
  | "stats"
  | "workers"
  | "last_applied"
  | "apply_paused"
  | "conflict_history"
  | "walsender_positions"
  | "commit_timestamps"
  | "version";

/** The decoded capabilities of one connection. */
export interface Capabilities {
  /** False: schema pgactive or table pgactive_nodes does not exist in this database. */
  readonly isPgactive: boolean;
  readonly extensionVersion: string | null;
  readonly serverVersionNum: number | null;
  readonly dbOid: number;
  readonly database: string;
  /** SELECT on pgactive.pgactive_nodes (identity and membership). */
  readonly canReadNodes: boolean;
  /** Readable optional objects. */
  readonly readable: ReadonlySet<OptionalObject>;
  /** Optional objects that exist but this role may not read (each becomes a reason). */
  readonly denied: ReadonlySet<OptionalObject>;
  /** Function giving the last applied xact per upstream: 2.1.1+ name, 2.1.0 name, or none. */
  readonly lastAppliedFn: string | null;
  /** pgactive_get_workers_info() has last_error/last_error_time (2.1.4+: 8 columns; before: 5). */
  readonly workersHaveErrors: boolean;
  /**
   * pgactive_is_active_in_db() is callable: guards the last-applied calls, which raise an error
   * while pgactive is not (yet) active in the database (e.g. during a join).
   */
  readonly canCheckActive: boolean;
}

/** Decodes the CAPABILITIES_SQL row. */
export function decodeCapabilitiesRow(row: RawRow): Capabilities {
  const nodesExists = optBool(row, "nodes") !== null;
  const readable = new Set<OptionalObject>();
  const denied = new Set<OptionalObject>();
  // NULL = the object does not exist (older version: silently skipped); false = not granted.
  const check = (object: OptionalObject, field: string) => {
    const v = optBool(row, field);
    if (v === true) readable.add(object);
    else if (v === false) denied.add(object);
  };
  // Version branch for the last-applied function: 2.1.1+ name, else the 2.1.0 name.
  const modern = optBool(row, "last_applied") !== null;
  const lastAppliedFn = modern
    ? "pgactive.pgactive_get_last_applied_xact_info"
    : optBool(row, "last_applied_legacy") !== null
    ? "pgactive.get_last_applied_xact_info"
    : null;
  check("last_applied", modern ? "last_applied" : "last_applied_legacy");
  check("local_nodeid", "local_nodeid");
  check("stats", "stats");
  check("workers", "workers");
  check("apply_paused", "apply_paused_fn");
  check("conflict_history", "conflict_history");
  check("walsender_positions", "read_all_stats");
  check("version", "version_fn");
  check("commit_timestamps", "commit_ts");
  const version = optText(row, "server_version_num");
  return {
    isPgactive: optBool(row, "has_schema") === true && nodesExists,
    extensionVersion: optText(row, "extension_version"),
    serverVersionNum: version === null ? null : Number(version),
    dbOid: optInt(row, "db_oid") ?? 0,
    database: optText(row, "database") ?? "",
    canReadNodes: optBool(row, "nodes") === true,
    readable,
    denied,
    lastAppliedFn,
    workersHaveErrors: (optInt(row, "workers_columns") ?? 0) >= 8,
    canCheckActive: optBool(row, "active_in_db_fn") === true,
  };
}

/** How to fix an unreadable object: the reason shown to operators. */
export const MISSING_GRANT: Record<OptionalObject | "nodes", string> = {
  nodes: "cannot read pgactive.pgactive_nodes: grant SELECT (see config/monitoring_role.sql)",
  local_nodeid:
    "cannot call pgactive_get_local_nodeid(): grant EXECUTE (see config/monitoring_role.sql)",
  stats:
    "cannot read pgactive_get_stats(): grant EXECUTE (see config/monitoring_role.sql); conflicts and apply errors unknown",
  workers:
    "cannot read pgactive_get_workers_info(): grant EXECUTE (see config/monitoring_role.sql)",
  last_applied:
    "cannot call pgactive_get_last_applied_xact_info(): grant EXECUTE (see config/monitoring_role.sql); lag in seconds is approximate",
  apply_paused:
    "cannot call pgactive_is_apply_paused(): grant EXECUTE (see config/monitoring_role.sql)",
  conflict_history:
    "cannot read pgactive.pgactive_conflict_history: grant SELECT (see config/monitoring_role.sql)",
  walsender_positions:
    "cannot read walsender positions in pg_stat_replication: grant pg_monitor (see config/monitoring_role.sql)",
  version: "cannot call pgactive_version(): grant EXECUTE (see config/monitoring_role.sql)",
  commit_timestamps:
    "cannot read commit timestamps (track_commit_timestamp is off, or no EXECUTE on pg_xact_commit_timestamp_origin(xid)): lag in seconds is approximate",
};
