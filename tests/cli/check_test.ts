import assert from "node:assert/strict";
import { checkLine } from "../../lib/cli/commands/check.ts";
import { makeSnapshot } from "../sdk/fixtures.ts";

Deno.test("check ends with Nagios performance data: worst lag, conflict rate, DOWN nodes", () => {
  const s = makeSnapshot(7, {
    status: { node2: "DEGRADED" },
    reasons: { node2: ["link node1 -> node2: lag 6.2 s >= warn 5 s"] },
    lag: { "node1->node2": 6.25 },
  });
  const { line, code } = checkLine(s);
  assert.equal(code, 1);
  assert.equal(
    line,
    "PGACTIVE WARNING - 3 nodes: 2 healthy, 1 degraded " +
      "(node2: link node1 -> node2: lag 6.2 s >= warn 5 s)" +
      " | lag_seconds=6.25s lag_bytes=3355443B conflicts_per_minute=1.5 nodes_down=0",
  );
});

Deno.test("check reports unknown performance values as U and keeps '|' out of reasons", () => {
  const s = makeSnapshot(8, {
    status: { node1: "DOWN", node2: "DOWN", node3: "DOWN" },
    reasons: { node1: ["a | b"] },
  });
  for (const l of s.links) {
    l.lag_seconds = null;
    l.lag_bytes = null;
  }
  for (const n of Object.values(s.nodes)) n.metrics.conflicts_per_minute = null;
  const { line, code } = checkLine(s);
  assert.equal(code, 3);
  const [head, perf, ...rest] = line.split(" | ");
  assert.equal(rest.length, 0, line);
  assert.match(head!, /\(node1: a \/ b; /);
  assert.equal(perf, "lag_seconds=U lag_bytes=U conflicts_per_minute=U nodes_down=3");
});
