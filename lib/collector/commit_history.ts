/**
 * Per-origin memory of WAL position and local commits, one sample per successful probe: what
 * tells, for a target's confirmed position, whether the origin has a committed transaction the
 * target has not applied, and how old the oldest one is (DESIGN section 3: lag_seconds).
 *
 * Sample i holds the origin's WAL flush position and clock at probe i, and the local commits
 * (origin 0: the only ones pgactive sends) whose commit time lies after probe i-1. For a confirmed
 * position C, every sample up to the last one at or below C is applied; the commits of the later
 * samples newer than that sample's clock (and newer than the target's last applied commit) are
 * the unapplied ones.
 */
import type { LocalCommits } from "../pgactive/mod.ts";

/** One probe of the origin. */
export interface OriginSample {
  /** WAL flush position at the probe. */
  readonly lsn: bigint;
  /** Origin clock at the probe (epoch ms). */
  readonly atMs: number;
  /** Local commits since the previous sample; null when unknown (not scanned, or a gap). */
  readonly commits: LocalCommits | null;
}

/** What the history says about the commits a target has not confirmed. */
export type Unapplied =
  /** Not enough history (collector just started, a scan was skipped): ask the positions. */
  | { readonly known: false }
  /** oldestMs: commit time (origin clock) of the oldest unapplied local commit; null: none. */
  | { readonly known: true; readonly oldestMs: number | null };

/** Samples kept at most per origin (a link stuck for a long time keeps its start). */
export const MAX_SAMPLES = 20_000;

/** The history of one origin. */
export class CommitHistory {
  #samples: OriginSample[] = [];

  /** Samples held (tests, memory checks). */
  get size(): number {
    return this.#samples.length;
  }

  /**
   * Records a probe. `commitsAfterMs` is the clock the scan started after: unless it is the
   * previous sample's clock the scan does not join up and its commits count as unknown.
   */
  add(lsn: bigint, atMs: number, commits: LocalCommits | null, commitsAfterMs: number | null) {
    const last = this.#samples.at(-1);
    if (last && atMs < last.atMs) this.#samples = []; // clock went back: start over
    const joined = commits !== null && last !== undefined && commitsAfterMs === last.atMs;
    this.#samples.push({ lsn, atMs, commits: joined ? commits : null });
    if (this.#samples.length > MAX_SAMPLES) {
      this.#samples.splice(0, this.#samples.length - MAX_SAMPLES);
    }
  }

  /** Origin clock of the last sample at or below `confirmed` (null when none is kept). */
  confirmedAtMs(confirmed: bigint): number | null {
    const i = this.#lastAtOrBelow(confirmed);
    return i < 0 ? null : this.#samples[i]!.atMs;
  }

  /**
   * The oldest local commit not covered by `confirmed`, ignoring commits at or before
   * `appliedUpToMs` (the target's last applied commit from this origin: pgactive applies in
   * commit order).
   */
  unapplied(confirmed: bigint, appliedUpToMs: number | null = null): Unapplied {
    const a = this.#lastAtOrBelow(confirmed);
    if (a < 0) return { known: false };
    const after = Math.max(this.#samples[a]!.atMs, appliedUpToMs ?? -Infinity);
    for (let i = a + 1; i < this.#samples.length; i++) {
      const c = this.#samples[i]!.commits;
      if (c === null) return { known: false };
      if (c.count > 0 && c.newestMs !== null && c.newestMs > after) {
        // Some commit of this sample is newer than `after`: the oldest such is at least `after`.
        return { known: true, oldestMs: Math.max(c.oldestMs ?? after, after) };
      }
    }
    return { known: true, oldestMs: null };
  }

  /** Drops what no target needs: keeps the last sample at or below `minConfirmed` and later. */
  prune(minConfirmed: bigint): void {
    const i = this.#lastAtOrBelow(minConfirmed);
    if (i > 0) this.#samples.splice(0, i);
  }

  #lastAtOrBelow(lsn: bigint): number {
    for (let i = this.#samples.length - 1; i >= 0; i--) {
      if (this.#samples[i]!.lsn <= lsn) return i;
    }
    return -1;
  }
}
