/**
 * Structural views of the parts the server reads (store, collector): main_server.ts passes the
 * real ones, tests may pass an in-memory Store. Only types are imported from lib/store.
 */
import type { ConflictRecord } from "../snapshot/mod.ts";
import type { ConflictQuery, LinkHistoryQuery, NodeHistoryQuery } from "../store/mod.ts";

export type { ConflictQuery, LinkHistoryQuery, NodeHistoryQuery };

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
