/**
 * SQLite history of collection cycles (node:sqlite, WAL): compact per-node rows every version,
 * the links that changed packed into one frame row per version (keyframes at least every 60
 * versions), full snapshots on change or once a minute, conflict history, version continuity
 * across restarts, batched pruning.
 * Deno or Node >= 22.5 only: the SDK must not import this module.
 * @module
 */
export { Store } from "./store.ts";
export type { StoreOptions } from "./store.ts";
export { DEFAULT_LIMIT, MAX_LIMIT } from "./queries.ts";
export type {
  ConflictQuery,
  LinkHistoryPoint,
  LinkHistoryQuery,
  NodeHistoryPoint,
  NodeHistoryQuery,
} from "./queries.ts";
export { SCHEMA_VERSION } from "./migrations.ts";
/** The durable last-published version (`<database.path>-version`), independent of the history. */
export { bootTimeMs, leasePath, VersionLease } from "./version_lease.ts";
export type { VersionLeaseOptions } from "./version_lease.ts";
