/**
 * The Snapshot: the product's central type (DESIGN section 3). Field names are snake_case because
 * they are the JSON contract; never remove or rename a field once shipped.
 */

/** Status of a node or of the whole cluster, ordered from best to worst (except UNKNOWN). */
export type Status = "HEALTHY" | "DEGRADED" | "CRITICAL" | "DOWN" | "UNKNOWN";

/** All statuses, in the order of their Prometheus code (0 Unknown ... 4 Down). */
export const STATUSES: readonly Status[] = ["UNKNOWN", "HEALTHY", "DEGRADED", "CRITICAL", "DOWN"];

/** How a link's `lag_seconds` was obtained. */
export type LagMethod =
  /** The target has confirmed the origin's current WAL position: lag is 0. */
  | "caught_up"
  /** Age of the oldest unapplied commit, bounded by the target's last applied commit timestamp. */
  | "last_applied_commit"
  /** Time since the collector first saw this link behind (no usable commit timestamp). */
  | "observed_behind"
  /** Neither side could tell (origin or target unreachable, no data yet). */
  | "unknown";

/** Metrics of one node: a summary of its INBOUND links plus node-level facts. */
export interface NodeMetrics {
  /** Worst inbound approximate transaction-id lag (0 when caught up). */
  lag_xid: number | null;
  /** Worst inbound lag in seconds. */
  lag_seconds: number | null;
  /** True only if every inbound walsender is active. */
  walsender_active: boolean | null;
  /** LSNs of the worst inbound link (as the origin's walsender reports them). */
  sent_lsn: string | null;
  write_lsn: string | null;
  flush_lsn: string | null;
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
}

/** One node of the cluster. */
export interface NodeState {
  name: string;
  status: Status;
  /** Why not HEALTHY, one human sentence each. */
  reasons: string[];
  /** Last probe error when DOWN (secrets redacted). */
  error: string | null;
  metrics: NodeMetrics;
}

/** A directed replication link: changes made on `from` applied on `to`. */
export interface Link {
  from: string;
  to: string;
  /** Whether the origin's walsender for this target is active (null when unknown). */
  active: boolean | null;
  lag_seconds: number | null;
  /** Origin WAL bytes not yet confirmed applied by the target. */
  lag_bytes: number | null;
  lag_xid: number | null;
  /** Origin WAL bytes not yet sent (decoded) to the target. */
  pending_send_bytes: number | null;
  /** WAL the origin's slot retains for the target. */
  retained_wal_bytes: number | null;
  sent_lsn: string | null;
  write_lsn: string | null;
  flush_lsn: string | null;
  replay_lsn: string | null;
  /** Estimated seconds to catch up at the observed apply rate (0 when caught up). */
  catch_up_seconds: number | null;
  /** Conflicts detected on the target for changes from the origin. */
  conflicts: number | null;
  /** Apply failures on the target for changes from the origin. */
  apply_errors: number | null;
  lag_method: LagMethod;
}

/** One collection cycle's view of the whole cluster. */
export interface Snapshot {
  /** +1 per collection cycle; continues across restarts. */
  version: number;
  /** ISO 8601 UTC time the cycle started. */
  collected_at: string;
  /** Worst node status. */
  status: Status;
  nodes: Record<string, NodeState>;
  links: Link[];
  /** Cluster-wide totals summed over nodes. */
  cluster: ClusterSummary;
}

/** Cluster-wide totals. */
export interface ClusterSummary {
  conflict_count: number;
  conflicts_per_minute: number;
  apply_errors: number;
  /** Wall time of the cycle in milliseconds. */
  cycle_ms: number;
}

/** One row of a node's pgactive_conflict_history, without row images. */
export interface ConflictRecord {
  /** Node that detected the conflict (configured name). */
  node: string;
  conflict_id: number;
  /** ISO 8601 UTC. */
  local_conflict_time: string;
  object_schema: string | null;
  object_name: string | null;
  /** Configured name of the origin when known, else its pgactive sysid. */
  remote_node: string | null;
  conflict_type: string;
  conflict_resolution: string;
  error_sqlstate: string | null;
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
  snapshot: Snapshot;
  /** Conflict history rows read incrementally (by conflict_id high-water mark per node). */
  conflicts: ConflictRecord[];
}

/** A node's cumulative conflict counter at a point in time (to seed conflicts_per_minute). */
export interface ConflictSample {
  node: string;
  /** Epoch milliseconds. */
  at_ms: number;
  conflict_count: number;
}
