/** Clock offsets and skew with the round trip taken into account: plain data. */
import {
  CHECKS,
  clusterFacts,
  estimateOffset,
  provenSkewMs,
  runChecks,
  skewBetween,
  worstPair,
} from "../../lib/doctor/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { cluster, node } from "./fixtures.ts";

const clockCheck = CHECKS.filter((c) => c.id === "clock_skew");

Deno.test("the offset comes from the sample with the shortest round trip", () => {
  const o = estimateOffset([
    { sentMs: 0, serverMs: 600, receivedMs: 1000 }, // rtt 1000: offset +100 +- 500
    { sentMs: 2000, serverMs: 2110, receivedMs: 2020 }, // rtt 20: offset +100 +- 10
    { sentMs: 3000, serverMs: 2900, receivedMs: 3400 }, // rtt 400
  ])!;
  assertEquals(o, { offsetMs: 100, errorMs: 10 });
  assertEquals(estimateOffset([]), null);
  assertEquals(estimateOffset([{ sentMs: 5, serverMs: 5, receivedMs: 4 }]), null);
});

Deno.test("a slow round trip is not mistaken for skew: the proven skew is 0", () => {
  // The server read its clock at the very start of a 2 s round trip: midpoint estimate -1000 ms,
  // but half the round trip is 1000 ms, so nothing is proven.
  const o = estimateOffset([{ sentMs: 10_000, serverMs: 10_000, receivedMs: 12_000 }])!;
  assertEquals(o, { offsetMs: -1000, errorMs: 1000 });
  assertEquals(provenSkewMs(o), 0);
});

Deno.test("skew between nodes adds both errors; the worst pair is found", () => {
  const a = { offsetMs: 1200, errorMs: 1 };
  const b = { offsetMs: -300, errorMs: 2 };
  const c = { offsetMs: 0, errorMs: 0.5 };
  assertEquals(skewBetween(a, b), { offsetMs: 1500, errorMs: 3 });
  const w = worstPair(new Map([["node1", a], ["node2", b], ["node3", c]]))!;
  assertEquals([w.a, w.b, w.skew.offsetMs], ["node1", "node2", 1500]);
  assertEquals(worstPair(new Map([["node1", a]])), null);
});

Deno.test("clock_skew is OK on one clock, WARN at 0.5 s and FAIL at 5 s between nodes", () => {
  const ok = runChecks(clusterFacts(cluster(), ["node1", "node2", "node3"]), clockCheck);
  assertEquals(ok.map((f) => f.severity), ["OK"]);
  const skewed = (ms: number) =>
    node(1, {}).clock.map((s) => ({ ...s, serverMs: s.serverMs + ms }));
  const at = (ms: number) => {
    const n2 = { ...node(1), clock: skewed(ms) };
    return runChecks(clusterFacts(cluster({ 1: n2 }), ["node1", "node2", "node3"]), clockCheck);
  };
  const warn = at(800);
  assert(warn.some((f) => f.severity === "WARN" && f.node === null && /node1.*node2/.test(f.seen)));
  assert(warn.some((f) => f.severity === "WARN" && f.node === "node2"));
  const fail = at(-6000);
  assert(fail.some((f) => f.severity === "FAIL" && f.node === "node2" && f.fix!.includes("NTP")));
});

Deno.test("every node off by the same amount points at the collector's clock", () => {
  const off = (i: number) => ({
    ...node(i),
    clock: [{ sentMs: 1000, serverMs: 3000, receivedMs: 1001 }],
  });
  const f = runChecks(
    clusterFacts([off(0), off(1), off(2)], ["node1", "node2", "node3"]),
    clockCheck,
  );
  assertEquals(f.length, 1);
  assertEquals([f[0]!.severity, f[0]!.node], ["WARN", null]);
  assert(f[0]!.fix!.includes("host running pgactive-tools"));
});
