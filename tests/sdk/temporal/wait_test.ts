/**
 * waitForReplicationCaughtUp in Temporal's MockActivityEnvironment against the real lib/server API:
 * heartbeats, the barrier, the typed timeout, resuming from heartbeat details, cancellation.
 */
import { CancelledFailure } from "@temporalio/common";
import {
  type CaughtUpProgress,
  createReplicationActivities,
  FAILURE_TYPES,
} from "../../../lib/sdk/temporal/mod.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../assert.ts";
import { makeSnapshot, startApi, until } from "../fixtures.ts";
import { refusedPort } from "../targets.ts";
import { failsWith, mockEnv, run } from "./mock.ts";

const LAGGING = { lag: { "node1->node2": 4 } };
const POSITIONS = { node1: "0/3000060", node2: "0/3000060", node3: "0/3000060" };

/** A heartbeat log of one mock environment. */
function beats(env: ReturnType<typeof mockEnv>["env"]): CaughtUpProgress[] {
  const seen: CaughtUpProgress[] = [];
  env.on("heartbeat", (d: CaughtUpProgress) => seen.push(d));
  return seen;
}

Deno.test("the wait heartbeats version, blocking links and worst lag, then returns at the barrier", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1, LAGGING));
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({
    url: api.url,
    heartbeatIntervalMs: 50,
  });
  const { env } = mockEnv({ heartbeatTimeoutMs: 1_000 });
  const seen = beats(env);
  const pending = run(env, wait, { timeoutMs: 10_000 });
  await until("version 1 judged", () => seen.some((b) => b.version === 1));
  assertMatch(seen.at(-1)!.blocking[0]!, /waiting for a snapshot collected after the wait began/);
  api.publish(makeSnapshot(2, LAGGING));
  api.publish(makeSnapshot(3, LAGGING));
  await until("version 3 judged", () => seen.some((b) => b.version === 3));
  const at3 = seen.find((b) => b.version === 3)!;
  assertEquals([at3.caughtUp, at3.worstLagSeconds, at3.barrier], [false, 4, POSITIONS]);
  assertMatch(at3.blocking.join(), /^node1 -> node2: 3355443 B committed on node1 not applied/);
  const before = seen.length;
  await new Promise((r) => setTimeout(r, 300));
  assert(seen.length - before >= 4, `${seen.length - before} heartbeats in 300 ms at 50 ms`);
  api.publish(makeSnapshot(4));
  const result = await pending;
  assertEquals(
    [result.version, result.barrier, result.attempt, result.resumedFrom],
    [4, POSITIONS, 1, null],
  );
  assertEquals(seen.at(-1)!.caughtUp, true);
});

Deno.test("not caught up in time: PgactiveNotCaughtUp carries the blocking links", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1, LAGGING));
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({ url: api.url });
  const { env } = mockEnv();
  const pending = run(env, wait, { timeoutMs: 400, nodes: ["node1", "node2"] });
  setTimeout(() => [2, 3].forEach((v) => api.publish(makeSnapshot(v, LAGGING))), 100);
  const failure = await failsWith(() => pending, FAILURE_TYPES.notCaughtUp, true);
  const details = failure.details?.[0] as CaughtUpProgress;
  assertEquals([details.version, details.barrier], [3, POSITIONS]);
  assertMatch(details.blocking.join(), /node1 -> node2: .* not applied/);
  assertMatch(failure.message, /^Replication not caught up after 400 ms \(version 3\): node1 -> /);
});

Deno.test("a retry resumes from the heartbeat details: same barrier, same deadline", async () => {
  await using api = await startApi();
  // node1 -> node2 lags on commits made AFTER the first attempt's barrier (0/2000000)
  api.publish(makeSnapshot(9, LAGGING));
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({ url: api.url });
  const startedAt = new Date(Date.now() - 1_500).toISOString();
  const details = {
    version: 8,
    caughtUp: false,
    blocking: ["node1 -> node2: 96 B committed on node1 not applied"],
    worstLagSeconds: 2,
    barrier: { node1: "0/2000000", node2: "0/2000000", node3: "0/2000000" },
    startedAt,
    attempt: 1,
    serverError: null,
  };
  const { env, logs } = mockEnv({ attempt: 2, heartbeatDetails: details });
  const result = await run(env, wait, { timeoutMs: 10_000 });
  assertEquals([result.version, result.attempt, result.barrier], [9, 2, details.barrier]);
  assertEquals(result.resumedFrom, { attempt: 1, version: 8, barrier: true });
  assert(result.waitedMs >= 1_500, `waited ${result.waitedMs} ms counts the first attempt`);
  assertMatch(logs.join("\n"), /resuming the caught-up wait from heartbeat details/);

  const late = mockEnv({ attempt: 3, heartbeatDetails: { ...details, barrier: null } }).env;
  const started = Date.now();
  const failure = await failsWith(
    () => run(late, wait, { timeoutMs: 1_000 }),
    FAILURE_TYPES.notCaughtUp,
    true,
  );
  assert(Date.now() - started < 500, "the deadline counted from the first attempt had passed");
  assertMatch(failure.message, /96 B committed on node1 not applied/);
});

Deno.test("cancelling the activity aborts the watch request at once", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1, LAGGING));
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({ url: api.url });
  const { env } = mockEnv({ heartbeatTimeoutMs: 60_000 });
  const seen = beats(env);
  const pending = run(env, wait, {});
  await until("watching", () => seen.some((b) => b.version === 1) && api.hub.subscriberCount === 1);
  const started = Date.now();
  env.cancel();
  await assertRejects(() => pending, CancelledFailure);
  const took = Date.now() - started;
  assert(took < 100, `stopped ${took} ms after cancellation`);
  await until("the server saw the watch end", () => api.hub.subscriberCount === 0, 1_000);
});

Deno.test("an unreachable server fails the wait retryably after maxUnreachableMs", async () => {
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({
    url: `http://127.0.0.1:${refusedPort()}`,
    maxUnreachableMs: 300,
  });
  const { env } = mockEnv();
  const seen = beats(env);
  const failure = await failsWith(
    () => run(env, wait, {}),
    FAILURE_TYPES.serverUnavailable,
    false,
  );
  assertMatch(failure.message, /connection refused/);
  assertMatch(seen.at(-1)?.serverError ?? "", /connection refused/);
});

Deno.test("a node name the cluster lacks fails the wait at once, non-retryable", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1));
  const { waitForReplicationCaughtUp: wait } = createReplicationActivities({ url: api.url });
  const failure = await failsWith(
    () => run(mockEnv().env, wait, { nodes: ["node1", "nodeX"] }),
    FAILURE_TYPES.unknownNode,
    true,
  );
  assertEquals(failure.details, [{
    unknown: ["nodeX"],
    known: ["node1", "node2", "node3"],
  }]);
});
