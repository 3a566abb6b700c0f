/** Test helpers: valid synthetic snapshots, a resolved config, a clock and an SSE reader. */
import type { ResolvedConfig } from "../../lib/config/types.ts";
import type { CycleResult, Link, NodeState, Snapshot, Status } from "../../lib/snapshot/mod.ts";
import { parseSnapshot, worstStatus } from "../../lib/snapshot/mod.ts";

/** A resolved config for in-process tests (no real nodes are contacted). */
export function testConfig(
  server: Partial<ResolvedConfig["server"]> = {},
  nodeNames: string[] = ["node1", "node2", "node3"],
): ResolvedConfig {
  return {
    collector: {
      intervalMs: 2_000,
      probeTimeoutMs: 1_600,
      nodes: nodeNames.map((name) => ({ name, dsn: `postgres://u:secret@127.0.0.1:1/${name}` })),
      conflictWindowMs: 300_000,
    },
    thresholds: {
      lagSecondsWarn: 5,
      lagSecondsCrit: 15,
      conflictsWarnPerMinute: 3,
      walsenderInactiveCritMs: 30_000,
    },
    server: {
      host: "127.0.0.1",
      port: 0,
      authToken: null,
      metricsRequireAuth: false,
      tls: null,
      ...server,
    },
    database: { path: ":memory:", retentionMs: 7 * 86_400_000, storeConflictTuples: false },
    log: { level: "info", access: "sampled" },
  };
}

/** Options of {@link makeSnapshot}. */
export interface SnapshotOptions {
  nodes?: string[];
  /** Per-node status (default HEALTHY). */
  status?: Record<string, Status>;
  /** Lag seconds of every link (default 0). */
  lagSeconds?: number;
  /** Conflicts per node (default 0). */
  conflicts?: Record<string, number>;
}

/** A valid Snapshot (checked against SnapshotSchema) of a full mesh. */
export function makeSnapshot(version: number, opts: SnapshotOptions = {}): Snapshot {
  const names = opts.nodes ?? ["node1", "node2", "node3"];
  const lag = opts.lagSeconds ?? 0;
  const nodes: Record<string, NodeState> = {};
  for (const name of names) {
    const status = opts.status?.[name] ?? "HEALTHY";
    const down = status === "DOWN";
    nodes[name] = {
      name,
      status,
      reasons: status === "HEALTHY" ? [] : [`Node "${name}" is ${status} in this test`],
      error: down ? `Cannot reach node "${name}": connection refused` : null,
      metrics: {
        lag_xid: down ? null : 3,
        lag_seconds: down ? null : lag,
        walsender_active: down ? null : true,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000060",
        conflict_count: down ? null : opts.conflicts?.[name] ?? 0,
        lag_bytes: down ? null : 48,
        conflicts_per_minute: down ? null : 0.5,
        apply_errors: down ? null : 1,
        retained_wal_bytes: down ? null : 4096,
        pgactive_version: "2.1.9",
        extension_version: "2.1.9",
        node_status: down ? null : "r",
        probe_ms: 2.5,
        apply_paused: down ? null : false,
        wal_lsn: down ? null : "0/3000090",
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
        lag_seconds: lag,
        lag_bytes: 48,
        lag_xid: 3,
        pending_send_bytes: 0,
        retained_wal_bytes: 4096,
        sent_lsn: "0/3000060",
        write_lsn: "0/3000060",
        flush_lsn: "0/3000060",
        replay_lsn: "0/3000060",
        catch_up_seconds: 0,
        conflicts: 0,
        apply_errors: 0,
        lag_method: lag === 0 ? "caught_up" : "last_applied_commit",
        wal_status: "reserved",
        caught_up: lag === 0,
        confirmed_lsn: "0/3000060",
        unconfirmed_bytes: 48,
        apply_paused: false,
      });
    }
  }
  return parseSnapshot({
    version,
    collected_at: new Date(Date.UTC(2026, 10, 24, 6, 0, 0) + version * 2000).toISOString(),
    status: worstStatus(Object.values(nodes).map((n) => n.status)),
    nodes,
    links,
    cluster: { conflict_count: 0, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 12.5 },
  });
}

/** A CycleResult wrapping {@link makeSnapshot}. */
export function cycle(version: number, opts: SnapshotOptions = {}): CycleResult {
  return { snapshot: makeSnapshot(version, opts), conflicts: [] };
}

/** A manual clock (epoch ms). */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 10, 24, 6, 0, 0)) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** One parsed SSE block: an event, or a comment / retry-only block. */
export interface SseBlock {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** Reads an SSE body block by block (a block ends with a blank line). */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = "";

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next block, or null at the end of the stream. */
  async next(): Promise<SseBlock | null> {
    while (true) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const raw = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseBlock(raw);
      }
      const { value, done } = await this.#reader.read();
      if (done) return null;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next `snapshot` event (skipping comments and retry hints), or null at the end. */
  async nextEvent(): Promise<SseBlock | null> {
    while (true) {
      const block = await this.next();
      if (block === null || block.event !== undefined) return block;
    }
  }

  /** Cancels the stream (the client disconnects). */
  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}

function parseBlock(raw: string): SseBlock {
  const block: SseBlock = {};
  for (const line of raw.split("\n")) {
    if (line.startsWith(":")) block.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) block.id = line.slice(4);
    else if (line.startsWith("event: ")) block.event = line.slice(7);
    else if (line.startsWith("data: ")) block.data = line.slice(6);
    else if (line.startsWith("retry: ")) block.retry = Number(line.slice(7));
  }
  return block;
}
