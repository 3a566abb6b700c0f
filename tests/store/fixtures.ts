/** Realistic CycleResults (valid per SnapshotSchema) and temp directories for the store tests. */
import type {
  ConflictRecord,
  CycleResult,
  Link,
  NodeState,
  Snapshot,
  Status,
} from "../../lib/snapshot/mod.ts";
import { parseSnapshot, worstStatus } from "../../lib/snapshot/mod.ts";
import { DatabaseSync } from "node:sqlite";

/** 2026-11-24T06:00:00Z, the base time of the fixtures. */
export const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

/** Options of {@link makeResult}. */
export interface ResultOptions {
  /** Number of nodes (node1..nodeN, default 3); links are every directed pair. */
  nodes?: number;
  /** Epoch ms of collected_at (default T0 + (version - 1) * 2 s). */
  at?: number;
  /** Status forced on a node, with one reason. */
  down?: string | undefined;
  /** Error text of the DOWN node. */
  error?: string;
  /** Conflict rows of this cycle. */
  conflicts?: ConflictRecord[];
}

/** A CycleResult for `version`; metric values derive from the version so rows are distinguishable. */
export function makeResult(version: number, opts: ResultOptions = {}): CycleResult {
  const names = Array.from({ length: opts.nodes ?? 3 }, (_, i) => `node${i + 1}`);
  const at = opts.at ?? T0 + (version - 1) * 2000;
  const nodes: Record<string, NodeState> = {};
  for (const [i, name] of names.entries()) {
    const down = opts.down === name;
    const status: Status = down ? "DOWN" : "HEALTHY";
    nodes[name] = {
      name,
      status,
      reasons: down ? [`Cannot reach node "${name}"`] : [],
      error: down ? (opts.error ?? "connection refused") : null,
      metrics: {
        lag_xid: version % 7,
        lag_seconds: down ? null : (version % 10) / 4,
        walsender_active: down ? null : true,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000028",
        conflict_count: down ? null : version + i,
        lag_bytes: 56 * (version % 5),
        conflicts_per_minute: 0.5,
        apply_errors: 0,
        retained_wal_bytes: 16384 + version,
        pgactive_version: "2.1.9",
        extension_version: "2.1.8",
        node_status: "r",
        probe_ms: 2.25,
        apply_paused: false,
        wal_lsn: "0/3000060",
      },
    };
  }
  const links: Link[] = [];
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      links.push({
        from,
        to,
        active: true,
        lag_seconds: (version % 10) / 4,
        lag_bytes: 56 * (version % 5),
        lag_xid: version % 7,
        pending_send_bytes: 0,
        retained_wal_bytes: 8192 + version,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000028",
        catch_up_seconds: 0.1,
        conflicts: version % 3,
        apply_errors: 0,
        lag_method: version % 5 === 0 ? "caught_up" : "last_applied_commit",
        wal_status: "reserved",
        caught_up: version % 5 === 0,
        confirmed_lsn: "0/3000028",
        unconfirmed_bytes: 56 * (version % 5),
        apply_paused: false,
      });
    }
  }
  const snapshot: Snapshot = {
    version,
    collected_at: new Date(at).toISOString(),
    status: worstStatus(Object.values(nodes).map((n) => n.status)),
    nodes,
    links,
    cluster: {
      conflict_count: 3 * version,
      conflicts_per_minute: 1.5,
      apply_errors: 0,
      cycle_ms: 4,
    },
  };
  return { snapshot: parseSnapshot(snapshot), conflicts: opts.conflicts ?? [] };
}

/** A conflict row detected on `node` with id `id` at epoch ms `at`. */
export function makeConflict(node: string, id: number, at: number): ConflictRecord {
  return {
    node,
    conflict_id: id,
    local_conflict_time: new Date(at).toISOString(),
    object_schema: "public",
    object_name: "accounts",
    remote_node: "node2",
    conflict_type: "update_update",
    conflict_resolution: "last_update_wins_keep_remote",
    error_sqlstate: null,
    error_message: null,
  };
}

/** A temp directory removed on dispose; `path` is a DB file inside a not-yet-existing subdir. */
export function tempDb(): Disposable & { dir: string; path: string } {
  const dir = Deno.makeTempDirSync({ prefix: "store_test_" });
  return {
    dir,
    path: `${dir}/data/state.db`,
    [Symbol.dispose]() {
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

/** A logger that records lines, for asserting what a failure logs. */
export function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(fields === undefined ? { level, msg } : { level, msg, fields });
  };
  return {
    lines,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
  };
}

/** Runs `fn` on a second, raw connection to the file (to inspect or prepare it), then closes it. */
export function withDb<T>(path: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
