/**
 * docs/openapi.yaml against the code and against real responses: the document lists every path and
 * every field the code has (no drift), and every status a real server on a real port answers (200,
 * 304, 400, 401, 404, 405, 503), with a real SQLite store, is documented with a schema that holds.
 */
import assert from "node:assert/strict";
import { API_PATHS, Hub, startServer } from "../../lib/server/mod.ts";
import {
  ConflictRecordSchema,
  LinkSchema,
  NodeMetricsSchema,
  NodeStateSchema,
  SnapshotSchema,
} from "../../lib/snapshot/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { makeConflict, makeResult, T0, tempDb } from "../store/fixtures.ts";
import { testConfig } from "./fixtures.ts";
import { checkResponse, loadOpenApi, type OpenApi } from "./openapi_doc.ts";

const PATHS = [...API_PATHS];

const keys = (o: object) => Object.keys(o).sort();
const documentedKeys = (doc: OpenApi, name: string) =>
  keys(doc.components.schemas[name].properties);

Deno.test("the document is OpenAPI 3.1, lists every path, and every field the code has", () => {
  const doc = loadOpenApi();
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.deepEqual(keys(doc.paths), [...PATHS].sort());
  for (const path of PATHS) assert.ok(doc.paths[path].get.responses["200"], path);
  assert.deepEqual(documentedKeys(doc, "Snapshot"), keys(SnapshotSchema.shape));
  assert.deepEqual(documentedKeys(doc, "NodeState"), keys(NodeStateSchema.shape));
  assert.deepEqual(documentedKeys(doc, "NodeMetrics"), keys(NodeMetricsSchema.shape));
  assert.deepEqual(documentedKeys(doc, "Link"), keys(LinkSchema.shape));
  assert.deepEqual(documentedKeys(doc, "ConflictRecord"), keys(ConflictRecordSchema.shape));
});

Deno.test("every answer of a real server matches the document", async () => {
  const doc = loadOpenApi();
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  const hub = new Hub();
  const config = testConfig();
  await using server = await startServer({ config, hub, store, port: 0 });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });
  const check = async (path: string, res: Response, status: number) => {
    assert.equal(res.status, status, `${path}: ${res.status}`);
    return await checkResponse(doc, path.split("?")[0]!, res);
  };

  await check("/snapshot", await get("/snapshot"), 503); // before the first cycle
  for (let v = 1; v <= 3; v++) {
    const result = makeResult(v, { down: v === 2 ? "node3" : undefined });
    if (v === 3) result.conflicts.push(makeConflict("node1", 7, T0 + 4_000));
    store.write(result);
    hub.publish(result);
  }
  await check("/snapshot", await get("/snapshot"), 200);
  await check("/snapshot", await get("/snapshot", { "if-none-match": '"3"' }), 304);
  await check("/health", await get("/health"), 200);
  await check("/metrics", await get("/metrics"), 200);
  await check("/", await get("/"), 200);
  const history = await check("/history?node=node3", await get("/history?node=node3"), 200);
  assert.equal((history as { points: unknown[] }).points.length, 3);
  const links = await check("/history/links", await get("/history/links?from=node1&to=node2"), 200);
  assert.equal((links as { points: unknown[] }).points.length, 3);
  const conflicts = await check("/conflicts", await get(`/conflicts?since=${T0}`), 200);
  assert.equal((conflicts as { conflicts: unknown[] }).conflicts.length, 1);
  for (
    const bad of [
      "/history?limit=0",
      "/history?from=2024-13-01",
      "/conflicts?limit=",
      "/history/links?since=2&until=1",
    ]
  ) {
    await check(bad, await get(bad), 400);
  }
  await check("/watch", await get("/watch", { "last-event-id": "x" }), 400);
  const watch = await get("/watch");
  assert.equal(watch.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.match(watch.headers.get("pgactive-run-id") ?? "", /^[0-9a-f-]{36}$/);
  await watch.body?.cancel();

  const missing = await get("/nope");
  assert.equal(missing.status, 404);
  assert.equal(typeof (await missing.json()).error, "string");
  const post = await fetch(`${server.url}/snapshot`, { method: "POST" });
  assert.deepEqual([post.status, post.headers.get("allow")], [405, "GET, HEAD"]);
  assert.equal(typeof (await post.json()).error, "string");
});

Deno.test("with a token: 401 as documented, /health and / stay open", async () => {
  const doc = loadOpenApi();
  const hub = new Hub();
  hub.publish(makeResult(1));
  await using server = await startServer({
    config: testConfig({ authToken: "s3cret-token" }),
    hub,
    port: 0,
  });
  for (const path of ["/snapshot", "/watch", "/history", "/conflicts"]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 401, path);
    await checkResponse(doc, path, res);
  }
  for (const path of ["/health", "/"]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const store = await fetch(`${server.url}/history`, {
    headers: { authorization: "Bearer s3cret-token" },
  });
  assert.equal(store.status, 503, "no store configured");
  await checkResponse(doc, "/history", store);
});
