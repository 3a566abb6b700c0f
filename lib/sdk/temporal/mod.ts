/**
 * Temporal activities on the pgactive-tools SDK (the package's `./temporal` export; never imported
 * by the CLI or the server): read the snapshot, wait with heartbeats until replication has caught
 * up (a barrier), and check health, failing with `ApplicationFailure`s of stable types.
 *
 * Register the functions of {@link createReplicationActivities} on a Worker, and call them from a
 * workflow through `proxyActivities<ReplicationActivities>()` with a `heartbeatTimeout` (the wait
 * heartbeats, resumes from its details on a retry, and stops at once when cancelled).
 *
 * @example
 * ```ts
 * import { healthVerdict } from "./mod.ts";
 * const verdict = healthVerdict({
 *   version: 7, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {}, links: [],
 *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 3 },
 * }, { failOn: "crit" });
 * // No node was read: UNKNOWN fails whatever the threshold (exit code 3, as `check`).
 * if (verdict.ok || verdict.label !== "UNKNOWN" || verdict.exitCode !== 3) throw new Error("?");
 * ```
 * @module
 */

/** The factory of the activities. */
export { createReplicationActivities } from "./activities.ts";
/** Its options and the activities' signatures. */
export type { ReplicationActivities, ReplicationActivitiesOptions } from "./activities.ts";
/** Input, heartbeat details and result of `waitForReplicationCaughtUp`. */
export type { CaughtUpProgress, CaughtUpResult, WaitForCaughtUpInput } from "./progress.ts";
/** Input and result of `checkReplicationHealth`. */
export type { HealthCheckInput, HealthLabel, HealthVerdict } from "./health_verdict.ts";
/** The `check` verdict of a snapshot as data (also usable outside an activity). */
export { healthVerdict } from "./health_verdict.ts";
/** Stable `ApplicationFailure` types. */
export { FAILURE_TYPES } from "./failures.ts";
/** One of {@link FAILURE_TYPES}. */
export type { ReplicationFailureType } from "./failures.ts";
