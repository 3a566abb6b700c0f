/** Waiting for a snapshot that matches a predicate. */
import type { Snapshot } from "../snapshot/mod.ts";
import { TimeoutError } from "./errors.ts";
import { checkTimeout } from "./request.ts";
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
  if (timeout !== undefined) checkTimeout("timeout", timeout);
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
