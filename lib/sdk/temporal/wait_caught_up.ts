/**
 * The barrier wait as an activity: follows /watch, heartbeats its progress, resumes from the
 * details a failed attempt heartbeated, and stops at once when the activity is cancelled.
 */
import { ApplicationFailure, CancelledFailure, Context } from "@temporalio/activity";
import { CaughtUpBarrier } from "../barrier.ts";
import type { Client } from "../client.ts";
import type { Snapshot } from "../../snapshot/mod.ts";
import { FAILURE_TYPES, invalidArgument, toFailure, unknownNodes } from "./failures.ts";
import {
  type CaughtUpProgress,
  type CaughtUpResult,
  missingNodes,
  previousProgress,
  type WaitForCaughtUpInput,
  worstLag,
} from "./progress.ts";

/** What the wait needs from the factory. */
export interface WaitDeps {
  client: Client;
  /** Fixed heartbeat interval; else half the heartbeat timeout, at most 5 s. */
  heartbeatIntervalMs: number | undefined;
  /** Fail (retryably) after the server has been unreachable this long. */
  maxUnreachableMs: number;
  now: () => number;
}

/** Why the watch was stopped from inside. */
class Stop {
  constructor(readonly failure: Error) {}
}

/** Runs one attempt of the wait in the current activity context. */
export async function waitCaughtUp(
  deps: WaitDeps,
  input: WaitForCaughtUpInput = {},
): Promise<CaughtUpResult> {
  checkInput(input);
  const ctx = Context.current();
  const { attempt } = ctx.info;
  const previous = previousProgress(ctx.info.heartbeatDetails);
  const startedMs = previous ? Date.parse(previous.startedAt) : deps.now();
  const resumedBarrier = input.barrier === undefined && previous?.barrier != null;
  if (previous) {
    ctx.log.info("resuming the caught-up wait from heartbeat details", {
      fromAttempt: previous.attempt,
      version: previous.version,
      barrier: previous.barrier,
    });
  }
  const barrier = new CaughtUpBarrier({
    maxLagSeconds: input.maxLagSeconds ?? 0,
    nodes: input.nodes,
    barrier: input.barrier ?? previous?.barrier ?? undefined,
  });
  const scope = input.nodes ? new Set(input.nodes) : null;
  let progress: CaughtUpProgress = {
    version: previous?.version ?? null,
    caughtUp: false,
    blocking: previous?.blocking ?? [],
    worstLagSeconds: previous?.worstLagSeconds ?? null,
    barrier: barrier.positions ? { ...barrier.positions } : null,
    startedAt: new Date(startedMs).toISOString(),
    attempt,
    serverError: null,
  };
  const beat = () => ctx.heartbeat(progress);
  beat();
  const intervalMs = deps.heartbeatIntervalMs ??
    Math.min(5_000, Math.max(100, (ctx.info.heartbeatTimeoutMs ?? 10_000) / 2));
  const beater = setInterval(beat, intervalMs);

  const inner = new AbortController();
  const cancelled = ctx.cancellationSignal;
  const onCancel = () => inner.abort(cancellationReason(cancelled));
  if (cancelled.aborted) onCancel();
  cancelled.addEventListener("abort", onCancel, { once: true });
  const deadline = input.timeoutMs === undefined ? undefined : setTimeout(
    () => inner.abort(new Stop(notCaughtUp(input.timeoutMs!, progress))),
    Math.max(0, startedMs + input.timeoutMs - deps.now()),
  );
  let unreachableSince: number | null = null;
  const onRetry = ({ error }: { error: Error }) => {
    progress = { ...progress, serverError: error.message };
    beat();
    const failure = toFailure(error);
    if (failure instanceof ApplicationFailure && failure.nonRetryable) {
      inner.abort(new Stop(failure));
      return;
    }
    unreachableSince ??= deps.now();
    if (deps.now() - unreachableSince >= deps.maxUnreachableMs) {
      inner.abort(new Stop(failure as Error));
    }
  };
  try {
    let first = true;
    for await (const snapshot of deps.client.watchSnapshots({ signal: inner.signal, onRetry })) {
      unreachableSince = null;
      if (first) {
        first = false;
        const unknown = missingNodes(snapshot, input.nodes);
        if (unknown.length > 0) throw unknownNodes(unknown, Object.keys(snapshot.nodes).sort());
      }
      const verdict = barrier.check(snapshot);
      progress = {
        ...progress,
        version: snapshot.version,
        caughtUp: verdict.caughtUp,
        blocking: verdict.blocking,
        worstLagSeconds: worstLag(snapshot, scope),
        barrier: barrier.positions ? { ...barrier.positions } : null,
        serverError: null,
      };
      beat();
      if (verdict.caughtUp) return result(snapshot, progress, previous, resumedBarrier, deps);
    }
    throw stopReason(inner.signal);
  } catch (err) {
    if (inner.signal.aborted) throw stopReason(inner.signal);
    throw toFailure(err);
  } finally {
    clearInterval(beater);
    clearTimeout(deadline);
    cancelled.removeEventListener("abort", onCancel);
    inner.abort();
  }
}

function result(
  snapshot: Snapshot,
  progress: CaughtUpProgress,
  previous: CaughtUpProgress | null,
  resumedBarrier: boolean,
  deps: WaitDeps,
): CaughtUpResult {
  return {
    version: snapshot.version,
    collectedAt: snapshot.collected_at,
    barrier: progress.barrier ?? {},
    waitedMs: Math.max(0, deps.now() - Date.parse(progress.startedAt)),
    attempt: progress.attempt,
    resumedFrom: previous === null
      ? null
      : { attempt: previous.attempt, version: previous.version, barrier: resumedBarrier },
  };
}

function notCaughtUp(timeoutMs: number, progress: CaughtUpProgress): ApplicationFailure {
  const why = progress.blocking.length > 0 ? progress.blocking.join("; ") : "no snapshot received";
  const last = progress.version === null ? "" : ` (version ${progress.version})`;
  return ApplicationFailure.create({
    message: `Replication not caught up after ${timeoutMs} ms${last}: ${why}`.slice(0, 1000),
    type: FAILURE_TYPES.notCaughtUp,
    nonRetryable: true,
    details: [progress],
  });
}

function cancellationReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new CancelledFailure(String(reason ?? "cancelled"));
}

/** The error to throw once the inner signal has aborted. */
function stopReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Stop) return reason.failure;
  return reason instanceof Error ? reason : new CancelledFailure("cancelled");
}

function checkInput(input: WaitForCaughtUpInput): void {
  const { maxLagSeconds, timeoutMs, nodes, barrier } = input;
  if (maxLagSeconds !== undefined && !(Number.isFinite(maxLagSeconds) && maxLagSeconds >= 0)) {
    throw invalidArgument(
      `maxLagSeconds must be a number >= 0, got ${JSON.stringify(maxLagSeconds)}`,
    );
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    throw invalidArgument(`timeoutMs must be a number >= 0, got ${JSON.stringify(timeoutMs)}`);
  }
  if (nodes !== undefined && !(Array.isArray(nodes) && nodes.every((n) => typeof n === "string"))) {
    throw invalidArgument("nodes must be an array of node names");
  }
  for (const [node, lsn] of Object.entries(barrier ?? {})) {
    if (typeof lsn !== "string" || !/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(lsn)) {
      throw invalidArgument(
        `barrier.${node} must be an LSN like "0/16B3748", got ${JSON.stringify(lsn)}`,
      );
    }
  }
}
