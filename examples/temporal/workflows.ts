/**
 * An upgrade runbook as a Temporal workflow: check health, drain the node, wait until everything
 * committed before the wait is applied on every node (a barrier), then switch traffic. When a
 * step after the drain fails (or the workflow is cancelled), writes are restored before it ends.
 *
 * Runs in Temporal's workflow sandbox: it imports only `@temporalio/workflow` and types.
 */
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  log,
  proxyActivities,
} from "@temporalio/workflow";
import type {
  CaughtUpResult,
  HealthVerdict,
  ReplicationActivities,
} from "../../lib/sdk/temporal/mod.ts";
import type { RunbookActivities } from "./runbook_activities.ts";

/** Input of {@link upgradeRunbook}. */
export interface RunbookInput {
  /** The node to upgrade: drained, then traffic switches away from it. */
  node: string;
  /** Refuse to start when the cluster is at this level or worse (default "warn"). */
  failOn?: "warn" | "crit";
  /** Accept links whose oldest unapplied commit is at most this old (default 0: exact). */
  maxLagSeconds?: number;
  /** Give up waiting for the barrier after this long (default 10 minutes). */
  caughtUpTimeoutMs?: number;
  /** Heartbeat timeout of the wait (default 10 s): a dead worker is noticed this fast. */
  heartbeatTimeoutMs?: number;
}

/** What the runbook did. */
export interface RunbookResult {
  /** The health verdict it started from. */
  health: HealthVerdict;
  /** The snapshot version the switch target was chosen from. */
  snapshotVersion: number;
  /** The barrier the wait satisfied. */
  caughtUp: CaughtUpResult;
  /** The node traffic was switched to. */
  switchedTo: string;
}

/** Failure type when the cluster is not healthy enough to start. */
export const CLUSTER_UNHEALTHY = "RunbookClusterUnhealthy";
/** Failure type when no healthy node can take the traffic. */
export const NO_TARGET = "RunbookNoSwitchTarget";

/** Check health, drain, wait for the barrier, switch; restores writes when it fails after the drain. */
export async function upgradeRunbook(input: RunbookInput): Promise<RunbookResult> {
  const reads = proxyActivities<ReplicationActivities>({
    startToCloseTimeout: "30s",
    retry: {
      initialInterval: "1s",
      backoffCoefficient: 2,
      maximumInterval: "20s",
      maximumAttempts: 5,
    },
  });
  const caughtUpTimeoutMs = input.caughtUpTimeoutMs ?? 600_000;
  const waits = proxyActivities<ReplicationActivities>({
    // The activity's own timeoutMs ends the wait with PgactiveNotCaughtUp; this is the backstop.
    startToCloseTimeout: caughtUpTimeoutMs + 60_000,
    heartbeatTimeout: input.heartbeatTimeoutMs ?? 10_000,
    // A retry resumes from the heartbeat details: same barrier, same deadline.
    retry: {
      initialInterval: "1s",
      backoffCoefficient: 2,
      maximumInterval: "10s",
      maximumAttempts: 10,
    },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const runbook = proxyActivities<RunbookActivities>({
    startToCloseTimeout: "1m",
    retry: { maximumAttempts: 3 },
  });

  const health = await reads.checkReplicationHealth({ failOn: input.failOn ?? "warn" });
  if (!health.ok) {
    throw ApplicationFailure.nonRetryable(
      `Cluster is ${health.label}: ${health.problems.join("; ")}`,
      CLUSTER_UNHEALTHY,
      health,
    );
  }
  const snapshot = await reads.getReplicationSnapshot();
  const target = Object.values(snapshot.nodes)
    .filter((n) => n.name !== input.node && n.status === "HEALTHY")
    .map((n) => n.name)
    .sort()[0];
  if (!(input.node in snapshot.nodes) || target === undefined) {
    throw ApplicationFailure.nonRetryable(
      `No healthy node other than "${input.node}" to switch to`,
      NO_TARGET,
    );
  }

  await runbook.drainWrites({ node: input.node });
  try {
    const caughtUp = await waits.waitForReplicationCaughtUp({
      maxLagSeconds: input.maxLagSeconds ?? 0,
      timeoutMs: caughtUpTimeoutMs,
    });
    log.info("replication caught up", { version: caughtUp.version, barrier: caughtUp.barrier });
    await runbook.switchTraffic({ from: input.node, to: target });
    return { health, snapshotVersion: snapshot.version, caughtUp, switchedTo: target };
  } catch (err) {
    // Compensate even when the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(() => runbook.restoreWrites({ node: input.node }));
    throw err;
  }
}
