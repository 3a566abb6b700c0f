/**
 * GET /watch as an async iterable of snapshots: reconnects with exponential backoff and jitter,
 * resumes with Last-Event-ID, never yields a version twice or out of order within one server run,
 * ends on abort. A new server run (its `Pgactive-Run-Id` changed) is reported, never hidden: its
 * snapshots are yielded even when its versions start below the last one seen (lost history).
 */
import { type Snapshot, SnapshotSchema } from "../snapshot/mod.ts";
import { HttpError, ServerUnavailableError, SnapshotFormatError } from "./errors.ts";
import { checkTimeout, Deadline, failure, type RequestContext, send } from "./request.ts";
import { readSse, SseIdleError } from "./sse.ts";
import { validate } from "./validate.ts";

/** Options of {@link Client.watchSnapshots}. */
export interface WatchOptions {
  /** Stops the watch; the iterator then ends without an error. */
  signal?: AbortSignal | undefined;
  /** Only versions above this one (e.g. the last version you processed). */
  sinceVersion?: number | undefined;
  /**
   * The server run (`Pgactive-Run-Id` of a /snapshot answer) your last snapshot came from: when the
   * watch connects to another run, `onServerRestart` is called and its snapshots are yielded
   * whatever their versions. Without it, the first connection's run is taken as the reference.
   */
  sinceRun?: string | undefined;
  /** First reconnection delay (default 250 ms), doubled per failed attempt... */
  initialDelayMs?: number;
  /** ...up to this (default 10 s); each delay gets ±50% jitter. */
  maxDelayMs?: number;
  /** Reconnect when nothing (not even a keep-alive) arrives for this long (default 45 s). */
  idleTimeoutMs?: number;
  /** Called before each reconnection delay with the error that ended the connection. */
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
  /**
   * Called when a reconnection reaches a new run of the server (it restarted). Versions continue
   * above `lastVersion` unless the server lost its history; then the new run's snapshots follow
   * anyway, with lower versions, and none is dropped as a repeat.
   */
  onServerRestart?: (info: { previousRun: string; run: string; lastVersion: number }) => void;
}

/** The header a server run is named by (see lib/server's RUN_HEADER). */
const RUN_HEADER = "pgactive-run-id";

/** Internal options: the client's connect deadline and logger. */
interface WatchInternals extends WatchOptions {
  connectTimeoutMs: number;
  logger: { debug(msg: string, fields?: Record<string, unknown>): void };
}

/** HTTP statuses worth retrying (the server is restarting or has no snapshot yet). */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The watch loop; see {@link WatchOptions}. */
export async function* watchSnapshots(
  ctx: RequestContext,
  options: WatchInternals,
): AsyncGenerator<Snapshot, void, undefined> {
  const { signal } = options;
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const idleTimeoutMs = checkTimeout("idleTimeoutMs", options.idleTimeoutMs ?? 45_000);
  let last = options.sinceVersion ?? -1;
  let run: string | null = options.sinceRun ?? null;
  let attempt = 0;
  while (!signal?.aborted) {
    let error: Error;
    const deadline = new Deadline(options.connectTimeoutMs, signal);
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (last >= 0) headers["last-event-id"] = String(last);
      if (run !== null) headers[RUN_HEADER] = run;
      const reqOptions = { signal, timeoutMs: options.connectTimeoutMs, headers };
      const response = await send(ctx, "/watch", reqOptions, deadline);
      deadline.clearTimer();
      const type = response.headers.get("content-type") ?? "";
      if (!response.body || !/^text\/event-stream/i.test(type)) {
        await response.body?.cancel();
        throw new SnapshotFormatError("watch response", [
          `content-type: expected text/event-stream, got ${JSON.stringify(type)}`,
        ]);
      }
      attempt = 0;
      const serverRun = response.headers.get(RUN_HEADER);
      if (serverRun !== null && run !== null && serverRun !== run) {
        // The server sent its current snapshot first (our id is from another run): take it
        // whatever its version, so a server that lost its history is followed, not muted.
        options.logger.debug("watch reached a new server run", {
          run: serverRun,
          last_version: last,
        });
        options.onServerRestart?.({ previousRun: run, run: serverRun, lastVersion: last });
        last = -1;
      }
      if (serverRun !== null) run = serverRun;
      try {
        const events = readSse(response.body, {
          signal: deadline.signal,
          idleTimeoutMs,
        });
        for await (const event of events) {
          if (event.event !== "snapshot") continue;
          const snapshot = validate(event.data, SnapshotSchema, "snapshot event") as Snapshot;
          if (snapshot.version <= last) continue;
          last = snapshot.version;
          yield snapshot;
        }
        error = new ServerUnavailableError(ctx.display, "the server closed the event stream");
      } catch (err) {
        if (signal?.aborted) return;
        if (err instanceof SseIdleError) {
          error = new ServerUnavailableError(ctx.display, err.message);
        } else if (err instanceof Error && err.name === "SnapshotFormatError") {
          throw err;
        } else {
          error = failure(
            ctx,
            { signal, timeoutMs: options.connectTimeoutMs },
            deadline,
            err,
          ) as Error;
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof HttpError && !RETRYABLE.has(err.status)) throw err;
      if (!(err instanceof Error)) throw err;
      if (err.name === "SnapshotFormatError") throw err;
      error = err;
    } finally {
      deadline.dispose();
    }
    const delayMs = backoff(attempt++, initial, max);
    options.logger.debug("watch reconnecting", {
      attempt,
      delay_ms: delayMs,
      error: error.message,
    });
    options.onRetry?.({ attempt, delayMs, error });
    if (!(await sleep(delayMs, signal))) return;
  }
}

/** Exponential backoff with ±50% jitter: initial × 2^attempt, capped at max. */
export function backoff(attempt: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + Math.random()));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is cleared). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
