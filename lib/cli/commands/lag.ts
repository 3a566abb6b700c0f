/** `lag`: lag per node (inbound summary) and per link, with walsender state and catch-up estimate. */
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
import { bytes, count, lagMethod, seconds, yesNo } from "../format.ts";
import { renderTable } from "../table.ts";

/** The documented JSON projection of `lag`. */
export function lagJson(snapshot: Snapshot): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const n of sortedNodes(snapshot)) {
    nodes[n.name] = {
      status: n.status,
      reasons: n.reasons,
      lag_seconds: n.metrics.lag_seconds,
      lag_bytes: n.metrics.lag_bytes,
      lag_xid: n.metrics.lag_xid,
      walsender_active: n.metrics.walsender_active,
    };
  }
  return {
    version: snapshot.version,
    collected_at: snapshot.collected_at,
    status: snapshot.status,
    nodes,
    links: snapshot.links,
  };
}

/** The human view of `lag`. */
export function lagTable(snapshot: Snapshot, ctx: CommandContext): string {
  const color = ctx.color;
  const nodes = renderTable(
    [
      { header: "NODE", min: 6 },
      { header: "STATUS" },
      { header: "LAG", align: "right" },
      { header: "BYTES", align: "right" },
      { header: "XID", align: "right" },
      { header: "WALSENDERS" },
    ],
    sortedNodes(snapshot).map((n) => [
      n.name,
      n.status,
      seconds(n.metrics.lag_seconds),
      bytes(n.metrics.lag_bytes),
      count(n.metrics.lag_xid),
      yesNo(n.metrics.walsender_active, "all active", "inactive"),
    ]),
    { color },
  );
  const links = [...snapshot.links].sort((a, b) =>
    a.from.localeCompare(b.from, "en") || a.to.localeCompare(b.to, "en")
  );
  const linkTable = renderTable(
    [
      { header: "LINK", min: 10 },
      { header: "SENDER" },
      { header: "LAG", align: "right" },
      { header: "BYTES", align: "right" },
      { header: "XID", align: "right" },
      { header: "CATCH-UP", align: "right" },
      { header: "METHOD", min: 4 },
    ],
    links.map((l) => [
      `${l.from} -> ${l.to}`,
      l.apply_paused ? "paused" : yesNo(l.active, "active", "inactive"),
      seconds(l.lag_seconds),
      bytes(l.lag_bytes),
      count(l.lag_xid),
      seconds(l.catch_up_seconds),
      lagMethod(l.lag_method),
    ]),
    { color },
  );
  const parts = [headerLine(snapshot, ctx), "", nodes, "", linkTable];
  const reasons = reasonLines(snapshot, color);
  if (reasons.length > 0) parts.push("", ...reasons);
  return parts.join("\n") + "\n";
}

/** Runs `lag`. */
export async function lag(ctx: CommandContext): Promise<Outcome> {
  const snapshot = filterSnapshot(await ctx.source.snapshot(ctx.signal), ctx.flags.node);
  if (ctx.flags.format === "json") printJson(ctx, lagJson(snapshot));
  else ctx.out(lagTable(snapshot, ctx));
  return statusOutcome(snapshot, "display");
}
