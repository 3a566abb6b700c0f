/**
 * The Snapshot: the product's central type (DESIGN section 3). Field names are snake_case because
 * they are the JSON contract; never remove or rename a field once shipped.
 *
 * Besides mod.ts, this file is the one other door into lib/snapshot: it imports nothing, so the
 * CLI's one-shot reader (lib/cli/server_read.ts) takes the status and lag-method lists from it
 * without loading the zod schema that mod.ts re-exports.
 */

/** Status of a node or of the whole cluster, ordered from best to worst (except UNKNOWN). */
export type Status = "HEALTHY" | "DEGRADED" | "CRITICAL" | "DOWN" | "UNKNOWN";

/** All statuses, in the order of their Prometheus code (0 Unknown ... 4 Down). */
export const STATUSES: readonly Status[] = ["UNKNOWN", "HEALTHY", "DEGRADED", "CRITICAL", "DOWN"];

/** How a link's `lag_seconds` was obtained. */
export type LagMethod =
  /** The target has confirmed the origin's WAL (nothing sent is unconfirmed): lag is 0. */
  | "caught_up"
  /**
   * Some WAL is unconfirmed (e.g. the target's apply is paused) but the origin's commit
   * timestamps show no local commit in it: nothing to apply, lag is 0.
   */
  | "no_pending_commit"
  /** Exact: origin clock now − commit time of the oldest local commit the target has not applied. */
  | "oldest_unapplied_commit"
  /** Upper bound: target clock now − commit time of the last transaction it applied from the origin. */
  | "last_applied_commit"
  /** Bound from the collector's memory: since the origin's WAL was last at the confirmed position. */
  | "observed_behind"
  /** Neither side could tell (origin or target unreachable, no data yet). */
  | "unknown";

/**
 * All lag methods. Append only: the index is the code lib/store keeps in its history rows, and
 * the list is also the snapshot schema's enum and the CLI's start-up check (lib/cli/server_read.ts).
 */
export const LAG_METHODS = [
  "caught_up",
  "no_pending_commit",
  "oldest_unapplied_commit",
  "last_applied_commit",
  "observed_behind",
  "unknown",
] as const satisfies readonly LagMethod[];

/**
 * The `wal_status` values PostgreSQL 15 gives a slot (Link.wal_status may hold another, newer one):
 * the states of the slot WAL metrics in lib/server and lib/telemetry.
 */
export const WAL_STATUSES = ["reserved", "extended", "unreserved", "lost"] as const;

/** Metrics of one node: a summary of its INBOUND links plus node-level facts. */
export interface NodeMetrics {
  /** Worst inbound approximate transaction-id lag (0 when caught up). */
  lag_xid: number | null;
  /** Worst inbound lag in seconds. */
  lag_seconds: number | null;
  /** True only if every inbound walsender is active. */
  walsender_active: boolean | null;
  /** LSNs of the worst inbound link (as the origin's walsender reports them): WAL sent. */
  sent_lsn: string | null;
  /** Worst inbound link: WAL written by the target (walsender's write_lsn). */
  write_lsn: string | null;
  /** Worst inbound link: WAL flushed by the target (walsender's flush_lsn). */
  flush_lsn: string | null;
  /** Worst inbound link: WAL applied by the target (walsender's replay_lsn). */
  replay_lsn: string | null;
  /** Conflicts detected on this node (sum over origins, pgactive's own catalog excluded). */
  conflict_count: number | null;
  /** Worst inbound lag in bytes of origin WAL not yet applied here. */
  lag_bytes: number | null;
  /** Conflict rate on this node over the sliding window. */
  conflicts_per_minute: number | null;
  /** Apply transactions that failed here (sum of nr_rollback over origins). */
  apply_errors: number | null;
  /** Max WAL this node's slots hold for peers. */
  retained_wal_bytes: number | null;
  /** pgactive library version, e.g. "2.1.9". */
  pgactive_version: string | null;
  /** Installed SQL extension version (pg_extension.extversion), e.g. "2.1.8". */
  extension_version: string | null;
  /** pgactive membership status code of this node (`r` = ready). */
  node_status: string | null;
  /** Wall time of this node's probe in milliseconds. */
  probe_ms: number | null;
  /** True when pgactive_apply_pause() is in effect on this node. */
  apply_paused: boolean | null;
  /**
   * This node's WAL flush position at its probe (pg_current_wal_flush_lsn()): everything it had
   * committed by then lies at or below it. The barrier of `wait` is taken from it.
   */
  wal_lsn: string | null;
}

/** One node of the cluster. */
export interface NodeState {
  /** Configured node name (the key in `Snapshot.nodes`). */
  name: string;
  /** HEALTHY, DEGRADED, CRITICAL, DOWN or UNKNOWN (DESIGN section 4). */
  status: Status;
  /** Why not HEALTHY, one human sentence each. */
  reasons: string[];
  /** Last probe error when DOWN (secrets redacted). */
  error: string | null;
  /** Summary of the node's inbound links plus node-level facts. */
  metrics: NodeMetrics;
}

/** A directed replication link: changes made on `from` applied on `to`. */
export interface Link {
  /** Origin node name (where the changes are made). */
  from: string;
  /** Target node name (where they are applied). */
  to: string;
  /** Whether the origin's walsender for this target is active (null when unknown). */
  active: boolean | null;
  /** Age in seconds of the oldest committed transaction not applied (0 when caught up; see `lag_method`). */
  lag_seconds: number | null;
  /**
   * Origin WAL bytes not confirmed by the target while a committed transaction is unapplied
   * (0 when caught up, even if WAL without a commit is unconfirmed: see `unconfirmed_bytes`).
   */
  lag_bytes: number | null;
  /** Approximate transactions not yet applied (origin next xid − last applied upstream xid). */
  lag_xid: number | null;
  /** Origin WAL bytes not yet sent (decoded) to the target. */
  pending_send_bytes: number | null;
  /** WAL the origin's slot retains for the target. */
  retained_wal_bytes: number | null;
  /** Origin WAL sent to the target (origin's walsender; null while disconnected). */
  sent_lsn: string | null;
  /** Origin WAL written by the target (origin's walsender; null while disconnected). */
  write_lsn: string | null;
  /** Origin WAL flushed by the target (origin's walsender; null while disconnected). */
  flush_lsn: string | null;
  /** Origin WAL applied by the target (origin's walsender; null while disconnected). */
  replay_lsn: string | null;
  /** Estimated seconds to catch up at the observed apply rate (0 when caught up). */
  catch_up_seconds: number | null;
  /** Conflicts detected on the target for changes from the origin. */
  conflicts: number | null;
  /** Apply failures on the target for changes from the origin. */
  apply_errors: number | null;
  /** How `lag_seconds` was obtained. */
  lag_method: LagMethod;
  /**
   * pg_replication_slots.wal_status of the origin's slot for the target: `reserved`, `extended`,
   * `unreserved` (WAL past max_slot_wal_keep_size, about to be removed) or `lost` (the target can
   * never catch up from this slot); null when unknown.
   */
  wal_status: string | null;
  /**
   * True when the target has applied every transaction the origin committed up to the origin's
   * probe; false when at least one committed transaction is not applied; null when it cannot be
   * told (origin unreachable, no slot).
   */
  caught_up: boolean | null;
  /**
   * The origin's WAL position the target has confirmed (the walsender's replay_lsn while
   * connected, else the slot's confirmed_flush_lsn). Compare with the origin's `wal_lsn`.
   */
  confirmed_lsn: string | null;
  /** Origin WAL past `confirmed_lsn`, whether or not it holds a commit (0 when confirmed). */
  unconfirmed_bytes: number | null;
  /** The target's apply is paused (pgactive_apply_pause()): it confirms nothing until resumed. */
  apply_paused: boolean | null;
}

/** One collection cycle's view of the whole cluster. */
export interface Snapshot {
  /** +1 per collection cycle; continues across restarts. */
  version: number;
  /** ISO 8601 UTC time the cycle started. */
  collected_at: string;
  /** Worst node status. */
  status: Status;
  /** Every configured node, by name. */
  nodes: Record<string, NodeState>;
  /** Every directed link origin -> target that exists. */
  links: Link[];
  /** Cluster-wide totals summed over nodes. */
  cluster: ClusterSummary;
}

/** Cluster-wide totals. */
export interface ClusterSummary {
  /** Sum of the nodes' conflict_count (a conflict is normally logged on one node only). */
  conflict_count: number;
  /** Sum of the nodes' conflicts_per_minute. */
  conflicts_per_minute: number;
  /** Sum of the nodes' apply_errors. */
  apply_errors: number;
  /** Wall time of the cycle in milliseconds. */
  cycle_ms: number;
}

/** One row of a node's pgactive_conflict_history, without row images. */
export interface ConflictRecord {
  /** Node that detected the conflict (configured name). */
  node: string;
  /** The detecting node's conflict_id (increasing per node). */
  conflict_id: number;
  /** When the conflict was detected, ISO 8601 UTC. */
  local_conflict_time: string;
  /** Schema of the table the conflict was on. */
  object_schema: string | null;
  /** Table the conflict was on. */
  object_name: string | null;
  /** Configured name of the origin when known, else its pgactive sysid. */
  remote_node: string | null;
  /** pgactive_conflict_type label, e.g. "update_update". */
  conflict_type: string;
  /** pgactive_conflict_resolution label, e.g. "last_update_wins_keep_local". */
  conflict_resolution: string;
  /** SQLSTATE of the apply error, when there was one. */
  error_sqlstate: string | null;
  /** Message of the apply error, when there was one. */
  error_message: string | null;
}

/** Severity rank used to pick the worst status (UNKNOWN ranks between HEALTHY and DEGRADED). */
export function statusRank(status: Status): number {
  switch (status) {
    case "HEALTHY":
      return 0;
    case "UNKNOWN":
      return 1;
    case "DEGRADED":
      return 2;
    case "CRITICAL":
      return 3;
    case "DOWN":
      return 4;
  }
}

/** The worst of several statuses; HEALTHY for none. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = "HEALTHY";
  for (const s of statuses) if (statusRank(s) > statusRank(worst)) worst = s;
  return worst;
}

/** Prometheus code of a status (DESIGN section 6): 0 Unknown, 1 Healthy, 2 Degraded, 3 Critical, 4 Down. */
export function statusCode(status: Status): number {
  return STATUSES.indexOf(status);
}

/** What one collection cycle produces: the snapshot plus conflict rows new since the last cycle. */
export interface CycleResult {
  /** The cycle's Snapshot. */
  snapshot: Snapshot;
  /** Conflict history rows read incrementally (by conflict_id high-water mark per node). */
  conflicts: ConflictRecord[];
}

/** A node's cumulative conflict counter at a point in time (to seed conflicts_per_minute). */
export interface ConflictSample {
  /** Configured node name. */
  node: string;
  /** Epoch milliseconds. */
  at_ms: number;
  /** The node's cumulative conflict_count at that time. */
  conflict_count: number;
}
