/**
 * examples/grafana/pgactive-tools.json, checked without Grafana (not packaged here): importable
 * shape (schemaVersion, uid, title, datasource and node variables), panels with unique ids, a
 * Prometheus datasource, targets and non-overlapping gridPos, every query parsed by promtool and
 * naming only metrics the server exports. tests/examples/prometheus_scrape_test.ts evaluates the
 * same queries against a real Prometheus scraping a real server.
 */
import { stringify } from "yaml";
import { dashboard } from "../../examples/grafana/build.ts";
import { createApp, Hub } from "../../lib/server/mod.ts";
import { cycle, testConfig } from "../server/fixtures.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import {
  BUILTIN_VARIABLES,
  loadDashboard,
  type Obj,
  panelQueries,
  substitute,
  variablesIn,
} from "./grafana_dashboard.ts";
import { promtool, runTool } from "./prometheus_tools.ts";

const VALUES = { instance: "127.0.0.1:8080", node: ".*", __rate_interval: "1m" };
const DS = { type: "prometheus", uid: "${datasource}" };

function overlap(a: Obj, b: Obj): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

Deno.test("the JSON file is build.ts's output (typed with @grafana/schema)", async () => {
  assertEquals(await loadDashboard(), dashboard(), "run examples/grafana/build.ts");
});

Deno.test("the schema types are live: deno check refuses a misspelt panel field", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-grafana-" });
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const check = async (field: string) => {
    await Deno.writeTextFile(
      `${dir}/d.ts`,
      `import type { Dashboard } from "@grafana/schema";\n` +
        `export const d: Dashboard = { schemaVersion: 39, panels: [{ type: "stat", ${field}: "x" }] };\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", config, `${dir}/d.ts`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, text: new TextDecoder().decode(out.stderr) };
  };
  try {
    const ok = await check("title");
    assertEquals(ok.code, 0, ok.text);
    const bad = await check("tittle");
    assert(bad.code !== 0, "a misspelt field passed deno check");
    assertMatch(bad.text, /'tittle' does not exist/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the dashboard is importable: schemaVersion, uid, title, datasource and node variables", async () => {
  const d = await loadDashboard();
  assert(Number.isInteger(d.schemaVersion) && d.schemaVersion >= 36, "schemaVersion >= 36");
  assertMatch(d.uid, /^[A-Za-z0-9_-]{1,40}$/, "uid");
  assert(typeof d.title === "string" && d.title !== "", "title");
  assert(d.id === undefined || d.id === null, "no instance-specific id");
  const vars: Obj[] = d.templating.list;
  const ds = vars.find((v) => v.name === "datasource");
  assertEquals([ds?.type, ds?.query], ["datasource", "prometheus"], "datasource variable");
  const node = vars.find((v) => v.name === "node");
  assertEquals([node?.type, node?.datasource], ["query", DS], "node variable");
  assertMatch(node.query.query, /^label_values\(pgactive_node_status\{[^}]*\}, node\)$/);
  for (const v of vars) assertEquals(vars.filter((w) => w.name === v.name).length, 1, v.name);
});

Deno.test("every panel has a unique id, a Prometheus datasource, targets and a gridPos that overlaps no other", async () => {
  const d = await loadDashboard();
  const panels: Obj[] = d.panels;
  assert(panels.length >= 6, "panels");
  assertEquals(new Set(panels.map((p) => p.id)).size, panels.length, "unique panel ids");
  for (const p of panels) {
    const name = `panel ${p.id} "${p.title}"`;
    assert(Number.isInteger(p.id) && p.id > 0, `${name}: id`);
    assert(typeof p.type === "string" && typeof p.title === "string" && p.title !== "", name);
    assertEquals(p.datasource, DS, `${name}: datasource`);
    const g = p.gridPos;
    for (const k of ["x", "y", "w", "h"]) assert(Number.isInteger(g?.[k]), `${name}: gridPos.${k}`);
    assert(g.x >= 0 && g.y >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24, `${name}: gridPos`);
    assert(p.targets.length > 0, `${name}: targets`);
    assertEquals(new Set(p.targets.map((t: Obj) => t.refId)).size, p.targets.length, name);
    for (const t of p.targets) {
      assertEquals(t.datasource, DS, `${name} ${t.refId}: datasource`);
      assert(typeof t.expr === "string" && t.expr !== "", `${name} ${t.refId}: expr`);
    }
  }
  for (const [i, a] of panels.entries()) {
    for (const b of panels.slice(i + 1)) {
      assert(!overlap(a.gridPos, b.gridPos), `panels ${a.id} and ${b.id} overlap`);
    }
  }
  // The check is live: moving a panel onto its neighbour is caught.
  assert(overlap(panels[0].gridPos, { ...panels[1].gridPos, x: panels[0].gridPos.x }));
});

Deno.test("every variable a query or datasource uses is defined", async () => {
  const d = await loadDashboard();
  const defined = new Set([...d.templating.list.map((v: Obj) => v.name), ...BUILTIN_VARIABLES]);
  const texts = [
    ...panelQueries(d).map((q) => q.expr),
    ...d.templating.list.map((v: Obj) => v.query?.query ?? ""),
    JSON.stringify(d.panels.map((p: Obj) => p.datasource)),
  ];
  const used = texts.flatMap(variablesIn);
  assert(used.includes("instance") && used.includes("node"), "queries follow the variables");
  assertEquals(used.filter((v) => !defined.has(v)), [], "undefined variables");
});

Deno.test("every panel query parses as PromQL (promtool), substituted as Grafana would", async () => {
  const d = await loadDashboard();
  const queries = panelQueries(d);
  const dir = await Deno.makeTempDir({ prefix: "pgactive-grafana-" });
  const check = async (exprs: string[]) => {
    const rules = exprs.map((expr, i) => ({ record: `panel_query_${i}`, expr }));
    await Deno.writeTextFile(`${dir}/q.yaml`, stringify({ groups: [{ name: "panels", rules }] }));
    return await runTool(await promtool(), ["check", "rules", `${dir}/q.yaml`]);
  };
  try {
    const ok = await check(queries.map((q) => substitute(q.expr, VALUES)));
    assertEquals(ok.code, 0, ok.text);
    assertMatch(ok.text, new RegExp(`SUCCESS: ${queries.length} rules found`));
    // The parse is live: an unsubstituted Grafana variable is refused.
    const raw = queries.find((q) => q.expr.includes("$__rate_interval"))!;
    const bad = await check([raw.expr]);
    assert(bad.code !== 0, "promtool accepted $__rate_interval");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the panels cover the issue's views and name only metrics the server exports", async () => {
  const d = await loadDashboard();
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = createApp({ config: testConfig(), hub });
  let exported: Set<string>;
  try {
    const text = await (await server.app.request("/metrics")).text();
    exported = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
  } finally {
    server.close();
  }
  const queries = panelQueries(d);
  const named = queries.flatMap((q) => [...q.expr.matchAll(/\bpgactive_\w+/g)].map((m) => m[0]));
  const base = (n: string) => n.replace(/_(bucket|sum|count)$/, "");
  assertEquals(named.filter((n) => !exported.has(n) && !exported.has(base(n))), [], "unknown");
  const panelOf = (metric: string) =>
    d.panels.filter((p: Obj) => p.targets.some((t: Obj) => t.expr.includes(metric)));
  const types = (metric: string) => panelOf(metric).map((p: Obj) => p.type);
  assert(types("pgactive_cluster_status").includes("stat"), "cluster status");
  assert(types("pgactive_node_status").includes("state-timeline"), "node status over time");
  assert(types("pgactive_replication_lag_seconds").includes("timeseries"), "per-node lag");
  const matrix = panelOf("pgactive_link_lag_seconds").find((p: Obj) => p.type === "table");
  assertEquals(matrix?.transformations?.[0]?.id, "groupingToMatrix", "link matrix");
  assertEquals(
    [matrix.transformations[0].options.rowField, matrix.transformations[0].options.columnField],
    ["from", "to"],
  );
  assert(types("pgactive_node_conflicts_total").includes("timeseries"), "conflicts rate");
  assert(types("pgactive_link_retained_wal_bytes").includes("timeseries"), "WAL per slot");
  for (const m of ["cycle_duration_seconds", "errors_total", "skipped_cycles_total"]) {
    assert(panelOf(`pgactive_collector_${m}`).length > 0, `collector health: ${m}`);
  }
});
