/**
 * How far behind a link is: caught-up decision, lag in seconds, xids and time to catch up.
 * Pure functions over plain numbers (bigint LSNs, epoch ms), tested with plain data.
 */
import type { LagMethod } from "../snapshot/mod.ts";

/**
 * WAL that may sit between the target's confirmed position and the origin's insert position on
 * an idle, healthy link: checkpoint and running-xacts records, other databases' WAL, keepalive
 * round trips not yet answered. Below this many bytes the link counts as caught up. A pending
 * replicated transaction smaller than this is not seen until more WAL follows (known gap).
 */
export const IDLE_WAL_NOISE_BYTES = 4096;

/**
 * How long the walsender may report data sent but not replayed, with the replay position not
 * moving, before a link within the noise allowance still counts as behind: a healthy receiver
 * confirms idle WAL within a keepalive round trip, a stalled one never does. This closes the
 * gap of a small pending write (below IDLE_WAL_NOISE_BYTES) on a stalled link.
 */
export const REPLAY_STUCK_MS = 15_000;

/** Inputs of the lag decision for one link at one observation. */
export interface LagInput {
  /** Origin WAL bytes not confirmed by the target (current − replay, or − confirmed_flush). */
  readonly behindBytes: number | null;
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
  /** Override of IDLE_WAL_NOISE_BYTES. */
  readonly noiseBytes?: number;
  /** How long sent > replay with replay not moving (null: not the case). */
  readonly replayStuckForMs?: number | null;
  /** Override of REPLAY_STUCK_MS. */
  readonly replayStuckMs?: number;
}

/** The lag verdict of one link. */
export interface LagVerdict {
  readonly caughtUp: boolean;
  /** 0 when caught up; otherwise behindBytes. */
  readonly lagBytes: number | null;
  readonly lagSeconds: number | null;
  readonly lagMethod: LagMethod;
  readonly lagXid: number | null;
  readonly catchUpSeconds: number | null;
}

/** True when the target has confirmed the origin's position up to idle WAL noise. */
export function isCaughtUp(behindBytes: number | null, noiseBytes = IDLE_WAL_NOISE_BYTES): boolean {
  return behindBytes !== null && behindBytes <= noiseBytes;
}

/** xid distance modulo 2^32 (approximate: the origin also burns xids for applied changes). */
export function xidLag(originNextXid: number, lastAppliedXid: number): number {
  return ((originNextXid - 1 - lastAppliedXid) % 0x1_0000_0000 + 0x1_0000_0000) % 0x1_0000_0000;
}

/**
 * Decides the lag of a link. Not caught up: lag_seconds is the smaller of
 * - "last_applied_commit": target now − its last applied commit time from that origin (the oldest
 *   unapplied commit is newer than that), and
 * - "observed_behind": collector now − the last time this link was seen caught up (every
 *   unapplied commit happened after that), which keeps an idle link whose last applied commit is
 *   hours old from reporting hours of lag when a single fresh write is pending.
 * Never negative; "unknown" (null) when neither is available or the byte lag is unknown.
 */
export function decideLag(input: LagInput): LagVerdict {
  const stuck = (input.replayStuckForMs ?? -1) >= (input.replayStuckMs ?? REPLAY_STUCK_MS);
  const caughtUp = !stuck && isCaughtUp(input.behindBytes, input.noiseBytes);
  if (caughtUp) {
    return {
      caughtUp,
      lagBytes: 0,
      lagSeconds: 0,
      lagMethod: "caught_up",
      lagXid: 0,
      catchUpSeconds: 0,
    };
  }
  if (input.behindBytes === null) {
    // Origin unreachable or no slot: nothing says whether there is anything to apply.
    return {
      caughtUp,
      lagBytes: null,
      lagSeconds: null,
      lagMethod: "unknown",
      lagXid: null,
      catchUpSeconds: null,
    };
  }
  let lagSeconds: number | null = null;
  let lagMethod: LagMethod = "unknown";
  if (input.targetNowMs !== null && input.lastAppliedCommitMs !== null) {
    lagSeconds = Math.max(0, input.targetNowMs - input.lastAppliedCommitMs) / 1000;
    lagMethod = "last_applied_commit";
  }
  if (input.lastCaughtUpAtMs !== null) {
    const observed = Math.max(0, input.nowMs - input.lastCaughtUpAtMs) / 1000;
    if (lagSeconds === null || observed < lagSeconds) {
      lagSeconds = observed;
      lagMethod = "observed_behind";
    }
  }
  const lagXid = input.originNextXid !== null && input.lastAppliedXid !== null
    ? xidLag(input.originNextXid, input.lastAppliedXid)
    : null;
  const rate = input.applyRateBytesPerSec;
  const catchUpSeconds = input.behindBytes !== null && rate !== null && rate > 0
    ? input.behindBytes / rate
    : null;
  return {
    caughtUp,
    lagBytes: input.behindBytes,
    lagSeconds,
    lagMethod,
    lagXid,
    catchUpSeconds,
  };
}
