import assert from "node:assert/strict";
import { formatDuration, parseConfig, parseDuration, parseRate } from "../../lib/config/mod.ts";
import { problemAt, problems, yaml } from "./helpers.ts";

Deno.test("durations take ms, s, m, h and d and return milliseconds", () => {
  const cases: [string | number, number][] = [
    ["250ms", 250],
    ["2s", 2_000],
    ["1.5s", 1_500],
    [".5s", 500],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["7d", 604_800_000],
    [" 10 s ", 10_000],
    ["0s", 0],
  ];
  for (const [input, ms] of cases) assert.equal(parseDuration(input), ms, String(input));
});

Deno.test("a bare number duration is seconds", () => {
  assert.equal(parseDuration("2"), 2_000);
  assert.equal(parseDuration(2), 2_000);
  assert.equal(parseDuration(0.25), 250);
  assert.equal(parseConfig(yaml("  interval: 3\n")).collector.intervalMs, 3_000);
  assert.equal(parseConfig(yaml("  interval: '0.5'\n")).collector.intervalMs, 500);
});

Deno.test("invalid durations are RangeErrors quoting the value", () => {
  for (const bad of ["", "2 sec", "5x", "-1s", "1e3s", "s", "2s5", "1h30m", "Infinity"]) {
    assert.throws(() => parseDuration(bad), RangeError, bad);
  }
  assert.throws(() => parseDuration("5x"), /invalid duration "5x": use a number with a unit/);
  assert.throws(() => parseDuration(-1), RangeError);
  assert.throws(() => parseDuration(Number.NaN), RangeError);
});

Deno.test("rates take /s, /min, /h and return events per minute", () => {
  const cases: [string | number, number][] = [
    ["3/min", 3],
    ["0.5/s", 30],
    ["100/h", 100 / 60],
    ["2/m", 2],
    ["1 / sec", 60],
    ["6/hour", 0.1],
    ["4", 4],
    [4, 4],
  ];
  for (const [input, perMinute] of cases) assert.equal(parseRate(input), perMinute, String(input));
});

Deno.test("invalid rates are RangeErrors quoting the value", () => {
  for (const bad of ["3/fortnight", "/min", "3 per min", "-1/s", "3/min/s", ""]) {
    assert.throws(() => parseRate(bad), RangeError, bad);
  }
  assert.throws(() => parseRate("3/d"), /invalid rate "3\/d": use N\/s, N\/min or N\/h/);
});

Deno.test("formatDuration writes the largest whole unit", () => {
  assert.equal(formatDuration(500), "500ms");
  assert.equal(formatDuration(2_000), "2s");
  assert.equal(formatDuration(1_500), "1.5s");
  assert.equal(formatDuration(300_000), "5m");
  assert.equal(formatDuration(90_000), "90s");
  assert.equal(formatDuration(604_800_000), "7d");
});

Deno.test("config durations and rates resolve to milliseconds and per minute", () => {
  const config = parseConfig(yaml(
    "  conflict_window: 90s\n  probe_timeout: 250ms\nthresholds:\n  conflicts_warn: 0.5/s\n" +
      "  walsender_inactive_crit: 1m\ndatabase:\n  retention: 36h\n",
  ));
  assert.equal(config.collector.conflictWindowMs, 90_000);
  assert.equal(config.collector.probeTimeoutMs, 250);
  assert.equal(config.thresholds.conflictsWarnPerMinute, 30);
  assert.equal(config.thresholds.walsenderInactiveCritMs, 60_000);
  assert.equal(config.database.retentionMs, 36 * 3_600_000);
});

Deno.test("bad durations and rates in a file are reported with their paths", () => {
  const list = problems(yaml(
    "  interval: 2 seconds\n  conflict_window: 0s\nthresholds:\n  conflicts_warn: 0/min\n" +
      "  walsender_inactive_crit: [1]\ndatabase:\n  retention: 1w\n",
  ));
  assert.match(problemAt(list, "collector.interval"), /invalid duration "2 seconds"/);
  assert.match(problemAt(list, "collector.conflict_window"), /must be at least 1ms/);
  assert.match(problemAt(list, "thresholds.conflicts_warn"), /must be greater than 0/);
  assert.match(problemAt(list, "thresholds.walsender_inactive_crit"), /must be a duration/);
  assert.match(problemAt(list, "database.retention"), /invalid duration "1w"/);
  assert.equal(list.length, 5);
});

Deno.test("an interval below 10ms is rejected", () => {
  assert.match(
    problemAt(problems(yaml("  interval: 2ms\n")), "collector.interval"),
    /at least 10ms/,
  );
});
