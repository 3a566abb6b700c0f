/** `check`: one Nagios-style line for the whole mesh; the exit code always follows the status. */
import type { Snapshot } from "../../snapshot/mod.ts";
import {
  type CommandContext,
  filterSnapshot,
  printJson,
  sortedNodes,
  statusCounts,
  statusOutcome,
} from "../context.ts";
import { exitCode, LABELS, type Outcome } from "../exit.ts";

/**
 * `PGACTIVE CRITICAL - 3 nodes: 2 healthy, 1 critical (node2: <first reason>) | <perfdata>` and
 * its code. Nagios performance data after `|`: the worst link lag in seconds and bytes, the summed
 * conflict rate and the number of DOWN nodes (`U` when unknown); no warn/crit fields, because the
 * thresholds that decided the status are the server's.
 */
export function checkLine(snapshot: Snapshot): { line: string; code: number; label: string } {
  const outcome = statusOutcome(snapshot, "check");
  const code = exitCode(outcome, { failOnWarn: true, failOnCrit: true });
  const label = LABELS[code as 0 | 1 | 2 | 3] ?? "UNKNOWN";
  const nodes = sortedNodes(snapshot);
  const details = nodes
    .filter((n) => n.status !== "HEALTHY")
    // "|" starts Nagios performance data: never let a reason contain one.
    .map((n) =>
      `${n.name}: ${n.reasons[0] ?? n.error ?? n.status.toLowerCase()}`.replaceAll("|", "/")
    );
  const noun = nodes.length === 1 ? "node" : "nodes";
  const counts = statusCounts(nodes.map((n) => n.status));
  const tail = details.length > 0 ? ` (${details.join("; ")})` : "";
  const line = `PGACTIVE ${label} - ${nodes.length} ${noun}: ${counts}${tail} | ${
    perfdata(snapshot)
  }`;
  return { line, code, label };
}

/** Nagios performance data of a (filtered) snapshot. */
export function perfdata(snapshot: Snapshot): string {
  const max = (xs: (number | null)[]) => {
    const known = xs.filter((x): x is number => x !== null);
    return known.length === 0 ? "U" : perfNumber(Math.max(...known));
  };
  const nodes = Object.values(snapshot.nodes);
  const rates = nodes.map((n) => n.metrics.conflicts_per_minute);
  const rate = rates.every((r) => r === null)
    ? "U"
    : perfNumber(rates.reduce<number>((a, r) => a + (r ?? 0), 0));
  const lagSeconds = max(snapshot.links.map((l) => l.lag_seconds));
  const lagBytes = max(snapshot.links.map((l) => l.lag_bytes));
  return [
    `lag_seconds=${lagSeconds}${lagSeconds === "U" ? "" : "s"}`,
    `lag_bytes=${lagBytes}${lagBytes === "U" ? "" : "B"}`,
    `conflicts_per_minute=${rate}`,
    `nodes_down=${nodes.filter((n) => n.status === "DOWN").length}`,
  ].join(" ");
}

function perfNumber(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** Runs `check`. */
export async function check(ctx: CommandContext): Promise<Outcome> {
  const snapshot = filterSnapshot(await ctx.source.snapshot(ctx.signal), ctx.flags.node);
  const { line, code, label } = checkLine(snapshot);
  if (ctx.flags.format === "json") {
    const nodes: Record<string, unknown> = {};
    for (const n of sortedNodes(snapshot)) nodes[n.name] = { status: n.status, reasons: n.reasons };
    printJson(ctx, {
      label,
      exit_code: code,
      summary: line,
      status: snapshot.status,
      version: snapshot.version,
      collected_at: snapshot.collected_at,
      nodes,
    });
  } else {
    ctx.out(line + "\n");
  }
  return statusOutcome(snapshot, "check");
}
