/**
 * Per-origin memory of local commits, one scan per successful probe (see
 * lib/pgactive/local_commits.ts): what tells whether the origin has a committed transaction that
 * a target has not applied, and how old the oldest one is (DESIGN section 3: lag_seconds).
 *
 * Each scan covers the local commits (origin 0: the only ones pgactive sends) whose commit time
 * lies in (fromMs, toMs], origin clock. Consecutive scans join up when one starts at or before
 * the end of the previous one (they overlap by COMMIT_VISIBILITY_MARGIN_MS). A target has applied every local commit up to some time T (the last time its
 * link was known caught up, or the commit time of the last transaction it applied from this
 * origin, since pgactive applies in commit order); the unapplied ones are the commits after T.
 */
import type { LocalCommits } from "../pgactive/mod.ts";

/** One scan of the origin's local commits. */
export interface CommitScan extends LocalCommits {
  /** Commits after this origin-clock time are covered (exclusive). */
  readonly fromMs: number;
  /** The origin's clock at the probe. */
  readonly toMs: number;
  /** The origin's WAL flush position at the probe. */
  readonly flushLsn: bigint;
}

/** What the history says about the commits after a time. */
export type Unapplied =
  /** The scans do not cover that time (collector just started, a scan was skipped). */
  | { readonly known: false }
  /** oldestMs: commit time (origin clock) of the oldest local commit after it; null: none. */
  | { readonly known: true; readonly oldestMs: number | null };

/** Scans kept at most per origin (a link stuck for hours keeps its start). */
export const MAX_SCANS = 20_000;

/** The commit history of one origin. */
export class CommitHistory {
  #scans: CommitScan[] = [];

  /** Scans held (tests, memory checks). */
  get size(): number {
    return this.#scans.length;
  }

  /**
   * Records a probe's scan; `commits` null (not scanned) breaks the chain: nothing before this
   * probe is known any more.
   */
  add(
    commits: LocalCommits | null,
    fromMs: number | null,
    toMs: number,
    flushLsn: bigint,
  ): void {
    if (commits === null || fromMs === null) {
      this.#scans = [];
      return;
    }
    const last = this.#scans.at(-1);
    if (last && (fromMs > last.toMs || toMs < last.toMs)) this.#scans = []; // a gap, or clock reset
    this.#scans.push({ ...commits, fromMs, toMs, flushLsn });
    if (this.#scans.length > MAX_SCANS) this.#scans.splice(0, this.#scans.length - MAX_SCANS);
  }

  /**
   * The oldest local commit after `afterMs` (origin clock) whose WAL may lie past `confirmed`,
   * if the scans cover that time. A scan's commits lie at or below the next probe's flush
   * position (by then they are flushed), so a target confirmed past it has them all, whether
   * pgactive sent them or had nothing to send (a transaction with no replicated change).
   */
  unapplied(afterMs: number, confirmed: bigint): Unapplied {
    const scans = this.#scans;
    const first = scans[0];
    if (first === undefined || afterMs < first.fromMs) return { known: false };
    // Scans are in probe order: toMs and flushLsn never decrease. Every link of the origin asks,
    // so skip the covered prefix by binary search, not a walk (a link stuck for an hour keeps
    // thousands of scans).
    const start = Math.max(
      firstIndex(scans.length, (i) => scans[i]!.toMs > afterMs),
      firstIndex(scans.length, (i) => (scans[i + 1]?.flushLsn ?? scans[i]!.flushLsn) > confirmed),
    );
    for (let i = start; i < scans.length; i++) {
      const s = scans[i]!;
      if (s.toMs <= afterMs) continue;
      if ((scans[i + 1]?.flushLsn ?? s.flushLsn) <= confirmed) continue;
      if (s.count > 0 && s.newestMs !== null && s.newestMs > afterMs) {
        // Some commit of this scan is newer than `afterMs`: the oldest such is at least that.
        return { known: true, oldestMs: Math.max(s.oldestMs ?? afterMs, afterMs) };
      }
    }
    return { known: true, oldestMs: null };
  }

  /** Drops scans that end at or before `beforeMs` (no target needs them any more). */
  prune(beforeMs: number): void {
    let i = 0;
    while (i < this.#scans.length - 1 && this.#scans[i]!.toMs <= beforeMs) i++;
    if (i > 0) this.#scans.splice(0, i);
  }
}

/** The first index in [0, n) where `ok` holds, for `ok` false then true (n when never). */
function firstIndex(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
