/**
 * Structural views of the parts the server reads (store, collector), so lib/server does not
 * depend on their modules: main_server.ts passes the real ones.
 */
import type { ConflictRecord } from "../snapshot/mod.ts";

/** Query of a node's stored metrics (times in epoch ms). */
export interface NodeHistoryQuery {
  node?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** Query of a link's stored metrics (times in epoch ms). */
export interface LinkHistoryQuery {
  from?: string;
  to?: string;
  since?: number;
  until?: number;
  limit?: number;
}

/** Query of stored conflicts. */
export interface ConflictQuery {
  since?: number;
  node?: string;
  limit?: number;
}

/** What the server uses of the history store. */
export interface StoreLike {
  /** Cumulative failed writes (exposed as pgactive_store_write_errors_total). */
  readonly writeErrors: number;
  nodeHistory(q: NodeHistoryQuery): readonly object[];
  linkHistory(q: LinkHistoryQuery): readonly object[];
  conflicts(q: ConflictQuery): readonly ConflictRecord[];
}

/** What the server uses of the collector's statistics. */
export interface CollectorStatsLike {
  readonly cycles: number;
  readonly skippedCycles: number;
  /** Failed probes per node, cumulative. */
  readonly probeErrors: Readonly<Record<string, number>>;
  readonly lastCycleMs: number | null;
  /** Epoch ms the last cycle ended. */
  readonly lastCycleEndedAt: number | null;
}
