/** `watch`: follows every new snapshot; redraws in place on a terminal, one line per version otherwise. */
import type { Snapshot } from "../../snapshot/mod.ts";
import { type CommandContext, filterSnapshot, sortedNodes } from "../context.ts";
import type { Outcome } from "../exit.ts";
import { paint, seconds } from "../format.ts";
import { statusTable } from "./status.ts";

/** Clear the screen and move home. */
const CLEAR = "\x1b[H\x1b[2J";

/** One line per version: `v123 06:00:00Z DEGRADED node1 HEALTHY 0 s | node2 DEGRADED 6.1 s`. */
export function watchLine(snapshot: Snapshot, color: boolean): string {
  const nodes = sortedNodes(snapshot)
    .map((n) => `${n.name} ${paint(n.status, n.status, color)} ${seconds(n.metrics.lag_seconds)}`)
    .join(" | ");
  const time = snapshot.collected_at.slice(11, 19);
  return `v${snapshot.version} ${time}Z ${paint(snapshot.status, snapshot.status, color)} ${nodes}`;
}

/** Runs `watch` until Ctrl-C (ctx.signal) or --count snapshots. */
export async function watch(ctx: CommandContext): Promise<Outcome> {
  // Fail fast (exit 3) when the source cannot be read at all, then follow it.
  const first = filterSnapshot(await ctx.source.snapshot(ctx.signal), ctx.flags.node);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let seen = 0;
  let lastVersion = -1;
  const show = (snapshot: Snapshot) => {
    if (snapshot.version <= lastVersion) return;
    lastVersion = snapshot.version;
    seen++;
    if (ctx.flags.format === "json") ctx.out(JSON.stringify(snapshot) + "\n");
    else if (ctx.isTTY) {
      ctx.out(
        `${CLEAR}${statusTable(snapshot, ctx)}\nFollowing ${ctx.source.label}; Ctrl-C to stop\n`,
      );
    } else ctx.out(watchLine(snapshot, ctx.color) + "\n");
    if (ctx.flags.count !== null && seen >= ctx.flags.count) stop.abort();
  };
  try {
    show(first);
    if (stop.signal.aborted) return { kind: "done" };
    const updates = ctx.source.follow(stop.signal, ({ delayMs, error }) => {
      ctx.err(`pgactive-tools: ${error.message}; retrying in ${seconds(delayMs / 1000)}\n`);
    }, () => {
      // Its versions continue above ours unless it lost its history: show them either way.
      ctx.err(`pgactive-tools: ${ctx.source.label} restarted; following its new run\n`);
      lastVersion = -1;
    });
    for await (const snapshot of updates) {
      show(filterSnapshot(snapshot, ctx.flags.node));
      if (stop.signal.aborted) break;
    }
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
  return { kind: "done" };
}
