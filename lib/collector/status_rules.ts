/**
 * Node status and reasons (DESIGN section 4): DOWN, CRITICAL, DEGRADED, HEALTHY, UNKNOWN. Pure:
 * plain facts and thresholds in, a status and one sentence per finding out; every sentence names
 * the link or object and the threshold.
 */
import type { Status } from "../snapshot/mod.ts";
import type { DerivedLink } from "./links.ts";

/** Thresholds the rules use (from ResolvedConfig). */
export interface StatusThresholds {
  readonly lagSecondsWarn: number;
  readonly lagSecondsCrit: number;
  readonly conflictsWarnPerMinute: number;
  readonly walsenderInactiveCritMs: number;
  readonly conflictWindowMs: number;
}

/** What is known about one node this cycle. */
export interface NodeFacts {
  readonly name: string;
  /** False before the node was ever probed (UNKNOWN). */
  readonly probed: boolean;
  /** Why it was not probed (default "not probed yet"). */
  readonly notProbedReason?: string;
  /** Redacted probe error: the node is DOWN. */
  readonly probeError: string | null;
  /** Links into this node. */
  readonly inbound: readonly DerivedLink[];
  /** pgactive_nodes.node_status of this node, when known. */
  readonly nodeStatus: string | null;
  readonly applyPaused: boolean | null;
  readonly conflictsPerMinute: number | null;
  /** New apply errors (nr_rollback increase) within the window. */
  readonly applyErrorsIncrease: number;
  /** Reasons about unreadable objects (privileges). */
  readonly privilegeReasons: readonly string[];
  /** Members in pgactive_nodes (status r) that are not configured. */
  readonly unmonitored: readonly string[];
  /** Last error of this node's stopped apply worker per origin name (pgactive_get_workers_info). */
  readonly applyWorkerErrors?: ReadonlyMap<string, string>;
}

/** The verdict for one node. */
export interface NodeVerdict {
  readonly status: Status;
  readonly reasons: string[];
}

/** Formats a number with at most one decimal (`7.2`, `5`). */
export function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Formats a byte count for reasons (`192 B`, `4.1 KB`, `2.5 MB`). */
export function bytes(n: number | null): string {
  if (n === null) return "an unknown amount of WAL";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${num(n / 1024)} KB`;
  return `${num(n / 1024 / 1024)} MB`;
}

/** Formats a duration for reasons (`2 s`, `5 min`, `1 h`). */
export function duration(ms: number): string {
  if (ms < 60_000) return `${num(ms / 1000)} s`;
  if (ms < 3_600_000) return `${num(ms / 60_000)} min`;
  return `${num(ms / 3_600_000)} h`;
}

/** Applies the status rules to one node. */
export function evaluateNode(f: NodeFacts, t: StatusThresholds): NodeVerdict {
  if (!f.probed) return { status: "UNKNOWN", reasons: [f.notProbedReason ?? "not probed yet"] };
  const slotReasons = f.inbound.flatMap((d) => slotWalReason(d.link) ?? []);
  if (f.probeError !== null) return { status: "DOWN", reasons: [f.probeError, ...slotReasons] };
  const critical: string[] = [...slotReasons];
  const degraded: string[] = [];
  for (const d of f.inbound) {
    const l = d.link;
    const name = `link ${l.from} -> ${l.to}`;
    if (d.originDown) {
      degraded.push(`${name}: origin ${l.from} is DOWN, inbound lag unknown`);
      continue;
    }
    // Lag counts once the link was behind at two probes in a row: a transaction in flight at
    // one probe is not an alarm.
    const lag = d.behindCycles >= 2 ? l.lag_seconds ?? -1 : -1;
    if (lag >= t.lagSecondsCrit) {
      critical.push(`${name}: lag ${num(lag)} s >= crit ${num(t.lagSecondsCrit)} s`);
    } else if (lag >= t.lagSecondsWarn) {
      degraded.push(`${name}: lag ${num(lag)} s >= warn ${num(t.lagSecondsWarn)} s`);
    } else if (d.caughtUp === false && d.stalledForMs !== null) {
      // Below the lag thresholds, but a committed transaction waits and nothing moves.
      degraded.push(
        `${name}: ${bytes(l.lag_bytes)} committed on ${l.from} not applied, no apply progress for ${
          duration(d.stalledForMs)
        }${l.lag_seconds === null ? "" : ` (oldest ${num(l.lag_seconds)} s old)`}`,
      );
    }
    if (d.inactiveForMs !== null && d.inactiveForMs >= t.walsenderInactiveCritMs) {
      if (d.slotMissing) {
        critical.push(`${name}: ${l.from} has no replication slot for ${l.to}`);
        continue;
      }
      const cause = f.applyWorkerErrors?.get(l.from);
      // A paused apply worker stops answering its walsender, which then times out
      // (wal_sender_timeout): the pause explains it.
      (f.applyPaused === true ? degraded : critical).push(
        `${name}: walsender inactive for ${duration(d.inactiveForMs)} >= ${
          duration(t.walsenderInactiveCritMs)
        } while ${l.from} is reachable${
          f.applyPaused === true
            ? ` (apply is paused on ${l.to})`
            : cause
            ? ` (apply worker on ${l.to}: ${cause})`
            : ""
        }`,
      );
    }
  }
  if (f.nodeStatus !== null && f.nodeStatus !== "r") {
    critical.push(`pgactive status of ${f.name} is '${f.nodeStatus}' (not ready)`);
  }
  if (f.applyErrorsIncrease > 0) {
    critical.push(
      `apply errors rising: ${f.applyErrorsIncrease} new in the last ${
        duration(t.conflictWindowMs)
      }`,
    );
  }
  if (f.conflictsPerMinute !== null && f.conflictsPerMinute >= t.conflictsWarnPerMinute) {
    degraded.push(
      `conflicts ${num(f.conflictsPerMinute)}/min >= warn ${num(t.conflictsWarnPerMinute)}/min`,
    );
  }
  if (f.applyPaused === true) {
    degraded.push(`apply is paused on ${f.name} (pgactive_apply_pause())`);
  }
  for (const n of f.unmonitored) degraded.push(`unmonitored node ${n} is in pgactive_nodes`);
  degraded.push(...f.privilegeReasons);
  const status: Status = critical.length ? "CRITICAL" : degraded.length ? "DEGRADED" : "HEALTHY";
  return { status, reasons: [...critical, ...degraded] };
}

/**
 * The origin's slot for this link is losing (unreserved) or has lost the WAL the target still
 * needs (max_slot_wal_keep_size exceeded): the target cannot catch up from it any more.
 */
function slotWalReason(l: { from: string; to: string; wal_status: string | null }): string | null {
  const name = `link ${l.from} -> ${l.to}`;
  if (l.wal_status === "lost") {
    return `${name}: the slot on ${l.from} has lost WAL ${l.to} still needs (wal_status lost); ${l.to} cannot catch up from it and must be re-joined`;
  }
  if (l.wal_status === "unreserved") {
    return `${name}: the slot on ${l.from} holds WAL past max_slot_wal_keep_size (wal_status unreserved); it will be lost at the next checkpoint`;
  }
  return null;
}
