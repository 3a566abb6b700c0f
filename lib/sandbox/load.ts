/** A bounded, stoppable write loop. */

/** A running load; stop it or `await using` it. */
export interface LoadHandle extends AsyncDisposable {
  /** Stops the loop and waits for the in-flight batch. */
  stop(): Promise<void>;
  /** Rows successfully written so far. */
  readonly rowsWritten: number;
}

/** Highest accepted rate (keeps a test from flooding a 2-core machine). */
export const MAX_ROWS_PER_SECOND = 20_000;
const TICK_MS = 100;

/** Calls `write(rows)` every 100 ms so that about `rowsPerSecond` rows are written per second. */
export function startLoadLoop(opts: {
  rowsPerSecond: number;
  write: (rows: number) => Promise<void>;
  onError: (e: unknown) => void;
  onStop: () => void;
}): LoadHandle {
  const rate = opts.rowsPerSecond;
  if (!(rate > 0 && rate <= MAX_ROWS_PER_SECOND)) {
    throw new RangeError(`rowsPerSecond must be in (0, ${MAX_ROWS_PER_SECOND}]`);
  }
  let stopped = false;
  let written = 0;
  let owed = 0;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    owed += (rate * TICK_MS) / 1000;
    const rows = Math.floor(owed);
    if (rows >= 1 && inFlight === null) {
      owed -= rows;
      inFlight = opts.write(rows)
        .then(() => {
          written += rows;
        }, opts.onError)
        .finally(() => {
          inFlight = null;
        });
    }
    owed = Math.min(owed, rate); // do not pile up a backlog while writes are blocked
    timer = setTimeout(tick, TICK_MS);
  };
  timer = setTimeout(tick, 0);
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      opts.onStop();
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    while (inFlight !== null) await inFlight;
  };
  return {
    stop,
    get rowsWritten() {
      return written;
    },
    [Symbol.asyncDispose]: stop,
  };
}
