/**
 * The `pgactive` compatibility schema: the same names, argument names/types and column names/types
 * as pgactive 2.1.4+ for everything a monitor reads, answered from real PostgreSQL replication
 * state (slots, walsenders, subscriptions, replication origins, commit timestamps). Sandbox
 * internals live in schema `pgactive_sandbox`, which PUBLIC cannot use.
 */

/** Library version string reported by `pgactive_version()`. */
export const SANDBOX_PGACTIVE_VERSION = "2.1.9-sandbox";
/** `pgactive_version_num()`. */
export const SANDBOX_PGACTIVE_VERSION_NUM = 20109;

/** Marker written to `error_context` of every simulated conflict row. */
export const SIMULATED_MARKER = "simulated by pgactive-tools sandbox";

/** The install script, run once per database (in the template database before copying). */
export const COMPAT_SCHEMA_SQL = String.raw`
SET client_min_messages = warning;
CREATE SCHEMA pgactive_sandbox;
REVOKE ALL ON SCHEMA pgactive_sandbox FROM PUBLIC;
CREATE EXTENSION dblink WITH SCHEMA pgactive_sandbox;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgactive_sandbox FROM PUBLIC;

-- local identity (one row) and the apply-pause flag
CREATE TABLE pgactive_sandbox.local_node (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  sysid text NOT NULL,
  node_name text NOT NULL,
  apply_paused boolean NOT NULL DEFAULT false
);

-- per upstream origin: what the apply trigger saw, counters, last worker error (set by the sandbox)
CREATE TABLE pgactive_sandbox.apply_state (
  origin_sysid text PRIMARY KEY,
  origin_timeline oid NOT NULL DEFAULT 0,
  origin_dboid oid NOT NULL,
  sub_name name NOT NULL UNIQUE,
  upstream_xid bigint NOT NULL DEFAULT 0,
  local_xid xid8,
  applied_at timestamptz,
  nr_commit int8 NOT NULL DEFAULT 0,
  nr_rollback int8 NOT NULL DEFAULT 0,
  nr_insert int8 NOT NULL DEFAULT 0,
  nr_insert_conflict int8 NOT NULL DEFAULT 0,
  nr_update int8 NOT NULL DEFAULT 0,
  nr_update_conflict int8 NOT NULL DEFAULT 0,
  nr_delete int8 NOT NULL DEFAULT 0,
  nr_delete_conflict int8 NOT NULL DEFAULT 0,
  nr_disconnect int8 NOT NULL DEFAULT 0,
  last_error text,
  last_error_time timestamptz
);

-- Row trigger on each subscribed table, ENABLE REPLICA: fires only inside the apply worker.
CREATE FUNCTION pgactive_sandbox.on_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
DECLARE
  x xid8 := pg_current_xact_id();
  ux bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN ux := OLD.origin_xid; ELSE ux := NEW.origin_xid; END IF;
  UPDATE pgactive_sandbox.apply_state SET
    nr_commit = nr_commit + CASE WHEN local_xid IS DISTINCT FROM x THEN 1 ELSE 0 END,
    local_xid = x,
    upstream_xid = coalesce(ux, upstream_xid),
    applied_at = clock_timestamp(),
    nr_insert = nr_insert + CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE 0 END,
    nr_update = nr_update + CASE WHEN TG_OP = 'UPDATE' THEN 1 ELSE 0 END,
    nr_delete = nr_delete + CASE WHEN TG_OP = 'DELETE' THEN 1 ELSE 0 END
  WHERE origin_sysid = TG_ARGV[0];
  RETURN NULL;
END $f$;

-- Origin side: stamp the writing transaction's xid into the row (what the peer reports as
-- last_applied_xact_id). Ordinary trigger: does not fire during apply.
CREATE FUNCTION pgactive_sandbox.stamp_origin_xid() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
  NEW.origin_xid := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END $f$;

CREATE SCHEMA pgactive;
GRANT USAGE ON SCHEMA pgactive TO PUBLIC;

CREATE TYPE pgactive.pgactive_conflict_type AS ENUM (
  'insert_insert', 'insert_update', 'update_update', 'update_delete', 'delete_delete',
  'unhandled_tx_abort');
CREATE TYPE pgactive.pgactive_conflict_resolution AS ENUM (
  'conflict_trigger_skip_change', 'conflict_trigger_returned_tuple', 'last_update_wins_keep_local',
  'last_update_wins_keep_remote', 'apply_change', 'skip_change', 'unhandled_tx_abort');

CREATE TABLE pgactive.pgactive_nodes (
  node_sysid text NOT NULL,
  node_timeline oid NOT NULL,
  node_dboid oid NOT NULL,
  node_status "char" NOT NULL,
  node_name text NOT NULL,
  node_dsn text NOT NULL,
  node_init_from_dsn text,
  node_read_only boolean DEFAULT false,
  node_seq_id smallint,
  PRIMARY KEY (node_sysid, node_timeline, node_dboid),
  CONSTRAINT pgactive_nodes_node_status_check
    CHECK (node_status IN ('b', 'i', 'c', 'o', 'r', 'k'))
);
CREATE UNIQUE INDEX pgactive_nodes_node_name ON pgactive.pgactive_nodes (node_name);

CREATE TABLE pgactive.pgactive_connections (
  conn_sysid text NOT NULL,
  conn_timeline oid NOT NULL,
  conn_dboid oid NOT NULL,
  conn_dsn text NOT NULL,
  conn_apply_delay integer,
  conn_replication_sets text[] DEFAULT ARRAY['default']::text[],
  PRIMARY KEY (conn_sysid, conn_timeline, conn_dboid)
);

CREATE SEQUENCE pgactive.pgactive_conflict_history_id_seq;
CREATE TABLE pgactive.pgactive_conflict_history (
  conflict_id bigint NOT NULL DEFAULT nextval('pgactive.pgactive_conflict_history_id_seq'),
  local_node_sysid text NOT NULL,
  local_conflict_xid xid NOT NULL,
  local_conflict_lsn pg_lsn NOT NULL,
  local_conflict_time timestamptz NOT NULL,
  object_schema text,
  object_name text,
  remote_node_sysid text NOT NULL,
  remote_txid xid NOT NULL,
  remote_commit_time timestamptz NOT NULL,
  remote_commit_lsn pg_lsn NOT NULL,
  conflict_type pgactive.pgactive_conflict_type NOT NULL,
  conflict_resolution pgactive.pgactive_conflict_resolution NOT NULL,
  local_tuple json,
  remote_tuple json,
  local_tuple_xmin xid,
  local_tuple_origin_sysid text,
  error_message text,
  error_sqlstate text CHECK (length(error_sqlstate) = 5),
  error_querystring text,
  error_cursorpos integer,
  error_detail text,
  error_hint text,
  error_context text,
  error_columnname text,
  error_typename text,
  error_constraintname text,
  error_filename text,
  error_lineno integer,
  error_funcname text,
  remote_node_timeline oid,
  remote_node_dboid oid,
  local_tuple_origin_timeline oid,
  local_tuple_origin_dboid oid,
  local_commit_time timestamptz,
  PRIMARY KEY (local_node_sysid, conflict_id)
);
ALTER SEQUENCE pgactive.pgactive_conflict_history_id_seq
  OWNED BY pgactive.pgactive_conflict_history.conflict_id;

CREATE TABLE pgactive.pgactive_global_locks (
  locktype text NOT NULL,
  owning_sysid text NOT NULL,
  owning_timeline oid NOT NULL,
  owning_datid oid NOT NULL,
  owner_created_lock_at pg_lsn NOT NULL,
  acquired_sysid text NOT NULL,
  acquired_timeline oid NOT NULL,
  acquired_datid oid NOT NULL,
  acquired_lock_at pg_lsn,
  state text NOT NULL
);

CREATE TABLE pgactive.pgactive_queued_commands (
  lsn pg_lsn NOT NULL,
  queued_at timestamptz NOT NULL,
  perpetrator text NOT NULL,
  command_tag text NOT NULL,
  command text NOT NULL,
  search_path text DEFAULT ''
);
CREATE TABLE pgactive.pgactive_queued_drops (
  lsn pg_lsn NOT NULL,
  queued_at timestamptz NOT NULL,
  dropped_objects text[] NOT NULL
);
CREATE TABLE pgactive.pgactive_conflict_handlers (
  ch_name text NOT NULL,
  ch_reloid oid NOT NULL,
  ch_fun text NOT NULL,
  ch_type pgactive.pgactive_conflict_type,
  ch_timeframe interval,
  PRIMARY KEY (ch_reloid, ch_name)
);
CREATE TABLE pgactive.pgactive_replication_set_config (
  set_name name PRIMARY KEY,
  replicate_inserts bool NOT NULL DEFAULT true,
  replicate_updates bool NOT NULL DEFAULT true,
  replicate_deletes bool NOT NULL DEFAULT true
);
REVOKE ALL ON ALL TABLES IN SCHEMA pgactive FROM PUBLIC;

-- versions and identity ------------------------------------------------------------------------
CREATE FUNCTION pgactive.pgactive_version() RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT '${SANDBOX_PGACTIVE_VERSION}'::text $f$;
CREATE FUNCTION pgactive.pgactive_version_num() RETURNS integer
LANGUAGE sql IMMUTABLE AS $f$ SELECT ${SANDBOX_PGACTIVE_VERSION_NUM} $f$;
CREATE FUNCTION pgactive.pgactive_min_remote_version_num() RETURNS integer
LANGUAGE sql IMMUTABLE AS $f$ SELECT 20100 $f$;
CREATE FUNCTION pgactive.pgactive_variant() RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT 'pgactive'::text $f$;

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
    a.nr_commit, a.nr_rollback, a.nr_insert, a.nr_insert_conflict, a.nr_update,
    a.nr_update_conflict, a.nr_delete, a.nr_delete_conflict, a.nr_disconnect
  FROM pgactive_sandbox.apply_state a
  JOIN pg_subscription s ON s.subname = a.sub_name
  JOIN pg_replication_origin o ON o.roname = 'pg_' || s.oid
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
  SELECT s.upstream_xid, s.local_xid, s.applied_at,
    (SELECT act.backend_start
     FROM pg_subscription sub
     CROSS JOIN LATERAL pg_stat_get_subscription(sub.oid) st
     CROSS JOIN LATERAL pg_stat_get_activity(st.pid) act
     WHERE sub.subname = s.sub_name AND st.relid IS NULL AND st.pid IS NOT NULL
     LIMIT 1) AS started
  INTO a
  FROM pgactive_sandbox.apply_state s
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

-- privileges as in pgactive 2.1.4+: nearly everything revoked from PUBLIC ----------------------
REVOKE ALL ON ALL TABLES IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgactive_sandbox FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_version(), pgactive.pgactive_is_active_in_db(),
  pgactive.pgactive_is_apply_paused(), pgactive.pgactive_get_local_node_name(),
  pgactive.pgactive_get_last_applied_xact_info(text, oid, oid),
  pgactive.pgactive_get_replication_lag_info(),
  pgactive._pgactive_sandbox_lag_info_of(text, oid, oid) TO PUBLIC;
`;

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** DDL for one node's replicated table (created for every node in the template). */
export function nodeTableSql(node: string): string {
  const t = `public.${ident(`sandbox_${node}`)}`;
  return `
CREATE TABLE ${t} (
  id bigserial PRIMARY KEY,
  payload text,
  origin_xid bigint DEFAULT pg_current_xact_id()::text::bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER pgactive_sandbox_stamp BEFORE UPDATE ON ${t}
  FOR EACH ROW EXECUTE FUNCTION pgactive_sandbox.stamp_origin_xid();
`;
}
