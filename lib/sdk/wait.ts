/** Waiting for a snapshot that matches a predicate, and the "caught up" predicate runbooks need. */
import type { Snapshot } from "../snapshot/mod.ts";
import { TimeoutError } from "./errors.ts";
import type { WatchOptions } from "./watch.ts";

/** Options of {@link Client.waitFor}. */
export interface WaitForOptions {
  /** Give up after this many ms with a {@link TimeoutError} (default: wait forever). */
  timeout?: number | undefined;
  /** Cancels the wait; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called with every snapshot seen (progress reporting, heartbeats). */
  onSnapshot?: (snapshot: Snapshot) => void;
}

/** Anything that can watch snapshots (a Client). */
export interface SnapshotSource {
  /** Every new snapshot until the signal aborts. */
  watchSnapshots(options: WatchOptions): AsyncIterable<Snapshot>;
}

/** Follows `source` until `predicate` matches, the timeout passes or `signal` aborts. */
export async function waitForSnapshot(
  source: SnapshotSource,
  predicate: (snapshot: Snapshot) => boolean,
  options: WaitForOptions = {},
): Promise<Snapshot> {
  const { signal, timeout } = options;
  signal?.throwIfAborted();
  const inner = new AbortController();
  let last: Snapshot | null = null;
  let timedOut = false;
  let lastError: Error | null = null;
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = timeout === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    inner.abort();
  }, timeout);
  try {
    const watch = source.watchSnapshots({
      signal: inner.signal,
      onRetry: ({ error }) => void (lastError = error),
    });
    for await (const snapshot of watch) {
      last = snapshot;
      lastError = null;
      options.onSnapshot?.(snapshot);
      if (predicate(snapshot)) return snapshot;
    }
    if (timedOut) throw new TimeoutError(timeout ?? 0, last, { lastError });
    signal?.throwIfAborted();
    throw new TimeoutError(timeout ?? 0, last, { what: "a matching snapshot (the watch ended)" });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    inner.abort();
  }
}

/** Options of {@link caughtUp}. */
export interface CaughtUpOptions {
  /** Largest acceptable lag_seconds of a link (default 0). */
  maxLagSeconds?: number;
  /** Consider only these nodes and the links between them (default: all). */
  nodes?: readonly string[] | undefined;
}

/** Whether the mesh has caught up, and if not, one short sentence per obstacle. */
export interface CaughtUp {
  /** True when nothing blocks. */
  caughtUp: boolean;
  /** E.g. `node2 is DOWN`, `node1 -> node2: lag 3.2 s > 0 s`, `node1 -> node3: lag unknown`. */
  blocking: string[];
}

/**
 * True when every node (of `nodes`) is reachable (not DOWN, not UNKNOWN) and every link between
 * them has a known lag_seconds <= maxLagSeconds.
 *
 * @example
 * ```ts
 * import { caughtUp } from "./mod.ts";
 * const verdict = caughtUp({
 *   version: 1, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {}, links: [],
 *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 1 },
 * }, { maxLagSeconds: 1 });
 * if (!verdict.caughtUp) throw new Error(verdict.blocking.join("; "));
 * ```
 */
export function caughtUp(snapshot: Snapshot, options: CaughtUpOptions = {}): CaughtUp {
  const max = options.maxLagSeconds ?? 0;
  const wanted = options.nodes ? new Set(options.nodes) : null;
  const inScope = (name: string) => wanted === null || wanted.has(name);
  const blocking: string[] = [];
  for (const node of Object.values(snapshot.nodes)) {
    if (!inScope(node.name)) continue;
    if (node.status === "DOWN" || node.status === "UNKNOWN") {
      blocking.push(`${node.name} is ${node.status}`);
    }
  }
  for (const link of snapshot.links) {
    if (!inScope(link.from) && !inScope(link.to)) continue;
    const name = `${link.from} -> ${link.to}`;
    if (link.lag_seconds === null) blocking.push(`${name}: lag unknown`);
    else if (link.lag_seconds > max) {
      blocking.push(`${name}: lag ${round1(link.lag_seconds)} s > ${max} s`);
    }
  }
  return { caughtUp: blocking.length === 0, blocking };
}

function round1(n: number): string {
  return n.toFixed(1);
}
