/**
 * Retention: deletes rows older than the cutoff in small batches (at most `batch` rows per table
 * per call, oldest first, one short transaction) so that pruning never holds up a cycle's write.
 * The newest cycle row and the newest snapshot are never deleted, whatever their age, so a restart
 * after a long outage still continues the version sequence and has a latest snapshot.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** First version still within retention (cycles at/after ?1); all when none is. */
const FIRST_KEPT =
  "coalesce((SELECT version FROM cycles WHERE at >= ?1 ORDER BY at LIMIT 1), 9e15)";
/** Link rows are changes: keep those from the keyframe at or before the first kept version on. */
const KEPT_KEYFRAME = `(SELECT max(version) FROM keyframes WHERE version <= ${FIRST_KEPT})`;
const PRUNE_NODES = `DELETE FROM node_points WHERE (version, series) IN
  (SELECT version, series FROM node_points WHERE version < ${FIRST_KEPT} ORDER BY version LIMIT ?2)`;
const PRUNE_LINKS = `DELETE FROM link_frames WHERE version IN
  (SELECT version FROM link_frames WHERE version < ${KEPT_KEYFRAME} ORDER BY version LIMIT ?2)`;
const PRUNE_KEYFRAMES = `DELETE FROM keyframes WHERE version IN
  (SELECT version FROM keyframes WHERE version < ${KEPT_KEYFRAME} ORDER BY version LIMIT ?2)`;
const PRUNE_CONFLICTS = `DELETE FROM conflicts WHERE (node, conflict_id) IN
  (SELECT node, conflict_id FROM conflicts WHERE at < ?1 ORDER BY at LIMIT ?2)`;
const PRUNE_CYCLES = `DELETE FROM cycles WHERE version IN
  (SELECT version FROM cycles WHERE at < ?1 AND version < (SELECT max(version) FROM cycles)
   ORDER BY at LIMIT ?2)`;
/** Snapshots older than the first cycle at/after ?1 go, but never the newest snapshot. */
const PRUNE_SNAPSHOTS = `DELETE FROM snapshots WHERE version IN
  (SELECT version FROM snapshots WHERE version < min(
     coalesce((SELECT version FROM cycles WHERE at >= ?1 ORDER BY at LIMIT 1), 9e15),
     (SELECT max(version) FROM snapshots))
   ORDER BY version LIMIT ?2)`;

/** Options of {@link Pruner}. */
export interface PrunerOptions {
  /** Age after which metrics, cycle and conflict rows are deleted. */
  retentionMs: number;
  /** Age after which full snapshot JSON is deleted (clamped to retentionMs). */
  snapshotRetentionMs: number;
  /** Max rows deleted per table per call. */
  batch: number;
}

/** Prepared retention statements of one connection. */
export class Pruner {
  #db: DatabaseSync;
  #opts: PrunerOptions;
  #metrics: StatementSync[];
  #snapshots: StatementSync;

  constructor(db: DatabaseSync, opts: PrunerOptions) {
    this.#db = db;
    this.#opts = opts;
    // Cycles last: the cutoffs of the others are read from `cycles`.
    const all = [PRUNE_NODES, PRUNE_LINKS, PRUNE_KEYFRAMES, PRUNE_CONFLICTS, PRUNE_CYCLES];
    this.#metrics = all.map((sql) => db.prepare(sql));
    this.#snapshots = db.prepare(PRUNE_SNAPSHOTS);
  }

  /** Deletes one batch per table of rows older than the cutoffs at `nowMs`; returns rows deleted. */
  prune(nowMs: number): number {
    const { retentionMs, snapshotRetentionMs, batch } = this.#opts;
    const cutoff = nowMs - retentionMs;
    const snapshotCutoff = nowMs - Math.min(snapshotRetentionMs, retentionMs);
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      let deleted = 0;
      // Snapshots first: their cutoff is read from `cycles`, which this call may prune.
      deleted += Number(this.#snapshots.run(snapshotCutoff, batch).changes);
      for (const stmt of this.#metrics) deleted += Number(stmt.run(cutoff, batch).changes);
      db.exec("COMMIT");
      return deleted;
    } catch (err) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw err;
    }
  }
}
