-- pgactive-tools: a read-only monitoring role for the collector.
--
-- Run as a superuser, connected to the pgactive database, on EVERY node: GRANTs are DDL and
-- pgactive does not replicate DDL by default (pgactive.skip_ddl_replication = on).
-- Then point collector.nodes[].dsn at this role, e.g.
--   postgres://pgactive_monitor:${PGACTIVE_MONITOR_PASSWORD}@host1:5432/app
--
-- Run it with psql (e.g. psql -v ON_ERROR_STOP=1 -f monitoring_role.sql "dbname=app"); it is
-- idempotent. Everything listed is read-only. Without a grant the collector keeps working and reports what it
-- cannot see as a reason ("cannot read pgactive_get_stats(): grant EXECUTE ..."), except
-- pgactive_nodes, which it needs to map peers to names.
--
-- CAUTION: SELECT on pgactive.pgactive_nodes (and pgactive_connections) exposes node_dsn, which
-- contains passwords if your pgactive DSNs carry them (rather than user mappings). The collector
-- never selects node_dsn, but the role could. If that matters, prefer user mappings for pgactive,
-- or grant a superuser-owned view of node_name, node_sysid, node_timeline, node_dboid,
-- node_status, node_seq_id instead (and accept reduced identity checks).
--
-- Do NOT grant pgactive_get_replication_lag_info(): it connects to every peer with the stored
-- node_dsn (usually a superuser) regardless of the caller; the collector does not use it.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgactive_monitor') THEN
    -- set a password afterwards: ALTER ROLE pgactive_monitor PASSWORD '...';
    CREATE ROLE pgactive_monitor LOGIN;
  END IF;
END
$$;

-- pg_stat_replication LSN columns and pg_stat_activity details of other roles' sessions.
GRANT pg_monitor TO pgactive_monitor;

GRANT USAGE ON SCHEMA pgactive TO pgactive_monitor;

-- membership and identity (required)
GRANT SELECT ON pgactive.pgactive_nodes TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_get_local_nodeid() TO pgactive_monitor;

-- apply counters (conflicts, apply errors), workers, conflict log
GRANT EXECUTE ON FUNCTION pgactive.pgactive_get_stats() TO pgactive_monitor;
GRANT SELECT ON pgactive.pgactive_stats TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_get_workers_info() TO pgactive_monitor;
GRANT SELECT ON pgactive.pgactive_conflict_history TO pgactive_monitor;

-- executable by PUBLIC already in 2.1.1+; granted explicitly in case PUBLIC was revoked
GRANT EXECUTE ON FUNCTION pgactive.pgactive_version() TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_is_apply_paused() TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_get_last_applied_xact_info(text, oid, oid)
  TO pgactive_monitor;
-- pgactive 2.1.0 has this function without the prefix: there, replace the GRANT above with:
-- GRANT EXECUTE ON FUNCTION pgactive.get_last_applied_xact_info(text, oid, oid) TO pgactive_monitor;

-- useful for manual checks with the same role (pgactive-surface.md section 6)
GRANT SELECT ON pgactive.pgactive_global_locks_info, pgactive.pgactive_global_locks
  TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_version_num(), pgactive.pgactive_min_remote_version_num(),
  pgactive.pgactive_variant(), pgactive.pgactive_node_status_from_char("char"),
  pgactive.pgactive_parse_slot_name(name), pgactive.pgactive_parse_replident_name(text),
  pgactive.pgactive_get_global_locks_info() TO pgactive_monitor;
GRANT SELECT ON pg_catalog.pg_replication_origin_status TO pgactive_monitor;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_show_replication_origin_status() TO pgactive_monitor;
