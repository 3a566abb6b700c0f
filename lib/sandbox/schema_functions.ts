/**
 * The `pgactive` functions and views a monitor calls (identity, names, stats, apply progress, lag,
 * workers, global locks), answered from real PostgreSQL replication state (part of the compat
 * schema; the version functions live beside the version constants in compat_schema.ts).
 */

/** Functions and views of schema `pgactive` (needs the tables and the sandbox internals). */
export const SCHEMA_FUNCTIONS_SQL = String.raw`
-- The stand-ins a monitor calls on every probe (pgactive implements them in C) are plpgsql, not
-- sql: a LANGUAGE sql function with SET/SECURITY DEFINER is never inlined and is parsed and
-- planned again on every execution of the calling statement; plpgsql keeps its plans per session.
CREATE FUNCTION pgactive.pgactive_get_local_nodeid(OUT sysid text, OUT timeline oid, OUT dboid oid)
RETURNS record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  SELECT l.sysid, 0::oid, (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
  INTO sysid, timeline, dboid
  FROM pgactive_sandbox.local_node l;
END $f$;

CREATE FUNCTION pgactive.pgactive_get_node_identifier() RETURNS numeric
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
  SELECT sysid::numeric FROM pgactive_sandbox.local_node
$f$;

CREATE FUNCTION pgactive.pgactive_get_local_node_name() RETURNS text
LANGUAGE sql STABLE AS $f$
  SELECT n.node_name FROM pgactive.pgactive_nodes n, pgactive.pgactive_get_local_nodeid() i
  WHERE n.node_sysid = i.sysid AND n.node_timeline = i.timeline AND n.node_dboid = i.dboid
$f$;

CREATE FUNCTION pgactive.pgactive_is_active_in_db() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  RETURN EXISTS (SELECT 1 FROM pgactive_sandbox.local_node);
END $f$;

CREATE FUNCTION pgactive.pgactive_is_apply_paused() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  RETURN coalesce((SELECT apply_paused FROM pgactive_sandbox.local_node), false);
END $f$;

CREATE FUNCTION pgactive.pgactive_node_status_from_char("char") RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $f$
  SELECT CASE $1
    WHEN 'b' THEN 'pgactive_NODE_STATUS_BEGINNING_INIT'
    WHEN 'i' THEN 'pgactive_NODE_STATUS_COPYING_INITIAL_DATA'
    WHEN 'c' THEN 'pgactive_NODE_STATUS_CATCHUP'
    WHEN 'o' THEN 'pgactive_NODE_STATUS_CREATING_OUTBOUND_SLOTS'
    WHEN 'r' THEN 'pgactive_NODE_STATUS_READY'
    WHEN 'k' THEN 'pgactive_NODE_STATUS_KILLED'
  END
$f$;

CREATE FUNCTION pgactive.pgactive_node_status_to_char(text) RETURNS "char"
LANGUAGE sql IMMUTABLE STRICT AS $f$
  SELECT CASE $1
    WHEN 'pgactive_NODE_STATUS_BEGINNING_INIT' THEN 'b'
    WHEN 'pgactive_NODE_STATUS_COPYING_INITIAL_DATA' THEN 'i'
    WHEN 'pgactive_NODE_STATUS_CATCHUP' THEN 'c'
    WHEN 'pgactive_NODE_STATUS_CREATING_OUTBOUND_SLOTS' THEN 'o'
    WHEN 'pgactive_NODE_STATUS_READY' THEN 'r'
    WHEN 'pgactive_NODE_STATUS_KILLED' THEN 'k'
  END::"char"
$f$;

-- names ---------------------------------------------------------------------------------------
CREATE FUNCTION pgactive.pgactive_parse_slot_name(sname name, OUT remote_sysid text,
  OUT remote_timeline oid, OUT remote_dboid oid, OUT local_dboid oid, OUT replication_name name)
RETURNS record LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE m text[];
BEGIN
  -- pgactive_<local dboid>_<remote sysid>_<remote tl>_<remote dboid>_<name>_ (name usually '')
  m := regexp_match(sname::text, '^pgactive_([0-9]+)_([0-9]+)_([0-9]+)_([0-9]+)_(.*)_$');
  IF m IS NULL THEN
    RAISE EXCEPTION 'could not parse slot name "%"', sname USING ERRCODE = 'invalid_parameter_value';
  END IF;
  local_dboid := m[1]::oid; remote_sysid := m[2]; remote_timeline := m[3]::oid;
  remote_dboid := m[4]::oid; replication_name := m[5]::name;
END $f$;

CREATE FUNCTION pgactive.pgactive_format_slot_name(remote_sysid text, remote_timeline oid,
  remote_dboid oid, local_dboid oid, replication_name name DEFAULT '') RETURNS name
LANGUAGE sql IMMUTABLE STRICT AS $f$
  SELECT format('pgactive_%s_%s_%s_%s_%s_', local_dboid, remote_sysid, remote_timeline,
    remote_dboid, replication_name)::name
$f$;

-- Real origin names are pgactive_<remote sysid>_<tl>_<remote dboid>_<local dboid>_<name>. The
-- sandbox's origins belong to subscriptions and are named pg_<subscription oid>: those are mapped
-- to the upstream's triple so joins on pg_replication_origin work unchanged.
CREATE FUNCTION pgactive.pgactive_parse_replident_name(replident text, OUT remote_sysid text,
  OUT remote_timeline oid, OUT remote_dboid oid, OUT local_dboid oid, OUT replication_name name)
RETURNS record LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog AS $f$
DECLARE m text[];
BEGIN
  m := regexp_match(replident, '^pgactive_([0-9]+)_([0-9]+)_([0-9]+)_([0-9]+)_(.*)$');
  IF m IS NOT NULL THEN
    remote_sysid := m[1]; remote_timeline := m[2]::oid; remote_dboid := m[3]::oid;
    local_dboid := m[4]::oid; replication_name := m[5]::name;
    RETURN;
  END IF;
  SELECT a.origin_sysid, a.origin_timeline, a.origin_dboid, s.subdbid, ''::name
    INTO remote_sysid, remote_timeline, remote_dboid, local_dboid, replication_name
  FROM pgactive_sandbox.apply_state a JOIN pg_subscription s ON s.subname = a.sub_name
  WHERE 'pg_' || s.oid = replident;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'could not parse replication identifier name "%"', replident
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $f$;

CREATE FUNCTION pgactive.pgactive_format_replident_name(remote_sysid text, remote_timeline oid,
  remote_dboid oid, local_dboid oid, replication_name name DEFAULT '') RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $f$
  SELECT format('pgactive_%s_%s_%s_%s_%s', remote_sysid, remote_timeline, remote_dboid,
    local_dboid, replication_name)
$f$;

CREATE FUNCTION pgactive.pgactive_xact_replication_origin(xid) RETURNS oid
LANGUAGE sql STABLE STRICT AS $f$ SELECT roident FROM pg_catalog.pg_xact_commit_timestamp_origin($1) $f$;

-- counters (plpgsql: see pgactive_get_local_nodeid) ---------------------------------------------
CREATE FUNCTION pgactive.pgactive_get_stats(OUT rep_node_id oid, OUT rilocalid oid,
  OUT riremoteid text, OUT nr_commit int8, OUT nr_rollback int8, OUT nr_insert int8,
  OUT nr_insert_conflict int8, OUT nr_update int8, OUT nr_update_conflict int8,
  OUT nr_delete int8, OUT nr_delete_conflict int8, OUT nr_disconnect int8)
RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT o.roident, o.roident,
    format('pgactive_%s_%s_%s_%s_', a.origin_sysid, a.origin_timeline, a.origin_dboid, s.subdbid),
    coalesce(l.nr_commit, 0), coalesce(l.nr_rollback, 0), coalesce(l.nr_insert, 0),
    coalesce(l.nr_insert_conflict, 0), coalesce(l.nr_update, 0),
    coalesce(l.nr_update_conflict, 0), coalesce(l.nr_delete, 0),
    coalesce(l.nr_delete_conflict, 0), coalesce(l.nr_disconnect, 0)
  FROM pgactive_sandbox.apply_state a
  JOIN pg_subscription s ON s.subname = a.sub_name
  JOIN pg_replication_origin o ON o.roname = 'pg_' || s.oid
  LEFT JOIN pgactive_sandbox.apply_live l ON l.origin_sysid = a.origin_sysid
  ORDER BY o.roident;
END $f$;
CREATE VIEW pgactive.pgactive_stats AS SELECT * FROM pgactive.pgactive_get_stats();

-- apply progress --------------------------------------------------------------------------------
-- Zero values when no apply worker runs for that peer, or when it has applied nothing since it
-- (re)started: pgactive keeps these in the apply worker's shared memory.
CREATE FUNCTION pgactive.pgactive_get_last_applied_xact_info(sysid text, timeline oid, dboid oid,
  OUT last_applied_xact_id oid, OUT last_applied_xact_committs timestamptz,
  OUT last_applied_xact_at timestamptz)
RETURNS record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
DECLARE
  a record;
BEGIN
  last_applied_xact_id := 0;
  last_applied_xact_committs := '2000-01-01 00:00:00+00';
  last_applied_xact_at := '2000-01-01 00:00:00+00';
  -- One statement; the apply worker is looked up by subscription and pid (pg_stat_activity and
  -- pg_stat_subscription would build a row for every backend and every subscription).
  SELECT l.upstream_xid, l.local_xid, l.applied_at,
    (SELECT act.backend_start
     FROM pg_subscription sub
     CROSS JOIN LATERAL pg_stat_get_subscription(sub.oid) st
     CROSS JOIN LATERAL pg_stat_get_activity(st.pid) act
     WHERE sub.subname = s.sub_name AND st.relid IS NULL AND st.pid IS NOT NULL
     LIMIT 1) AS started
  INTO a
  FROM pgactive_sandbox.apply_state s
  LEFT JOIN pgactive_sandbox.apply_live l ON l.origin_sysid = s.origin_sysid
  WHERE s.origin_sysid = $1 AND s.origin_timeline = $2 AND s.origin_dboid = $3;
  IF NOT FOUND THEN RETURN; END IF;
  IF a.started IS NULL OR a.applied_at IS NULL OR a.applied_at < a.started THEN
    RAISE LOG 'pgactive sandbox: no apply worker information for node %', $1;
    RETURN;
  END IF;
  last_applied_xact_id := (a.upstream_xid % 4294967296)::oid;
  last_applied_xact_committs := coalesce(pg_xact_commit_timestamp(a.local_xid::xid), a.applied_at);
  last_applied_xact_at := a.applied_at;
END $f$;

-- The row set of one node's outbound slots (run locally, or on a peer through dblink).
CREATE FUNCTION pgactive_sandbox.local_lag_info(OUT node_name text, OUT node_sysid text,
  OUT application_name text, OUT slot_name text, OUT active bool, OUT active_pid int4,
  OUT pending_wal_decoding int8, OUT pending_wal_to_apply int8, OUT restart_lsn pg_lsn,
  OUT confirmed_flush_lsn pg_lsn, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn,
  OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn)
RETURNS SETOF record LANGUAGE sql STABLE SET search_path = pg_catalog AS $f$
  SELECT n.node_name, n.node_sysid, r.application_name, s.slot_name::text, s.active, s.active_pid,
    pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(r.sent_lsn, s.confirmed_flush_lsn))::int8,
    pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::int8,
    s.restart_lsn, s.confirmed_flush_lsn, r.sent_lsn, r.write_lsn, r.flush_lsn, r.replay_lsn
  FROM pgactive.pgactive_nodes n
  JOIN pg_replication_slots s ON s.plugin = 'pgactive' AND s.database = current_database()
    AND s.slot_name ~ ('^pgactive_[0-9]+_' || n.node_sysid || '_')
  LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
  ORDER BY n.node_seq_id, n.node_name
$f$;

-- One node's rows for pgactive_get_replication_lag_info(): local, or fetched over dblink with the
-- node's stored DSN as the superuser (like pgactive's libpq fan-out); unreachable = no rows.
CREATE FUNCTION pgactive._pgactive_sandbox_lag_info_of(p_sysid text, p_timeline oid, p_dboid oid)
RETURNS TABLE(node_name text, node_sysid text, application_name text, slot_name text,
  active bool, active_pid int4, pending_wal_decoding int8, pending_wal_to_apply int8,
  restart_lsn pg_lsn, confirmed_flush_lsn pg_lsn, sent_lsn pg_lsn, write_lsn pg_lsn,
  flush_lsn pg_lsn, replay_lsn pg_lsn)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $f$
#variable_conflict use_column
DECLARE
  dsn text;
  me text;
BEGIN
  SELECT sysid INTO me FROM pgactive_sandbox.local_node;
  SELECT node_dsn INTO dsn FROM pgactive.pgactive_nodes
  WHERE node_sysid = p_sysid AND node_timeline = p_timeline AND node_dboid = p_dboid;
  IF NOT FOUND THEN RETURN; END IF;
  IF p_sysid = me THEN
    RETURN QUERY SELECT * FROM pgactive_sandbox.local_lag_info();
    RETURN;
  END IF;
  BEGIN
    RETURN QUERY SELECT * FROM pgactive_sandbox.dblink(
      dsn || ' connect_timeout=2 application_name=''pgactive:' || me || ':lag info''',
      'SELECT * FROM pgactive_sandbox.local_lag_info()')
    AS t(node_name text, node_sysid text, application_name text, slot_name text, active bool,
      active_pid int4, pending_wal_decoding int8, pending_wal_to_apply int8, restart_lsn pg_lsn,
      confirmed_flush_lsn pg_lsn, sent_lsn pg_lsn, write_lsn pg_lsn, flush_lsn pg_lsn,
      replay_lsn pg_lsn);
  EXCEPTION WHEN OTHERS THEN
    RETURN; -- pgactive silently skips nodes it cannot reach
  END;
END $f$;

CREATE FUNCTION pgactive.pgactive_get_replication_lag_info(OUT node_name text, OUT node_sysid text,
  OUT application_name text, OUT slot_name text, OUT active bool, OUT active_pid int4,
  OUT pending_wal_decoding int8, OUT pending_wal_to_apply int8, OUT restart_lsn pg_lsn,
  OUT confirmed_flush_lsn pg_lsn, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn,
  OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn)
RETURNS SETOF record LANGUAGE plpgsql VOLATILE AS $f$
#variable_conflict use_column
DECLARE n record;
BEGIN
  -- runs as the caller: needs SELECT on pgactive_nodes, like the real function
  IF NOT EXISTS (SELECT 1 FROM pgactive.pgactive_nodes WHERE node_status = 'r') THEN
    RAISE EXCEPTION 'pgactive is not active in this database';
  END IF;
  FOR n IN SELECT p.node_sysid, p.node_timeline, p.node_dboid FROM pgactive.pgactive_nodes p
    WHERE p.node_status = 'r' ORDER BY p.node_seq_id, p.node_name
  LOOP
    RETURN QUERY SELECT * FROM pgactive._pgactive_sandbox_lag_info_of(
      n.node_sysid, n.node_timeline, n.node_dboid);
  END LOOP;
END $f$;

-- workers ---------------------------------------------------------------------------------------
CREATE FUNCTION pgactive.pgactive_get_workers_info(OUT sysid text, OUT timeline oid, OUT dboid oid,
  OUT worker_type text, OUT pid int4, OUT unregistered boolean, OUT last_error text,
  OUT last_error_time timestamptz)
RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
#variable_conflict use_column
DECLARE
  db oid := (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
BEGIN
  -- apply workers (pid 0 and the last error when not running), walsenders, the per-db worker;
  -- the statistics functions are called directly, without their views' joins
  RETURN QUERY
  SELECT a.origin_sysid, a.origin_timeline, a.origin_dboid, 'apply'::text,
    coalesce(st.pid, 0), false,
    CASE WHEN st.pid IS NULL THEN coalesce(a.last_error, 'pgactive_apply_failure') END,
    CASE WHEN st.pid IS NULL THEN a.last_error_time END
  FROM pgactive_sandbox.apply_state a
  JOIN pg_subscription sub ON sub.subname = a.sub_name
  LEFT JOIN LATERAL (SELECT w.pid FROM pg_stat_get_subscription(sub.oid) w WHERE w.relid IS NULL) st
    ON true;
  RETURN QUERY
  SELECT n.node_sysid, n.node_timeline, n.node_dboid, 'walsender'::text, s.active_pid, false,
    NULL::text, NULL::timestamptz
  FROM pg_get_replication_slots() s
  JOIN pgactive.pgactive_nodes n ON s.slot_name ~ ('^pgactive_[0-9]+_' || n.node_sysid || '_')
  WHERE s.plugin = 'pgactive' AND s.datoid = db AND s.active_pid IS NOT NULL;
  RETURN QUERY
  SELECT NULL::text, NULL::oid, db, 'per-db'::text,
    coalesce((SELECT b.pid FROM pg_stat_get_activity(NULL) b
              WHERE b.backend_type = 'logical replication launcher' LIMIT 1), 0),
    false, NULL::text, NULL::timestamptz;
END $f$;

-- global DDL lock (never taken in the sandbox) ----------------------------------------------
CREATE FUNCTION pgactive.pgactive_get_global_locks_info(OUT owner_is_my_node boolean,
  OUT owner_sysid text, OUT owner_timeline oid, OUT owner_dboid oid, OUT owner_node_name text,
  OUT lock_mode text, OUT lock_state text, OUT owner_local_pid integer,
  OUT owner_is_my_backend boolean, OUT owner_replorigin oid, OUT lockcount integer,
  OUT npeers integer, OUT npeers_confirmed integer, OUT npeers_declined integer,
  OUT npeers_replayed integer, OUT replay_upto pg_lsn)
RETURNS SETOF record LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$
  SELECT NULL::boolean, NULL::text, NULL::oid, NULL::oid, NULL::text, NULL::text, 'nolock'::text,
    0, false, NULL::oid, 0,
    (SELECT count(*)::int FROM pgactive.pgactive_nodes n, pgactive_sandbox.local_node l
     WHERE n.node_status = 'r' AND n.node_sysid <> l.sysid),
    0, 0, 0, NULL::pg_lsn
$f$;
CREATE VIEW pgactive.pgactive_global_locks_info AS SELECT * FROM pgactive.pgactive_get_global_locks_info();
`;
