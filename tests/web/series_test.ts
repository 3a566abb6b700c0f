import assert from "node:assert/strict";
import { LagHistory, LagSeries, WINDOW_MS } from "../../lib/web/page/series.ts";
import { makeSnapshot } from "../server/fixtures.ts";

const at = (v: number) => 1_000_000 + v * 500;

Deno.test("points stay in version order, one per version, whatever the arrival order", () => {
  const s = new LagSeries();
  for (const v of [5, 6, 9, 7, 6, 8, 1]) s.add({ version: v, t: at(v), lag: v });
  assert.deepEqual(s.points.map((p) => p.version), [1, 5, 6, 7, 8, 9]);
  assert.equal(s.missing(), 3); // 2, 3, 4
});

Deno.test("a gap the watch skipped is filled by history points, and missing() is 0 again", () => {
  const h = new LagHistory();
  for (const v of [10, 11, 14]) {
    h.addSnapshot({ ...makeSnapshot(v), collected_at: new Date(at(v)).toISOString() });
  }
  assert.equal(h.series("node1").missing(), 2);
  h.addPoints([12, 13].flatMap((v) =>
    ["node1", "node2", "node3"].map((node) => ({
      version: v,
      at: new Date(at(v)).toISOString(),
      node,
      lag_seconds: 0,
    }))
  ));
  for (const n of ["node1", "node2", "node3"]) {
    assert.equal(h.series(n).missing(), 0, n);
    assert.deepEqual(h.series(n).points.map((p) => p.version), [10, 11, 12, 13, 14]);
  }
});

Deno.test("buckets hold the worst known lag per time slice; trim keeps the last hour", () => {
  const s = new LagSeries();
  s.add({ version: 1, t: 0, lag: 1 });
  s.add({ version: 2, t: 10, lag: 4 });
  s.add({ version: 3, t: 20, lag: null });
  s.add({ version: 4, t: 95, lag: 2 });
  assert.deepEqual(s.buckets(0, 100, 4), [4, null, null, 2]);
  s.trim(15);
  assert.deepEqual(s.points.map((p) => p.version), [3, 4]);
  s.trim(WINDOW_MS);
  assert.equal(s.points.length, 0);
});
