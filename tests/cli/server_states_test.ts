/**
 * The CLI in-process against the real lib/server API in other states: no snapshot yet (503),
 * bearer-token authentication, and a terminal for watch.
 */
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { makeSnapshot, startApi } from "../sdk/fixtures.ts";
import { cli } from "./in_process.ts";

Deno.test("a server without a snapshot yet: check is 3, wait waits for the first one", async () => {
  await using api = await startApi();
  const server = ["--server", api.url];
  const check = await cli(["check", ...server]);
  assertEquals(check.code, 3);
  assertMatch(check.stderr, /answered 503 Service Unavailable for \/snapshot: No snapshot yet/);
  const pending = cli(["wait", ...server, "--timeout", "10s"]);
  await new Promise((r) => setTimeout(r, 100));
  // The first snapshot may come from a cycle that began before the wait: two more are needed.
  for (const v of [1, 2, 3]) {
    api.publish(makeSnapshot(v));
    await new Promise((r) => setTimeout(r, 50));
  }
  const wait = await pending;
  assertEquals(wait.code, 0, wait.stderr);
  assertMatch(wait.stderr, /answered 503 .*; waiting\n/);
});

Deno.test("watch on a terminal redraws in place", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(7, { status: { node1: "DEGRADED" } }));
  const r = await cli(["watch", "--server", api.url, "--count", "1"], { isTTY: true });
  assertEquals(r.code, 0);
  assert(r.stdout.startsWith("\x1b[H\x1b[2J"), "clears and homes the cursor");
  assertMatch(r.stdout, /Cluster .*DEGRADED.* - version 7/);
  assertMatch(r.stdout, /Following http:\/\/127\.0\.0\.1:\d+; Ctrl-C to stop\n$/);
});

Deno.test("a server with a token: 401 is exit 3 with a hint; --token and the env var work", async () => {
  await using api = await startApi({ token: "Tok-123-secret" });
  api.publish(makeSnapshot(1));
  const server = ["--server", api.url];
  const denied = await cli(["check", ...server]);
  assertEquals(denied.code, 3);
  assertMatch(
    denied.stderr,
    /answered 401 Unauthorized for \/snapshot: .*; pass --token or set PGACTIVE_TOOLS_TOKEN\n$/,
  );
  assertEquals((await cli(["check", ...server, "--token", "Tok-123-secret"])).code, 0);
  const env = await cli(["check", ...server], { env: { PGACTIVE_TOOLS_TOKEN: "Tok-123-secret" } });
  assertEquals(env.code, 0);
  const wrong = await cli(["check", ...server, "--token", "Wrong-Tok-999"]);
  assert(!wrong.stderr.includes("Wrong-Tok-999"), "token never printed");
});
