/** `status`: every node with its status, reasons, probe error and versions. */
import type { Snapshot } from "../../snapshot/mod.ts";
import {
  type CommandContext,
  filterSnapshot,
  headerLine,
  printJson,
  reasonLines,
  sortedNodes,
  statusOutcome,
} from "../context.ts";
import type { Outcome } from "../exit.ts";
import { seconds } from "../format.ts";
import { renderTable } from "../table.ts";

/** The human view of `status` (also the body of `watch` on a terminal). */
export function statusTable(snapshot: Snapshot, ctx: CommandContext): string {
  const table = renderTable(
    [
      { header: "NODE", min: 6 },
      { header: "STATUS" },
      { header: "LAG", align: "right" },
      { header: "PGACTIVE" },
      { header: "EXT" },
      { header: "MEMBER" },
      { header: "PROBE", align: "right" },
      { header: "REASONS", min: 8 },
    ],
    sortedNodes(snapshot).map((n) => [
      n.name,
      n.status,
      seconds(n.metrics.lag_seconds),
      n.metrics.pgactive_version ?? "-",
      n.metrics.extension_version ?? "-",
      n.metrics.node_status ?? "-",
      n.metrics.probe_ms === null ? "-" : `${Math.round(n.metrics.probe_ms)} ms`,
      String(n.reasons.length || (n.error ? 1 : 0)),
    ]),
    { color: ctx.color },
  );
  const parts = [headerLine(snapshot, ctx), "", table];
  const reasons = reasonLines(snapshot, ctx.color);
  if (reasons.length > 0) parts.push("", ...reasons);
  return parts.join("\n") + "\n";
}

/** Runs `status`: JSON is the (filtered) snapshot exactly as the API serves it. */
export async function status(ctx: CommandContext): Promise<Outcome> {
  const snapshot = filterSnapshot(await ctx.source.snapshot(ctx.signal), ctx.flags.node);
  if (ctx.flags.format === "json") printJson(ctx, snapshot);
  else ctx.out(statusTable(snapshot, ctx));
  return statusOutcome(snapshot, "display");
}
