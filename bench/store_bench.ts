/**
 * Store benchmark (issue 13, goal 2): `deno run -A bench/store_bench.ts [--cycles 600] [--writes 1000]`
 *
 * 1. Bytes per cycle for 10 and 20 nodes at a 1 s interval, prune() after each write: --cycles
 *    cycles on a simulated clock, file size (after a checkpoint) / cycles, for two workloads:
 *    "steady" (what most cycles look like: LSNs, timestamps, retained WAL and probe times move,
 *    lag figures stay 0, statuses do not change) and "busy" (every lag figure of every link
 *    changes every cycle: the worst case). The week at 1 s for 10 nodes is projected linearly
 *    from the metric bytes per cycle (kept 7 days) plus the snapshot JSON bytes per cycle times
 *    the cycles of its retention (1 h by default).
 * 2. Write latency p50/p99 of one cycle for 20 nodes / 380 links (steady and busy), against the
 *    same number of single-row inserts into a plain table in one transaction, same file.
 * 3. Query latency: linkHistory(from, to) and nodeHistory(node), 1000 points each.
 */
import { DatabaseSync } from "node:sqlite";
import { Store } from "../lib/store/mod.ts";
import type { CycleResult, Link, NodeState, Snapshot } from "../lib/snapshot/mod.ts";

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const WEEK_CYCLES = 7 * 86_400;
const GOAL_WEEK_BYTES = 2 * 1024 ** 3;
const GOAL_P99_MS = 5;
/** Store's default snapshotRetentionMs (1 h) in 1 s cycles. */
const SNAPSHOT_RETENTION_CYCLES = 3600;

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Invalid --${name}`);
  return value;
}

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function lsn(n: number): string {
  return `0/${(0x3000000 + n).toString(16).toUpperCase()}`;
}

/**
 * A cycle of `nodes` nodes at 1 s. Steady: positions advance, lag 0, caught up. Busy: every link
 * is behind by an amount that differs per link and per cycle.
 */
export function cycle(version: number, nodes: number, busy: boolean): CycleResult {
  const names = Array.from({ length: nodes }, (_, i) => `node${i + 1}`);
  const pos = version * 1_337;
  const state: Record<string, NodeState> = {};
  names.forEach((name, i) => {
    state[name] = {
      name,
      status: "HEALTHY",
      reasons: [],
      error: null,
      metrics: {
        lag_xid: busy ? (version + i) % 13 : 0,
        lag_seconds: busy ? ((version * 7 + i) % 40) / 8 : 0,
        walsender_active: true,
        sent_lsn: lsn(pos),
        write_lsn: lsn(pos),
        flush_lsn: lsn(pos),
        replay_lsn: lsn(pos),
        conflict_count: 12 + i,
        lag_bytes: busy ? 56 * ((version + i) % 50) : 0,
        conflicts_per_minute: 0,
        apply_errors: 0,
        retained_wal_bytes: 16_777_216 + pos + i * 4096,
        pgactive_version: "2.1.9",
        extension_version: "2.1.9",
        node_status: "r",
        probe_ms: 1.5 + ((version * 31 + i * 7) % 100) / 100,
        apply_paused: false,
        wal_lsn: lsn(pos),
      },
    };
  });
  const links: Link[] = [];
  names.forEach((from, i) =>
    names.forEach((to, j) => {
      if (from === to) return;
      const behind = busy ? 56 * ((version * 3 + i * 5 + j) % 90) : 0;
      links.push({
        from,
        to,
        active: true,
        lag_seconds: busy ? ((version + i * 3 + j) % 50) / 10 : 0,
        lag_bytes: behind,
        lag_xid: busy ? (version + j) % 9 : 0,
        pending_send_bytes: 0,
        retained_wal_bytes: 16_777_216 + i * 8192 + (busy ? behind : 0),
        sent_lsn: lsn(pos),
        write_lsn: lsn(pos),
        flush_lsn: lsn(pos),
        replay_lsn: lsn(pos - behind),
        catch_up_seconds: busy ? ((version + i + j) % 30) / 10 : 0,
        conflicts: i,
        apply_errors: 0,
        lag_method: busy ? "oldest_unapplied_commit" : "caught_up",
        wal_status: "reserved",
        caught_up: !busy,
        confirmed_lsn: lsn(pos - behind),
        unconfirmed_bytes: behind,
        apply_paused: false,
      });
    })
  );
  const snapshot: Snapshot = {
    version,
    collected_at: new Date(T0 + (version - 1) * 1000).toISOString(),
    status: "HEALTHY",
    nodes: state,
    links,
    cluster: { conflict_count: 40, conflicts_per_minute: 0, apply_errors: 0, cycle_ms: 3.5 },
  };
  return { snapshot, conflicts: [] };
}

function bytesPerCycle(dir: string, nodes: number, busy: boolean, cycles: number) {
  const path = `${dir}/size-${nodes}-${busy}.db`;
  let now = T0;
  const store = Store.open(path, { now: () => now });
  for (let v = 1; v <= cycles; v++) {
    now = T0 + (v - 1) * 1000;
    if (!store.write(cycle(v, nodes, busy))) throw new Error(store.lastWriteError ?? "failed");
    store.prune();
  }
  store.close();
  const db = new DatabaseSync(path);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const pages = db.prepare(
    "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC",
  ).all() as { name: string; bytes: number }[];
  db.close();
  const file = Deno.statSync(path).size;
  const snapshots = pages.filter((p) => p.name === "snapshots").reduce((a, p) => a + p.bytes, 0);
  const metricsPerCycle = (file - snapshots) / cycles;
  // Snapshot JSON is kept SNAPSHOT_RETENTION_CYCLES at most (Store default 1 h): bounded.
  const week = metricsPerCycle * WEEK_CYCLES +
    (snapshots / cycles) * Math.min(WEEK_CYCLES, SNAPSHOT_RETENTION_CYCLES);
  return { file, perCycle: file / cycles, metricsPerCycle, week, pages };
}

function latency(dir: string, nodes: number, writes: number, busy: boolean) {
  const path = `${dir}/latency-${nodes}-${busy}.db`;
  const store = Store.open(path);
  const write: number[] = [];
  // Each cycle built just before its write (as the collector does), outside the timed part.
  for (let i = 0; i < writes + 100; i++) {
    const r = cycle(i + 1, nodes, busy);
    const t = performance.now();
    if (!store.write(r)) throw new Error(store.lastWriteError ?? "write failed");
    if (i >= 100) write.push(performance.now() - t);
    store.prune(Date.parse(r.snapshot.collected_at));
  }
  const linkQuery: number[] = [];
  const nodeQuery: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    const limit = Math.min(1000, writes);
    const links = store.linkHistory({ from: "node3", to: "node7", limit });
    linkQuery.push(performance.now() - t);
    t = performance.now();
    const points = store.nodeHistory({ node: "node7", limit });
    nodeQuery.push(performance.now() - t);
    if (links.length !== limit || points.length !== limit) throw new Error("short history");
  }
  store.close();
  const db = new DatabaseSync(path);
  db.exec("CREATE TABLE bench_rows (a INTEGER, b INTEGER, c REAL)");
  const insert = db.prepare("INSERT INTO bench_rows VALUES (?, ?, ?)");
  const rows: number[] = [];
  const rowCount = nodes * nodes; // nodes + links
  for (let i = 0; i < writes; i++) {
    const t = performance.now();
    db.exec("BEGIN IMMEDIATE");
    for (let r = 0; r < rowCount; r++) insert.run(i, r, r / 3);
    db.exec("COMMIT");
    rows.push(performance.now() - t);
  }
  db.close();
  return { write, rows, rowCount, linkQuery, nodeQuery };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
if (import.meta.main) main();

function main(): void {
  const dir = Deno.makeTempDirSync({ prefix: "store_bench_" });
  try {
    const cycles = flag("cycles", 600);
    let met = true;
    console.log(`Bytes per cycle at 1 s, prune() after each write, ${cycles} cycles per case`);
    for (const nodes of [10, 20]) {
      for (const busy of [false, true]) {
        const r = bytesPerCycle(dir, nodes, busy, cycles);
        const week = r.week;
        const label = `${nodes} nodes, ${busy ? "busy  " : "steady"}`;
        console.log(
          `  ${label}  ${Math.round(r.perCycle).toString().padStart(7)} B/cycle (metrics ${
            Math.round(r.metricsPerCycle)
          } B)  week at 1 s ${mb(week).padStart(10)}  [${
            r.pages.slice(0, 4).map((p) => `${p.name} ${mb(p.bytes)}`).join(", ")
          }]`,
        );
        if (nodes === 10) {
          const ok = week < GOAL_WEEK_BYTES;
          met &&= ok;
          console.log(`    goal week < 2 GB (${label.trim()}): ${ok ? "met" : "NOT met"}`);
        }
      }
    }
    const writes = flag("writes", 1000);
    for (const busy of [false, true]) {
      const l = latency(dir, 20, writes, busy);
      const p99 = pct(l.write, 99);
      console.log(
        `\nWrite, 20 nodes / 380 links, ${busy ? "busy" : "steady"}, ${writes} cycles (ms)`,
      );
      console.log(`  Store.write  p50 ${pct(l.write, 50).toFixed(3)}  p99 ${p99.toFixed(3)}`);
      console.log(
        `  baseline: ${l.rowCount} single-row inserts, 1 transaction  p50 ${
          pct(l.rows, 50).toFixed(3)
        }  p99 ${pct(l.rows, 99).toFixed(3)}`,
      );
      console.log(`  linkHistory(from, to) 1000 points p50 ${pct(l.linkQuery, 50).toFixed(3)}`);
      console.log(`  nodeHistory(node) 1000 points     p50 ${pct(l.nodeQuery, 50).toFixed(3)}`);
      met &&= p99 < GOAL_P99_MS;
      console.log(`  goal write p99 < ${GOAL_P99_MS} ms: ${p99 < GOAL_P99_MS ? "met" : "NOT met"}`);
    }
    if (!met) Deno.exitCode = 1;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
