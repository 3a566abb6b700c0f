/**
 * Test helpers: valid snapshots, a resolved config, and the real lib/server API on a real port
 * (fed by a Hub the test publishes into, so versions and timing are driven, not slept for).
 */
import type { ResolvedConfig } from "../../lib/config/mod.ts";
import { Hub, type RunningServer, startServer } from "../../lib/server/mod.ts";
import type { StoreLike } from "../../lib/server/mod.ts";
import type { ConflictRecord, Link, NodeState, Snapshot, Status } from "../../lib/snapshot/mod.ts";
import { parseSnapshot, worstStatus } from "../../lib/snapshot/mod.ts";

/** A resolved config (no node is contacted by these tests). */
export function testConfig(authToken: string | null = null): ResolvedConfig {
  return {
    collector: {
      intervalMs: 1_000,
      probeTimeoutMs: 800,
      nodes: ["node1", "node2", "node3"].map((name) => ({
        name,
        dsn: `postgres://u:s3cr3t-pw@127.0.0.1:1/${name}`,
      })),
      conflictWindowMs: 300_000,
    },
    thresholds: {
      lagSecondsWarn: 5,
      lagSecondsCrit: 15,
      conflictsWarnPerMinute: 3,
      walsenderInactiveCritMs: 30_000,
    },
    server: { host: "127.0.0.1", port: 0, authToken, metricsRequireAuth: false, tls: null },
    database: { path: ":memory:", retentionMs: 86_400_000, storeConflictTuples: false },
    log: { level: "error", access: "sampled" },
  };
}

/** Options of {@link makeSnapshot}. */
export interface SnapshotOptions {
  status?: Record<string, Status>;
  reasons?: Record<string, string[]>;
  /** lag_seconds per link "from->to" (default 0). */
  lag?: Record<string, number | null>;
}

/** A valid 3-node full-mesh snapshot. */
export function makeSnapshot(version: number, opts: SnapshotOptions = {}): Snapshot {
  const names = ["node1", "node2", "node3"];
  const links: Link[] = [];
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      const lag = opts.lag?.[`${from}->${to}`] ?? 0;
      links.push({
        from,
        to,
        active: true,
        lag_seconds: lag,
        lag_bytes: lag === 0 ? 0 : 3_355_443,
        lag_xid: lag === 0 ? 0 : 12,
        pending_send_bytes: 0,
        retained_wal_bytes: 4096,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000060",
        catch_up_seconds: lag === 0 ? 0 : 2.5,
        conflicts: 0,
        apply_errors: 0,
        lag_method: lag === 0 ? "caught_up" : "last_applied_commit",
        wal_status: "reserved",
        caught_up: lag === 0,
        confirmed_lsn: lag === 0 ? "0/3000060" : "0/2CCCC1D",
        unconfirmed_bytes: lag === 0 ? 0 : 3_355_443,
        apply_paused: false,
      });
    }
  }
  const nodes: Record<string, NodeState> = {};
  for (const name of names) {
    const status = opts.status?.[name] ?? "HEALTHY";
    const inbound = links.filter((l) => l.to === name).map((l) => l.lag_seconds ?? 0);
    nodes[name] = {
      name,
      status,
      reasons: opts.reasons?.[name] ?? (status === "HEALTHY" ? [] : [`${name} is ${status} here`]),
      error: status === "DOWN" ? `Cannot reach node "${name}": connection refused` : null,
      metrics: {
        lag_xid: 0,
        lag_seconds: Math.max(...inbound),
        walsender_active: true,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000060",
        conflict_count: 2,
        lag_bytes: 0,
        conflicts_per_minute: 0.5,
        apply_errors: 0,
        retained_wal_bytes: 4096,
        pgactive_version: "2.1.9",
        extension_version: "2.1.9",
        node_status: "r",
        probe_ms: 2.5,
        apply_paused: false,
        wal_lsn: "0/3000060",
      },
    };
  }
  return parseSnapshot({
    version,
    collected_at: new Date().toISOString(),
    status: worstStatus(Object.values(nodes).map((n) => n.status)),
    nodes,
    links,
    cluster: { conflict_count: 6, conflicts_per_minute: 1.5, apply_errors: 0, cycle_ms: 4 },
  });
}

/** Conflict rows served by the stub store. */
export const CONFLICTS: ConflictRecord[] = [
  conflict(3, "update_update", "orders"),
  conflict(2, "insert_insert", "orders"),
  conflict(1, "update_update", "items"),
];

function conflict(id: number, type: string, table: string): ConflictRecord {
  return {
    node: "node2",
    conflict_id: id,
    local_conflict_time: new Date(Date.UTC(2026, 10, 24, 6, 0, id)).toISOString(),
    object_schema: "public",
    object_name: table,
    remote_node: "node1",
    conflict_type: type,
    conflict_resolution: "last_update_wins_keep_remote",
    error_sqlstate: null,
    error_message: null,
  };
}

/** An in-memory history store with fixed conflicts (the server reads it through StoreLike). */
export const memoryStore: StoreLike = {
  writeErrors: 0,
  nodeHistory: () => [],
  linkHistory: () => [],
  conflicts: (q) =>
    CONFLICTS.filter((c) => q.node === undefined || c.node === q.node).slice(0, q.limit ?? 100),
};

/** The real API server on a real port, and the hub behind it. */
export interface Api extends AsyncDisposable {
  hub: Hub;
  server: RunningServer;
  url: string;
  port: number;
  publish(snapshot: Snapshot): void;
  shutdown(): Promise<void>;
}

/** Starts lib/server on `port` (0: any free port) with an empty hub. */
export async function startApi(
  opts: { port?: number; token?: string | null; keepAliveMs?: number; runId?: string } = {},
): Promise<Api> {
  const hub = new Hub();
  const server = await startServer({
    config: testConfig(opts.token ?? null),
    hub,
    store: memoryStore,
    port: opts.port ?? 0,
    hostname: "127.0.0.1",
    keepAliveMs: opts.keepAliveMs ?? 15_000,
    shutdownTimeoutMs: 1_000,
    ...(opts.runId === undefined ? {} : { runId: opts.runId }),
  });
  const shutdown = async () => {
    await server.shutdown();
    hub.close();
  };
  return {
    hub,
    server,
    url: server.url,
    port: server.addr.port,
    publish: (snapshot) => void hub.publish({ snapshot, conflicts: [] }),
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}

/** Polls `check` every 10 ms until it is truthy or `timeoutMs` passes. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
