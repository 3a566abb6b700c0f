/** Hostile config text: size, aliases, nesting, error floods and duration bounds (plain data). */
import assert from "node:assert/strict";
import {
  ConfigError,
  DURATION_BOUNDS,
  loadConfig,
  MAX_CONFIG_BYTES,
  parseConfig,
} from "../../lib/config/mod.ts";
import { configError, problemAt, problems, yaml } from "./helpers.ts";

/** `unit` repeated to fill `bytes` after `head`. */
function fill(head: string, unit: string, bytes = MAX_CONFIG_BYTES): string {
  return head + unit.repeat(Math.floor((bytes - head.length) / unit.length));
}

Deno.test("aliases that expand too far are one problem, not a crash", () => {
  const bomb = yaml("x: &a [l,l,l,l,l,l,l,l,l]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n") +
    "z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
  assert.deepEqual(problems(bomb, { source: "b.yaml" }), [
    "b.yaml: YAML aliases expand too far (more than 100 alias uses): refused",
  ]);
  assert.equal(
    parseConfig(yaml("thresholds: &t\n  lag_seconds_warn: 2\n")).collector.nodes.length,
    1,
  );
});

Deno.test("text over 64 KiB is refused before parsing; a file is read no further", async () => {
  const big = fill(yaml(), "# padding line\n", MAX_CONFIG_BYTES + 100);
  assert.deepEqual(problems(big, { source: "big.yaml" }), [
    "big.yaml: file is larger than 64 KiB (a config is a few KB): refused",
  ]);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/big.yaml`, big);
    const started = performance.now();
    await assert.rejects(loadConfig({ path: `${dir}/big.yaml`, env: {} }), /larger than 64 KiB/);
    assert.ok(performance.now() - started < 1_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the worst texts under the limit are answered in bounded time, in few lines", () => {
  const cases = {
    "thousands of parse errors": fill(yaml("x: "), "[]"),
    "nesting past the stack": yaml("x: " + "[".repeat(20_000) + "]".repeat(20_000)),
    "thousands of keys in one mapping": fill(yaml("thresholds:\n"), "  lag_seconds_warn: 1\n"),
    "thousands of nodes with one name": fill(
      yaml(),
      "    - { name: node1, dsn: postgres://h/d }\n",
    ),
    "a 64 KiB list": fill(yaml("x:\n"), "  - 1\n"),
  };
  for (const [name, text] of Object.entries(cases)) {
    const started = performance.now();
    const error = configError(text);
    const ms = performance.now() - started;
    assert.ok(error.message.split("\n").length <= 22, `${name}: ${error.message.length} chars`);
    // about 0.6 s at worst on a loaded 2-core machine; generous for CI
    assert.ok(ms < 3_000, `${name}: ${ms.toFixed(0)} ms`);
  }
  assert.match(configError(cases["nesting past the stack"]).problems[0]!, /nested too deeply/);
  assert.match(
    configError(cases["thousands of keys in one mapping"]).problems[0]!,
    /^<config>:\d+:3: Map keys must be unique$/,
  );
  assert.match(
    configError(cases["thousands of nodes with one name"]).message,
    /\.\.\. and \d+ more$/,
  );
});

Deno.test("each duration key names its bounds; the bounds themselves are accepted", () => {
  const text = yaml(
    "  interval: 2d\n  probe_timeout: 25h\n  conflict_window: 2d\nthresholds:\n" +
      "  walsender_inactive_crit: 31d\ndatabase:\n  retention: 3651d\n",
  );
  const list = problems(text);
  assert.equal(
    problemAt(list, "collector.interval"),
    'collector.interval: must be at least 10ms and at most 1d (got "2d")',
  );
  assert.match(problemAt(list, "collector.probe_timeout"), /at least 1ms and at most 1d/);
  assert.match(problemAt(list, "collector.conflict_window"), /at most 1d \(got "2d"\)/);
  assert.match(problemAt(list, "thresholds.walsender_inactive_crit"), /at most 30d/);
  assert.match(problemAt(list, "database.retention"), /at most 3650d/);
  const ok = parseConfig(yaml(
    "  interval: 1d\n  conflict_window: 1d\nthresholds:\n  walsender_inactive_crit: 30d\n" +
      "database:\n  retention: 3650d\n",
  ));
  assert.equal(ok.collector.intervalMs, DURATION_BOUNDS["collector.interval"][1]);
  assert.equal(ok.database.retentionMs, DURATION_BOUNDS["database.retention"][1]);
  const env = problems(yaml(), { env: { PGACTIVE_TOOLS_INTERVAL: "30d" } });
  assert.match(problemAt(env, "collector.interval (from PGACTIVE_TOOLS_INTERVAL)"), /at most 1d/);
  assert.ok(configError(yaml("  interval: 0.001ms\n")) instanceof ConfigError);
});
