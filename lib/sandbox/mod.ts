/**
 * A real PostgreSQL 15 logical-replication mesh on this machine with a `pgactive` compatibility
 * schema, for tests and demos.
 *
 * ```ts ignore
 * import { startSandbox } from "./mod.ts";
 * await using sb = await startSandbox({ nodes: 3 });
 * await sb.write("node1", 10);
 * await sb.waitForCatchUp();
 * ```
 *
 * What is real: instances, walsenders, slots (named `pgactive_<origin dboid>_<consumer sysid>_0_
 * <consumer dboid>__`, plugin `pgactive` = a copy of pgoutput), `pg_stat_replication` rows with
 * application_name `pgactive:<consumer sysid>:send`, LSN movement, replication origins, commit
 * timestamps, apply progress and counters (kept by a trigger that fires only inside the apply
 * worker), lag built by stalls, slots going inactive on break/stop, restarts and crash recovery
 * (`restartNode` with `fast`, `immediate` or `kill`).
 *
 * Differences from real pgactive a collector author must know:
 * - The slots' plugin `pgactive` is a copy of pgoutput in the sandbox's own folder, which
 *   `dynamic_library_path` lists first (then `extraLibraryDirs`, then `$libdir`): a real pgactive
 *   installed on the machine is never loaded by the sandbox.
 * - Conflicts are SIMULATED (`recordConflict`): rows carry error_context
 *   'simulated by pgactive-tools sandbox'; counters move in the same transaction.
 * - Replication origins are named `pg_<subscription oid>` (PostgreSQL's), not
 *   `pgactive_<sysid>_0_<dboid>_<dboid>_`; `pgactive_parse_replident_name()` maps them to the
 *   upstream's triple and `pgactive_stats.rilocalid` is the real roident, so joins work.
 * - Receiver-side processes are PostgreSQL's `logical replication worker`s (no `pgactive apply
 *   worker` backend_type, no supervisor / per-db worker; the per-db row of
 *   `pgactive_get_workers_info()` shows the logical replication launcher's pid).
 *   `pgactive_get_workers_info()` covers the current database only.
 * - `pgactive_get_replication_lag_info()` fans out with dblink using `connect_timeout=2`
 *   (pgactive: 30 s); unreachable nodes are skipped silently, as in pgactive.
 * - `pg_stat_replication.*_lag` are filled by PostgreSQL here (NULL under pgactive): don't use.
 * - `last_applied_xact_*` come from the last applied row change of `sandbox_<node>` tables; zero
 *   values (0, 2000-01-01) when the apply worker is not running or has applied nothing since it
 *   (re)started, as in pgactive. For a DELETE the upstream xid is the deleted row's last writer.
 * - `pauseApply` SIGSTOPs the node's apply workers at a transaction boundary: like pgactive's
 *   paused workers they read nothing, so the peers' walsenders stay connected, sent_lsn runs
 *   ahead of write/flush/replay_lsn on every inbound link and nothing is confirmed. But the
 *   workers are stopped processes (/proc state T; pg_stat_activity shows their last state); a
 *   worker started during the pause is frozen once it has received something (checked every
 *   200 ms); before a fast stop of a peer the sandbox ends that peer's walsenders to paused nodes
 *   (pgactive's shutdown would wait for them up to wal_sender_timeout). A stop or restart of the
 *   paused node ends the pause, as in pgactive.
 * - The counters and apply progress pgactive keeps in shared memory live in an UNLOGGED table.
 *   Before a `fast` or `immediate` stop the sandbox saves the counters (pgactive's postmaster
 *   writes global/pgactive.stat whenever it exits) and, when crash recovery emptied the table,
 *   adds them back at start: they survive `fast` and `immediate` and fall back to the last save
 *   after `kill` (SIGKILL, as an OOM kill), while `pgactive_conflict_history` keeps every row.
 *   Counts between the save and an immediate stop are lost (pgactive saves after its workers
 *   exit); a crash-restart the sandbox did not cause (a backend killed by hand) empties the
 *   counters until the sandbox next starts the node (pgactive would save and reload them).
 * - `pgactive_is_apply_paused()` is per database (pgactive: per instance) and only set by
 *   `pauseApply`. `nr_disconnect` stays 0. The stats only count changes to sandbox tables.
 * - While a link is stalled, writes to `sandbox_<from>` on `to` block (reads do not).
 * - `query()` on a hung node hangs until `resumeNode`; use your own client with a timeout.
 * - Data dirs live on tmpfs (/dev/shm) when writable (env PGACTIVE_SANDBOX_TMPDIR overrides);
 *   a detached watchdog tears the sandbox down if this process dies without `close()`.
 * @module
 */
export { Sandbox } from "./sandbox.ts";
export { startSandbox } from "./start.ts";
export type { SandboxOptions } from "./start.ts";
export type { SandboxNode, StopMode } from "./node_runtime.ts";
/** The logger type of `SandboxOptions.logger`. */
export type { Logger } from "../telemetry/mod.ts";
export type { LoadHandle } from "./load.ts";
export { MAX_ROWS_PER_SECOND } from "./load.ts";
export type { SandboxConfigOptions } from "./config_yaml.ts";
export { CONFLICT_COUNTER, CONFLICT_RESOLUTIONS, CONFLICT_TYPES } from "./conflicts.ts";
export type { ConflictOptions, ConflictResolution, ConflictType } from "./conflicts.ts";
export {
  SANDBOX_PGACTIVE_VERSION,
  SANDBOX_PGACTIVE_VERSION_NUM,
  SIMULATED_MARKER,
} from "./compat_schema.ts";
