/** What every command receives, and the helpers the display commands share. */
import type { NodeState, Snapshot, Status } from "../snapshot/mod.ts";
// The zod-free door (tests/cli/startup_test.ts): lib/snapshot/mod.ts would load the schema.
import { worstStatus } from "../snapshot/types.ts";
import type { Flags } from "./args.ts";
import { anyReadable, type Outcome, UsageError } from "./exit.ts";
import { collectedAt, paint } from "./format.ts";
import type { Source } from "./source.ts";

/** Thresholds the CLI shows next to values (from the config, else the defaults). */
export interface CliThresholds {
  lagSecondsWarn: number;
  lagSecondsCrit: number;
  conflictsWarnPerMinute: number;
}

/** A command's environment. */
export interface CommandContext {
  flags: Flags;
  source: Source;
  thresholds: CliThresholds;
  /** Writes to stdout (the command's one document / table). */
  out(text: string): void;
  /** Writes diagnostics and progress to stderr. */
  err(text: string): void;
  color: boolean;
  isTTY: boolean;
  now(): number;
  /** Aborted on Ctrl-C (watch, wait). */
  signal: AbortSignal;
}

/** A command: does its work, prints, and says what it found. */
export type CommandFn = (ctx: CommandContext) => Promise<Outcome>;

/**
 * Keeps only `node` and the links to and from it (the status is recomputed); all of it when
 * `node` is undefined. An unknown node name is a usage error.
 */
export function filterSnapshot(snapshot: Snapshot, node: string | undefined): Snapshot {
  if (node === undefined) return snapshot;
  const state = snapshot.nodes[node];
  if (!state) {
    const known = Object.keys(snapshot.nodes).join(", ") || "none";
    throw new UsageError(`unknown node "${node}" for --node (known: ${known})`);
  }
  return {
    ...snapshot,
    status: state.status,
    nodes: { [node]: state },
    links: snapshot.links.filter((l) => l.from === node || l.to === node),
  };
}

/** The outcome of a display or check command over a (filtered) snapshot. */
export function statusOutcome(snapshot: Snapshot, kind: "display" | "check"): Outcome {
  const statuses = Object.values(snapshot.nodes).map((n) => n.status);
  return {
    kind,
    status: statuses.length > 0 ? worstStatus(statuses) : snapshot.status,
    readable: anyReadable(statuses),
  };
}

/** Nodes sorted by name (stable output). */
export function sortedNodes(snapshot: Snapshot): NodeState[] {
  return Object.values(snapshot.nodes).sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** `Cluster DEGRADED - version 123, collected 06:00:00Z (2 s ago)`. */
export function headerLine(snapshot: Snapshot, ctx: CommandContext): string {
  const status = paint(snapshot.status, snapshot.status, ctx.color);
  return `Cluster ${status} - version ${snapshot.version}, collected ${
    collectedAt(snapshot.collected_at, ctx.now())
  }`;
}

/** One line per node that is not HEALTHY: `node2 is CRITICAL: reason; reason`. */
export function reasonLines(snapshot: Snapshot, color: boolean): string[] {
  return sortedNodes(snapshot)
    .filter((n) => n.status !== "HEALTHY")
    .map((n) => {
      const why = n.reasons.length > 0 ? [...n.reasons] : ["no reason given"];
      if (n.error && !why.some((r) => r.includes(n.error!))) why.push(`error: ${n.error}`);
      return `${n.name} is ${paint(n.status, n.status, color)}: ${why.join("; ")}`;
    });
}

/** Counts of nodes per status, e.g. "2 healthy, 1 critical", worst last. */
export function statusCounts(statuses: readonly Status[]): string {
  const order: Status[] = ["HEALTHY", "UNKNOWN", "DEGRADED", "CRITICAL", "DOWN"];
  return order
    .map((s) => [s, statuses.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
    .join(", ");
}

/** Writes a JSON document (stable key order as built) on stdout. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2) + "\n");
}
