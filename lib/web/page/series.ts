/**
 * Per-node lag over the last hour, by version: filled from /history and from each snapshot,
 * backfilled from /history when the watch skipped versions (server restart, slow client), so the
 * sparklines have no hole the server's history does not have. Pure data.
 */
import type { Snapshot } from "../../sdk/mod.ts";

/** One node's lag at one version. */
export interface LagPoint {
  version: number;
  /** Epoch ms of the cycle (collected_at). */
  t: number;
  lag: number | null;
}

/** The shape of a /history point this module reads. */
export interface HistoryPoint {
  version: number;
  at: string;
  node: string;
  lag_seconds: number | null;
}

/** How far back the sparklines go. */
export const WINDOW_MS = 60 * 60 * 1000;

/** One node's points, ordered by version, one per version. */
export class LagSeries {
  #points: LagPoint[] = [];

  /** Points in version order. */
  get points(): readonly LagPoint[] {
    return this.#points;
  }

  /** Adds a point; a version already present is replaced. */
  add(p: LagPoint): void {
    const pts = this.#points;
    const last = pts[pts.length - 1];
    if (!last || last.version < p.version) {
      pts.push(p);
      return;
    }
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]!.version < p.version) lo = mid + 1;
      else hi = mid;
    }
    if (pts[lo]?.version === p.version) pts[lo] = p;
    else pts.splice(lo, 0, p);
  }

  /** Drops points older than `fromMs`. */
  trim(fromMs: number): void {
    const i = this.#points.findIndex((p) => p.t >= fromMs);
    if (i > 0) this.#points.splice(0, i);
    else if (i < 0) this.#points.length = 0;
  }

  /** Versions absent between the first and the last point held. */
  missing(): number {
    const pts = this.#points;
    if (pts.length < 2) return 0;
    return pts[pts.length - 1]!.version - pts[0]!.version + 1 - pts.length;
  }

  /**
   * The worst lag per time bucket over [fromMs, toMs): `n` values, null where no point fell (or
   * all its points were unknown).
   */
  buckets(fromMs: number, toMs: number, n: number): (number | null)[] {
    const out: (number | null)[] = new Array(n).fill(null);
    const width = (toMs - fromMs) / n;
    for (const p of this.#points) {
      if (p.lag === null || p.t < fromMs || p.t >= toMs) continue;
      const i = Math.min(n - 1, Math.floor((p.t - fromMs) / width));
      const cur = out[i];
      out[i] = cur === null || cur === undefined ? p.lag : Math.max(cur, p.lag);
    }
    return out;
  }
}

/** Every node's series. */
export class LagHistory {
  #series = new Map<string, LagSeries>();

  /** The series of `node` (created empty). */
  series(node: string): LagSeries {
    let s = this.#series.get(node);
    if (!s) this.#series.set(node, s = new LagSeries());
    return s;
  }

  /** Adds each node's lag from a snapshot. */
  addSnapshot(s: Snapshot): void {
    const t = Date.parse(s.collected_at);
    for (const node of Object.values(s.nodes)) {
      this.series(node.name).add({ version: s.version, t, lag: node.metrics.lag_seconds });
    }
  }

  /** Adds /history points. */
  addPoints(points: readonly HistoryPoint[]): void {
    for (const p of points) {
      this.series(p.node).add({ version: p.version, t: Date.parse(p.at), lag: p.lag_seconds });
    }
  }

  /** Drops what is older than the window before `nowMs`. */
  trim(nowMs: number): void {
    for (const s of this.#series.values()) s.trim(nowMs - WINDOW_MS);
  }
}
