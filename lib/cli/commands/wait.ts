/**
 * `wait`: blocks until every node has applied everything committed before the call (a barrier,
 * see CaughtUpBarrier), or what --barrier names.
 */
import { CaughtUpBarrier } from "../../sdk/mod.ts";
import type { Snapshot } from "../../snapshot/mod.ts";
import { type CommandContext, filterSnapshot, printJson } from "../context.ts";
import { anyReadable, exitCode, type Outcome } from "../exit.ts";
import { seconds } from "../format.ts";
import { HttpError } from "../server_read.ts";

/** Minimum time between two progress lines on stderr. */
const PROGRESS_EVERY_MS = 2_000;

/** Runs `wait`. */
export async function wait(ctx: CommandContext): Promise<Outcome> {
  const { maxLagSeconds, timeoutMs, node } = ctx.flags;
  const started = ctx.now();
  const barrier = new CaughtUpBarrier({
    maxLagSeconds,
    nodes: node === undefined ? undefined : [node],
    barrier: ctx.flags.barrier,
    // An in-process collector's snapshots are all collected after the start.
    fresh: ctx.source.label === "direct",
  });
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, timeoutMs);
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let last: Snapshot | null = null;
  let connected = true;
  let verdict = { caughtUp: false, blocking: ["no snapshot yet"] };
  let lastReport: number | null = null;
  const elapsed = () => seconds(Math.round((ctx.now() - started) / 100) / 10);
  const consider = (snapshot: Snapshot): boolean => {
    last = filterSnapshot(snapshot, node);
    connected = true;
    verdict = barrier.check(snapshot);
    // Progress at most every 2 s (and for the first snapshot), so long waits stay readable.
    if (!verdict.caughtUp && (lastReport === null || ctx.now() - lastReport >= PROGRESS_EVERY_MS)) {
      lastReport = ctx.now();
      const more = verdict.blocking.length > 3 ? ` (+${verdict.blocking.length - 3} more)` : "";
      ctx.err(
        `waiting (${elapsed()}, version ${last.version}): ${
          verdict.blocking.slice(0, 3).join("; ")
        }${more}\n`,
      );
    }
    return verdict.caughtUp;
  };
  try {
    // An unreachable server fails fast (exit 3); one still starting (503) is waited for.
    let done = false;
    try {
      done = consider(await ctx.source.snapshot(stop.signal));
    } catch (err) {
      if (timedOut) connected = false;
      else if (err instanceof HttpError && err.status === 503) {
        connected = false;
        ctx.err(`pgactive-tools: ${err.message}; waiting\n`);
      } else throw err;
    }
    if (!done && !stop.signal.aborted) {
      const updates = ctx.source.follow(stop.signal, ({ delayMs, error }) => {
        connected = false;
        ctx.err(`pgactive-tools: ${error.message}; retrying in ${seconds(delayMs / 1000)}\n`);
      });
      for await (const snapshot of updates) {
        if (consider(snapshot)) {
          done = true;
          break;
        }
      }
    }
    const snap = last as Snapshot | null;
    const readable = snap !== null && connected &&
      anyReadable(Object.values(snap.nodes).map((n) => n.status));
    const result = done
      ? "caught_up"
      : ctx.signal.aborted
      ? "interrupted"
      : timedOut && readable
      ? "timeout"
      : "unreadable";
    const outcome: Outcome = { kind: "wait", result };
    const code = exitCode(outcome, { failOnWarn: false, failOnCrit: false });
    if (ctx.flags.format === "json") {
      printJson(ctx, {
        caught_up: done,
        exit_code: code,
        elapsed_ms: ctx.now() - started,
        max_lag_seconds: maxLagSeconds,
        barrier: barrier.positions,
        version: snap?.version ?? null,
        blocking: done ? [] : verdict.blocking,
      });
    } else if (done) {
      ctx.out(
        `caught up: everything committed before the wait is applied on every node${
          maxLagSeconds > 0 ? ` (or at most ${maxLagSeconds} s behind)` : ""
        } (version ${snap?.version}, ${elapsed()})\n`,
      );
    } else {
      const why = result === "timeout"
        ? `timed out after ${elapsed()}`
        : result === "interrupted"
        ? "interrupted"
        : "cannot read the cluster";
      ctx.out(`not caught up: ${why}: ${verdict.blocking.join("; ")}\n`);
    }
    return outcome;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
}
