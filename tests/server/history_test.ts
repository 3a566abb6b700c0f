import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import type { ConflictRecord } from "../../lib/snapshot/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { makeConflict as conflict } from "../store/fixtures.ts";
import { cycle, makeSnapshot, testConfig } from "./fixtures.ts";

const T = (v: number) => Date.parse(makeSnapshot(v).collected_at);

function setup() {
  const store = Store.open(":memory:", { storeConflictTuples: true });
  for (let v = 1; v <= 5; v++) {
    const result = cycle(v, { lagSeconds: v });
    if (v === 4) {
      // Extra fields (row images) the collector may attach must never reach the API.
      const withTuple = { ...conflict("node1", 11, T(4)), local_tuple: { email: "a@b.c" } };
      result.conflicts.push(withTuple, conflict("node3", 3, T(4)));
    }
    assert.ok(store.write(result));
  }
  const server = createApp({ config: testConfig(), hub: new Hub(), store });
  return {
    app: server.app,
    [Symbol.dispose]: () => {
      server.close();
      store.close();
    },
  };
}

async function json(app: ReturnType<typeof setup>["app"], path: string, status = 200) {
  const res = await app.request(path);
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  return body;
}

Deno.test("/history returns a node's stored points, filtered by time (ISO or epoch ms) and limit", async () => {
  using t = setup();
  const all = await json(t.app, "/history?node=node1");
  assert.deepEqual(all.points.map((p: { version: number }) => p.version), [1, 2, 3, 4, 5]);
  assert.equal(all.points[2].lag_seconds, 3);
  assert.equal(all.points[0].node, "node1");
  const iso = new Date(T(2)).toISOString();
  const ranged = await json(t.app, `/history?node=node1&from=${iso}&to=${T(4)}`);
  assert.deepEqual(ranged.points.map((p: { version: number }) => p.version), [2, 3, 4]);
  const limited = await json(t.app, "/history?node=node2&limit=2");
  assert.equal(limited.points.length, 2);
  const every = await json(t.app, "/history");
  assert.equal(every.points.length, 15);
});

Deno.test("/history/links returns a link's stored points", async () => {
  using t = setup();
  const body = await json(t.app, `/history/links?from=node1&to=node2&since=${T(3)}`);
  assert.deepEqual(body.points.map((p: { version: number }) => p.version), [3, 4, 5]);
  assert.equal(body.points[0].from, "node1");
  assert.equal(body.points[0].to, "node2");
});

Deno.test("/conflicts returns recent conflicts without row images", async () => {
  using t = setup();
  const body = await json(t.app, "/conflicts");
  assert.equal(body.conflicts.length, 2);
  for (const c of body.conflicts) {
    assert.deepEqual(Object.keys(c).sort(), Object.keys(conflict("x", 1, 0)).sort());
  }
  assert.equal(JSON.stringify(body).includes("a@b.c"), false);
  const node1 = await json(t.app, `/conflicts?node=node1&since=${new Date(T(3)).toISOString()}`);
  assert.deepEqual(node1.conflicts.map((c: ConflictRecord) => c.conflict_id), [11]);
  const later = await json(t.app, `/conflicts?since=${T(5)}`);
  assert.equal(later.conflicts.length, 0);
});

for (
  const [path, param] of [
    ["/history?from=yesterday", '"from"'],
    ["/history?to=2026-13-45T00:00:00Z", '"to"'],
    ["/history?limit=0", '"limit"'],
    ["/history?limit=10001", '"limit"'],
    ["/history?limit=abc", '"limit"'],
    ["/history?node=", '"node"'],
    [`/history?from=${T(3)}&to=${T(1)}`, '"from" must not be after "to"'],
    ["/history/links?since=12abc", '"since"'],
    [`/history/links?since=${T(3)}&until=${T(1)}`, '"since" must not be after "until"'],
    ["/conflicts?since=1.5", '"since"'],
  ] as const
) {
  Deno.test(`${path} is a 400 naming ${param}`, async () => {
    using t = setup();
    const body = await json(t.app, path, 400);
    assert.ok(body.error.includes(param), body.error);
  });
}

Deno.test("history and conflict endpoints are 503 without a store", async () => {
  const server = createApp({ config: testConfig(), hub: new Hub() });
  try {
    for (const path of ["/history", "/history/links", "/conflicts"]) {
      const body = await json(server.app, path, 503);
      assert.match(body.error, /No history store is configured/);
    }
  } finally {
    server.close();
  }
});
