/**
 * The Snapshot types, status helpers and the shared zod schema.
 * @module
 */
export type {
  ClusterSummary,
  ConflictRecord,
  ConflictSample,
  CycleResult,
  LagMethod,
  Link,
  NodeMetrics,
  NodeState,
  Snapshot,
  Status,
} from "./types.ts";
export {
  LAG_METHODS,
  statusCode,
  STATUSES,
  statusRank,
  WAL_STATUSES,
  worstStatus,
} from "./types.ts";
export { formatLsn, lsnDiff, MIN_COMMIT_RECORD_BYTES, parseLsn } from "./lsn.ts";
export {
  ConflictRecordSchema,
  LinkSchema,
  NodeMetricsSchema,
  NodeStateSchema,
  parseConflictRecord,
  parseSnapshot,
  SnapshotSchema,
  StatusSchema,
} from "./schema.ts";
