/** /health: the tool's own liveness and freshness (cluster health is in the snapshot). */
import type { CollectorStatsLike, StoreLike } from "./deps.ts";
import type { Hub } from "./hub.ts";

/** Cycles may be this many intervals late before the server reports itself unhealthy. */
export const STALE_INTERVALS = 3;

/** Body of a /health answer. */
export interface HealthReport {
  /** "ok": cycles complete on time; "starting": no cycle yet, still in the grace period; "stale": stuck. */
  status: "ok" | "starting" | "stale";
  /** Version of the latest snapshot (null before the first cycle). */
  version: number | null;
  /** Seconds since the latest snapshot was published (null before the first cycle). */
  last_cycle_age_seconds: number | null;
  interval_seconds: number;
  uptime_seconds: number;
  watchers: number;
  cycles: number | null;
  skipped_cycles: number | null;
  store_write_errors: number | null;
  /** Why the status is "stale" (one sentence), else null. */
  error: string | null;
  /** This server run's id (changes at every start; also the `Pgactive-Run-Id` header). */
  run_id: string | null;
}

/** What {@link healthReport} reads. */
export interface HealthDeps {
  hub: Hub;
  intervalMs: number;
  now: () => number;
  collectorStats?: (() => CollectorStatsLike) | undefined;
  store?: StoreLike | null | undefined;
  runId?: string | undefined;
}

/** The health report and its HTTP status (200 unless stale). */
export function healthReport(deps: HealthDeps): { httpStatus: 200 | 503; report: HealthReport } {
  const now = deps.now();
  const latest = deps.hub.latest;
  const limitMs = STALE_INTERVALS * deps.intervalMs;
  const ageMs = latest ? Math.max(0, now - latest.publishedAt) : null;
  const sinceStartMs = Math.max(0, now - deps.hub.createdAt);
  let status: HealthReport["status"] = "ok";
  let reason: string | null = null;
  if (ageMs === null) {
    status = sinceStartMs > limitMs ? "stale" : "starting";
    if (status === "stale") {
      reason = `No collection cycle has completed in the ${secs(sinceStartMs)} s since start`;
    }
  } else if (ageMs > limitMs) {
    status = "stale";
    reason = `The last collection cycle completed ${secs(ageMs)} s ago (limit ${secs(limitMs)} s)`;
  }
  const stats = deps.collectorStats?.();
  const report: HealthReport = {
    status,
    version: latest?.version ?? null,
    last_cycle_age_seconds: ageMs === null ? null : ageMs / 1000,
    interval_seconds: deps.intervalMs / 1000,
    uptime_seconds: sinceStartMs / 1000,
    watchers: deps.hub.subscriberCount,
    cycles: stats?.cycles ?? null,
    skipped_cycles: stats?.skippedCycles ?? null,
    store_write_errors: deps.store ? deps.store.writeErrors : null,
    error: reason,
    run_id: deps.runId ?? null,
  };
  return { httpStatus: status === "stale" ? 503 : 200, report };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1);
}
