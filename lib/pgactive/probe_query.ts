/**
 * The per-cycle probe: ONE statement returning one json document built from sub-selects, so a
 * node costs one round trip per cycle. The statement is assembled once per connection from its
 * Capabilities (version branches and grants); unreadable optional parts are simply left out.
 */
import {
  type AppliedInfo,
  decodeAppliedRow,
  decodeStatsRow,
  decodeWorkerRow,
  lastAppliedSql,
  type OriginStats,
  PEERS_FROM_NODES_SQL,
  PEERS_FROM_SLOTS_SQL,
  STATS_SQL,
  type WorkerInfo,
  workersSql,
} from "./apply_progress.ts";
import type { Capabilities } from "./capabilities.ts";
import { type ConflictRow, CONFLICTS_SQL, decodeConflictRow } from "./conflict_rows.ts";
import {
  lsn,
  optBool,
  optObject,
  optText,
  optTimestamp,
  type RawRow,
  rows,
  text,
  within,
} from "./fields.ts";
import {
  decodeLocalNodeId,
  decodeMemberRow,
  LOCAL_HINT_SQL,
  LOCAL_NODEID_SQL,
  type MemberInfo,
  NODES_SQL,
} from "./membership.ts";
import type { NodeId } from "./slot_name.ts";
import { decodeSlotRow, type SlotInfo, SLOTS_SQL } from "./slots.ts";
import {
  decodeLocalCommits,
  LOCAL_COMMITS_SQL,
  type LocalCommits,
  SNAPSHOT_XMIN_SQL,
} from "./local_commits.ts";

/** Options of buildProbeSql / decodeProbeDocument. */
export interface ProbeShape {
  /**
   * Include pgactive_get_workers_info() (default true). Workers change rarely and only explain
   * an inactive walsender, so the connection reads them on every 10th probe only.
   */
  readonly workers?: boolean;
}

/**
 * Builds the probe statement for a connection: $1 conflict high-water, $2 batch size, $3 first
 * xid of the local-commit scan (-1: skip), $4 the previous probe's clock (see local_commits.ts).
 */
export function buildProbeSql(caps: Capabilities, shape: ProbeShape = {}): string {
  const r = caps.readable;
  const parts: string[] = [
    `'now', clock_timestamp()`,
    // Flushed, not inserted: walsenders only send flushed WAL, and apply commits asynchronously,
    // so under load the insert position runs ~wal_writer_delay of WAL ahead of anything sendable.
    `'current_lsn', pg_current_wal_flush_lsn()`,
    `'next_xid', pg_snapshot_xmax(pg_current_snapshot())::text`,
    `'xmin', ${SNAPSHOT_XMIN_SQL}`,
    `'last_commit', (SELECT json_build_object('xid', c.xid::text, 'timestamp', c."timestamp",
      'roident', c.roident) FROM pg_last_committed_xact() c WHERE c.xid IS NOT NULL)`,
    `'slots', ${SLOTS_SQL}`,
  ];
  if (r.has("apply_paused")) parts.push(`'apply_paused', pgactive.pgactive_is_apply_paused()`);
  if (caps.canReadNodes) parts.push(`'nodes', ${NODES_SQL}`);
  parts.push(
    r.has("local_nodeid") ? `'local', ${LOCAL_NODEID_SQL}` : `'local_hint', ${LOCAL_HINT_SQL}`,
  );
  if (r.has("last_applied") && caps.lastAppliedFn) {
    const peers = caps.canReadNodes && r.has("local_nodeid")
      ? PEERS_FROM_NODES_SQL
      : PEERS_FROM_SLOTS_SQL;
    parts.push(`'applied', ${lastAppliedSql(caps.lastAppliedFn, peers, caps.canCheckActive)}`);
  }
  if (r.has("stats")) parts.push(`'stats', ${STATS_SQL}`);
  if (r.has("workers") && shape.workers !== false) {
    parts.push(`'workers', ${workersSql(caps.workersHaveErrors)}`);
  }
  if (r.has("conflict_history")) parts.push(`'conflicts', ${CONFLICTS_SQL}`);
  // The conflict parameters are referenced even when unused so $1/$2 always have a type.
  if (!r.has("conflict_history")) parts.push(`'hw', $1::bigint + $2::int`);
  parts.push(
    r.has("commit_timestamps")
      ? `'local_commits', ${LOCAL_COMMITS_SQL}`
      : `'scan', $3::bigint, 'scan_after', $4::timestamptz`,
  );
  return `SELECT json_build_object(\n  ${parts.join(",\n  ")}\n) AS probe`;
}

/** Everything one probe learned about a node (decoded, typed). */
export interface ProbeData {
  /** Server clock at the probe (epoch ms). */
  readonly serverNowMs: number;
  /** pgactive_version(), read once per connection (filled in by NodeConnection). */
  readonly libraryVersion: string | null;
  /** WAL flush position (pg_current_wal_flush_lsn()): the most a walsender can have sent. */
  readonly currentLsn: bigint;
  /** Next xid (32-bit part of pg_snapshot_xmax). */
  readonly nextXid: number;
  /** Snapshot xmin as a full 64-bit xid: where the next local-commit scan starts. */
  readonly xmin: bigint;
  /** Local commits since the previous probe; null when not scanned (unknown). */
  readonly localCommits: LocalCommits | null;
  /** Last commit on this instance: origin 0 = a local transaction. */
  readonly lastCommit: { xid: number; tsMs: number | null; roident: number } | null;
  readonly applyPaused: boolean | null;
  /** Local triple (from pgactive_get_local_nodeid(), or the per-db worker hint: sysid only). */
  readonly local: NodeId | null;
  readonly localSysidHint: string | null;
  /** Null when pgactive_nodes is not readable. */
  readonly members: MemberInfo[] | null;
  readonly slots: SlotInfo[];
  /** Null when not readable. */
  readonly applied: AppliedInfo[] | null;
  /** This database's origins only; null when not readable. */
  readonly stats: OriginStats[] | null;
  /** Null when not readable or not read by this probe (see ProbeShape). */
  readonly workers: WorkerInfo[] | null;
  readonly conflicts: ConflictRow[] | null;
}

function list<T>(doc: RawRow, field: string, present: boolean, fn: (r: RawRow) => T): T[] | null {
  if (!present) return null;
  return rows(doc, field).map((row, i) => within(`${field}[${i}]`, () => fn(row)));
}

/** Decodes the probe document; throws a TypeError naming the bad field. */
export function decodeProbeDocument(
  doc: RawRow,
  caps: Capabilities,
  shape: ProbeShape = {},
): ProbeData {
  const r = caps.readable;
  const now = optTimestamp(doc, "now");
  if (now === null) throw new TypeError("now: expected timestamptz, got null");
  const lastCommit = optObject(doc, "last_commit");
  const local = optObject(doc, "local");
  const stats = list(doc, "stats", r.has("stats"), decodeStatsRow);
  return {
    serverNowMs: now,
    libraryVersion: optText(doc, "library_version"),
    currentLsn: lsn(doc, "current_lsn"),
    nextXid: Number(BigInt(text(doc, "next_xid")) & 0xffffffffn),
    xmin: BigInt(text(doc, "xmin")),
    localCommits: within(
      "local_commits",
      () => decodeLocalCommits(optObject(doc, "local_commits")),
    ),
    lastCommit: lastCommit === null ? null : within("last_commit", () => ({
      xid: Number(text(lastCommit, "xid")),
      tsMs: optTimestamp(lastCommit, "timestamp"),
      roident: Number(lastCommit["roident"] ?? 0),
    })),
    applyPaused: optBool(doc, "apply_paused"),
    local: local === null ? null : within("local", () => decodeLocalNodeId(local)),
    localSysidHint: optText(doc, "local_hint"),
    members: list(doc, "nodes", caps.canReadNodes, decodeMemberRow),
    slots: list(doc, "slots", true, decodeSlotRow) ?? [],
    applied: list(
      doc,
      "applied",
      r.has("last_applied") && caps.lastAppliedFn !== null,
      decodeAppliedRow,
    ),
    stats: stats === null
      ? null
      : stats.filter((s): s is OriginStats => s !== null && s.localDboid === caps.dbOid),
    workers: list(doc, "workers", r.has("workers") && shape.workers !== false, decodeWorkerRow),
    conflicts: list(doc, "conflicts", r.has("conflict_history"), decodeConflictRow),
  };
}
