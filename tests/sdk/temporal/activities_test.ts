/**
 * The activities in Temporal's MockActivityEnvironment (real activity Context: heartbeats,
 * cancellation, info) against the real lib/server API on a real port, fed snapshots by the test.
 */
import { DefaultFailureConverter, defaultPayloadConverter } from "@temporalio/common";
import { createReplicationActivities, FAILURE_TYPES } from "../../../lib/sdk/temporal/mod.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { makeSnapshot, startApi } from "../fixtures.ts";
import { refusedPort, startTargets, TOKEN } from "../targets.ts";
import { failsWith, mockEnv, run } from "./mock.ts";

Deno.test("getReplicationSnapshot equals the server's snapshot and survives the data converter", async () => {
  await using api = await startApi();
  const published = makeSnapshot(41, { status: { node2: "DEGRADED" } });
  api.publish(published);
  const { getReplicationSnapshot } = createReplicationActivities({ url: api.url });
  const snapshot = await run(mockEnv().env, getReplicationSnapshot);
  const raw = await (await fetch(`${api.url}/snapshot`)).json();
  assertEquals(snapshot, raw, "same as GET /snapshot");
  const payload = defaultPayloadConverter.toPayload(snapshot);
  assertEquals(defaultPayloadConverter.fromPayload(payload), snapshot, "round trip");
  assertEquals(snapshot.version, 41);
});

Deno.test("checkReplicationHealth gives the check verdict as data, failOn warn or crit", async () => {
  await using api = await startApi();
  const { checkReplicationHealth } = createReplicationActivities({ url: api.url });
  const { env } = mockEnv();
  api.publish(makeSnapshot(1));
  const ok = await run(env, checkReplicationHealth, {});
  assertEquals([ok.ok, ok.label, ok.exitCode, ok.problems], [true, "OK", 0, []]);
  api.publish(makeSnapshot(2, { status: { node2: "DEGRADED" }, reasons: { node2: ["lag 6 s"] } }));
  const warn = await run(env, checkReplicationHealth, { failOn: "warn" });
  assertEquals([warn.ok, warn.label, warn.exitCode], [false, "WARNING", 1]);
  assertEquals(warn.problems, ["node2 is DEGRADED: lag 6 s"]);
  assertEquals((await run(env, checkReplicationHealth, { failOn: "crit" })).ok, true);
  const scoped = await run(env, checkReplicationHealth, { nodes: ["node1", "node3"] });
  assertEquals([scoped.ok, Object.keys(scoped.nodes)], [true, ["node1", "node3"]]);
  api.publish(makeSnapshot(3, { status: { node1: "DOWN", node2: "DOWN", node3: "DOWN" } }));
  const unknown = await run(env, checkReplicationHealth, { failOn: "crit" });
  assertEquals([unknown.ok, unknown.label, unknown.exitCode], [false, "UNKNOWN", 3]);
  const bad = await failsWith(
    () => run(env, checkReplicationHealth, { nodes: ["node1", "node9"] }),
    FAILURE_TYPES.unknownNode,
    true,
  );
  assertMatch(bad.message, /Unknown node "node9": the cluster has node1, node2, node3/);
});

Deno.test("errors become ApplicationFailures: non-retryable unless the server is unreachable", async () => {
  await using running = await startTargets();
  const { url, stubUrl } = running.targets;
  const { env } = mockEnv();
  const snap = (options: Parameters<typeof createReplicationActivities>[0]) =>
    run(env, createReplicationActivities(options).getReplicationSnapshot);
  await failsWith(() => snap({ url }), FAILURE_TYPES.unauthorized, true);
  await failsWith(() => snap({ url, token: "wrong" }), FAILURE_TYPES.unauthorized, true);
  assertEquals((await snap({ url, token: TOKEN })).nodes.node1?.status, "HEALTHY");
  const down = await failsWith(
    () => snap({ url: `http://127.0.0.1:${refusedPort()}` }),
    FAILURE_TYPES.serverUnavailable,
    false,
  );
  assertMatch(down.message, /cannot reach pgactive-server at .*: connection refused/);
  // Temporal replaces a retried activity's last failure above 4 KB by "Failure exceeds size limit."
  const encoded = new DefaultFailureConverter().errorToFailure(down, defaultPayloadConverter);
  const size = JSON.stringify(encoded).length;
  // Stack frames carry the checkout path: keep a margin under the limit, not a path-sized one.
  assert(size < 3_072, `the retryable failure encodes to ${size} bytes`);
  await failsWith(() => snap({ url: `${stubUrl}/nope` }), FAILURE_TYPES.badUrl, true);
  await failsWith(() => snap({ url: `${stubUrl}/500` }), FAILURE_TYPES.serverUnavailable, false);
  const format = await failsWith(
    () => snap({ url: `${stubUrl}/bad-schema` }),
    FAILURE_TYPES.badResponse,
    true,
  );
  assert(Array.isArray((format.details?.[0] as { problems: unknown }).problems), "problems");
  await failsWith(
    () => snap({ url: `${stubUrl}/hang`, requestTimeoutMs: 200 }),
    FAILURE_TYPES.serverUnavailable,
    false,
  );
  const wait = createReplicationActivities({ url, token: TOKEN }).waitForReplicationCaughtUp;
  await failsWith(() => run(env, wait, { maxLagSeconds: -1 }), FAILURE_TYPES.invalidArgument, true);
  await failsWith(
    () => run(env, wait, { barrier: { node1: "not-an-lsn" } }),
    FAILURE_TYPES.invalidArgument,
    true,
  );
  await failsWith(
    () => run(env, createReplicationActivities({ url }).waitForReplicationCaughtUp, {}),
    FAILURE_TYPES.unauthorized,
    true,
  );
});

Deno.test("createReplicationActivities refuses a bad URL or a missing server at once", () => {
  for (const options of [{ url: "not a url" }, { url: "ftp://host/x" }, {}]) {
    let error: unknown = null;
    try {
      createReplicationActivities(options);
    } catch (err) {
      error = err;
    }
    assert(error instanceof TypeError, `TypeError for ${JSON.stringify(options)}`);
  }
});
