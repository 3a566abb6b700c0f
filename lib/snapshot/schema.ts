/** One zod schema for the Snapshot, shared by the collector's tests, the server's tests and the SDK. */
import { z } from "zod";
import { type ConflictRecord, LAG_METHODS, type Snapshot } from "./types.ts";

const num = z.number().finite().nullable();
const lsn = z.string().regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i).nullable();

/** Schema of a node or cluster status. */
export const StatusSchema = z.enum(["HEALTHY", "DEGRADED", "CRITICAL", "DOWN", "UNKNOWN"]);

/** Schema of a node's metrics. */
export const NodeMetricsSchema = z.object({
  lag_xid: num,
  lag_seconds: num,
  walsender_active: z.boolean().nullable(),
  sent_lsn: lsn,
  write_lsn: lsn,
  flush_lsn: lsn,
  replay_lsn: lsn,
  conflict_count: num,
  lag_bytes: num,
  conflicts_per_minute: num,
  apply_errors: num,
  retained_wal_bytes: num,
  pgactive_version: z.string().nullable(),
  extension_version: z.string().nullable(),
  node_status: z.string().nullable(),
  probe_ms: num,
  apply_paused: z.boolean().nullable(),
  // Added after the first release: absent in older stored snapshots.
  wal_lsn: lsn.default(null),
});

/** Schema of one node. */
export const NodeStateSchema = z.object({
  name: z.string().min(1),
  status: StatusSchema,
  reasons: z.array(z.string()),
  error: z.string().nullable(),
  metrics: NodeMetricsSchema,
});

/** Schema of one directed link. */
export const LinkSchema = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  active: z.boolean().nullable(),
  lag_seconds: num,
  lag_bytes: num,
  lag_xid: num,
  pending_send_bytes: num,
  retained_wal_bytes: num,
  sent_lsn: lsn,
  write_lsn: lsn,
  flush_lsn: lsn,
  replay_lsn: lsn,
  catch_up_seconds: num,
  conflicts: num,
  apply_errors: num,
  lag_method: z.enum(LAG_METHODS),
  wal_status: z.string().nullable(),
  // Added after the first release: absent in older stored snapshots.
  caught_up: z.boolean().nullable().default(null),
  confirmed_lsn: lsn.default(null),
  unconfirmed_bytes: num.default(null),
  apply_paused: z.boolean().nullable().default(null),
});

/** Schema of the whole Snapshot. Unknown extra fields are kept (forward compatibility). */
export const SnapshotSchema = z.looseObject({
  version: z.number().int().nonnegative(),
  collected_at: z.iso.datetime(),
  status: StatusSchema,
  nodes: z.record(z.string(), NodeStateSchema),
  links: z.array(LinkSchema),
  cluster: z.object({
    conflict_count: z.number(),
    conflicts_per_minute: z.number(),
    apply_errors: z.number(),
    cycle_ms: z.number(),
  }),
});

/** Schema of one conflict record. */
export const ConflictRecordSchema = z.object({
  node: z.string(),
  conflict_id: z.number().int(),
  local_conflict_time: z.iso.datetime({ offset: true }),
  object_schema: z.string().nullable(),
  object_name: z.string().nullable(),
  remote_node: z.string().nullable(),
  conflict_type: z.string(),
  conflict_resolution: z.string(),
  error_sqlstate: z.string().nullable(),
  error_message: z.string().nullable(),
});

/** Validates unknown data as a Snapshot; throws a zod error naming every bad path. */
export function parseSnapshot(data: unknown): Snapshot {
  return SnapshotSchema.parse(data) as Snapshot;
}

/** Validates unknown data as a ConflictRecord. */
export function parseConflictRecord(data: unknown): ConflictRecord {
  return ConflictRecordSchema.parse(data);
}

// Compile-time check that the schema and the hand-written types agree.
type _SnapshotMatches = z.infer<typeof SnapshotSchema> extends Snapshot ? true : never;
const _snapshotMatches: _SnapshotMatches = true;
void _snapshotMatches;
