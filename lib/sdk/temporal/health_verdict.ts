/**
 * The `check` verdict as data: the Nagios label and code of the (filtered) snapshot, and whether
 * it passes a `failOn` threshold. Same rules as `pgactive-tools check` (OK 0, WARNING 1 when a
 * node is DEGRADED, CRITICAL 2 when one is CRITICAL or DOWN, UNKNOWN 3 when no node was read).
 */
import { type NodeState, type Snapshot, type Status, worstStatus } from "../../snapshot/mod.ts";

/** Input of `checkReplicationHealth`. */
export interface HealthCheckInput {
  /** "warn" (default): fail on WARNING or worse; "crit": only on CRITICAL or UNKNOWN. */
  failOn?: "warn" | "crit";
  /** Judge only these nodes (default: all). */
  nodes?: string[];
}

/** Nagios labels of the verdict. */
export type HealthLabel = "OK" | "WARNING" | "CRITICAL" | "UNKNOWN";

/** The verdict of `checkReplicationHealth`. */
export interface HealthVerdict {
  /** False when the label reaches `failOn` (UNKNOWN always fails). */
  ok: boolean;
  /** Nagios label. */
  label: HealthLabel;
  /** The exit code `pgactive-tools check` gives for the same snapshot (0-3). */
  exitCode: 0 | 1 | 2 | 3;
  /** The worst status of the nodes judged. */
  status: Status;
  /** The threshold applied. */
  failOn: "warn" | "crit";
  /** Snapshot version judged. */
  version: number;
  /** When that snapshot was collected (ISO 8601). */
  collectedAt: string;
  /** One line per node not HEALTHY: `node2 is DEGRADED: <reasons>`. */
  problems: string[];
  /** Status, reasons and probe error of each node judged, by name. */
  nodes: Record<string, { status: Status; reasons: string[]; error: string | null }>;
}

const LABELS: readonly HealthLabel[] = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];

/** The verdict for `snapshot` restricted to `nodes` (names must exist: checked by the caller). */
export function healthVerdict(snapshot: Snapshot, input: HealthCheckInput = {}): HealthVerdict {
  const failOn = input.failOn ?? "warn";
  const wanted = input.nodes ? new Set(input.nodes) : null;
  const judged = Object.values(snapshot.nodes)
    .filter((n) => wanted === null || wanted.has(n.name))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  const statuses = judged.map((n) => n.status);
  const status = statuses.length > 0 ? worstStatus(statuses) : snapshot.status;
  const readable = statuses.some((s) => s !== "DOWN" && s !== "UNKNOWN");
  const exitCode = codeOf(status, readable);
  const label = LABELS[exitCode]!;
  const ok = exitCode === 0 || (failOn === "crit" && exitCode === 1);
  const nodes: HealthVerdict["nodes"] = {};
  for (const n of judged) {
    nodes[n.name] = { status: n.status, reasons: [...n.reasons], error: n.error };
  }
  return {
    ok,
    label,
    exitCode,
    status,
    failOn,
    version: snapshot.version,
    collectedAt: snapshot.collected_at,
    problems: judged.filter((n) => n.status !== "HEALTHY").map(problem),
    nodes,
  };
}

function codeOf(status: Status, readable: boolean): 0 | 1 | 2 | 3 {
  if (!readable) return 3;
  switch (status) {
    case "HEALTHY":
      return 0;
    case "DEGRADED":
      return 1;
    case "CRITICAL":
    case "DOWN":
      return 2;
    case "UNKNOWN":
      return 3;
  }
}

function problem(node: NodeState): string {
  const why = node.reasons.length > 0 ? node.reasons.join("; ") : node.error ?? "no reason given";
  return `${node.name} is ${node.status}: ${why}`;
}
