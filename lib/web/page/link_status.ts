/**
 * A status per link, for the matrix: the snapshot gives statuses per node only, and each reason of
 * a node names the link it is about (`link node1 -> node2: ...`). A link is DOWN when either end
 * is DOWN; else as severe as the worst reason of its target that names it; else HEALTHY (UNKNOWN
 * while its target is). tests/web/link_status_test.ts holds this against the collector's rules.
 */
import type { Link, Snapshot, Status } from "../../sdk/mod.ts";

/** A link's status and the reasons (from its target node) that name it. */
export interface LinkVerdict {
  status: Status;
  reasons: string[];
}

/** Reasons the collector files under CRITICAL (DESIGN section 4). */
const CRITICAL = [
  / >= crit /,
  /\(wal_status (lost|unreserved)\)/,
  /has no replication slot for /,
  /walsender inactive for .* while \S+ is reachable(?! \(apply is paused)/,
];

/** CRITICAL or DEGRADED for one reason naming a link. */
export function reasonSeverity(reason: string): "CRITICAL" | "DEGRADED" {
  return CRITICAL.some((re) => re.test(reason)) ? "CRITICAL" : "DEGRADED";
}

/** The prefix under which a node's reasons name the link `from -> to`. */
export function linkPrefix(from: string, to: string): string {
  return `link ${from} -> ${to}:`;
}

/** The status of `link` in `snapshot`. */
export function linkStatus(snapshot: Snapshot, link: Link): LinkVerdict {
  const origin = snapshot.nodes[link.from];
  const target = snapshot.nodes[link.to];
  const prefix = linkPrefix(link.from, link.to);
  const reasons = (target?.reasons ?? []).filter((r) => r.startsWith(prefix));
  if (origin?.status === "DOWN" || target?.status === "DOWN") {
    const down = [origin, target].filter((n) => n?.status === "DOWN").map((n) => n!.name);
    return { status: "DOWN", reasons: [`${down.join(" and ")} DOWN`, ...reasons] };
  }
  if (reasons.length > 0) {
    const critical = reasons.some((r) => reasonSeverity(r) === "CRITICAL");
    return { status: critical ? "CRITICAL" : "DEGRADED", reasons };
  }
  if (!target || target.status === "UNKNOWN") return { status: "UNKNOWN", reasons: [] };
  return { status: "HEALTHY", reasons: [] };
}
