/**
 * Probe results rebuilt from REAL captures of a live 3-node pgactive 2.1.9 cluster on PostgreSQL
 * 15.20 (pgactive-observed.md, the lead's shared notes): baseline (section 2), node2 apply paused
 * (3), after conflicts (4), node3 stopped at t≈3 s and t≈25 s (5a, 5b), node3 restarted (7).
 *
 * Each capture below is the psql output of capture.sql, excerpted verbatim to the columns the
 * collector's probe reads (plus a few computed columns kept to cross-check the collector's
 * arithmetic, e.g. `retained_bytes_vs_restart`). The rows are turned into the json document the
 * probe statement returns (same keys and json types as `buildProbeSql`) and decoded with the real
 * decoders (`decodeProbeDocument`, `decodeConnectDocument`, `decodeCapabilitiesRow`).
 *
 * Where a capture lacks a value the probe reads, the builder says where the value comes from:
 * - `current_lsn`: the probe reads pg_current_wal_flush_lsn(); captures have pg_current_wal_lsn()
 *   (Q20 `current_wal_lsn`), the write position, which is >= the flush position. A streaming
 *   logical walsender reads every flushed record at once (measured on a real pgactive cluster,
 *   2026-11-30: flush = sent on every idle link), so the flush position is estimated as the
 *   write position lowered to the highest sent_lsn of a streaming walsender (node2's baseline
 *   write position is 56 bytes past what its walsenders had sent: a record not yet flushed).
 * - `local_commits`: capture.sql did not scan commit timestamps: the document says "not
 *   scanned" (null), as a probe does whose scan was skipped; lag then comes from the bounds.
 * - `now`: the probe reads clock_timestamp(); captures give now() of the Q07 statement
 *   (`last_applied_xact_committs + now_minus_committs`), microseconds apart.
 * - Section 3 has a full capture of node2 only; node1's and node3's slots come from the
 *   cluster-wide Q05 (pgactive_get_replication_lag_info()) run on node2 at the same moment, the
 *   rest from the captures just before/after (see `pausedPartial`).
 * - Section 7 has only Q05's active/pending columns and node3's Q06 (see `restartedPartial`).
 * @module
 */
import type { NodeOutcome } from "../../lib/collector/mod.ts";
import {
  classifyError,
  decodeCapabilitiesRow,
  decodeConnectDocument,
  decodeProbeDocument,
  formatLsn,
  nodeKey,
  type NodeProbeResult,
  parseLsn,
} from "../../lib/pgactive/mod.ts";

/** A row as psql printed it: text values, `(null)` as null. */
export type PsqlRow = Record<string, string | null>;
type Json = Record<string, unknown>;

/** One node's capture: psql excerpts per query of capture.sql (Q02 ... Q20). */
export interface CaptureText {
  /** Local identity (pgactive_get_local_nodeid(), pgactive_is_apply_paused()). */
  readonly q02: string;
  /** pgactive_nodes. */
  readonly q03: string;
  /** pgactive_get_stats(). */
  readonly q06: string;
  /** pgactive_get_last_applied_xact_info() per peer. */
  readonly q07: string;
  /** pgactive_get_workers_info(). */
  readonly q08: string;
  /** pg_replication_slots (pgactive). */
  readonly q09: string;
  /** pg_stat_replication. */
  readonly q10: string;
  /** pgactive_conflict_history rows. */
  readonly q15: string;
  /** pg_last_committed_xact(), current WAL position, next xid. */
  readonly q20: string;
}

/** Parses a psql aligned table (header, dashes, rows); `(null)` becomes null. */
export function parsePsql(text: string): PsqlRow[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const cells = (l: string) => l.split("|").map((c) => c.trim());
  const header = cells(lines[0] ?? "");
  if (!/^-+(\+-+)*$/.test(lines[1]?.trim() ?? "")) throw new TypeError("not a psql table");
  return lines.slice(2).map((l) => {
    const values = cells(l);
    if (values.length !== header.length) throw new TypeError(`bad psql row: ${l}`);
    return Object.fromEntries(
      header.map((h, i) => [h, values[i] === "(null)" ? null : values[i]!]),
    );
  });
}

/** A capture as parsed rows (the probe document is built from these). */
export interface CaptureRows {
  readonly node: string;
  /** Server clock at the capture (epoch ms). */
  readonly atMs: number;
  readonly local: PsqlRow;
  readonly members: readonly PsqlRow[];
  readonly stats: readonly PsqlRow[];
  readonly applied: readonly PsqlRow[];
  /** Null: not read by this probe (the connection reads workers on every 10th probe only). */
  readonly workers: readonly PsqlRow[] | null;
  readonly slots: readonly PsqlRow[];
  readonly walsenders: readonly PsqlRow[];
  readonly history: readonly PsqlRow[];
  readonly q20: PsqlRow;
}

/** psql timestamptz (`2026-11-24 06:10:41.882765+00`) to epoch ms. */
export function tsMs(text: string): number {
  const ms = Date.parse(text.replace(" ", "T").replace(/\+00$/, "Z"));
  if (Number.isNaN(ms)) throw new TypeError(`not a timestamptz: ${text}`);
  return ms;
}

/** psql interval (`00:00:52.970419`, `9824 days 06:13:20.771271`) to ms. */
export function intervalMs(text: string): number {
  const m = /^(?:(\d+) days? )?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) throw new TypeError(`not an interval: ${text}`);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60_000 +
    Math.round(Number(m[4]) * 1000);
}

/** now() of the capture's Q07 statement: committs + (now - committs), checked row by row. */
export function captureTimeMs(q07: readonly PsqlRow[]): number {
  const times = q07.map((r) =>
    tsMs(r["last_applied_xact_committs"]!) + intervalMs(r["now_minus_committs"]!)
  );
  if (times.length === 0) throw new TypeError("Q07 has no rows");
  return times[0]!;
}

/** Parses every excerpt of a capture. */
export function captureRows(node: string, c: CaptureText): CaptureRows {
  const q07 = parsePsql(c.q07);
  return {
    node,
    atMs: captureTimeMs(q07),
    local: parsePsql(c.q02)[0]!,
    members: parsePsql(c.q03),
    stats: parsePsql(c.q06),
    applied: q07,
    workers: parsePsql(c.q08),
    slots: parsePsql(c.q09),
    walsenders: parsePsql(c.q10),
    history: parsePsql(c.q15),
    q20: parsePsql(c.q20)[0]!,
  };
}

// ---- json values as json_build_object renders them (numbers for int/oid, text for xid/pg_lsn)

function jsonTs(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.replace(" ", "T").replace(/\+00$/, "+00:00");
}

function num(text: string | null | undefined): number | null {
  return text === null || text === undefined ? null : Number(text);
}

function bool(text: string | null | undefined): boolean | null {
  return text === null || text === undefined ? null : text === "t";
}

/** The server's `now` as json renders timestamptz (microseconds dropped). */
function jsonNow(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

const SUPERUSER_CAPS_ROW = {
  has_schema: true,
  extension_version: "2.1.8",
  server_version_num: "150020",
  db_oid: 16385, // Q02 dboid: the local database OID (16385 on all three nodes)
  database: "app",
  read_all_stats: true,
  version_fn: true,
  nodes: true,
  local_nodeid: true,
  stats: true,
  workers: true,
  workers_columns: 8, // Q08 has 8 columns (2.1.4+)
  last_applied: true,
  last_applied_legacy: null,
  apply_paused_fn: true,
  active_in_db_fn: true,
  conflict_history: true,
  commit_ts: true, // Q18: track_commit_timestamp on; PostgreSQL 15 has pg_xact_commit_timestamp_origin
};

/** Capabilities of a superuser connection to these nodes (Q01: extversion 2.1.8, PG 150020). */
export const OBSERVED_CAPS = decodeCapabilitiesRow(SUPERUSER_CAPS_ROW);

/**
 * Capabilities of the `pgactive_monitor` role (member of pg_monitor, no pgactive GRANT) as
 * section 6a found them: pgactive_version(), pgactive_is_active_in_db(), pgactive_is_apply_paused(),
 * pgactive_get_last_applied_xact_info(), pg_replication_slots and pg_stat_replication (LSNs
 * visible) work; pgactive_nodes, pgactive_get_local_nodeid(), pgactive_get_stats(),
 * pgactive_get_workers_info() and pgactive_conflict_history are denied.
 */
export const PG_MONITOR_CAPS = decodeCapabilitiesRow({
  ...SUPERUSER_CAPS_ROW,
  nodes: false,
  local_nodeid: false,
  stats: false,
  workers: false,
  conflict_history: false,
});

/** Q01 version of every capture. */
export const LIBRARY_VERSION = "2.1.9-2026-11-24-";

/** Options of probeDocument / probeResult. */
export interface ProbeOptions {
  /** Conflict rows above this conflict_id are returned (the collector's high-water mark). */
  readonly conflictHighWater?: number;
  /** The connecting role (default superuser, like the captures). */
  readonly role?: "superuser" | "pg_monitor";
}

/** The flush position estimate (see the module comment). */
function flushEstimate(c: CaptureRows): string {
  const current = parseLsn(String(c.q20["current_wal_lsn"]));
  const sent = c.walsenders
    .filter((w) => w["state"] === "streaming" && w["sent_lsn"])
    .map((w) => parseLsn(String(w["sent_lsn"])));
  if (sent.length === 0) return formatLsn(current);
  const highest = sent.reduce((a, b) => (a > b ? a : b));
  return formatLsn(highest < current ? highest : current);
}

/** The json document the probe statement (buildProbeSql) would have returned for this capture. */
export function probeDocument(c: CaptureRows, opts: ProbeOptions = {}): Json {
  const byName = new Map(c.members.map((m) => [m["node_name"], m]));
  const hw = opts.conflictHighWater ?? 0;
  const doc: Json = {
    now: jsonNow(c.atMs),
    current_lsn: flushEstimate(c), // see the module comment
    local_commits: null, // see the module comment
    next_xid: c.q20["next_xid"],
    xmin: c.q20["next_xid"],
    last_commit: c.q20["xid"] === null ? null : {
      xid: c.q20["xid"],
      timestamp: jsonTs(c.q20["timestamp"]),
      roident: num(c.q20["roident"]),
    },
    // SLOTS_SQL: pg_replication_slots LEFT JOIN pg_stat_replication ON pid = active_pid
    slots: c.slots.map((s) => {
      const ws = c.walsenders.find((w) => s["active_pid"] !== null && w["pid"] === s["active_pid"]);
      return {
        slot_name: s["slot_name"],
        active: bool(s["active"]),
        active_pid: num(s["active_pid"]),
        restart_lsn: s["restart_lsn"],
        confirmed_flush_lsn: s["confirmed_flush_lsn"],
        wal_status: s["wal_status"] ?? null,
        state: ws?.["state"] ?? null,
        sent_lsn: ws?.["sent_lsn"] ?? null,
        write_lsn: ws?.["write_lsn"] ?? null,
        flush_lsn: ws?.["flush_lsn"] ?? null,
        replay_lsn: ws?.["replay_lsn"] ?? null,
      };
    }),
    apply_paused: bool(c.local["apply_paused"]),
    nodes: c.members.map((m) => ({
      sysid: m["node_sysid"],
      timeline: num(m["node_timeline"]),
      dboid: num(m["node_dboid"]),
      status: m["node_status"],
      name: m["node_name"],
    })),
    local: {
      sysid: c.local["sysid"],
      timeline: num(c.local["timeline"]),
      dboid: num(c.local["dboid"]),
    },
    // Q07 names the upstream; the probe passes its pgactive_nodes triple.
    applied: c.applied.map((a) => {
      const n = byName.get(a["upstream_node"]);
      if (!n) throw new TypeError(`Q07 upstream ${a["upstream_node"]} not in pgactive_nodes`);
      return {
        sysid: n["node_sysid"],
        timeline: num(n["node_timeline"]),
        dboid: num(n["node_dboid"]),
        xid: num(a["last_applied_xact_id"]),
        committs: jsonTs(a["last_applied_xact_committs"]),
        applied_at: jsonTs(a["last_applied_xact_at"]),
      };
    }),
    stats: c.stats.map((s) => ({
      riremoteid: s["riremoteid"],
      nr_commit: num(s["nr_commit"]),
      nr_rollback: num(s["nr_rollback"]),
      nr_insert_conflict: num(s["nr_insert_conflict"]),
      nr_update_conflict: num(s["nr_update_conflict"]),
      nr_delete_conflict: num(s["nr_delete_conflict"]),
    })),
    conflicts: c.history
      .filter((h) => Number(h["conflict_id"]) > hw)
      .map((h) => ({
        conflict_id: num(h["conflict_id"]),
        local_conflict_time: jsonTs(h["local_conflict_time"]),
        object_schema: h["object_schema"],
        object_name: h["object_name"],
        remote_node_sysid: h["remote_node_sysid"],
        remote_node_timeline: num(h["remote_node_timeline"]),
        remote_node_dboid: num(h["remote_node_dboid"]),
        conflict_type: h["conflict_type"],
        conflict_resolution: h["conflict_resolution"],
        error_sqlstate: h["error_sqlstate"],
        error_message: h["error_message"],
      })),
  };
  if (c.workers !== null) {
    doc["workers"] = c.workers.map((w) => ({
      sysid: w["sysid"],
      timeline: num(w["timeline"]),
      dboid: num(w["dboid"]),
      worker_type: w["worker_type"],
      pid: num(w["pid"]),
      last_error: w["last_error"],
      last_error_time: jsonTs(w["last_error_time"]),
    }));
  }
  if (opts.role === "pg_monitor") {
    // buildProbeSql leaves out what the role may not read; the identity then comes from the
    // per-db worker's application_name `pgactive:<sysid>:perdb` (Q11 shows it for the Q02 sysid)
    // and the peers for the last-applied calls from the slot names (the same two peers as Q07).
    for (const k of ["nodes", "local", "stats", "workers", "conflicts"]) delete doc[k];
    doc["local_hint"] = c.local["sysid"];
  }
  // json_agg over no rows is NULL
  for (const k of ["slots", "nodes", "applied", "stats", "conflicts", "workers"]) {
    if (Array.isArray(doc[k]) && (doc[k] as unknown[]).length === 0) doc[k] = null;
  }
  return doc;
}

/** The once-per-connection document (buildConnectSql): version and join-time conflicts. */
export function connectDocument(c: CaptureRows, opts: ProbeOptions = {}): Json {
  if (opts.role === "pg_monitor") return { library_version: LIBRARY_VERSION };
  const ids = c.history.map((h) => Number(h["conflict_id"]));
  const perOrigin = new Map<string, { h: PsqlRow; n: number; total: number }>();
  for (const h of c.history) {
    const k = `${h["remote_node_sysid"]}/${h["remote_node_timeline"]}/${h["remote_node_dboid"]}`;
    const was = perOrigin.get(k) ?? { h, n: 0, total: 0 };
    const n = was.n + (h["object_schema"] === "pgactive" ? 1 : 0);
    perOrigin.set(k, { h, n, total: was.total + 1 });
  }
  return {
    library_version: LIBRARY_VERSION,
    catalog_conflicts: {
      max_id: ids.length ? String(Math.max(...ids)) : null,
      per_origin: perOrigin.size
        ? [...perOrigin.values()].map(({ h, n, total }) => ({
          sysid: h["remote_node_sysid"],
          timeline: num(h["remote_node_timeline"]),
          dboid: num(h["remote_node_dboid"]),
          n,
          total,
        }))
        : null,
    },
  };
}

/**
 * What NodeConnection.probe() would have returned: both documents decoded with the real decoders
 * and combined as the connection combines them.
 */
export function probeResult(c: CaptureRows, opts: ProbeOptions = {}): NodeProbeResult {
  const caps = opts.role === "pg_monitor" ? PG_MONITOR_CAPS : OBSERVED_CAPS;
  const shape = { workers: c.workers !== null };
  const data = decodeProbeDocument(probeDocument(c, opts), caps, shape);
  const facts = decodeConnectDocument(connectDocument(c, opts));
  const cat = facts.catalogConflicts;
  return {
    data: { ...data, libraryVersion: facts.libraryVersion ?? data.libraryVersion },
    capabilities: caps,
    probeMs: 2, // not captured (the whole capture script ran in ~50 ms)
    catalogConflicts: cat && new Map(cat.perOrigin.map((p) => [nodeKey(p.origin), p.count])),
    historyConflicts: cat && new Map(cat.perOrigin.map((p) => [nodeKey(p.origin), p.total])),
    statements: 1,
    localCommitsAfterMs: null,
  };
}

/**
 * The outcome of probing a node stopped with `pg_ctl stop -m fast`: the connection's first query
 * fails with 57P01, the immediate retry on a fresh connection is refused. The message is the one
 * the real classifier produces for that driver error.
 */
export function stoppedOutcome(name: string, port: number): NodeOutcome {
  const err = classifyError(name, {
    name: "Error",
    code: "ECONNREFUSED",
    message: `connect ECONNREFUSED 127.0.0.1:${port}`,
  }, { secrets: [], connectTimeoutMs: 1600 });
  return { name, result: null, error: err.message };
}

/** One observed moment of the cluster: a capture (or a probe failure) per configured node. */
export interface Scenario {
  readonly label: string;
  /** Collector clock for the cycle: the earliest capture time (a cycle starts before probes). */
  readonly atMs: number;
  readonly nodes: Readonly<Record<string, CaptureRows | NodeOutcome>>;
}

function scenario(label: string, nodes: Record<string, CaptureRows | NodeOutcome>): Scenario {
  const times = Object.values(nodes).flatMap((n) => "atMs" in n ? [n.atMs] : []);
  return { label, atMs: Math.min(...times), nodes };
}

/** Node ports of the observed cluster. */
export const PORTS: Readonly<Record<string, number>> = { node1: 55431, node2: 55433, node3: 55434 };

// ---- partial captures

/** Adds `bytes` to a pg_lsn text. */
function lsnPlus(lsn: string, bytes: string | number): string {
  return formatLsn(parseLsn(lsn) + BigInt(bytes));
}

/** Conflict history rows logged at or before `atMs` (history only grows; ids are in time order). */
function historyUpTo(rows: readonly PsqlRow[], atMs: number): PsqlRow[] {
  return rows.filter((h) => tsMs(h["local_conflict_time"]!) <= atMs);
}

/**
 * pgactive_get_stats() counters rebuilt from the conflict history rows logged up to a moment:
 * observation 12 of the capture notes (history and counters agree per origin; update_delete
 * counts as an update conflict). nr_commit / nr_rollback are not captured: the earlier capture's
 * values are kept (lower bounds; nr_rollback was 0 in every capture before and after).
 */
function statsFromHistory(earlier: readonly PsqlRow[], history: readonly PsqlRow[]): PsqlRow[] {
  return earlier.map((row) => {
    const sysid = /^pgactive_(\d+)_/.exec(row["riremoteid"]!)![1];
    const from = history.filter((h) => h["remote_node_sysid"] === sysid);
    const n = (types: string[]) =>
      String(from.filter((h) => types.includes(h["conflict_type"]!)).length);
    return {
      ...row,
      nr_insert_conflict: n(["insert_insert"]),
      nr_update_conflict: n(["update_update", "update_delete"]),
      nr_delete_conflict: n(["delete_delete"]),
    };
  });
}

/**
 * Section 3, node1 or node3 (no full capture): slots and walsender positions from the
 * cluster-wide Q05 run on node2 (its rows follow pgactive_nodes order: node1's two slots, node2's,
 * node3's; checked by the consuming peers' names), current LSN = replay_lsn + pending_wal_to_apply
 * (pgactive's definition of pending_wal_to_apply; pending_wal_decoding = current - sent_lsn = 0
 * agrees: checked). Identity, membership and workers: as in sections 2 and 4 (identical in both,
 * same pids). History: the section 4 rows logged before the capture; counters rebuilt from it.
 * Last applied xacts: section 2 values (stale; only read for links that are behind, and both links
 * into this node are caught up). Next xid: a lower bound (node1: node2's history shows node1
 * committed xid 760 at 06:11:46.23; node3: node2 applied node3's xid 758). walsender state and
 * wal_status are not in Q05: `streaming` for an active slot with a walsender pid, wal_status null.
 */
function pausedPartial(node: "node1" | "node3", paused2: CaptureRows): CaptureRows {
  const base = captureRows(node, node === "node1" ? BASELINE_NODE1 : BASELINE_NODE3);
  const after = captureRows(node, node === "node1" ? CONFLICTS_NODE1 : CONFLICTS_NODE3);
  const lag = parsePsql(PAUSED_LAG_INFO_ON_NODE2);
  const own = node === "node1" ? lag.slice(0, 2) : lag.slice(4, 6);
  const ownSysid = base.local["sysid"]!;
  if (own.some((r) => r["slot_name"]!.includes(ownSysid))) {
    throw new TypeError(`Q05 rows picked for ${node} include a slot for ${node} itself`);
  }
  const behind = own.find((r) => r["pending_wal_to_apply"] !== "0") ?? own[0]!;
  const current = lsnPlus(behind["replay_lsn"]!, behind["pending_wal_to_apply"]!);
  for (const r of own) {
    if (
      lsnPlus(r["replay_lsn"]!, r["pending_wal_to_apply"]!) !== current ||
      lsnPlus(r["sent_lsn"]!, r["pending_wal_decoding"]!) !== current
    ) {
      throw new TypeError(`Q05 rows of ${node} disagree on its current LSN`);
    }
  }
  const history = historyUpTo(after.history, paused2.atMs);
  return {
    ...base,
    atMs: paused2.atMs,
    slots: own.map((r) => ({ ...r, wal_status: null })),
    walsenders: own.map((r) => ({
      pid: r["active_pid"]!,
      state: "streaming",
      sent_lsn: r["sent_lsn"]!,
      write_lsn: r["write_lsn"]!,
      flush_lsn: r["flush_lsn"]!,
      replay_lsn: r["replay_lsn"]!,
    })),
    history,
    stats: statsFromHistory(base.stats, history),
    q20: {
      xid: null,
      timestamp: null,
      roident: null,
      current_wal_lsn: current,
      next_xid: node === "node1" ? "761" : "759",
    },
  };
}

/**
 * Section 7 (node3 restarted, 8 s later): only Q05's `active` and pending columns (all slots
 * active, pending_wal_decoding = pending_wal_to_apply = 0) and node3's Q06 were captured. Each
 * node's slots are therefore active with sent = write = flush = replay = confirmed = current LSN
 * (what "pending 0" means). node1/node2: current LSN, restart LSNs, counters, history and last
 * applied as at t≈25 s (no write happened after it; counters only move with conflicts). node3:
 * counters from section 7's Q06; history as in section 4 (counters unchanged since, so no new
 * rows); last applied = what node1 and node2 had committed last (their t≈25 s Q20/Q07: node1 xid
 * 1090 at 06:13:00.706474, node2 xid 1097 at 06:13:00.734454); current LSN and next xid not
 * captured: placeholders after section 4's (0/1F10000, 1092). The capture time is not given
 * either: 06:13:40 is used (after t≈25 s = 06:13:20.8, plus a restart and 8 s). Workers are not
 * read in this cycle (the collector reads them on every 10th probe).
 */
function restartedPartial(): Record<string, CaptureRows> {
  const atMs = Date.parse("2026-11-24T06:13:40Z");
  const lagInfo = parsePsql(RESTARTED_LAG_INFO);
  if (lagInfo.some((r) => r["active"] !== "t" || r["pending_wal_to_apply"] !== "0")) {
    throw new TypeError("section 7 capture shows a link behind");
  }
  const caughtUp = (c: CaptureRows, current: string, restart: (peer: string) => string) => {
    const slots = c.slots.map((s, i) => ({
      slot_name: s["slot_name"]!,
      active: "t",
      active_pid: String(20001 + i), // pids not captured
      restart_lsn: restart(s["slot_name"]!),
      confirmed_flush_lsn: current,
      wal_status: "reserved",
    }));
    return {
      ...c,
      atMs,
      workers: null,
      slots,
      walsenders: slots.map((s) => ({
        pid: s.active_pid,
        state: "streaming",
        sent_lsn: current,
        write_lsn: current,
        flush_lsn: current,
        replay_lsn: current,
      })),
    };
  };
  const n1 = captureRows("node1", STOPPED_25S_NODE1);
  const n2 = captureRows("node2", STOPPED_25S_NODE2);
  const n3 = captureRows("node3", CONFLICTS_NODE3);
  const restartOf = (c: CaptureRows) => (slot: string) =>
    c.slots.find((s) => s["slot_name"] === slot)!["restart_lsn"]!;
  const n3Current = "0/1F10000";
  return {
    node1: caughtUp(n1, n1.q20["current_wal_lsn"]!, restartOf(n1)),
    node2: caughtUp(n2, n2.q20["current_wal_lsn"]!, restartOf(n2)),
    node3: {
      ...caughtUp(n3, n3Current, restartOf(n3)),
      stats: parsePsql(RESTARTED_STATS_NODE3),
      applied: [
        {
          upstream_node: "node1",
          last_applied_xact_id: "1090",
          last_applied_xact_committs: "2026-11-24 06:13:00.706474+00",
          last_applied_xact_at: null,
          now_minus_committs: null,
        },
        {
          upstream_node: "node2",
          last_applied_xact_id: "1097",
          last_applied_xact_committs: "2026-11-24 06:13:00.734454+00",
          last_applied_xact_at: null,
          now_minus_committs: null,
        },
      ],
      q20: {
        xid: null,
        timestamp: null,
        roident: null,
        current_wal_lsn: n3Current,
        next_xid: "1092",
      },
    },
  };
}

// ---- the scenarios

/** Section 2: fresh group, ~1 min after two small test writes. */
export function baseline(): Scenario {
  return scenario("baseline", {
    node1: captureRows("node1", BASELINE_NODE1),
    node2: captureRows("node2", BASELINE_NODE2),
    node3: captureRows("node3", BASELINE_NODE3),
  });
}

/** Section 3: node2's apply paused, 501-row insert and conflicting writes on node1 and node2. */
export function applyPaused(): Scenario {
  const node2 = captureRows("node2", PAUSED_NODE2);
  return scenario("node2 apply paused", {
    node1: pausedPartial("node1", node2),
    node2,
    node3: pausedPartial("node3", node2),
  });
}

/** Section 4: after deliberately generated conflicts (apply resumed, data converged). */
export function afterConflicts(): Scenario {
  return scenario("after conflicts", {
    node1: captureRows("node1", CONFLICTS_NODE1),
    node2: captureRows("node2", CONFLICTS_NODE2),
    node3: captureRows("node3", CONFLICTS_NODE3),
  });
}

/** Section 5a: node3 stopped (pg_ctl stop -m fast at 06:12:53), t≈3 s. */
export function stopped3s(): Scenario {
  return scenario("node3 stopped, t≈3 s", {
    node1: captureRows("node1", STOPPED_3S_NODE1),
    node2: captureRows("node2", STOPPED_3S_NODE2),
    node3: stoppedOutcome("node3", PORTS["node3"]!),
  });
}

/** Section 5b: node3 still stopped, t≈25 s, after a 2001-row insert on node1 and updates on node2. */
export function stopped25s(): Scenario {
  return scenario("node3 stopped, t≈25 s", {
    node1: captureRows("node1", STOPPED_25S_NODE1),
    node2: captureRows("node2", STOPPED_25S_NODE2),
    node3: stoppedOutcome("node3", PORTS["node3"]!),
  });
}

/** Section 7: node3 restarted, 8 s later (partial capture, see restartedPartial). */
export function restarted(): Scenario {
  return scenario("node3 restarted", restartedPartial());
}

/** Section 3: node1's own pg_stat_replication while node2 was paused (cross-checks Q05). */
export function pausedWalsendersOnNode1(): PsqlRow[] {
  return parsePsql(PAUSED_NODE1_PG_STAT_REPLICATION);
}

// ---- the captures (pgactive-observed.md), excerpted to the columns the probe reads

/** Section 2, node1 (port 55431). */
const BASELINE_NODE1: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616456357975405 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616478256711032_0_16385_16385_ |         3 |           0 |                  0 |                  0 |                  0
 pgactive_7711616502476629437_0_16385_16385_ |         2 |           0 |                  0 |                  0 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node2         |                  754 | 2026-11-24 06:10:41.882765+00 | 2026-11-24 06:10:41.895471+00 | 00:00:52.970419
 node3         |                  751 | 2026-11-24 06:10:41.930399+00 | 2026-11-24 06:10:42.040793+00 | 00:00:52.922785
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616478256711032 |        0 | 16385 | apply       | 13745 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | apply       | 13812 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13683 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13746 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | walsender   | 13819 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13746 | 0/1E2D5E8   | 0/1E2D620           | reserved   |                           0 |                        56
 pgactive_16385_7711616502476629437_0_16385__ | t      |      13819 | 0/1E2D5E8   | 0/1E2D620           | reserved   |                           0 |                        56
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13746 | streaming | 0/1E2D620 | 0/1E2D620 | 0/1E2D620 | 0/1E2D620  |                   0
 13819 | streaming | 0/1E2D620 | 0/1E2D620 | 0/1E2D620 | 0/1E2D620  |                   0
`,
  q15: `
 conflict_id | local_conflict_time | object_schema | object_name | remote_node_sysid | remote_node_timeline | remote_node_dboid | conflict_type | conflict_resolution | error_sqlstate | error_message
-------------+---------------------+---------------+-------------+-------------------+----------------------+-------------------+---------------+---------------------+----------------+---------------
`,
  q20: `
 xid |           timestamp           | roident | current_wal_lsn | next_xid
-----+-------------------------------+---------+-----------------+----------
 749 | 2026-11-24 06:10:41.930399+00 |       2 | 0/1E2D620       |      750
`,
};

/** Section 2, node2 (port 55433). */
const BASELINE_NODE2: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616478256711032 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |        10 |           0 |                  1 |                  0 |                  0
 pgactive_7711616502476629437_0_16385_16385_ |         2 |           0 |                  0 |                  0 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node1         |                  746 | 2026-11-24 06:10:37.205619+00 | 2026-11-24 06:10:37.214532+00 | 00:00:57.70909
 node3         |                  751 | 2026-11-24 06:10:41.930399+00 | 2026-11-24 06:10:42.039896+00 | 00:00:52.98431
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616456357975405 |        0 | 16385 | apply       | 13744 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | apply       | 13811 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13708 | f            | (null)     | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13747 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | walsender   | 13816 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 | 0/1E298D8   | 0/1E29988           | reserved   |                          56 |                       232
 pgactive_16385_7711616502476629437_0_16385__ | t      |      13816 | 0/1E298D8   | 0/1E29988           | reserved   |                          56 |                       232
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13747 | streaming | 0/1E29988 | 0/1E29988 | 0/1E29988 | 0/1E29988  |                  56
 13816 | streaming | 0/1E29988 | 0/1E29988 | 0/1E29988 | 0/1E29988  |                  56
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema |  object_name   |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+----------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:10:30.632896+00 | pgactive      | pgactive_nodes | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid |           timestamp           | roident | current_wal_lsn | next_xid
-----+-------------------------------+---------+-----------------+----------
 755 | 2026-11-24 06:10:41.930399+00 |       2 | 0/1E299C0       |      756
`,
};

/** Section 2, node3 (port 55434). */
const BASELINE_NODE3: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616502476629437 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |         5 |           0 |                  1 |                  0 |                  0
 pgactive_7711616478256711032_0_16385_16385_ |         2 |           0 |                  0 |                  0 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node1         |                  746 | 2026-11-24 06:10:37.205619+00 | 2026-11-24 06:10:37.207084+00 | 00:00:57.770156
 node2         |                  754 | 2026-11-24 06:10:41.882765+00 | 2026-11-24 06:10:41.904712+00 | 00:00:53.09301
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616456357975405 |        0 | 16385 | apply       | 13814 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | apply       | 13813 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13777 | f            | (null)     | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13817 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13815 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13817 | 0/1E291A0   | 0/1E29250           | reserved   |                          56 |                       232
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13815 | 0/1E291A0   | 0/1E29250           | reserved   |                          56 |                       232
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13817 | streaming | 0/1E29250 | 0/1E29250 | 0/1E29250 | 0/1E29250  |                  56
 13815 | streaming | 0/1E29250 | 0/1E29250 | 0/1E29250 | 0/1E29250  |                  56
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema |  object_name   |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+----------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:10:36.856868+00 | pgactive      | pgactive_nodes | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid |           timestamp           | roident | current_wal_lsn | next_xid
-----+-------------------------------+---------+-----------------+----------
 751 | 2026-11-24 06:10:41.930399+00 |       0 | 0/1E29288       |      752
`,
};

/** Section 3, node2 (the paused node): full capture. */
const PAUSED_NODE2: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616478256711032 |        0 | 16385 | t
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |        16 |           0 |                  1 |                  0 |                  0
 pgactive_7711616502476629437_0_16385_16385_ |         7 |           0 |                  0 |                  0 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |     last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+------------------------------+--------------------
 node1         |                  757 | 2026-11-24 06:11:46.228578+00 | 2026-11-24 06:11:46.22918+00 | 00:00:02.613293
 node3         |                  758 | 2026-11-24 06:11:46.203807+00 | 2026-11-24 06:11:46.20699+00 | 00:00:02.638064
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616456357975405 |        0 | 16385 | apply       | 13744 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | apply       | 13811 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13708 | f            | (null)     | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13747 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | walsender   | 13816 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 | 0/1E299C0   | 0/1E379F8           | reserved   |                           0 |                     57400
 pgactive_16385_7711616502476629437_0_16385__ | t      |      13816 | 0/1E299C0   | 0/1E379F8           | reserved   |                           0 |                     57400
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13747 | streaming | 0/1E379F8 | 0/1E379F8 | 0/1E379F8 | 0/1E379F8  |                   0
 13816 | streaming | 0/1E379F8 | 0/1E379F8 | 0/1E379F8 | 0/1E379F8  |                   0
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema |  object_name   |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+----------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:10:30.632896+00 | pgactive      | pgactive_nodes | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid |           timestamp           | roident | current_wal_lsn | next_xid
-----+-------------------------------+---------+-----------------+----------
 767 | 2026-11-24 06:11:46.751494+00 |       0 | 0/1E379F8       |      768
`,
};

/** Section 4, node1. */
const CONFLICTS_NODE1: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616456357975405 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616478256711032_0_16385_16385_ |        22 |           0 |                  0 |                  1 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  0 |                 43 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node2         |                 1095 | 2026-11-24 06:12:50.428154+00 | 2026-11-24 06:12:50.429058+00 | 00:00:00.115161
 node3         |                 1091 | 2026-11-24 06:12:50.443335+00 | 2026-11-24 06:12:50.443959+00 | 00:00:00.09998
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616478256711032 |        0 | 16385 | apply       | 13745 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | apply       | 13812 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13683 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13746 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | walsender   | 13819 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13746 | 0/1EA6B48   | 0/1EAD280           | reserved   |                           0 |                     26424
 pgactive_16385_7711616502476629437_0_16385__ | t      |      13819 | 0/1EA6B48   | 0/1EAD280           | reserved   |                           0 |                     26424
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13746 | streaming | 0/1EAD280 | 0/1EAD280 | 0/1EAD280 | 0/1EAD280  |                   0
 13819 | streaming | 0/1EAD280 | 0/1EAD280 | 0/1EAD280 | 0/1EAD280  |                   0
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema | object_name |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+-------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:11:46.750652+00 | public        | kv          | 7711616478256711032 |                    0 |             16385 | update_delete | skip_change                 | (null)         | (null)
           2 | 2026-11-24 06:11:46.75187+00  | public        | kv          | 7711616478256711032 |                    0 |             16385 | delete_delete | skip_change                 | (null)         | (null)
           3 | 2026-11-24 06:12:25.979905+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           4 | 2026-11-24 06:12:25.982001+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           5 | 2026-11-24 06:12:25.984549+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           6 | 2026-11-24 06:12:25.989192+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           7 | 2026-11-24 06:12:25.991352+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           8 | 2026-11-24 06:12:25.994644+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           9 | 2026-11-24 06:12:25.995902+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          10 | 2026-11-24 06:12:26.002775+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          11 | 2026-11-24 06:12:26.004092+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          12 | 2026-11-24 06:12:26.004919+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          13 | 2026-11-24 06:12:26.00585+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          14 | 2026-11-24 06:12:26.006457+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          15 | 2026-11-24 06:12:26.014594+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          16 | 2026-11-24 06:12:26.03816+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          17 | 2026-11-24 06:12:26.039011+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          18 | 2026-11-24 06:12:26.041155+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          19 | 2026-11-24 06:12:26.04209+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          20 | 2026-11-24 06:12:26.043356+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          21 | 2026-11-24 06:12:26.045085+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          22 | 2026-11-24 06:12:26.046958+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          23 | 2026-11-24 06:12:26.066407+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          24 | 2026-11-24 06:12:26.067038+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          25 | 2026-11-24 06:12:26.06808+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          26 | 2026-11-24 06:12:26.070973+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          27 | 2026-11-24 06:12:26.072227+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          28 | 2026-11-24 06:12:26.072566+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          29 | 2026-11-24 06:12:26.073478+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          30 | 2026-11-24 06:12:26.076235+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          31 | 2026-11-24 06:12:26.077022+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          32 | 2026-11-24 06:12:26.077483+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          33 | 2026-11-24 06:12:26.078519+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          34 | 2026-11-24 06:12:26.079681+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          35 | 2026-11-24 06:12:26.082189+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          36 | 2026-11-24 06:12:26.08268+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          37 | 2026-11-24 06:12:26.083282+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          38 | 2026-11-24 06:12:26.083428+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          39 | 2026-11-24 06:12:26.084743+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          40 | 2026-11-24 06:12:26.08511+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          41 | 2026-11-24 06:12:26.08608+00  | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          42 | 2026-11-24 06:12:26.087056+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          43 | 2026-11-24 06:12:26.096134+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          44 | 2026-11-24 06:12:26.096892+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          45 | 2026-11-24 06:12:26.097569+00 | public        | kv          | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid  |          timestamp           | roident | current_wal_lsn | next_xid
------+------------------------------+---------+-----------------+----------
 1089 | 2026-11-24 06:12:50.41507+00 |       0 | 0/1EAD280       |     1090
`,
};

/** Section 4, node2. */
const CONFLICTS_NODE2: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616478256711032 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |       179 |           0 |                  2 |                 11 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  1 |                  7 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node1         |                 1089 | 2026-11-24 06:12:50.41507+00  | 2026-11-24 06:12:50.415797+00 | 00:00:00.183452
 node3         |                 1091 | 2026-11-24 06:12:50.443335+00 | 2026-11-24 06:12:50.44402+00  | 00:00:00.155187
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616456357975405 |        0 | 16385 | apply       | 13744 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | apply       | 13811 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13708 | f            | (null)     | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13747 | f            | (null)     | (null)
 7711616502476629437 |        0 | 16385 | walsender   | 13816 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 | 0/1EA63B0   | 0/1EACA20           | reserved   |                           0 |                     26224
 pgactive_16385_7711616502476629437_0_16385__ | t      |      13816 | 0/1EA63B0   | 0/1EACA20           | reserved   |                           0 |                     26224
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13747 | streaming | 0/1EACA20 | 0/1EACA20 | 0/1EACA20 | 0/1EACA20  |                   0
 13816 | streaming | 0/1EACA20 | 0/1EACA20 | 0/1EACA20 | 0/1EACA20  |                   0
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema |  object_name   |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+----------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:10:30.632896+00 | pgactive      | pgactive_nodes | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
           2 | 2026-11-24 06:11:48.862203+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
           3 | 2026-11-24 06:11:48.86268+00  | public        | kv             | 7711616456357975405 |                    0 |             16385 | delete_delete | skip_change                 | (null)         | (null)
           4 | 2026-11-24 06:12:22.944051+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           5 | 2026-11-24 06:12:22.944566+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
           6 | 2026-11-24 06:12:25.986976+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           7 | 2026-11-24 06:12:25.991731+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           8 | 2026-11-24 06:12:26.008607+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           9 | 2026-11-24 06:12:26.037698+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          10 | 2026-11-24 06:12:26.040079+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          11 | 2026-11-24 06:12:26.04073+00  | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          12 | 2026-11-24 06:12:26.041542+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          13 | 2026-11-24 06:12:26.042254+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          14 | 2026-11-24 06:12:26.043714+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          15 | 2026-11-24 06:12:26.045273+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          16 | 2026-11-24 06:12:26.046474+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          17 | 2026-11-24 06:12:26.046836+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          18 | 2026-11-24 06:12:26.081455+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          19 | 2026-11-24 06:12:26.082428+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          20 | 2026-11-24 06:12:26.084564+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          21 | 2026-11-24 06:12:26.086227+00 | public        | kv             | 7711616502476629437 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          22 | 2026-11-24 06:12:26.086804+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid  |           timestamp           | roident | current_wal_lsn | next_xid
------+-------------------------------+---------+-----------------+----------
 1095 | 2026-11-24 06:12:50.428154+00 |       0 | 0/1EACA20       |     1096
`,
};

/** Section 4, node3. */
const CONFLICTS_NODE3: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616502476629437 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |       174 |           0 |                  1 |                 50 |                  0
 pgactive_7711616478256711032_0_16385_16385_ |        21 |           0 |                  0 |                  1 |                  1
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node1         |                 1089 | 2026-11-24 06:12:50.41507+00  | 2026-11-24 06:12:50.415747+00 | 00:00:00.236028
 node2         |                 1095 | 2026-11-24 06:12:50.428154+00 | 2026-11-24 06:12:50.428977+00 | 00:00:00.222944
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered | last_error | last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------+-----------------
 7711616456357975405 |        0 | 16385 | apply       | 13814 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | apply       | 13813 | f            | (null)     | (null)
 (null)              |   (null) | 16385 | per-db      | 13777 | f            | (null)     | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13817 | f            | (null)     | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13815 | f            | (null)     | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13817 | 0/1EA4B90   | 0/1EAB200           | reserved   |                           0 |                     26224
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13815 | 0/1EA4B90   | 0/1EAB200           | reserved   |                           0 |                     26224
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13817 | streaming | 0/1EAB200 | 0/1EAB200 | 0/1EAB200 | 0/1EAB200  |                   0
 13815 | streaming | 0/1EAB200 | 0/1EAB200 | 0/1EAB200 | 0/1EAB200  |                   0
`,
  q15: `
 conflict_id |      local_conflict_time      | object_schema |  object_name   |  remote_node_sysid  | remote_node_timeline | remote_node_dboid | conflict_type |     conflict_resolution     | error_sqlstate | error_message
-------------+-------------------------------+---------------+----------------+---------------------+----------------------+-------------------+---------------+-----------------------------+----------------+---------------
           1 | 2026-11-24 06:10:36.856868+00 | pgactive      | pgactive_nodes | 7711616456357975405 |                    0 |             16385 | insert_insert | last_update_wins_keep_local | (null)         | (null)
           2 | 2026-11-24 06:11:46.751434+00 | public        | kv             | 7711616478256711032 |                    0 |             16385 | update_delete | skip_change                 | (null)         | (null)
           3 | 2026-11-24 06:11:46.752507+00 | public        | kv             | 7711616478256711032 |                    0 |             16385 | delete_delete | skip_change                 | (null)         | (null)
           4 | 2026-11-24 06:12:25.985015+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           5 | 2026-11-24 06:12:25.986833+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           6 | 2026-11-24 06:12:25.99154+00  | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           7 | 2026-11-24 06:12:25.992792+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           8 | 2026-11-24 06:12:25.993452+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
           9 | 2026-11-24 06:12:26.007234+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          10 | 2026-11-24 06:12:26.008445+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          11 | 2026-11-24 06:12:26.026519+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          12 | 2026-11-24 06:12:26.028064+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          13 | 2026-11-24 06:12:26.028661+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          14 | 2026-11-24 06:12:26.029472+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          15 | 2026-11-24 06:12:26.030311+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          16 | 2026-11-24 06:12:26.030996+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          17 | 2026-11-24 06:12:26.031468+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          18 | 2026-11-24 06:12:26.036675+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          19 | 2026-11-24 06:12:26.037313+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          20 | 2026-11-24 06:12:26.039888+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          21 | 2026-11-24 06:12:26.040504+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          22 | 2026-11-24 06:12:26.042756+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          23 | 2026-11-24 06:12:26.044376+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          24 | 2026-11-24 06:12:26.046026+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          25 | 2026-11-24 06:12:26.047502+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          26 | 2026-11-24 06:12:26.049939+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          27 | 2026-11-24 06:12:26.050712+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          28 | 2026-11-24 06:12:26.052085+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          29 | 2026-11-24 06:12:26.053+00    | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          30 | 2026-11-24 06:12:26.05408+00  | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          31 | 2026-11-24 06:12:26.055445+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          32 | 2026-11-24 06:12:26.058426+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          33 | 2026-11-24 06:12:26.059478+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          34 | 2026-11-24 06:12:26.061689+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          35 | 2026-11-24 06:12:26.063052+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          36 | 2026-11-24 06:12:26.080076+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          37 | 2026-11-24 06:12:26.080883+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          38 | 2026-11-24 06:12:26.08195+00  | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          39 | 2026-11-24 06:12:26.083843+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          40 | 2026-11-24 06:12:26.086531+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          41 | 2026-11-24 06:12:26.088038+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          42 | 2026-11-24 06:12:26.088979+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          43 | 2026-11-24 06:12:26.091147+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          44 | 2026-11-24 06:12:26.091338+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          45 | 2026-11-24 06:12:26.092371+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          46 | 2026-11-24 06:12:26.092989+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          47 | 2026-11-24 06:12:26.093648+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          48 | 2026-11-24 06:12:26.094396+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          49 | 2026-11-24 06:12:26.095707+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          50 | 2026-11-24 06:12:26.0965+00   | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          51 | 2026-11-24 06:12:26.097178+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          52 | 2026-11-24 06:12:26.097809+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
          53 | 2026-11-24 06:12:26.098397+00 | public        | kv             | 7711616456357975405 |                    0 |             16385 | update_update | last_update_wins_keep_local | (null)         | (null)
`,
  q20: `
 xid  |           timestamp           | roident | current_wal_lsn | next_xid
------+-------------------------------+---------+-----------------+----------
 1091 | 2026-11-24 06:12:50.443335+00 |       0 | 0/1EAB200       |     1092
`,
};

/** Section 5a (t≈3 s after node3 stopped), node1. */
const STOPPED_3S_NODE1: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616456357975405 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616478256711032_0_16385_16385_ |        22 |           0 |                  0 |                  1 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  0 |                 43 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node2         |                 1095 | 2026-11-24 06:12:50.428154+00 | 2026-11-24 06:12:50.429058+00 | 00:00:06.222445
 node3         |                 1091 | 2026-11-24 06:12:50.443335+00 | 2026-11-24 06:12:50.443959+00 | 00:00:06.207264
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered |       last_error       |        last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------------------+-------------------------------
 7711616478256711032 |        0 | 16385 | apply       | 13745 | f            | (null)                 | (null)
 7711616502476629437 |        0 | 16385 | apply       |     0 | f            | pgactive_apply_failure | 2026-11-24 06:12:53.426517+00
 (null)              |   (null) | 16385 | per-db      | 13683 | f            | (null)                 | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13746 | f            | (null)                 | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13746 | 0/1EA6B48   | 0/1EAD2C8           | reserved   |                           0 |                     26496
 pgactive_16385_7711616502476629437_0_16385__ | f      |     (null) | 0/1EA6B48   | 0/1EAD2C8           | reserved   |                           0 |                     26496
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13746 | streaming | 0/1EAD2C8 | 0/1EAD2C8 | 0/1EAD2C8 | 0/1EAD2C8  |                   0
`,
  // Q15: identical to the section 4 capture of node1 (same rows, checked when excerpted).
  q15: CONFLICTS_NODE1.q15,
  q20: `
 xid  |          timestamp           | roident | current_wal_lsn | next_xid
------+------------------------------+---------+-----------------+----------
 1089 | 2026-11-24 06:12:50.41507+00 |       0 | 0/1EAD2C8       |     1090
`,
};

/** Section 5a (t≈3 s after node3 stopped), node2. */
const STOPPED_3S_NODE2: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616478256711032 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |       179 |           0 |                  2 |                 11 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  1 |                  7 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     | now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+--------------------
 node1         |                 1089 | 2026-11-24 06:12:50.41507+00  | 2026-11-24 06:12:50.415797+00 | 00:00:06.287075
 node3         |                 1091 | 2026-11-24 06:12:50.443335+00 | 2026-11-24 06:12:50.44402+00  | 00:00:06.25881
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered |       last_error       |        last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------------------+-------------------------------
 7711616456357975405 |        0 | 16385 | apply       | 13744 | f            | (null)                 | (null)
 7711616502476629437 |        0 | 16385 | apply       |     0 | f            | pgactive_apply_failure | 2026-11-24 06:12:53.426786+00
 (null)              |   (null) | 16385 | per-db      | 13708 | f            | (null)                 | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13747 | f            | (null)                 | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 | 0/1EA63B0   | 0/1EACAA0           | reserved   |                           0 |                     26352
 pgactive_16385_7711616502476629437_0_16385__ | f      |     (null) | 0/1EA63B0   | 0/1EACAA0           | reserved   |                           0 |                     26352
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13747 | streaming | 0/1EACAA0 | 0/1EACAA0 | 0/1EACAA0 | 0/1EACAA0  |                   0
`,
  // Q15: identical to the section 4 capture of node2 (same rows, checked when excerpted).
  q15: CONFLICTS_NODE2.q15,
  q20: `
 xid  |           timestamp           | roident | current_wal_lsn | next_xid
------+-------------------------------+---------+-----------------+----------
 1095 | 2026-11-24 06:12:50.428154+00 |       0 | 0/1EACAA0       |     1096
`,
};

/** Section 5b (t≈25 s after node3 stopped), node1. */
const STOPPED_25S_NODE1: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616456357975405 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616478256711032_0_16385_16385_ |        23 |           0 |                  0 |                  1 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  0 |                 43 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |     last_applied_xact_at     |     now_minus_committs
---------------+----------------------+-------------------------------+------------------------------+---------------------------
 node2         |                 1097 | 2026-11-24 06:13:00.734454+00 | 2026-11-24 06:13:00.73795+00 | 00:00:20.036817
 node3         |                    0 | 2000-01-01 00:00:00+00        | 2000-01-01 00:00:00+00       | 9824 days 06:13:20.771271
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered |       last_error       |        last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------------------+-------------------------------
 7711616478256711032 |        0 | 16385 | apply       | 13745 | f            | (null)                 | (null)
 7711616502476629437 |        0 | 16385 | apply       |     0 | f            | pgactive_apply_failure | 2026-11-24 06:12:53.426517+00
 (null)              |   (null) | 16385 | per-db      | 13683 | f            | (null)                 | (null)
 7711616478256711032 |        0 | 16385 | walsender   | 13746 | f            | (null)                 | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616478256711032_0_16385__ | t      |      13746 | 0/1EAD2C8   | 0/1F00C08           | reserved   |                           0 |                    342336
 pgactive_16385_7711616502476629437_0_16385__ | f      |     (null) | 0/1EA6B48   | 0/1EAD2C8           | reserved   |                      342336 |                    368832
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13746 | streaming | 0/1F00C08 | 0/1F00C08 | 0/1F00C08 | 0/1F00C08  |                   0
`,
  // Q15: identical to the section 4 capture of node1 (same rows, checked when excerpted).
  q15: CONFLICTS_NODE1.q15,
  q20: `
 xid  |           timestamp           | roident | current_wal_lsn | next_xid
------+-------------------------------+---------+-----------------+----------
 1091 | 2026-11-24 06:13:00.734454+00 |       1 | 0/1F00C08       |     1092
`,
};

/** Section 5b (t≈25 s after node3 stopped), node2. */
const STOPPED_25S_NODE2: CaptureText = {
  q02: `
        sysid        | timeline | dboid | apply_paused
---------------------+----------+-------+--------------
 7711616478256711032 |        0 | 16385 | f
`,
  q03: `
 node_name |      node_sysid     | node_timeline | node_dboid | node_status
-----------+---------------------+---------------+------------+-------------
 node1     | 7711616456357975405 |             0 |      16385 | r
 node2     | 7711616478256711032 |             0 |      16385 | r
 node3     | 7711616502476629437 |             0 |      16385 | r
`,
  q06: `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |       180 |           0 |                  2 |                 11 |                  1
 pgactive_7711616502476629437_0_16385_16385_ |       165 |           0 |                  1 |                  7 |                  0
`,
  q07: `
 upstream_node | last_applied_xact_id |   last_applied_xact_committs  |      last_applied_xact_at     |     now_minus_committs
---------------+----------------------+-------------------------------+-------------------------------+---------------------------
 node1         |                 1090 | 2026-11-24 06:13:00.706474+00 | 2026-11-24 06:13:00.727554+00 | 00:00:20.104464
 node3         |                    0 | 2000-01-01 00:00:00+00        | 2000-01-01 00:00:00+00        | 9824 days 06:13:20.810938
`,
  q08: `
        sysid        | timeline | dboid | worker_type |  pid  | unregistered |       last_error       |        last_error_time
---------------------+----------+-------+-------------+-------+--------------+------------------------+-------------------------------
 7711616456357975405 |        0 | 16385 | apply       | 13744 | f            | (null)                 | (null)
 7711616502476629437 |        0 | 16385 | apply       |     0 | f            | pgactive_apply_failure | 2026-11-24 06:12:53.426786+00
 (null)              |   (null) | 16385 | per-db      | 13708 | f            | (null)                 | (null)
 7711616456357975405 |        0 | 16385 | walsender   | 13747 | f            | (null)                 | (null)
`,
  q09: `
                  slot_name                   | active | active_pid | restart_lsn | confirmed_flush_lsn | wal_status | retained_bytes_vs_confirmed | retained_bytes_vs_restart
----------------------------------------------+--------+------------+-------------+---------------------+------------+-----------------------------+---------------------------
 pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 | 0/1EACAA0   | 0/1F036B0           | reserved   |                           0 |                    355344
 pgactive_16385_7711616502476629437_0_16385__ | f      |     (null) | 0/1EA63B0   | 0/1EACAA0           | reserved   |                      355344 |                    381696
`,
  q10: `
  pid  |   state   |  sent_lsn | write_lsn | flush_lsn | replay_lsn | bytes_behind_replay
-------+-----------+-----------+-----------+-----------+------------+---------------------
 13747 | streaming | 0/1F036B0 | 0/1F036B0 | 0/1F036B0 | 0/1F036B0  |                   0
`,
  // Q15: identical to the section 4 capture of node2 (same rows, checked when excerpted).
  q15: CONFLICTS_NODE2.q15,
  q20: `
 xid  |           timestamp           | roident | current_wal_lsn | next_xid
------+-------------------------------+---------+-----------------+----------
 1097 | 2026-11-24 06:13:00.734454+00 |       0 | 0/1F036B0       |     1098
`,
};

/** Section 3, node2's Q05 (cluster-wide: rows 1-2 are node1's slots, 5-6 node3's). */
const PAUSED_LAG_INFO_ON_NODE2 = `
 node_name |                  slot_name                   | active | active_pid | pending_wal_decoding | pending_wal_to_apply | restart_lsn | confirmed_flush_lsn |  sent_lsn | write_lsn | flush_lsn | replay_lsn
-----------+----------------------------------------------+--------+------------+----------------------+----------------------+-------------+---------------------+-----------+-----------+-----------+------------
 node2     | pgactive_16385_7711616478256711032_0_16385__ | t      |      13746 |                    0 |                79264 | 0/1E2D5E8   | 0/1E39FB8           | 0/1E4DF30 | 0/1E3A990 | 0/1E39FB8 | 0/1E3A990
 node3     | pgactive_16385_7711616502476629437_0_16385__ | t      |      13819 |                    0 |                    0 | 0/1E2D5E8   | 0/1E4DF30           | 0/1E4DF30 | 0/1E4DF30 | 0/1E4DF30 | 0/1E4DF30
 node1     | pgactive_16385_7711616456357975405_0_16385__ | t      |      13747 |                    0 |                    0 | 0/1E299C0   | 0/1E379F8           | 0/1E379F8 | 0/1E379F8 | 0/1E379F8 | 0/1E379F8
 node3     | pgactive_16385_7711616502476629437_0_16385__ | t      |      13816 |                    0 |                    0 | 0/1E299C0   | 0/1E379F8           | 0/1E379F8 | 0/1E379F8 | 0/1E379F8 | 0/1E379F8
 node2     | pgactive_16385_7711616478256711032_0_16385__ | t      |      13815 |                    0 |                83480 | 0/1E29288   | 0/1E36D60           | 0/1E4B528 | 0/1E36F10 | 0/1E36D60 | 0/1E36F10
 node1     | pgactive_16385_7711616456357975405_0_16385__ | t      |      13817 |                    0 |                    0 | 0/1E29288   | 0/1E4B528           | 0/1E4B528 | 0/1E4B528 | 0/1E4B528 | 0/1E4B528
`;
/** Section 3, node1: its pg_stat_replication (last column: current - replay_lsn). */
const PAUSED_NODE1_PG_STAT_REPLICATION = `
          application_name         |  sent_lsn | write_lsn | flush_lsn | replay_lsn | pg_wal_lsn_diff
-----------------------------------+-----------+-----------+-----------+------------+-----------------
 pgactive:7711616478256711032:send | 0/1E4DF30 | 0/1E3A990 | 0/1E39FB8 | 0/1E3A990  |           79264
 pgactive:7711616502476629437:send | 0/1E4DF30 | 0/1E4DF30 | 0/1E4DF30 | 0/1E4DF30  |               0
`;

/** Section 7: Q05 (cluster-wide) 8 s after node3 was restarted. */
const RESTARTED_LAG_INFO = `
 node_name | active | pending_wal_decoding | pending_wal_to_apply
-----------+--------+----------------------+----------------------
 node2     | t      |                    0 |                    0
 node3     | t      |                    0 |                    0
 node1     | t      |                    0 |                    0
 node3     | t      |                    0 |                    0
 node2     | t      |                    0 |                    0
 node1     | t      |                    0 |                    0
`;

/** Section 7: node3's pgactive_get_stats() after the restart (counters survived it). */
const RESTARTED_STATS_NODE3 = `
                  riremoteid                 | nr_commit | nr_rollback | nr_insert_conflict | nr_update_conflict | nr_delete_conflict
---------------------------------------------+-----------+-------------+--------------------+--------------------+--------------------
 pgactive_7711616456357975405_0_16385_16385_ |       175 |           0 |                  1 |                 50 |                  0
 pgactive_7711616478256711032_0_16385_16385_ |        22 |           0 |                  0 |                  1 |                  1
`;
