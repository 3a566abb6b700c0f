/**
 * One directed link origin -> target from what each side knows: the origin's slot for the target
 * and the walsender behind it, the target's last applied transaction and counters for the origin.
 * Pure: plain data + the previous LinkState + a clock in, a Link + the next LinkState out.
 */
import {
  type AppliedInfo,
  formatLsn,
  lsnDiff,
  type OriginStats,
  type SlotInfo,
} from "../pgactive/mod.ts";
import type { Link } from "../snapshot/mod.ts";
import { decideLag, REPLAY_STUCK_MS } from "./lag.ts";

/** What the origin's probe says about this link; null when the origin is unreachable. */
export interface OriginSide {
  readonly currentLsn: bigint;
  readonly nextXid: number;
  /** The origin's slot for the target; null when it has none. */
  readonly slot: SlotInfo | null;
}

/** What the target's probe says about this link; null when the target is unreachable. */
export interface TargetSide {
  readonly serverNowMs: number;
  /** Null when not readable. */
  readonly applied: AppliedInfo | null;
  /** Null when not readable or no row for this origin. */
  readonly stats: OriginStats | null;
  /** Join-time conflicts on schema pgactive from this origin (excluded from `conflicts`). */
  readonly catalogConflicts: number;
}

/** Memory of a link between cycles. */
export interface LinkState {
  /** Last observation where the link was caught up (collector clock). */
  readonly lastCaughtUpAtMs: number | null;
  /** Since when the origin (reachable) has shown the walsender for this target inactive. */
  readonly inactiveSinceMs: number | null;
  /** Last confirmed (replayed) origin position, to measure the apply rate. */
  readonly lastConfirmed: { readonly lsn: bigint; readonly atMs: number } | null;
  /** Last observation where the target had replayed everything the walsender sent. */
  readonly syncedAtMs: number | null;
  /** Replay position seen behind the sent position, and since when it has not moved. */
  readonly replayStuck: { readonly lsn: bigint; readonly sinceMs: number } | null;
}

/** Initial state of a link never seen before. */
export const NEW_LINK_STATE: LinkState = {
  lastCaughtUpAtMs: null,
  inactiveSinceMs: null,
  lastConfirmed: null,
  syncedAtMs: null,
  replayStuck: null,
};

/** Inputs of deriveLink. */
export interface LinkInput {
  readonly from: string;
  readonly to: string;
  readonly origin: OriginSide | null;
  readonly target: TargetSide | null;
  readonly nowMs: number;
  readonly noiseBytes?: number;
  /** Override of REPLAY_STUCK_MS. */
  readonly replayStuckMs?: number;
}

/** A derived link plus what the status rules need. */
export interface DerivedLink {
  readonly link: Link;
  readonly state: LinkState;
  readonly caughtUp: boolean;
  /** How long the walsender has been inactive while the origin is reachable; null if active/unknown. */
  readonly inactiveForMs: number | null;
  readonly originDown: boolean;
  readonly targetDown: boolean;
  /** The origin is reachable but has no slot for the target. */
  readonly slotMissing: boolean;
}

function lsnText(v: bigint | null | undefined): string | null {
  return v === null || v === undefined ? null : formatLsn(v);
}

/** Derives one link. */
export function deriveLink(input: LinkInput, prev: LinkState): DerivedLink {
  const { origin, target, nowMs } = input;
  const slot = origin?.slot ?? null;
  const ws = slot?.active ? slot.walsender : null;
  const connected = ws !== null;
  // The target's confirmed position: what the walsender reports replayed while connected,
  // otherwise the slot's confirmed_flush_lsn (pgactive-surface.md section 5).
  const confirmed = connected
    ? ws.replayLsn ?? ws.flushLsn ?? slot?.confirmedFlushLsn ?? null
    : slot?.confirmedFlushLsn ?? null;
  const behindBytes = origin && confirmed !== null ? lsnDiff(origin.currentLsn, confirmed) : null;
  const sentOrConfirmed = ws?.sentLsn ?? slot?.confirmedFlushLsn ?? null;
  const pendingSend = origin && sentOrConfirmed !== null
    ? lsnDiff(origin.currentLsn, sentOrConfirmed)
    : null;
  const retained = origin && slot?.restartLsn != null
    ? lsnDiff(origin.currentLsn, slot.restartLsn)
    : null;

  let rate: number | null = null;
  if (confirmed !== null && prev.lastConfirmed && nowMs > prev.lastConfirmed.atMs) {
    const advanced = confirmed >= prev.lastConfirmed.lsn
      ? Number(confirmed - prev.lastConfirmed.lsn)
      : 0;
    rate = advanced / ((nowMs - prev.lastConfirmed.atMs) / 1000);
  }
  // Sent but not replayed, replay not moving: stuck since when (see REPLAY_STUCK_MS).
  const sent = ws?.sentLsn ?? null;
  const replay = ws?.replayLsn ?? null;
  const behindSent = sent !== null && replay !== null && replay < sent;
  const replayStuck = behindSent
    ? prev.replayStuck?.lsn === replay ? prev.replayStuck : { lsn: replay, sinceMs: nowMs }
    : null;
  const syncedAtMs = connected && !behindSent ? nowMs : prev.syncedAtMs;
  const stuckForMs = replayStuck ? nowMs - replayStuck.sinceMs : null;
  const stuck = stuckForMs !== null && stuckForMs >= (input.replayStuckMs ?? REPLAY_STUCK_MS);
  const applied = target?.applied ?? null;
  const verdict = decideLag({
    behindBytes,
    targetNowMs: target?.serverNowMs ?? null,
    lastAppliedCommitMs: applied?.commitTsMs ?? null,
    nowMs,
    // A stuck link counted as caught up meanwhile: bound its lag by the last full sync instead.
    lastCaughtUpAtMs: stuck ? prev.syncedAtMs : prev.lastCaughtUpAtMs,
    replayStuckForMs: stuckForMs,
    ...(input.replayStuckMs === undefined ? {} : { replayStuckMs: input.replayStuckMs }),
    originNextXid: origin?.nextXid ?? null,
    lastAppliedXid: applied?.xid ?? null,
    applyRateBytesPerSec: rate,
    ...(input.noiseBytes === undefined ? {} : { noiseBytes: input.noiseBytes }),
  });

  const active = origin ? slot?.active === true : null;
  const inactiveSinceMs = origin === null ? null : active ? null : prev.inactiveSinceMs ?? nowMs;
  const stats = target?.stats ?? null;
  const link: Link = {
    from: input.from,
    to: input.to,
    active,
    lag_seconds: verdict.lagSeconds === null ? null : round(verdict.lagSeconds, 3),
    lag_bytes: verdict.lagBytes,
    lag_xid: verdict.lagXid,
    pending_send_bytes: pendingSend,
    retained_wal_bytes: retained,
    sent_lsn: lsnText(ws?.sentLsn),
    write_lsn: lsnText(ws?.writeLsn),
    flush_lsn: lsnText(ws?.flushLsn),
    replay_lsn: lsnText(ws?.replayLsn),
    catch_up_seconds: verdict.catchUpSeconds === null ? null : round(verdict.catchUpSeconds, 3),
    conflicts: stats ? Math.max(0, stats.conflicts - (target?.catalogConflicts ?? 0)) : null,
    apply_errors: stats ? stats.rollbacks : null,
    lag_method: verdict.lagMethod,
    wal_status: slot?.walStatus ?? null,
  };
  return {
    link,
    state: {
      lastCaughtUpAtMs: verdict.caughtUp ? nowMs : prev.lastCaughtUpAtMs,
      inactiveSinceMs,
      lastConfirmed: confirmed !== null ? { lsn: confirmed, atMs: nowMs } : prev.lastConfirmed,
      syncedAtMs,
      replayStuck,
    },
    caughtUp: verdict.caughtUp,
    inactiveForMs: inactiveSinceMs === null ? null : nowMs - inactiveSinceMs,
    originDown: origin === null,
    targetDown: target === null,
    slotMissing: origin !== null && slot === null,
  };
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
