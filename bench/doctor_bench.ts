/**
 * Doctor benchmark: the wall time of one full doctor run (connect to every node, grants, facts,
 * schema, 3 clock samples, every check) on 3 and on 20 nodes, against a baseline measured in the
 * same run: a fresh connection to every node in parallel running `SELECT 1` (the least any
 * per-node check over new connections can cost). Nodes beyond the sandbox's 3 instances are
 * databases with the pgactive schema created on them (as bench/scale_bench.ts does). Runs are
 * interleaved (baseline, doctor, baseline, ...) and reported as medians and their ratio. A third
 * figure: the 3 nodes again with 1,000 more tables each (serial PK, 5 columns, a unique key):
 * the schema checks' cost grows with the catalog, the rest does not.
 *
 *   deno run -A bench/doctor_bench.ts [runs=15]
 */
import postgres from "postgres";
import { parseConfig } from "../lib/config/mod.ts";
import { runDoctor } from "../lib/doctor/mod.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";

type NodeList = { name: string; dsn: string }[];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function selectOneEverywhere(nodes: NodeList): Promise<void> {
  await Promise.all(nodes.map(async (n) => {
    const sql = postgres(n.dsn, { max: 1, prepare: false, fetch_types: false, onnotice: () => {} });
    try {
      await sql.unsafe("SELECT 1");
    } finally {
      await sql.end({ timeout: 0 });
    }
  }));
}

async function measure(nodes: NodeList, runs: number) {
  const yaml = "collector:\n  nodes:\n" +
    nodes.map((n) => `    - name: ${n.name}\n      dsn: ${JSON.stringify(n.dsn)}\n`).join("");
  const config = parseConfig(yaml, { env: {} });
  await selectOneEverywhere(nodes); // warm-up (server caches, Deno JIT)
  const first = await runDoctor(config);
  const unread = Object.values(first.nodes).filter((n) => !n.read).length;
  if (unread > 0) throw new Error(`${unread} node(s) not read: ${JSON.stringify(first.nodes)}`);
  const base: number[] = [];
  const doc: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await selectOneEverywhere(nodes);
    base.push(performance.now() - t);
    t = performance.now();
    const r = await runDoctor(config);
    doc.push(performance.now() - t);
    findings = r.findings.length;
  }
  const b = median(base);
  const d = median(doc);
  return {
    nodes: nodes.length,
    runs,
    findings,
    baseline_select1_ms: +b.toFixed(1),
    doctor_run_ms: +d.toFixed(1),
    doctor_run_max_ms: +Math.max(...doc).toFixed(1),
    ratio: +(d / b).toFixed(2),
  };
}

const runs = Number(Deno.args[0] ?? 15);
await using sb = await startSandbox({ nodes: 3 });
const nodes: NodeList = sb.nodes.map((n) => ({ name: n.name, dsn: n.dsn }));
const three = await measure(nodes, runs);
for (let i = nodes.length; i < 20; i++) {
  const host = sb.nodes[i % sb.nodes.length]!.name;
  const db = `doctor_${String(i + 1).padStart(2, "0")}`;
  nodes.push({ name: db, dsn: await sb.createDatabase(host, db) });
}
const twenty = await measure(nodes, runs);
const TABLES = 1000;
for (const n of sb.nodes) {
  await sb.query(
    n.name,
    `DO $$ BEGIN FOR i IN 1..${TABLES} LOOP EXECUTE format('CREATE TABLE public.bench_t%s ` +
      `(id serial PRIMARY KEY, a int NOT NULL, b text, c timestamptz, d numeric(10,2), ` +
      `UNIQUE (a))', i); END LOOP; END $$`,
  );
}
const threeWithTables = {
  tables_per_node: TABLES,
  ...await measure(sb.nodes.map((n) => ({ name: n.name, dsn: n.dsn })), Math.min(runs, 5)),
};
const cores = navigator.hardwareConcurrency;
console.log(JSON.stringify(
  { machine_cores: cores, three, twenty, three_with_tables: threeWithTables },
  null,
  2,
));
