/**
 * The example upgrade runbook on REAL parts: the Temporal CLI's dev server (TEMPORAL_CLI, built by
 * .ci/temporal.sh), the example worker as a Node 20 process, a pgactive-server process collecting
 * from a 3-node sandbox mesh of real PostgreSQL. Fails (never skips) when TEMPORAL_CLI is missing.
 */
import type { CaughtUpProgress, CaughtUpResult } from "../../../lib/sdk/temporal/mod.ts";
import type { RunbookInput, RunbookResult } from "../../../examples/temporal/workflows.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { followRaw, pollUntil, startMesh, startTemporal } from "./harness.ts";
import { startWorker, type WorkerProcess } from "./worker_process.ts";
import type { Failure } from "./cli_client.ts";
import { refusedPort } from "../targets.ts";

const QUEUE = "runbook-e2e";
const RUNBOOK = ["checkReplicationHealth", "getReplicationSnapshot", "drainWrites"];

Deno.test("the upgrade runbook on a real Temporal server, Node worker, pgactive-server", async (t) => {
  await using temporal = await startTemporal();
  await using mesh = await startMesh();
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: QUEUE,
    PGACTIVE_TOOLS_SERVER: mesh.url,
  };
  let worker: WorkerProcess = await startWorker("node", env);
  const client = temporal.client;
  let n = 0;
  const start = async (input: RunbookInput, queue = QUEUE) => {
    const id = `runbook-${++n}-${Date.now()}`;
    await client.start(id, "upgradeRunbook", queue, input);
    return id;
  };
  /** The wait activity's attempt and heartbeat details, once it has heartbeated. */
  const pendingWait = async (id: string) => {
    const wait = (await client.pending(id)).find((p) => p.type === "waitForReplicationCaughtUp");
    if (!wait?.heartbeat) return null;
    return { attempt: wait.attempt, details: wait.heartbeat as CaughtUpProgress };
  };
  try {
    assertMatch(worker.output(), /worker ready on task queue runbook-e2e \(node v?20\./);

    await t.step("healthy mesh: the runbook completes; the snapshot equals /snapshot", async () => {
      const stopWatch = new AbortController();
      const raw = new Map<number, unknown>();
      followRaw(mesh.url, stopWatch.signal, (version, json) => raw.set(version, json));
      try {
        const id = await start({ node: "node1", caughtUpTimeoutMs: 30_000 });
        const outcome = await client.result(id);
        assertEquals(outcome.status, "COMPLETED", JSON.stringify(outcome.failure));
        const result = outcome.result as RunbookResult;
        assertEquals([result.health.label, result.switchedTo], ["OK", "node2"]);
        assertEquals(Object.keys(result.caughtUp.barrier).sort(), ["node1", "node2", "node3"]);
        assertEquals([result.caughtUp.attempt, result.caughtUp.resumedFrom], [1, null]);
        const acts = await client.activities(id);
        assertEquals(acts.map((a) => a.type), [
          ...RUNBOOK,
          "waitForReplicationCaughtUp",
          "switchTraffic",
        ]);
        const snapshot = acts[1]!.result as { version: number };
        assertEquals(snapshot.version, result.snapshotVersion);
        await pollUntil("the raw event of that version", () => raw.has(snapshot.version), 5_000);
        assertEquals(snapshot, raw.get(snapshot.version), "activity result vs /watch JSON");
      } finally {
        stopWatch.abort();
      }
    });

    await t.step(
      "pgactive-server unreachable: a retryable failure, kept for the retry",
      async () => {
        const url = `http://127.0.0.1:${refusedPort()}`;
        const queue = "unreachable";
        await using _lost = await startWorker("node", {
          ...env,
          TEMPORAL_TASK_QUEUE: queue,
          PGACTIVE_TOOLS_SERVER: url,
        });
        const id = await start({ node: "node1" }, queue);
        let failure: Failure | null = null;
        await pollUntil("a retry of the health check", async () => {
          const p = (await client.pending(id)).find((a) => a.type === "checkReplicationHealth");
          failure = p && p.attempt >= 2 ? p.lastFailure : null;
          return failure !== null;
        });
        const info = failure!.applicationFailureInfo;
        assertEquals([info?.type, info?.nonRetryable ?? false], [
          "PgactiveServerUnavailable",
          false,
        ]);
        assertMatch(failure!.message, /^cannot reach pgactive-server at .*: connection refused$/);
        await client.cancel(id);
        assertEquals((await client.result(id)).status, "CANCELED");
      },
    );

    await mesh.sb.stallLink("node2", "node3");
    await mesh.sb.write("node2", 1);

    await t.step("a stalled link: fails with PgactiveNotCaughtUp after its timeout", async () => {
      const started = Date.now();
      const id = await start({ node: "node1", failOn: "crit", caughtUpTimeoutMs: 3_000 });
      const { status, failure } = await client.result(id);
      const took = Date.now() - started;
      assertEquals(status, "FAILED");
      const info = failure?.cause?.applicationFailureInfo;
      assertEquals([info?.type, info?.nonRetryable], ["PgactiveNotCaughtUp", true]);
      const details = info?.details?.[0] as CaughtUpProgress;
      assertMatch(
        details.blocking.join("; "),
        /node2 -> node3: \d+ B committed on node2 not applied/,
      );
      assert(took >= 3_000 && took < 10_000, `failed after ${took} ms`);
      const acts = await client.activities(id);
      assertEquals(acts.map((a) => a.type).slice(-2), [
        "waitForReplicationCaughtUp",
        "restoreWrites",
      ]);
      assertEquals(acts.at(-2)!.attempt, 1, "not retried: the deadline is the caller's");
    });

    await t.step("cancelled from the client: the wait stops within one heartbeat", async () => {
      // Temporal's worker sends heartbeats at most every 80% of this (2.4 s): the cancellation
      // arrives in the answer to one, the activity stops at once (see wait_test.ts).
      const heartbeatTimeoutMs = 3_000;
      const id = await start({ node: "node1", failOn: "crit", heartbeatTimeoutMs });
      await pollUntil("the wait heartbeating", async () => (await pendingWait(id)) !== null);
      await client.cancel(id);
      const { status } = await client.result(id);
      assertEquals(status, "CANCELED");
      const acts = await client.activities(id);
      const wait = acts.find((a) => a.type === "waitForReplicationCaughtUp")!;
      assertEquals(wait.outcome, "canceled");
      const stoppedMs = wait.endedAt! - wait.cancelRequestedAt!;
      assert(stoppedMs <= heartbeatTimeoutMs, `stopped ${stoppedMs} ms after the request`);
      assertEquals(acts.at(-1)!.type, "restoreWrites");
      console.log(`cancel -> activity stopped: ${stoppedMs} ms (heartbeat timeout 3000 ms)`);
    });

    await t.step("the worker killed mid-wait: the retry resumes from its heartbeat", async () => {
      const id = await start({ node: "node1", failOn: "crit", heartbeatTimeoutMs: 2_000 });
      let first: CaughtUpProgress | null = null;
      await pollUntil("a barrier in the heartbeat", async () => {
        first = (await pendingWait(id))?.details ?? null;
        return first?.barrier != null;
      });
      await worker.stop("SIGKILL");
      worker = await startWorker("node", env);
      let second: CaughtUpProgress | null = null;
      await pollUntil("attempt 2 heartbeating", async () => {
        const p = await pendingWait(id);
        second = p?.attempt === 2 && p.details.attempt === 2 ? p.details : null;
        return second !== null;
      }, 30_000);
      assertEquals([second!.barrier, second!.startedAt], [first!.barrier, first!.startedAt]);
      await mesh.sb.resumeLink("node2", "node3");
      const outcome = await client.result(id);
      assertEquals(outcome.status, "COMPLETED", JSON.stringify(outcome.failure));
      const caughtUp: CaughtUpResult = (outcome.result as RunbookResult).caughtUp;
      assertEquals([caughtUp.attempt, caughtUp.resumedFrom?.barrier], [2, true]);
      assertEquals(caughtUp.barrier, first!.barrier);
      const wait = (await client.activities(id)).find((a) =>
        a.type === "waitForReplicationCaughtUp"
      )!;
      assertEquals([wait.attempt, wait.outcome], [2, "completed"]);
      const timeout = wait.lastFailure?.timeoutFailureInfo?.timeoutType;
      assertEquals(
        timeout,
        "TIMEOUT_TYPE_HEARTBEAT",
        "history: the retry follows a heartbeat timeout",
      );
    });

    await t.step("the same worker runs under Deno: the runbook completes", async () => {
      await using denoWorker = await startWorker("deno", { ...env, TEMPORAL_TASK_QUEUE: "deno" });
      await pollUntil("a HEALTHY mesh again", async () => {
        return (await (await fetch(`${mesh.url}/snapshot`)).json()).status === "HEALTHY";
      });
      assertMatch(denoWorker.output(), /worker ready on task queue deno \(deno 2\./);
      const outcome = await client.result(await start({ node: "node3" }, "deno"));
      assertEquals(outcome.status, "COMPLETED", JSON.stringify(outcome.failure));
      assertEquals((outcome.result as RunbookResult).switchedTo, "node1");
    });
  } finally {
    await mesh.sb.resumeLink("node2", "node3").catch(() => {});
    await worker.stop();
  }
});
