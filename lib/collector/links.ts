/**
 * One directed link origin -> target from what each side knows: the origin's slot for the target
 * and the walsender behind it, the target's last applied transaction and counters for the origin.
 * Pure: plain data + the previous LinkState + a clock in, a Link + the next LinkState out.
 */
import {
  type AppliedInfo,
  COMMIT_VISIBILITY_MARGIN_MS,
  formatLsn,
  lsnDiff,
  type OriginStats,
  type SlotInfo,
} from "../pgactive/mod.ts";
import type { Link } from "../snapshot/mod.ts";
import type { Unapplied } from "./commit_history.ts";
import { decideLag } from "./lag.ts";

/** What the origin's probe says about this link; null when the origin is unreachable. */
export interface OriginSide {
  readonly currentLsn: bigint;
  readonly nextXid: number;
  /** Origin clock at its probe (epoch ms). */
  readonly serverNowMs: number;
  /** The origin's slot for the target; null when it has none. */
  readonly slot: SlotInfo | null;
  /** The origin's local commits over recent probes (see commit_history.ts). */
  readonly history: { unapplied(afterMs: number, confirmed: bigint): Unapplied } | null;
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
  /** Conflict history rows from this origin, join-time ones included (null: not readable). */
  readonly historyConflicts: number | null;
  /** pgactive_is_apply_paused() on the target (null: unknown). */
  readonly applyPaused: boolean | null;
}

/** Memory of a link between cycles. */
export interface LinkState {
  /** Last observation where the link was caught up (collector clock). */
  readonly lastCaughtUpAtMs: number | null;
  /** Since when the origin (reachable) has shown the walsender for this target inactive. */
  readonly inactiveSinceMs: number | null;
  /** Last confirmed (replayed) origin position, to measure the apply rate. */
  readonly lastConfirmed: { readonly lsn: bigint; readonly atMs: number } | null;
  /**
   * Origin clock at the last probe where the link was known caught up: every local commit up to
   * it is applied on the target.
   */
  readonly appliedUpToMs: number | null;
  /** Consecutive cycles (this one included) in which the link was behind. */
  readonly behindCycles: number;
  /** Behind with this confirmed position since this cycle (collector clock); null: not behind. */
  readonly behindAt: { readonly lsn: bigint; readonly sinceMs: number } | null;
}

/** Initial state of a link never seen before. */
export const NEW_LINK_STATE: LinkState = {
  lastCaughtUpAtMs: null,
  inactiveSinceMs: null,
  lastConfirmed: null,
  appliedUpToMs: null,
  behindCycles: 0,
  behindAt: null,
};

/** Inputs of deriveLink. */
export interface LinkInput {
  readonly from: string;
  readonly to: string;
  readonly origin: OriginSide | null;
  readonly target: TargetSide | null;
  readonly nowMs: number;
}

/** A derived link plus what the status rules need. */
export interface DerivedLink {
  readonly link: Link;
  readonly state: LinkState;
  /** Null when it cannot be told (origin unreachable, no slot). */
  readonly caughtUp: boolean | null;
  /**
   * Behind, and the target confirmed nothing since an earlier cycle already saw it behind: how
   * long (collector clock); null when not behind or first seen behind this cycle.
   */
  readonly stalledForMs: number | null;
  /**
   * Consecutive cycles the link has been behind (0 when not): lag thresholds apply from the
   * second, so a transaction in flight at one probe is never an alarm.
   */
  readonly behindCycles: number;
  /** The target's confirmed position of the origin's WAL (null when unknown). */
  readonly confirmed: bigint | null;
  /** Origin-clock time up to which every local commit is applied on the target (null: unknown). */
  readonly appliedUpToMs: number | null;
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
  const sent = ws?.sentLsn ?? null;
  const sentOrConfirmed = sent ?? slot?.confirmedFlushLsn ?? null;
  const pendingSend = origin && sentOrConfirmed !== null
    ? lsnDiff(origin.currentLsn, sentOrConfirmed)
    : null;
  const retained = origin && slot?.restartLsn != null
    ? lsnDiff(origin.currentLsn, slot.restartLsn)
    : null;
  const known = origin !== null && confirmed !== null;
  const unconfirmed = known ? lsnDiff(origin.currentLsn, confirmed) : null;
  const sentEnd = sent !== null && confirmed !== null && sent > confirmed ? sent : confirmed;

  let rate: number | null = null;
  if (confirmed !== null && prev.lastConfirmed && nowMs > prev.lastConfirmed.atMs) {
    const advanced = confirmed >= prev.lastConfirmed.lsn
      ? Number(confirmed - prev.lastConfirmed.lsn)
      : 0;
    rate = advanced / ((nowMs - prev.lastConfirmed.atMs) / 1000);
  }
  const applied = target?.applied ?? null;
  // Every local commit up to `after` is applied: the last time the link was known caught up,
  // or the origin commit time of the last transaction the target applied (commit order).
  const after = Math.max(prev.appliedUpToMs ?? -Infinity, applied?.commitTsMs ?? -Infinity);
  const history = known && after > -Infinity ? origin.history : null;
  const verdict = decideLag({
    unconfirmedSentBytes: known ? (sent !== null ? lsnDiff(sent, confirmed) : 0) : null,
    unsentBytes: known ? lsnDiff(origin.currentLsn, sentEnd!) : null,
    behindBytes: unconfirmed,
    unapplied: history ? history.unapplied(after, confirmed!) : { known: false },
    originNowMs: origin?.serverNowMs ?? null,
    targetNowMs: target?.serverNowMs ?? null,
    lastAppliedCommitMs: applied?.commitTsMs ?? null,
    nowMs,
    lastCaughtUpAtMs: prev.lastCaughtUpAtMs,
    originNextXid: origin?.nextXid ?? null,
    lastAppliedXid: applied?.xid ?? null,
    applyRateBytesPerSec: rate,
  });
  // Caught up at this probe: every commit a little before it is applied (a commit's time is
  // taken before its record is flushed, so the newest ones may not have been visible yet).
  const appliedUpToMs = verdict.caughtUp === true && origin
    ? origin.serverNowMs - COMMIT_VISIBILITY_MARGIN_MS
    : after > -Infinity
    ? after
    : null;
  const behind = verdict.caughtUp === false && confirmed !== null;
  const behindCycles = verdict.caughtUp === false ? prev.behindCycles + 1 : 0;
  const behindAt = !behind
    ? null
    : prev.behindAt?.lsn === confirmed
    ? prev.behindAt
    : { lsn: confirmed, sinceMs: nowMs };
  const stalledForMs = behindAt && behindAt.sinceMs < nowMs ? nowMs - behindAt.sinceMs : null;

  const active = origin ? slot?.active === true : null;
  // A paused target stops answering its walsenders, which then time out: the reconnect grace
  // starts again when the pause ends.
  const inactiveSinceMs = origin === null || active
    ? null
    : target?.applyPaused === true
    ? nowMs
    : prev.inactiveSinceMs ?? nowMs;
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
    conflicts: target
      ? conflictCount(stats, target.historyConflicts, target.catalogConflicts)
      : null,
    apply_errors: stats ? stats.rollbacks : null,
    lag_method: verdict.lagMethod,
    wal_status: slot?.walStatus ?? null,
    caught_up: verdict.caughtUp,
    confirmed_lsn: origin ? lsnText(confirmed) : null,
    unconfirmed_bytes: unconfirmed,
    apply_paused: target?.applyPaused ?? null,
  };
  return {
    link,
    state: {
      lastCaughtUpAtMs: verdict.caughtUp === true ? nowMs : prev.lastCaughtUpAtMs,
      inactiveSinceMs,
      lastConfirmed: confirmed !== null ? { lsn: confirmed, atMs: nowMs } : prev.lastConfirmed,
      appliedUpToMs,
      behindCycles,
      behindAt,
    },
    caughtUp: verdict.caughtUp,
    stalledForMs,
    behindCycles,
    confirmed,
    appliedUpToMs,
    inactiveForMs: inactiveSinceMs === null ? null : nowMs - inactiveSinceMs,
    originDown: origin === null,
    targetDown: target === null,
    slotMissing: origin !== null && slot === null,
  };
}

/**
 * Conflicts detected on a target for changes from one origin, pgactive's own catalog excluded:
 * the larger of pgactive's counters and the conflict history's rows. The counters are restored
 * at start from the copy saved at the last clean shutdown, so after a crash they miss what was
 * counted since; the history table survives a crash (but may be pruned, or not written when
 * pgactive.log_conflicts_to_table is off). Never negative; null when neither is readable.
 */
export function conflictCount(
  stats: OriginStats | null,
  history: number | null,
  catalog: number,
): number | null {
  if (stats === null && history === null) return null;
  return Math.max(0, (stats?.conflicts ?? 0) - catalog, (history ?? 0) - catalog);
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
