/**
 * Schema `pgactive_sandbox` (part of the compat schema; PUBLIC cannot use it): the local identity,
 * the per-origin apply state, and what pgactive keeps in shared memory (apply progress and the
 * `pgactive_get_stats()` counters) with its save when the server stops and restore at start.
 */

/** The `pgactive_get_stats()` counters, in pgactive's column order. */
export const COUNTER_COLUMNS = [
  "nr_commit",
  "nr_rollback",
  "nr_insert",
  "nr_insert_conflict",
  "nr_update",
  "nr_update_conflict",
  "nr_delete",
  "nr_delete_conflict",
  "nr_disconnect",
] as const;

const columns = COUNTER_COLUMNS.join(", ");
const added = COUNTER_COLUMNS.map((c) => `${c} = l.${c} + EXCLUDED.${c}`).join(",\n    ");
const definitions = COUNTER_COLUMNS.map((c) => `  ${c} int8 NOT NULL DEFAULT 0`).join(",\n");

/** The sandbox's internal tables, triggers and functions. */
export const SCHEMA_INTERNAL_SQL = String.raw`
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

-- per upstream origin: identity, subscription, last worker error (set by the sandbox)
CREATE TABLE pgactive_sandbox.apply_state (
  origin_sysid text PRIMARY KEY,
  origin_timeline oid NOT NULL DEFAULT 0,
  origin_dboid oid NOT NULL,
  sub_name name NOT NULL UNIQUE,
  last_error text,
  last_error_time timestamptz
);

-- What pgactive keeps in shared memory, per origin: what the apply trigger saw and the counters.
-- UNLOGGED: a clean shutdown keeps it, crash recovery empties it (with live_marker).
CREATE UNLOGGED TABLE pgactive_sandbox.apply_live (
  origin_sysid text PRIMARY KEY,
  upstream_xid bigint NOT NULL DEFAULT 0,
  local_xid xid8,
  applied_at timestamptz,
${definitions}
);
-- One row from the first start on; none after crash recovery, until after_start().
CREATE UNLOGGED TABLE pgactive_sandbox.live_marker (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton)
);
-- pgactive's stats file (global/pgactive.stat): the counters as of the last save.
CREATE TABLE pgactive_sandbox.stats_saved (
  origin_sysid text PRIMARY KEY,
${definitions}
);

-- Run by the sandbox just before a fast or immediate stop: pgactive's postmaster writes its file
-- whenever it exits (not when it is killed).
CREATE FUNCTION pgactive_sandbox.save_stats() RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $f$
  DELETE FROM pgactive_sandbox.stats_saved;
  INSERT INTO pgactive_sandbox.stats_saved (origin_sysid, ${columns})
  SELECT origin_sysid, ${columns} FROM pgactive_sandbox.apply_live;
$f$;

-- Run by the sandbox after every start. Apply is not paused (pgactive's flag is in shared
-- memory). After crash recovery (no marker) the saved counters come back, added to whatever an
-- apply worker counted since this start; after a clean shutdown the live counters were kept.
CREATE FUNCTION pgactive_sandbox.after_start() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
  UPDATE pgactive_sandbox.local_node SET apply_paused = false WHERE apply_paused;
  IF EXISTS (SELECT 1 FROM pgactive_sandbox.live_marker) THEN RETURN; END IF;
  INSERT INTO pgactive_sandbox.apply_live AS l (origin_sysid, ${columns})
  SELECT origin_sysid, ${columns} FROM pgactive_sandbox.stats_saved
  ON CONFLICT (origin_sysid) DO UPDATE SET
    ${added};
  INSERT INTO pgactive_sandbox.live_marker DEFAULT VALUES;
END $f$;

-- Row trigger on each subscribed table, ENABLE REPLICA: fires only inside the apply worker.
CREATE FUNCTION pgactive_sandbox.on_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
DECLARE
  x xid8 := pg_current_xact_id();
  ux bigint;
  ins int8 := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE 0 END;
  upd int8 := CASE WHEN TG_OP = 'UPDATE' THEN 1 ELSE 0 END;
  del int8 := CASE WHEN TG_OP = 'DELETE' THEN 1 ELSE 0 END;
BEGIN
  IF TG_OP = 'DELETE' THEN ux := OLD.origin_xid; ELSE ux := NEW.origin_xid; END IF;
  INSERT INTO pgactive_sandbox.apply_live AS l (origin_sysid, upstream_xid, local_xid, applied_at,
    nr_commit, nr_insert, nr_update, nr_delete)
  VALUES (TG_ARGV[0], coalesce(ux, 0), x, clock_timestamp(), 1, ins, upd, del)
  ON CONFLICT (origin_sysid) DO UPDATE SET
    nr_commit = l.nr_commit + CASE WHEN l.local_xid IS DISTINCT FROM x THEN 1 ELSE 0 END,
    local_xid = x,
    upstream_xid = coalesce(ux, l.upstream_xid),
    applied_at = EXCLUDED.applied_at,
    nr_insert = l.nr_insert + ins,
    nr_update = l.nr_update + upd,
    nr_delete = l.nr_delete + del;
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
`;
