/**
 * The SQLite schema as an ordered list of migrations, tracked with `PRAGMA user_version`.
 * Migration N (1-based) takes a database from user_version N-1 to N in one transaction.
 * Append new migrations; never edit one that has shipped.
 */
import type { DatabaseSync } from "node:sqlite";

/**
 * Tables (times are epoch milliseconds):
 * - `cycles`: one row per stored version (the full retention), so gaps show failed writes.
 * - `snapshots`: the full Snapshot JSON of recent versions (shorter retention, newest always kept).
 * - `node_metrics` / `link_metrics`: one row per node / directed link per version, clustered on
 *   time (WITHOUT ROWID, primary key starts with `at`) with a secondary index per node / origin.
 * - `conflicts`: conflict history rows keyed (node, conflict_id), no row images.
 */
const V1 = `
CREATE TABLE cycles (
  version INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  cycle_ms REAL
);
CREATE INDEX cycles_at ON cycles (at);

CREATE TABLE snapshots (
  version INTEGER PRIMARY KEY,
  json TEXT NOT NULL
);

CREATE TABLE node_metrics (
  at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  node TEXT NOT NULL,
  status TEXT NOT NULL,
  reasons TEXT,
  error TEXT,
  lag_seconds REAL,
  lag_bytes INTEGER,
  lag_xid INTEGER,
  walsender_active INTEGER,
  conflict_count INTEGER,
  conflicts_per_minute REAL,
  apply_errors INTEGER,
  retained_wal_bytes INTEGER,
  apply_paused INTEGER,
  probe_ms REAL,
  PRIMARY KEY (at, version, node)
) WITHOUT ROWID;
CREATE INDEX node_metrics_node_at ON node_metrics (node, at);

CREATE TABLE link_metrics (
  at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  from_node TEXT NOT NULL,
  to_node TEXT NOT NULL,
  active INTEGER,
  lag_seconds REAL,
  lag_bytes INTEGER,
  lag_xid INTEGER,
  pending_send_bytes INTEGER,
  retained_wal_bytes INTEGER,
  catch_up_seconds REAL,
  conflicts INTEGER,
  apply_errors INTEGER,
  lag_method TEXT NOT NULL,
  PRIMARY KEY (at, version, from_node, to_node)
) WITHOUT ROWID;
-- (from_node, at) rather than (from_node, to_node, at): a cycle then touches one index leaf page
-- per origin instead of one per link (10 vs 90 pages at 10 nodes), which keeps the write cheap;
-- a per-link query filters the origin's rows on to_node inside the index.
CREATE INDEX link_metrics_from_at ON link_metrics (from_node, at);

CREATE TABLE conflicts (
  node TEXT NOT NULL,
  conflict_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  local_conflict_time TEXT NOT NULL,
  object_schema TEXT,
  object_name TEXT,
  remote_node TEXT,
  conflict_type TEXT NOT NULL,
  conflict_resolution TEXT NOT NULL,
  error_sqlstate TEXT,
  error_message TEXT,
  PRIMARY KEY (node, conflict_id)
) WITHOUT ROWID;
CREATE INDEX conflicts_at ON conflicts (at);
CREATE INDEX conflicts_node_at ON conflicts (node, at);
`;

/**
 * v2: the conflict high-water mark gets its own table so that retention pruning of old conflict
 * rows never lowers it (the collector would otherwise re-read pruned rows after a restart).
 */
const V2 = `
CREATE TABLE conflict_high_water (
  node TEXT PRIMARY KEY,
  conflict_id INTEGER NOT NULL
);
INSERT INTO conflict_high_water (node, conflict_id)
  SELECT node, max(conflict_id) FROM conflicts GROUP BY node;
`;

/** v3: links record their slot's wal_status (a slot becoming `unreserved`/`lost` over time). */
const V3 = `ALTER TABLE link_metrics ADD COLUMN wal_status TEXT;`;

/**
 * v4 (issue 13): history linear in what changes. Node and link names become ids (`series`), metric
 * rows are keyed (version, series) and carry no time (`cycles.at` has it), statuses and lag
 * methods are small codes. Node rows are written every version; link rows only when a link's
 * values change, plus a keyframe (every link) at least every KEYFRAME_EVERY versions and after
 * every restart or failed write, listed in `keyframes`; a row with a NULL method marks a link that
 * left the cluster. Seconds are stored as integer milliseconds (`*_ms`) and probe times as integer
 * microseconds (`probe_us`): 2-3 bytes instead of 8 for a REAL with a fraction.
 * Every old version was complete, so every old cycle becomes a keyframe.
 * Rows of versions whose cycle row was already pruned (past retention) are not carried over.
 */
const V4 = `
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  node TEXT NOT NULL,
  peer TEXT NOT NULL DEFAULT '',
  UNIQUE (node, peer)
);
CREATE TABLE node_points (
  version INTEGER NOT NULL,
  series INTEGER NOT NULL,
  status INTEGER NOT NULL,
  reasons TEXT,
  error TEXT,
  lag_ms INTEGER,
  lag_bytes INTEGER,
  lag_xid INTEGER,
  walsender_active INTEGER,
  conflict_count INTEGER,
  conflicts_per_minute REAL,
  apply_errors INTEGER,
  retained_wal_bytes INTEGER,
  apply_paused INTEGER,
  probe_us INTEGER,
  PRIMARY KEY (version, series)
) WITHOUT ROWID;
CREATE TABLE link_points (
  version INTEGER NOT NULL,
  series INTEGER NOT NULL,
  method INTEGER,
  active INTEGER,
  lag_ms INTEGER,
  lag_bytes INTEGER,
  lag_xid INTEGER,
  pending_send_bytes INTEGER,
  retained_wal_bytes INTEGER,
  catch_up_ms INTEGER,
  conflicts INTEGER,
  apply_errors INTEGER,
  wal_status TEXT,
  PRIMARY KEY (version, series)
) WITHOUT ROWID;
CREATE TABLE keyframes (version INTEGER PRIMARY KEY);

INSERT INTO series (node) SELECT DISTINCT node FROM node_metrics;
INSERT OR IGNORE INTO series (node, peer) SELECT DISTINCT from_node, to_node FROM link_metrics;
INSERT INTO node_points
  SELECT n.version, s.id,
    CASE n.status WHEN 'UNKNOWN' THEN 0 WHEN 'HEALTHY' THEN 1 WHEN 'DEGRADED' THEN 2
      WHEN 'CRITICAL' THEN 3 ELSE 4 END,
    n.reasons, n.error, round(n.lag_seconds * 1000), n.lag_bytes, n.lag_xid, n.walsender_active,
    n.conflict_count, n.conflicts_per_minute, n.apply_errors, n.retained_wal_bytes,
    n.apply_paused, round(n.probe_ms * 1000)
  FROM node_metrics n JOIN cycles c ON c.version = n.version
  JOIN series s ON s.node = n.node AND s.peer = '';
INSERT INTO link_points
  SELECT l.version, s.id,
    CASE l.lag_method WHEN 'caught_up' THEN 0 WHEN 'no_pending_commit' THEN 1
      WHEN 'oldest_unapplied_commit' THEN 2 WHEN 'last_applied_commit' THEN 3
      WHEN 'observed_behind' THEN 4 ELSE 5 END,
    l.active, round(l.lag_seconds * 1000), l.lag_bytes, l.lag_xid, l.pending_send_bytes,
    l.retained_wal_bytes, round(l.catch_up_seconds * 1000), l.conflicts, l.apply_errors,
    CASE l.wal_status WHEN 'reserved' THEN 'r' WHEN 'extended' THEN 'e' WHEN 'unreserved' THEN 'u'
      WHEN 'lost' THEN 'l' ELSE l.wal_status END
  FROM link_metrics l JOIN cycles c ON c.version = l.version
  JOIN series s ON s.node = l.from_node AND s.peer = l.to_node;
INSERT INTO keyframes SELECT version FROM cycles;
DROP TABLE node_metrics;
DROP TABLE link_metrics;
`;

/**
 * v5 (issue 13, busy clusters): the changed link rows of a version are packed into one
 * `link_frames` row (frames.ts), so a cycle inserts one row for its links instead of one per
 * changed link (380 at 20 nodes when every lag moves). New frames are compact BLOBs; the v4 rows
 * are carried over as one JSON-array frame per version (same values, same order of fields).
 */
const V5 = `
CREATE TABLE link_frames (
  version INTEGER PRIMARY KEY,
  rows NOT NULL
);
INSERT INTO link_frames (version, rows)
  SELECT version, json_group_array(json_array(series, method, active, lag_ms, lag_bytes, lag_xid,
    pending_send_bytes, retained_wal_bytes, catch_up_ms, conflicts, apply_errors, wal_status))
  FROM link_points GROUP BY version;
DROP TABLE link_points;
`;

/** SQL of each migration, in order; index 0 is migration 1. */
export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4, V5];

/** The schema version this build writes (`PRAGMA user_version` after migrating). */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** Current `PRAGMA user_version` of a database. */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/**
 * Applies the pending migrations up to `target` (default: the latest), each in its own
 * transaction together with its `user_version` bump. Returns the migrations applied.
 * Throws a RangeError when the database is newer than this build.
 */
export function migrate(db: DatabaseSync, target: number = SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new RangeError(
      `Database schema version ${current} is newer than this build supports (${SCHEMA_VERSION})`,
    );
  }
  let applied = 0;
  for (let v = current + 1; v <= Math.min(target, SCHEMA_VERSION); v++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      // A concurrent opener may have migrated meanwhile: re-check under the write lock.
      if (schemaVersion(db) >= v) {
        db.exec("COMMIT");
        continue;
      }
      db.exec(MIGRATIONS[v - 1]!);
      db.exec(`PRAGMA user_version = ${v}`);
      db.exec("COMMIT");
      applied++;
    } catch (err) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw err;
    }
  }
  return applied;
}
