/** The `pgactive` schema's types and tables, as in pgactive 2.1.4+ (part of the compat schema). */

/** Types and tables of schema `pgactive`; PUBLIC may use the schema but read none of them. */
export const SCHEMA_TABLES_SQL = String.raw`
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
`;
