/**
 * Writes one CycleResult in one transaction: the cycle row, one compact row per node, one frame
 * row holding every link whose values changed (all links at a keyframe; frames.ts), the full snapshot JSON when it adds
 * information, and the conflict rows. Linear in what changes (issue 13); see migrations.ts (v4, v5).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { ConflictRecord, CycleResult, Link, NodeState, Snapshot } from "../snapshot/mod.ts";
import { methodCode, statusCode, walStatusCode } from "./codes.ts";
import { FrameEncoder, LINK_FIELDS } from "./frames.ts";
import { redactDeep, redactText } from "./redact.ts";

/** A keyframe (every link's row) at least every this many versions. */
export const KEYFRAME_EVERY = 60;
/** A full snapshot at least this often (ms of collected_at), and whenever its shape changes. */
export const SNAPSHOT_EVERY_MS = 60_000;

const LAST_VERSION = "SELECT max(version) AS v FROM cycles";
const INSERT_CYCLE = "INSERT INTO cycles (version, at, status, cycle_ms) VALUES (?, ?, ?, ?)";
const INSERT_SNAPSHOT = "INSERT INTO snapshots (version, json) VALUES (?, ?)";
const SERIES = "SELECT id, node, peer FROM series";
const INSERT_SERIES = "INSERT INTO series (node, peer) VALUES (?, ?) RETURNING id";
const INSERT_NODE = `INSERT INTO node_points (version, series, status, reasons, error,
  lag_ms, lag_bytes, lag_xid, walsender_active, conflict_count, conflicts_per_minute,
  apply_errors, retained_wal_bytes, apply_paused, probe_us)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_LINKS = "INSERT INTO link_frames (version, rows) VALUES (?, ?)";
const INSERT_KEYFRAME = "INSERT INTO keyframes (version) VALUES (?)";
const INSERT_CONFLICT = `INSERT OR IGNORE INTO conflicts (node, conflict_id, at,
  local_conflict_time, object_schema, object_name, remote_node, conflict_type,
  conflict_resolution, error_sqlstate, error_message)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UPSERT_HIGH_WATER = `INSERT INTO conflict_high_water (node, conflict_id) VALUES (?, ?)
  ON CONFLICT (node) DO UPDATE SET conflict_id = max(conflict_id, excluded.conflict_id)`;

/** What the last committed write left: link values by series, keyframe and snapshot marks. */
interface WrittenState {
  links: Map<number, string>;
  keyframe: number;
  snapshotAt: number;
  shape: string;
}

/** Prepared statements and change tracking for writing cycles on one connection. */
export class CycleWriter {
  #db: DatabaseSync;
  #stmts: Record<
    | "last"
    | "cycle"
    | "snapshot"
    | "series"
    | "node"
    | "link"
    | "keyframe"
    | "conflict"
    | "highWater",
    StatementSync
  >;
  #series = new Map<string, number>();
  #frame = new FrameEncoder();
  /** null: nothing written on this connection yet (or the last write failed): next is a keyframe. */
  #state: WrittenState | null = null;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#stmts = {
      last: db.prepare(LAST_VERSION),
      cycle: db.prepare(INSERT_CYCLE),
      snapshot: db.prepare(INSERT_SNAPSHOT),
      series: db.prepare(INSERT_SERIES),
      node: db.prepare(INSERT_NODE),
      link: db.prepare(INSERT_LINKS),
      keyframe: db.prepare(INSERT_KEYFRAME),
      conflict: db.prepare(INSERT_CONFLICT),
      highWater: db.prepare(UPSERT_HIGH_WATER),
    };
    for (const r of db.prepare(SERIES).all()) {
      this.#series.set(seriesKey(r.node as string, r.peer as string), r.id as number);
    }
  }

  /**
   * Stores the cycle (strings redacted) in one BEGIN IMMEDIATE ... COMMIT. On any error the
   * transaction is rolled back and the error rethrown: either all rows of the version are stored
   * or none. A version not above the last stored one is refused: versions never go backwards.
   */
  write(result: CycleResult): void {
    const { snapshot } = result;
    const at = Date.parse(snapshot.collected_at);
    if (!Number.isFinite(at)) {
      throw new TypeError(`Invalid collected_at "${snapshot.collected_at}"`);
    }
    const db = this.#db;
    const s = this.#stmts;
    const before = this.#state;
    const newSeries: string[] = [];
    db.exec("BEGIN IMMEDIATE");
    try {
      const v = snapshot.version;
      const last = this.lastVersion();
      if (!(v > last)) {
        throw new RangeError(`Version ${v} is not above the last stored version ${last}`);
      }
      s.cycle.run(v, at, snapshot.status, snapshot.cluster?.cycle_ms ?? null);
      for (const node of Object.values(snapshot.nodes)) {
        s.node.run(v, this.#id(node.name, "", newSeries), ...nodeParams(node));
      }
      const keyframe = before === null || v - before.keyframe >= KEYFRAME_EVERY;
      const links = new Map<number, string>();
      const frame = this.#frame;
      frame.reset();
      for (const link of snapshot.links) {
        const params = linkParams(link);
        const id = this.#id(link.from, link.to, newSeries);
        const key = params.join("\u0001");
        if (links.has(id)) throw new RangeError(`Duplicate link ${link.from} -> ${link.to}`);
        links.set(id, key);
        if (keyframe || before!.links.get(id) !== key) frame.add(id, params);
      }
      if (keyframe) s.keyframe.run(v);
      else {
        for (const id of before!.links.keys()) {
          if (!links.has(id)) frame.add(id, TOMBSTONE);
        }
      }
      const rows = frame.bytes();
      if (rows !== null) s.link.run(v, rows);
      const shape = shapeOf(snapshot);
      const full = before === null || shape !== before.shape ||
        at - before.snapshotAt >= SNAPSHOT_EVERY_MS;
      if (full) s.snapshot.run(v, snapshotJson(snapshot));
      this.#conflicts(result.conflicts);
      db.exec("COMMIT");
      this.#state = {
        links,
        keyframe: keyframe ? v : before!.keyframe,
        snapshotAt: full ? at : before!.snapshotAt,
        shape,
      };
    } catch (err) {
      this.#state = null;
      for (const key of newSeries) this.#series.delete(key);
      try {
        if (db.isTransaction) db.exec("ROLLBACK");
      } catch {
        // SQLite rolls back by itself after some errors; the original error is the one to report.
      }
      throw err;
    }
  }

  /** Highest stored version, 0 when empty. */
  lastVersion(): number {
    return (this.#stmts.last.get() as { v: number | null } | undefined)?.v ?? 0;
  }

  #id(node: string, peer: string, created: string[]): number {
    const key = seriesKey(node, peer);
    let id = this.#series.get(key);
    if (id === undefined) {
      id = (this.#stmts.series.get(redactText(node), redactText(peer)) as { id: number }).id;
      this.#series.set(key, id);
      created.push(key);
    }
    return id;
  }

  #conflicts(conflicts: readonly ConflictRecord[]): void {
    const highWater = new Map<string, number>();
    for (const c of conflicts) {
      this.#stmts.conflict.run(...conflictParams(redactDeep(c)));
      highWater.set(c.node, Math.max(highWater.get(c.node) ?? -Infinity, c.conflict_id));
    }
    for (const [node, id] of highWater) this.#stmts.highWater.run(node, id);
  }
}

/** The stored JSON, redacted (each string value, if the text holds anything to redact at all). */
function snapshotJson(snapshot: Snapshot): string {
  const json = JSON.stringify(snapshot);
  return redactText(json) === json ? json : JSON.stringify(redactDeep(snapshot));
}

/** A link that left the cluster: every field NULL (a NULL method). */
const TOMBSTONE: SQLInputValue[] = Array(LINK_FIELDS.length).fill(null);

function seriesKey(node: string, peer: string): string {
  return `${node}\u0000${peer}`;
}

/**
 * What a full snapshot would add over the metric rows: everything but positions, times and
 * figures (statuses, errors, node and link sets, walsender/slot/apply states, versions of
 * pgactive). Reasons are left out: they quote lag figures; the node rows keep them every version.
 */
function shapeOf(snapshot: Snapshot): string {
  const parts: unknown[] = [snapshot.status];
  for (const n of Object.values(snapshot.nodes)) {
    const m = n.metrics;
    parts.push(
      n.name,
      n.status,
      n.error,
      m.walsender_active,
      m.apply_paused,
      m.pgactive_version,
      m.extension_version,
      m.node_status,
    );
  }
  for (const l of snapshot.links) {
    parts.push(l.from, l.to, l.active, l.wal_status, l.apply_paused, l.caught_up);
  }
  return JSON.stringify(parts);
}

/** Booleans as 0/1, missing values as NULL (SQLite cannot bind undefined or booleans). */
function val(v: number | string | boolean | null | undefined): SQLInputValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

/** Seconds as integer ms, ms as integer µs: 2-3 bytes on disk instead of an 8-byte REAL. */
function scaled(v: number | null | undefined, factor: number): SQLInputValue {
  return v === undefined || v === null ? null : Math.round(v * factor);
}

function nodeParams(n: NodeState): SQLInputValue[] {
  const m = n.metrics;
  return [
    statusCode(n.status),
    n.reasons.length > 0 ? redactText(JSON.stringify(n.reasons)) : null,
    n.error === null ? null : redactText(n.error),
    scaled(m.lag_seconds, 1000),
    val(m.lag_bytes),
    val(m.lag_xid),
    val(m.walsender_active),
    val(m.conflict_count),
    val(m.conflicts_per_minute),
    val(m.apply_errors),
    val(m.retained_wal_bytes),
    val(m.apply_paused),
    scaled(m.probe_ms, 1000),
  ];
}

function linkParams(l: Link): SQLInputValue[] {
  return [
    methodCode(l.lag_method),
    val(l.active),
    scaled(l.lag_seconds, 1000),
    val(l.lag_bytes),
    val(l.lag_xid),
    val(l.pending_send_bytes),
    val(l.retained_wal_bytes),
    scaled(l.catch_up_seconds, 1000),
    val(l.conflicts),
    val(l.apply_errors),
    walStatusCode(l.wal_status ?? null),
  ];
}

function conflictParams(c: ConflictRecord): SQLInputValue[] {
  const at = Date.parse(c.local_conflict_time);
  if (!Number.isFinite(at)) {
    throw new TypeError(`Invalid local_conflict_time "${c.local_conflict_time}"`);
  }
  return [
    c.node,
    c.conflict_id,
    at,
    c.local_conflict_time,
    val(c.object_schema),
    val(c.object_name),
    val(c.remote_node),
    c.conflict_type,
    c.conflict_resolution,
    val(c.error_sqlstate),
    val(c.error_message),
  ];
}
