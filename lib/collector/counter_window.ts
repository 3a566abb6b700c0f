/**
 * Increase of a cumulative counter over a sliding window, robust to resets: only positive deltas
 * between consecutive samples count (a decrease means the counter was reset; the new value
 * becomes the baseline).
 */

/** One counter sample. */
export interface CounterSample {
  readonly atMs: number;
  readonly value: number;
}

/** A counter's samples over a window. */
export class CounterWindow {
  readonly windowMs: number;
  #samples: CounterSample[] = [];

  constructor(windowMs: number, seed: Iterable<CounterSample> = []) {
    this.windowMs = windowMs;
    for (const s of [...seed].sort((a, b) => a.atMs - b.atMs)) this.add(s.atMs, s.value);
  }

  /** Records a sample (ignored when older than the newest one). */
  add(atMs: number, value: number): void {
    const last = this.#samples.at(-1);
    if (last && atMs < last.atMs) return;
    this.#samples.push({ atMs, value });
    this.#prune(atMs);
  }

  /** Sum of positive deltas whose later sample lies within (now − window, now]. */
  increase(nowMs: number): number {
    this.#prune(nowMs);
    let sum = 0;
    for (let i = 1; i < this.#samples.length; i++) {
      const a = this.#samples[i - 1]!;
      const b = this.#samples[i]!;
      if (b.atMs > nowMs - this.windowMs && b.value > a.value) sum += b.value - a.value;
    }
    return sum;
  }

  /** Increase over the window per minute of window. */
  perMinute(nowMs: number): number {
    return this.increase(nowMs) / (this.windowMs / 60_000);
  }

  /** Keeps one baseline sample at or before the window start, and everything after it. */
  #prune(nowMs: number): void {
    const start = nowMs - this.windowMs;
    let firstInside = this.#samples.findIndex((s) => s.atMs > start);
    if (firstInside === -1) firstInside = this.#samples.length;
    if (firstInside > 1) this.#samples.splice(0, firstInside - 1);
  }
}
