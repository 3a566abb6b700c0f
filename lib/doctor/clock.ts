/**
 * Clock offsets with the round trip taken into account (the NTP idea, one way): the server read
 * its clock somewhere between the client's send and receive, so offset = server - midpoint and the
 * error is at most half the round trip. Of several samples the one with the shortest round trip is
 * the tightest. Pure functions; the sampling statement is {@link CLOCK_SQL}.
 */

/** Reads the server's clock (epoch ms, microsecond precision). */
export const CLOCK_SQL =
  "SELECT (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000)::float8 AS ms";

/** One sample: client clock before sending and after receiving, server clock in between. */
export interface ClockSample {
  readonly sentMs: number;
  readonly serverMs: number;
  readonly receivedMs: number;
}

/** A node's clock against the collector's. */
export interface ClockOffset {
  /** Node clock minus collector clock, ms (positive: the node is ahead). */
  readonly offsetMs: number;
  /** The true offset is within offsetMs +- errorMs (half the round trip). */
  readonly errorMs: number;
}

/** The offset from the sample with the shortest round trip; null without samples. */
export function estimateOffset(samples: readonly ClockSample[]): ClockOffset | null {
  let best: ClockSample | null = null;
  for (const s of samples) {
    if (s.receivedMs < s.sentMs) continue;
    if (!best || s.receivedMs - s.sentMs < best.receivedMs - best.sentMs) best = s;
  }
  if (!best) return null;
  const rtt = best.receivedMs - best.sentMs;
  return { offsetMs: best.serverMs - (best.sentMs + rtt / 2), errorMs: rtt / 2 };
}

/** The skew between two nodes: a - b, with both errors added. */
export function skewBetween(a: ClockOffset, b: ClockOffset): ClockOffset {
  return { offsetMs: a.offsetMs - b.offsetMs, errorMs: a.errorMs + b.errorMs };
}

/** The smallest skew the measurement proves (0 when the error covers it). */
export function provenSkewMs(o: ClockOffset): number {
  return Math.max(0, Math.abs(o.offsetMs) - o.errorMs);
}

/** The largest pairwise skew between nodes, by proven skew; null with fewer than two nodes. */
export function worstPair(
  offsets: ReadonlyMap<string, ClockOffset>,
): { a: string; b: string; skew: ClockOffset } | null {
  const names = [...offsets.keys()].sort();
  let worst: { a: string; b: string; skew: ClockOffset } | null = null;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const skew = skewBetween(offsets.get(names[i]!)!, offsets.get(names[j]!)!);
      if (!worst || Math.abs(skew.offsetMs) > Math.abs(worst.skew.offsetMs)) {
        worst = { a: names[i]!, b: names[j]!, skew };
      }
    }
  }
  return worst;
}

/** `+1.204 s +- 0.8 ms`. */
export function formatOffset(o: ClockOffset): string {
  const abs = Math.abs(o.offsetMs);
  const sign = o.offsetMs < 0 && abs >= 0.05 ? "-" : "+";
  const value = abs >= 1000 ? `${(abs / 1000).toFixed(3)} s` : `${abs.toFixed(1)} ms`;
  return `${sign}${value} +- ${o.errorMs.toFixed(1)} ms`;
}
