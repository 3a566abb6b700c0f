/**
 * "Caught up" as a barrier: has every node applied everything committed before a point? The
 * point is either positions the caller names (node -> WAL LSN, e.g. `pg_current_wal_lsn()` read
 * right after the caller's own write) or, by default, the nodes' WAL positions in the first
 * snapshot whose cycle started after the wait began.
 */
import {
  type Link,
  lsnDiff,
  MIN_COMMIT_RECORD_BYTES,
  parseLsn,
  type Snapshot,
} from "../snapshot/mod.ts";

/** Options of {@link caughtUp} and {@link CaughtUpBarrier}. */
export interface CaughtUpOptions {
  /**
   * Also accept a link whose oldest unapplied commit is at most this many seconds old (default
   * 0: every commit before the barrier must be applied).
   */
  maxLagSeconds?: number;
  /** Consider only these nodes and the links between them (default: all). */
  nodes?: readonly string[] | undefined;
  /**
   * Origin positions each link must have confirmed: node name -> LSN (`X/Y`). A link from a node
   * not named here must be caught up (or within maxLagSeconds).
   */
  barrier?: Readonly<Record<string, string>> | undefined;
}

/** Whether the mesh has caught up, and if not, one short sentence per obstacle. */
export interface CaughtUp {
  /** True when nothing blocks. */
  caughtUp: boolean;
  /** E.g. `node2 is DOWN`, `node1 -> node2: 192 B committed before the barrier not applied`. */
  blocking: string[];
}

function passesBarrier(link: Link, position: string | undefined): boolean {
  if (position === undefined || link.confirmed_lsn === null) return false;
  // Fewer bytes than a commit record past the confirmed position cannot hold a commit.
  return lsnDiff(parseLsn(position, `barrier.${link.from}`), parseLsn(link.confirmed_lsn)) <
    MIN_COMMIT_RECORD_BYTES;
}

function linkObstacle(link: Link, max: number, position: string | undefined): string | null {
  const name = `${link.from} -> ${link.to}`;
  if (link.caught_up === true || passesBarrier(link, position)) return null;
  if (link.caught_up === false) {
    if (max > 0 && link.lag_seconds !== null && link.lag_seconds <= max) return null;
    const age = link.lag_seconds === null ? "" : `, oldest ${link.lag_seconds.toFixed(1)} s old`;
    const paused = link.apply_paused ? ` (apply paused on ${link.to})` : "";
    return `${name}: ${
      link.lag_bytes ?? "?"
    } B committed on ${link.from} not applied${age}${paused}`;
  }
  // Unknown now, or a server from before `caught_up` existed: then lag_seconds is its answer.
  if (link.lag_method === "unknown" || link.lag_seconds === null) return `${name}: lag unknown`;
  if (link.lag_seconds <= max) return null;
  return `${name}: lag ${link.lag_seconds.toFixed(1)} s > ${max} s`;
}

/**
 * Whether every node (of `nodes`) is reachable and every link between them has applied what
 * the barrier requires: without a barrier, every commit up to the snapshot's probes (link
 * `caught_up`), or commits at most `maxLagSeconds` old unapplied.
 *
 * @example
 * ```ts
 * import { caughtUp } from "./mod.ts";
 * const verdict = caughtUp({
 *   version: 1, collected_at: "2026-11-24T06:00:00.000Z", status: "HEALTHY", nodes: {}, links: [],
 *   cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 1 },
 * }, { maxLagSeconds: 1 });
 * if (!verdict.caughtUp) throw new Error(verdict.blocking.join("; "));
 * ```
 */
export function caughtUp(snapshot: Snapshot, options: CaughtUpOptions = {}): CaughtUp {
  const max = options.maxLagSeconds ?? 0;
  const wanted = options.nodes ? new Set(options.nodes) : null;
  const inScope = (name: string) => wanted === null || wanted.has(name);
  const blocking: string[] = [];
  for (const node of Object.values(snapshot.nodes)) {
    if (!inScope(node.name)) continue;
    if (node.status === "DOWN" || node.status === "UNKNOWN") {
      blocking.push(`${node.name} is ${node.status}`);
    }
  }
  for (const link of snapshot.links) {
    if (!inScope(link.from) && !inScope(link.to)) continue;
    const obstacle = linkObstacle(link, max, options.barrier?.[link.from]);
    if (obstacle !== null) blocking.push(obstacle);
  }
  return { caughtUp: blocking.length === 0, blocking };
}

/** Options of {@link CaughtUpBarrier}. */
export interface BarrierOptions extends CaughtUpOptions {
  /**
   * Every snapshot fed is collected after the wait began (an in-process collector): the first one
   * sets the barrier. Default false (a server's stream: its current snapshot may predate the wait).
   */
  fresh?: boolean;
}

/**
 * Follows snapshots in order and answers whether everything committed before the wait began (or
 * before `barrier`) is applied everywhere. Without `barrier`, the positions come from the first
 * snapshot at least two versions after the first one fed: its cycle started after the wait did.
 */
export class CaughtUpBarrier {
  readonly #options: BarrierOptions;
  #firstVersion: number | null = null;
  #positions: Readonly<Record<string, string>> | null;

  constructor(options: BarrierOptions = {}) {
    this.#options = options;
    this.#positions = options.barrier ?? null;
  }

  /** The positions in force (node -> LSN), once known. */
  get positions(): Readonly<Record<string, string>> | null {
    return this.#positions;
  }

  /** The verdict for the next snapshot of the stream. */
  check(snapshot: Snapshot): CaughtUp {
    if (this.#positions === null) {
      this.#firstVersion ??= snapshot.version;
      const needed = this.#options.fresh ? this.#firstVersion : this.#firstVersion + 2;
      if (snapshot.version < needed) {
        return {
          caughtUp: false,
          blocking: [`waiting for a snapshot collected after the wait began (version ${needed})`],
        };
      }
      const positions: Record<string, string> = {};
      for (const node of Object.values(snapshot.nodes)) {
        if (node.metrics.wal_lsn) positions[node.name] = node.metrics.wal_lsn;
      }
      this.#positions = positions;
    }
    return caughtUp(snapshot, { ...this.#options, barrier: this.#positions });
  }
}
