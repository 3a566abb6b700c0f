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

/** `PGACTIVE CRITICAL - 3 nodes: 2 healthy, 1 critical (node2: <first reason>)` and its code. */
export function checkLine(snapshot: Snapshot): { line: string; code: number; label: string } {
  const outcome = statusOutcome(snapshot, "check");
  const code = exitCode(outcome, { failOnWarn: true, failOnCrit: true });
  const label = LABELS[code as 0 | 1 | 2 | 3] ?? "UNKNOWN";
  const nodes = sortedNodes(snapshot);
  const details = nodes
    .filter((n) => n.status !== "HEALTHY")
    .map((n) => `${n.name}: ${n.reasons[0] ?? n.error ?? n.status.toLowerCase()}`);
  const noun = nodes.length === 1 ? "node" : "nodes";
  const counts = statusCounts(nodes.map((n) => n.status));
  const tail = details.length > 0 ? ` (${details.join("; ")})` : "";
  return { line: `PGACTIVE ${label} - ${nodes.length} ${noun}: ${counts}${tail}`, code, label };
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
