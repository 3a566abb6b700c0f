/**
 * examples/prometheus/alerts.yaml: promtool accepts it, its unit tests (alerts_test.yaml) pass and
 * cover every alert firing and not firing, each unit test is live (deleting the alert it covers
 * fails it), and every rule has `for:`, a severity, a summary naming its node/link and a
 * runbook_url whose section exists. Needs promtool (Debian `prometheus`, installed by .ci/run):
 * fails without it.
 */
import { parse, stringify } from "yaml";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { promtool, runTool } from "./prometheus_tools.ts";

const DIR = new URL("../../examples/prometheus/", import.meta.url);
const ALERTS = new URL("alerts.yaml", DIR).pathname;
const UNIT_TESTS = new URL("alerts_test.yaml", DIR).pathname;
// deno-lint-ignore no-explicit-any
type Obj = any;

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

async function rules(): Promise<Rule[]> {
  const doc = parse(await Deno.readTextFile(ALERTS));
  return doc.groups.flatMap((g: Obj) => g.rules as Rule[]);
}

/** The runbook: docs/alerting.md. */
async function runbookText(): Promise<string> {
  return await Deno.readTextFile(new URL("../../docs/alerting.md", import.meta.url));
}

/** GitHub's anchor of a Markdown heading. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

Deno.test("promtool check rules accepts alerts.yaml", async () => {
  const out = await runTool(await promtool(), ["check", "rules", ALERTS]);
  assertEquals(out.code, 0, out.text);
  assertMatch(out.text, new RegExp(`SUCCESS: ${(await rules()).length} rules found`));
});

Deno.test("promtool test rules: every alert's unit tests pass", async () => {
  const out = await runTool(await promtool(), ["test", "rules", UNIT_TESTS]);
  assertEquals(out.code, 0, out.text);
  assertMatch(out.text, /SUCCESS/);
});

Deno.test("the unit tests cover every alert both firing and not firing", async () => {
  const doc = parse(await Deno.readTextFile(UNIT_TESTS));
  const cases = doc.tests.flatMap((t: Obj) => t.alert_rule_test as Obj[]);
  for (const r of await rules()) {
    const mine = cases.filter((c: Obj) => c.alertname === r.alert);
    assert(mine.some((c: Obj) => c.exp_alerts.length > 0), `${r.alert}: no firing case`);
    assert(mine.some((c: Obj) => c.exp_alerts.length === 0), `${r.alert}: no not-firing case`);
  }
  const names = new Set((await rules()).map((r) => r.alert));
  const unknown = cases.map((c: Obj) => c.alertname).filter((n: string) => !names.has(n));
  assertEquals(unknown, [], "unit tests of alerts that do not exist");
});

Deno.test("each unit test is live: without the alert it covers, promtool test rules fails", async () => {
  const tool = await promtool();
  const doc = parse(await Deno.readTextFile(ALERTS));
  const dir = await Deno.makeTempDir({ prefix: "pgactive-alerts-" });
  try {
    await Deno.copyFile(UNIT_TESTS, `${dir}/alerts_test.yaml`);
    for (const r of await rules()) {
      const without = structuredClone(doc);
      for (const g of without.groups) g.rules = g.rules.filter((x: Rule) => x.alert !== r.alert);
      await Deno.writeTextFile(`${dir}/alerts.yaml`, stringify(without));
      const out = await runTool(tool, ["test", "rules", `${dir}/alerts_test.yaml`]);
      assert(out.code !== 0, `deleting ${r.alert} still passes its unit tests`);
      assertMatch(out.text, new RegExp(`alertname: ${r.alert},`), r.alert);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every alert has for:, a severity, a summary naming its subject and a runbook section", async () => {
  const runbook = await runbookText();
  const anchors = new Set(
    [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) => anchor(m[1]!)),
  );
  for (const r of await rules()) {
    assertMatch(r.for ?? "", /^\d+[smh]$/, `${r.alert}: for`);
    assert(["warning", "critical"].includes(r.labels?.severity ?? ""), `${r.alert}: severity`);
    const a = r.annotations ?? {};
    assert((a.summary ?? "") !== "" && (a.description ?? "") !== "", `${r.alert}: annotations`);
    // A rule on node (link) series names the node (the link) in its summary.
    if (/\bpgactive_node_|pgactive_collector_errors_total/.test(r.expr)) {
      assertMatch(a.summary!, /\{\{ \$labels\.node \}\}/, `${r.alert}: summary names the node`);
    }
    if (/\bpgactive_link_/.test(r.expr)) {
      assertMatch(
        a.summary!,
        /\$labels\.from .*\$labels\.to/,
        `${r.alert}: summary names the link`,
      );
    }
    const url = a.runbook_url ?? "";
    const hash = url.slice(url.indexOf("#") + 1);
    assertEquals(hash, r.alert.toLowerCase(), `${r.alert}: runbook_url anchor`);
    assert(anchors.has(hash), `${r.alert}: no runbook section "${hash}" in docs/alerting.md`);
  }
});
