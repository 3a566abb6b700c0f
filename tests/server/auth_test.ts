import assert from "node:assert/strict";
import { createApp, Hub, tokensEqual } from "../../lib/server/mod.ts";
import { createLogger } from "../../lib/telemetry/mod.ts";
import { cycle, testConfig } from "./fixtures.ts";

const TOKEN = "s3cr3t-token-value";

function setup(metricsRequireAuth = false) {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", write: (l) => lines.push(l) });
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = createApp({
    config: testConfig({ authToken: TOKEN, metricsRequireAuth }),
    hub,
    logger,
  });
  return { app: server.app, server, lines, [Symbol.dispose]: () => server.close() };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

Deno.test("with a token configured, API endpoints answer 401 with WWW-Authenticate without it", async () => {
  using t = setup();
  for (const path of ["/snapshot", "/watch", "/history", "/conflicts", "/nope"]) {
    const res = await t.app.request(path);
    assert.equal(res.status, 401, path);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="pgactive-tools"');
    assert.match((await res.json()).error, /requires an Authorization: Bearer token/);
  }
});

Deno.test("a wrong or malformed token is a 401 invalid_token / missing-credentials answer", async () => {
  using t = setup();
  for (const token of ["wrong", TOKEN + "x", TOKEN.slice(0, -1)]) {
    const res = await t.app.request("/snapshot", { headers: bearer(token) });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    const body = await res.text();
    assert.equal(body.includes(TOKEN), false);
  }
  const basic = await t.app.request("/snapshot", { headers: { Authorization: `Basic ${TOKEN}` } });
  assert.equal(basic.status, 401);
});

Deno.test("the right token opens every endpoint", async () => {
  using t = setup(true);
  for (const path of ["/snapshot", "/metrics", "/health"]) {
    const res = await t.app.request(path, { headers: bearer(TOKEN) });
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const lower = await t.app.request("/snapshot", { headers: { authorization: `bearer ${TOKEN}` } });
  assert.equal(lower.status, 200);
  await lower.body?.cancel();
});

Deno.test("/health is open, and /metrics is open unless metrics auth is on", async () => {
  const status = async (app: ReturnType<typeof setup>["app"], path: string) => {
    const res = await app.request(path);
    await res.text();
    return res.status;
  };
  {
    using t = setup(false);
    assert.equal(await status(t.app, "/health"), 200);
    assert.equal(await status(t.app, "/metrics"), 200);
  }
  {
    using t = setup(true);
    assert.equal(await status(t.app, "/health"), 200);
    assert.equal(await status(t.app, "/metrics"), 401);
  }
});

Deno.test("tokensEqual compares whole digests without early exit", () => {
  const a = new Uint8Array(32).fill(7);
  assert.equal(tokensEqual(a, a.slice()), true);
  const lastDiffers = a.slice();
  lastDiffers[31] = 8;
  assert.equal(tokensEqual(a, lastDiffers), false);
  assert.equal(tokensEqual(a, a.slice(0, 31)), false);
});

Deno.test("each request logs one access line without the token or query string", async () => {
  using t = setup();
  const get = (path: string) =>
    t.server.fetch(new Request(`http://localhost${path}`, { headers: bearer(TOKEN) }));
  await (await get(`/snapshot?access_token=${TOKEN}`)).body?.cancel();
  await (await get("/history?limit=bad")).body?.cancel();
  const access = t.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
  assert.equal(access.length, 2);
  assert.equal(access[0].method, "GET");
  assert.equal(access[0].path, "/snapshot");
  assert.equal(access[0].status, 200);
  assert.equal(typeof access[0].duration_ms, "number");
  assert.equal(access[1].status, 400);
  assert.equal(t.lines.join("\n").includes(TOKEN), false);
});
