/**
 * How far behind a link is: caught-up decision, lag in bytes and seconds, xids and time to catch
 * up. Pure functions over plain numbers (bigint LSNs, epoch ms), tested with plain data.
 *
 * "Caught up" means the target has applied every transaction the origin committed. Two kinds of
 * evidence decide it:
 * - positions (always): WAL the walsender SENT that the target has not confirmed is pending,
 *   whatever its size (an idle link shows sent = confirmed exactly); WAL not yet sent is pending
 *   when it is large enough to hold a commit record (a few bytes of a trailing record are not);
 * - commits (when the origin's commit timestamps are readable): whether the origin has a local
 *   commit newer than the target's confirmed position (see commit_history.ts). It settles what
 *   the positions cannot: unconfirmed WAL that holds no local commit (other nodes' changes the
 *   walsender filters, checkpoints, a paused target that confirms nothing) is not lag, and it
 *   gives the exact age of the oldest unapplied commit.
 */
import { type LagMethod, MIN_COMMIT_RECORD_BYTES } from "../snapshot/mod.ts";
import type { Unapplied } from "./commit_history.ts";

export { MIN_COMMIT_RECORD_BYTES };

/** Inputs of the lag decision for one link at one observation. */
export interface LagInput {
  /** Origin WAL the walsender sent that the target has not confirmed (0 while disconnected). */
  readonly unconfirmedSentBytes: number | null;
  /** Origin WAL not yet sent (flush position − max(sent, confirmed)). */
  readonly unsentBytes: number | null;
  /** Origin WAL flush position − confirmed: what lag_bytes reports while behind. */
  readonly behindBytes: number | null;
  /** Commit evidence from the origin's history ({known:false} when unavailable). */
  readonly unapplied: Unapplied;
  /** Origin clock at its probe (epoch ms). */
  readonly originNowMs: number | null;
  /** Target's clock at its probe (epoch ms), and its last applied commit time for the origin. */
  readonly targetNowMs: number | null;
  readonly lastAppliedCommitMs: number | null;
  /** Collector clock now, and when this link was last seen caught up (null: never seen). */
  readonly nowMs: number;
  readonly lastCaughtUpAtMs: number | null;
  /** Origin's next xid (32-bit) and the upstream xid last applied on the target. */
  readonly originNextXid: number | null;
  readonly lastAppliedXid: number | null;
  /** Apply rate observed between cycles, bytes per second (null: unknown). */
  readonly applyRateBytesPerSec: number | null;
}

/** The lag verdict of one link. */
export interface LagVerdict {
  /** Every transaction the origin committed is applied on the target (null: cannot tell). */
  readonly caughtUp: boolean | null;
  /** 0 when caught up; otherwise origin WAL not confirmed by the target. */
  readonly lagBytes: number | null;
  readonly lagSeconds: number | null;
  readonly lagMethod: LagMethod;
  readonly lagXid: number | null;
  readonly catchUpSeconds: number | null;
}

/** xid distance modulo 2^32 (approximate: the origin also burns xids for applied changes). */
export function xidLag(originNextXid: number, lastAppliedXid: number): number {
  return ((originNextXid - 1 - lastAppliedXid) % 0x1_0000_0000 + 0x1_0000_0000) % 0x1_0000_0000;
}

/** Whether the positions alone say the target may be missing a commit. */
export function positionsBehind(unconfirmedSent: number, unsent: number): boolean {
  return unconfirmedSent > 0 || unsent >= MIN_COMMIT_RECORD_BYTES;
}

const CAUGHT_UP: LagVerdict = {
  caughtUp: true,
  lagBytes: 0,
  lagSeconds: 0,
  lagMethod: "caught_up",
  lagXid: 0,
  catchUpSeconds: 0,
};

/**
 * Decides the lag of a link. Behind, lag_seconds is the age of the oldest unapplied commit:
 * - "oldest_unapplied_commit": from the origin's commit timestamps (exact, origin clock);
 * - otherwise the smaller of the bounds at hand: "observed_behind" (collector clock since the
 *   link was last seen caught up) and "last_applied_commit" (target clock since its last applied
 *   commit: every unapplied commit is newer).
 * Never negative; "unknown" (null) when the origin is unreachable or nothing bounds it.
 */
export function decideLag(input: LagInput): LagVerdict {
  const { unconfirmedSentBytes: sent, unsentBytes: unsent, behindBytes } = input;
  if (sent === null || unsent === null || behindBytes === null) {
    // Origin unreachable or no slot: nothing says whether there is anything to apply.
    return {
      caughtUp: null,
      lagBytes: null,
      lagSeconds: null,
      lagMethod: "unknown",
      lagXid: null,
      catchUpSeconds: null,
    };
  }
  if (!positionsBehind(sent, unsent)) return CAUGHT_UP;
  const u = input.unapplied;
  if (u.known && u.oldestMs === null) {
    // WAL is unconfirmed but none of it is a local commit of the origin: nothing to apply.
    return { ...CAUGHT_UP, lagMethod: "no_pending_commit" };
  }
  let lagSeconds: number | null = null;
  let lagMethod: LagMethod = "unknown";
  const consider = (ms: number | null, method: LagMethod) => {
    if (ms === null) return;
    const s = Math.max(0, ms) / 1000;
    if (lagSeconds === null || s < lagSeconds) {
      lagSeconds = s;
      lagMethod = method;
    }
  };
  if (u.known && u.oldestMs !== null && input.originNowMs !== null) {
    consider(input.originNowMs - u.oldestMs, "oldest_unapplied_commit");
  } else {
    if (input.targetNowMs !== null && input.lastAppliedCommitMs !== null) {
      consider(input.targetNowMs - input.lastAppliedCommitMs, "last_applied_commit");
    }
    if (input.lastCaughtUpAtMs !== null) {
      consider(input.nowMs - input.lastCaughtUpAtMs, "observed_behind");
    }
  }
  const lagXid = input.originNextXid !== null && input.lastAppliedXid !== null
    ? xidLag(input.originNextXid, input.lastAppliedXid)
    : null;
  const rate = input.applyRateBytesPerSec;
  return {
    caughtUp: false,
    lagBytes: behindBytes,
    lagSeconds,
    lagMethod,
    lagXid,
    catchUpSeconds: rate !== null && rate > 0 ? behindBytes / rate : null,
  };
}
