/** withAccessLog's modes with a clock: what a line stands for, and that errors are never sampled. */
import assert from "node:assert/strict";
import { withAccessLog } from "../../lib/server/access_log.ts";
import { createLogger } from "../../lib/telemetry/mod.ts";

function harness(mode: "all" | "sampled" | "errors") {
  const lines: Record<string, unknown>[] = [];
  let t = 0;
  const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
  const fetch = withAccessLog(
    (req) => new Response(null, { status: new URL(req.url).pathname === "/nope" ? 404 : 200 }),
    logger,
    { mode, now: () => t },
  );
  const get = async (path: string, times = 1) => {
    for (let i = 0; i < times; i++) await fetch(new Request(`http://x${path}?token=abc`));
  };
  return { lines, get, advance: (ms: number) => void (t += ms) };
}

Deno.test("sampled: one line per probe path per minute with a count; every other request and every error a line", async () => {
  const h = harness("sampled");
  await h.get("/health", 100);
  await h.get("/metrics", 3);
  h.advance(59_999);
  await h.get("/health");
  h.advance(1);
  await h.get("/health"); // a minute after the first line: stands for 100 requests
  await h.get("/snapshot", 2);
  await h.get("/nope", 2);
  const summary = h.lines.map((l) => `${l.path} ${l.status} ${l.count ?? 1}`);
  assert.deepEqual(summary, [
    "/health 200 1",
    "/metrics 200 1",
    "/health 200 101",
    "/snapshot 200 1",
    "/snapshot 200 1",
    "/nope 404 1",
    "/nope 404 1",
  ]);
  assert.ok(h.lines.every((l) => l.msg === "request" && !JSON.stringify(l).includes("token")));
});

Deno.test("errors logs only answers of 400 and above; all logs every request", async () => {
  const errors = harness("errors");
  await errors.get("/health", 5);
  await errors.get("/snapshot");
  await errors.get("/nope");
  assert.deepEqual(errors.lines.map((l) => l.path), ["/nope"]);
  const all = harness("all");
  await all.get("/health", 5);
  assert.equal(all.lines.length, 5);
});
