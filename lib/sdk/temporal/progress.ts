/**
 * The barrier wait's input, heartbeat details and result: plain JSON (they travel through
 * Temporal's default data converter), and the reading of details a previous attempt left.
 */
import type { Link, Snapshot } from "../../snapshot/mod.ts";

/** Input of `waitForReplicationCaughtUp`. */
export interface WaitForCaughtUpInput {
  /**
   * Also accept a link whose oldest unapplied commit is at most this many seconds old (default 0:
   * everything committed before the barrier must be applied).
   */
  maxLagSeconds?: number;
  /** Only these nodes and the links between them (default: all). */
  nodes?: string[];
  /**
   * Fail with `PgactiveNotCaughtUp` after this many ms, counted from the FIRST attempt's start
   * (a retry does not extend it). Default: no own deadline (the activity's timeouts apply).
   */
  timeoutMs?: number;
  /**
   * Origin positions to wait for (node -> LSN `X/Y`, e.g. `pg_current_wal_lsn()` read after your
   * own write). Default: the nodes' WAL positions just after the first attempt began.
   */
  barrier?: Record<string, string>;
}

/** Heartbeat details of the wait: progress, and what a retry resumes from. */
export interface CaughtUpProgress {
  /** Version of the last snapshot judged (null: none yet). */
  version: number | null;
  /** Whether that snapshot satisfied the barrier. */
  caughtUp: boolean;
  /** What blocks, one sentence per obstacle (e.g. `node1 -> node2: 96 B committed ...`). */
  blocking: string[];
  /** The largest `lag_seconds` of the links in scope (null: unknown or no link). */
  worstLagSeconds: number | null;
  /** The barrier positions in force (node -> LSN), once known; a retry keeps them. */
  barrier: Record<string, string> | null;
  /** When the first attempt began (ISO 8601); `timeoutMs` counts from here. */
  startedAt: string;
  /** The attempt that wrote these details (1 = first). */
  attempt: number;
  /** The last connection error while the server was unreachable, else null. */
  serverError: string | null;
}

/** Result of `waitForReplicationCaughtUp`. */
export interface CaughtUpResult {
  /** Version of the snapshot that satisfied the barrier. */
  version: number;
  /** When that snapshot was collected (ISO 8601). */
  collectedAt: string;
  /** The barrier positions that were waited for (node -> LSN). */
  barrier: Record<string, string>;
  /** Milliseconds from the first attempt's start to success. */
  waitedMs: number;
  /** The attempt that succeeded (1 = first). */
  attempt: number;
  /** Details of the attempt this one resumed from (null: started afresh). */
  resumedFrom: { attempt: number; version: number | null; barrier: boolean } | null;
}

/** The details a previous attempt heartbeated, if they look like ours; else null. */
export function previousProgress(details: unknown): CaughtUpProgress | null {
  if (typeof details !== "object" || details === null) return null;
  const d = details as Partial<CaughtUpProgress>;
  if (typeof d.startedAt !== "string" || Number.isNaN(Date.parse(d.startedAt))) return null;
  const barrier = isPositions(d.barrier) ? d.barrier : null;
  return {
    version: typeof d.version === "number" ? d.version : null,
    caughtUp: d.caughtUp === true,
    blocking: Array.isArray(d.blocking) ? d.blocking.filter((b) => typeof b === "string") : [],
    worstLagSeconds: typeof d.worstLagSeconds === "number" ? d.worstLagSeconds : null,
    barrier,
    startedAt: d.startedAt,
    attempt: typeof d.attempt === "number" ? d.attempt : 1,
    serverError: typeof d.serverError === "string" ? d.serverError : null,
  };
}

function isPositions(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string");
}

/** The worst `lag_seconds` of the links touching `nodes` (all links when null). */
export function worstLag(snapshot: Snapshot, nodes: ReadonlySet<string> | null): number | null {
  const inScope = (l: Link) => nodes === null || nodes.has(l.from) || nodes.has(l.to);
  const lags = snapshot.links.filter(inScope).map((l) => l.lag_seconds).filter((x) => x !== null);
  return lags.length === 0 ? null : Math.max(...lags);
}

/** Names in `wanted` that the snapshot does not have. */
export function missingNodes(snapshot: Snapshot, wanted: readonly string[] | undefined): string[] {
  return (wanted ?? []).filter((name) => !(name in snapshot.nodes));
}
