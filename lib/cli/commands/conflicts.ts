/** `conflicts`: totals and rates per node and link, and recent conflicts grouped by type and table. */
import type { ConflictRecord, Snapshot } from "../../snapshot/mod.ts";
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
import { count, perMinute } from "../format.ts";
import type { RecentConflicts } from "../source.ts";
import { renderTable } from "../table.ts";

/** How many recent conflict rows are fetched and grouped. */
export const RECENT_LIMIT = 200;

/** Recent conflicts grouped by type and table, most frequent first. */
export interface ConflictGroup {
  conflict_type: string;
  /** `schema.table`, or "-" when unknown. */
  table: string;
  count: number;
  /** Newest local_conflict_time in the group. */
  last_at: string;
}

/** Groups conflict rows by type and table (no row images are ever read). */
export function groupConflicts(rows: readonly ConflictRecord[]): ConflictGroup[] {
  const groups = new Map<string, ConflictGroup>();
  for (const r of rows) {
    const table = r.object_name ? `${r.object_schema ?? "public"}.${r.object_name}` : "-";
    const key = `${r.conflict_type}\0${table}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        conflict_type: r.conflict_type,
        table,
        count: 1,
        last_at: r.local_conflict_time,
      });
    } else {
      g.count++;
      if (r.local_conflict_time > g.last_at) g.last_at = r.local_conflict_time;
    }
  }
  return [...groups.values()].sort((a, b) =>
    b.count - a.count || b.last_at.localeCompare(a.last_at)
  );
}

/** The documented JSON projection of `conflicts`. */
export function conflictsJson(
  snapshot: Snapshot,
  thresholdPerMinute: number,
  recent: ConflictGroup[] | null,
): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const n of sortedNodes(snapshot)) {
    nodes[n.name] = {
      status: n.status,
      conflict_count: n.metrics.conflict_count,
      conflicts_per_minute: n.metrics.conflicts_per_minute,
      apply_errors: n.metrics.apply_errors,
    };
  }
  return {
    version: snapshot.version,
    collected_at: snapshot.collected_at,
    status: snapshot.status,
    threshold_per_minute: thresholdPerMinute,
    nodes,
    links: snapshot.links.map((l) => ({
      from: l.from,
      to: l.to,
      conflicts: l.conflicts,
      apply_errors: l.apply_errors,
    })),
    recent,
  };
}

/** The human view of `conflicts`. */
export function conflictsTable(
  snapshot: Snapshot,
  ctx: CommandContext,
  recent: ConflictGroup[] | null,
): string {
  const warn = ctx.thresholds.conflictsWarnPerMinute;
  const nodes = renderTable(
    [
      { header: "NODE", min: 6 },
      { header: "STATUS" },
      { header: "CONFLICTS", align: "right" },
      { header: "RATE", align: "right" },
      { header: `>= ${perMinute(warn)}` },
      { header: "APPLY ERRORS", align: "right" },
    ],
    sortedNodes(snapshot).map((n) => {
      const rate = n.metrics.conflicts_per_minute;
      return [
        n.name,
        n.status,
        count(n.metrics.conflict_count),
        perMinute(rate),
        rate === null ? "-" : rate >= warn ? "over" : "under",
        count(n.metrics.apply_errors),
      ];
    }),
    { color: ctx.color },
  );
  const links = renderTable(
    [{ header: "LINK", min: 10 }, { header: "CONFLICTS", align: "right" }, {
      header: "APPLY ERRORS",
      align: "right",
    }],
    snapshot.links.map((l) => [`${l.from} -> ${l.to}`, count(l.conflicts), count(l.apply_errors)]),
  );
  const parts = [headerLine(snapshot, ctx), "", nodes, "", links, ""];
  if (recent === null) parts.push("Recent conflicts: not available");
  else if (recent.length === 0) parts.push("Recent conflicts: none");
  else {
    parts.push(
      "Recent conflicts:",
      renderTable(
        [{ header: "TYPE", min: 8 }, { header: "TABLE", min: 8 }, {
          header: "COUNT",
          align: "right",
        }, { header: "LAST" }],
        recent.map((g) => [g.conflict_type, g.table, String(g.count), utc(g.last_at)]),
      ),
    );
  }
  const reasons = reasonLines(snapshot, ctx.color);
  if (reasons.length > 0) parts.push("", ...reasons);
  return parts.join("\n") + "\n";
}

/** Runs `conflicts`. */
export async function conflicts(ctx: CommandContext): Promise<Outcome> {
  const snapshot = filterSnapshot(await ctx.source.snapshot(ctx.signal), ctx.flags.node);
  const found: RecentConflicts = await ctx.source.recentConflicts({
    node: ctx.flags.node,
    limit: RECENT_LIMIT,
  });
  let recent: ConflictGroup[] | null = null;
  if ("rows" in found) recent = groupConflicts(found.rows);
  else ctx.err(`pgactive-tools: recent conflicts unavailable: ${found.unavailable}\n`);
  const threshold = ctx.thresholds.conflictsWarnPerMinute;
  if (ctx.flags.format === "json") printJson(ctx, conflictsJson(snapshot, threshold, recent));
  else ctx.out(conflictsTable(snapshot, ctx, recent));
  return statusOutcome(snapshot, "display");
}

function utc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 19) + "Z";
}
