/** Shared plain-data fixtures of the pgactive tests (not a test file). */

/** CAPABILITIES_SQL row of a superuser on pgactive 2.1.4+ (PostgreSQL 15, database "app"). */
export const SUPERUSER: Record<string, unknown> = {
  has_schema: true,
  extension_version: "2.1.8",
  server_version_num: "150020",
  db_oid: 16385,
  database: "app",
  read_all_stats: true,
  version_fn: true,
  nodes: true,
  local_nodeid: true,
  stats: true,
  workers: true,
  workers_columns: 8,
  last_applied: true,
  last_applied_legacy: null,
  apply_paused_fn: true,
  conflict_history: true,
  active_in_db_fn: true,
  commit_ts: true,
};
