/**
 * Store benchmark: `deno run -A bench/store_bench.ts [--writes 2000] [--days 1]`
 *
 * 1. Latency of one cycle's write for 10 nodes / 90 links (p50/p99 over --writes writes) against
 *    two baselines in the same file: a bare `BEGIN IMMEDIATE; COMMIT` and the same number of rows
 *    (100) as single-row inserts into a plain 3-column table in one transaction.
 * 2. DB size for 3 nodes / 6 links at the seed interval (2 s) with prune() after every write and the
 *    default retention (7 days metrics, 1 hour snapshot JSON): --days simulated days are written at
 *    full rate on a simulated clock; under 7 days the growing tables are extrapolated linearly to a
 *    week (the snapshot JSON table is bounded by its retention), at 8+ days the size is measured.
 */
import { DatabaseSync } from "node:sqlite";
import { Store } from "../lib/store/mod.ts";
import { redactDeep } from "../lib/store/redact.ts";
import { makeResult, T0 } from "../tests/store/fixtures.ts";

const DAY_MS = 86_400_000;
const INTERVAL_MS = 2000;

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

function time(n: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

function row(label: string, samples: number[], base?: number[]): string {
  const p50 = pct(samples, 50);
  const ratio = base ? `${(p50 / pct(base, 50)).toFixed(1)}x` : "";
  return `${label.padEnd(44)} ${p50.toFixed(3).padStart(8)} ${
    pct(samples, 99).toFixed(3).padStart(8)
  } ${ratio.padStart(7)}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function latency(dir: string, writes: number): void {
  const path = `${dir}/latency.db`;
  const warm = 100;
  const results = Array.from({ length: warm + writes }, (_, i) => makeResult(i + 1, { nodes: 10 }));
  const at = (i: number) => Date.parse(results[i]!.snapshot.collected_at);
  const store = Store.open(path);
  for (let i = 0; i < warm; i++) (store.write(results[i]!), store.prune(at(i)));
  // The owner's per-cycle sequence: write, then prune (which also checkpoints every 10 s).
  const write: number[] = [];
  const prune: number[] = [];
  for (let i = warm; i < warm + writes; i++) {
    let t = performance.now();
    if (!store.write(results[i]!)) throw new Error(store.lastWriteError ?? "write failed");
    write.push(performance.now() - t);
    t = performance.now();
    store.prune(at(i));
    prune.push(performance.now() - t);
  }
  const prep = time(writes, (i) => JSON.stringify(redactDeep(results[warm + i]!).snapshot));
  const linkQuery = time(50, () => store.linkHistory({ from: "node3", to: "node7", limit: 1000 }));
  const nodeQuery = time(50, () => store.nodeHistory({ node: "node7", limit: 1000 }));
  const backlog = time(200, () => store.prune(T0 + 8 * DAY_MS));
  store.close();

  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  db.exec("CREATE TABLE bench_rows (a INTEGER, b TEXT, c REAL)");
  const insert = db.prepare("INSERT INTO bench_rows VALUES (?, ?, ?)");
  const bare = time(writes, () => db.exec("BEGIN IMMEDIATE; COMMIT"));
  const rows = time(writes, (i) => {
    db.exec("BEGIN IMMEDIATE");
    for (let r = 0; r < 100; r++) insert.run(i, "node1", r / 3);
    db.exec("COMMIT");
  });
  db.close();

  console.log(`\nWrite latency, 10 nodes / 90 links, ${writes} cycles (ms)`);
  console.log(
    `${"".padEnd(44)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"vs base".padStart(7)}`,
  );
  console.log(row("Store.write (1 snapshot + 10 + 90 rows)", write, rows));
  console.log(row("  of which redact + JSON.stringify", prep));
  console.log(row("baseline: 100 single-row inserts, 1 txn", rows));
  console.log(row("baseline: bare BEGIN IMMEDIATE; COMMIT", bare));
  console.log(row("Store.write vs bare transaction", write, bare));
  console.log(row("Store.prune per cycle (incl. checkpoints)", prune));
  console.log(row("linkHistory(from, to), 1000 of 189k rows", linkQuery));
  console.log(row("nodeHistory(node), 1000 of 21k rows", nodeQuery));
  console.log(row("Store.prune, backlog (500 rows/table/call)", backlog));
  console.log(`max Store.write ${write.reduce((a, b) => Math.max(a, b), 0).toFixed(3)} ms`);
}

function size(dir: string, days: number): void {
  const path = `${dir}/size.db`;
  const cycles = Math.round(days * DAY_MS / INTERVAL_MS);
  let now = T0;
  const store = Store.open(path, { now: () => now });
  const prune: number[] = [];
  let deleted = 0;
  const started = performance.now();
  for (let v = 1; v <= cycles; v++) {
    now = T0 + (v - 1) * INTERVAL_MS;
    if (!store.write(makeResult(v, { at: now }))) throw new Error(store.lastWriteError ?? "failed");
    const t = performance.now();
    deleted += store.prune();
    prune.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  store.close();

  const db = new DatabaseSync(path);
  const pages = db.prepare(
    "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC",
  ).all() as { name: string; bytes: number }[];
  const json = db.prepare("SELECT avg(length(json)) AS n FROM snapshots").get() as { n: number };
  db.close();
  const file = Deno.statSync(path).size;
  const bounded = pages.filter((p) => p.name === "snapshots").reduce((a, p) => a + p.bytes, 0);
  const week = days >= 8 ? file : bounded + (file - bounded) * (7 / days);

  console.log(
    `\nDB size, 3 nodes / 6 links every 2 s, prune() after each write: ${days} simulated day(s), ` +
      `${cycles} cycles in ${elapsed.toFixed(1)} s, ${deleted} rows pruned`,
  );
  for (const p of pages) console.log(`  ${p.name.padEnd(24)} ${mb(p.bytes).padStart(10)}`);
  console.log(`  ${"file".padEnd(24)} ${mb(file).padStart(10)}`);
  console.log(
    `  week at 7-day retention  ${mb(week).padStart(10)} ${
      days >= 8 ? "(measured)" : "(extrapolated)"
    }`,
  );
  console.log(
    `  snapshot JSON avg ${Math.round(json.n)} B; kept a full week it would add ` +
      `${mb(json.n * 7 * DAY_MS / INTERVAL_MS)}`,
  );
  console.log(
    `  prune() per cycle: p50 ${pct(prune, 50).toFixed(3)} ms, p99 ${
      pct(prune, 99).toFixed(3)
    } ms, max ${prune.reduce((a, b) => Math.max(a, b), 0).toFixed(3)} ms`,
  );
}

const dir = Deno.makeTempDirSync({ prefix: "store_bench_" });
try {
  latency(dir, flag("writes", 2000));
  size(dir, flag("days", 1));
} finally {
  Deno.removeSync(dir, { recursive: true });
}
