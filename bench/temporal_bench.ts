/**
 * The Temporal activities' cost, on real parts: a pgactive-server process on a 3-node sandbox mesh
 * (collector interval 500 ms), the Temporal CLI's dev server and the example worker under Node.
 *
 * 1. getReplicationSnapshot vs a direct `Client.getSnapshot()`: in-process (Temporal's
 *    MockActivityEnvironment: the activity wrapper alone) and through Temporal (the runbook's
 *    activity, scheduled -> completed and started -> completed, from the history's event times).
 * 2. From "caught up" on the server (arrival on a /watch stream of the first version that
 *    satisfies the barrier) to the wait activity returning: in-process, and through Temporal
 *    (its ActivityTaskCompleted event).
 *
 *   TEMPORAL_CLI=$(bash .ci/temporal.sh) deno run -A bench/temporal_bench.ts [--calls 200] [--runs 8]
 */
import { parseArgs } from "node:util";
import { Client } from "../lib/sdk/mod.ts";
import { createReplicationActivities } from "../lib/sdk/temporal/mod.ts";
import type { RunbookResult } from "../examples/temporal/workflows.ts";
import {
  followRaw,
  type Mesh,
  pollUntil,
  startMesh,
  startTemporal,
} from "../tests/sdk/temporal/harness.ts";
import { mockEnv, run } from "../tests/sdk/temporal/mock.ts";
import { startWorker } from "../tests/sdk/temporal/worker_process.ts";

const flags = parseArgs({
  args: Deno.args,
  options: { calls: { type: "string", default: "200" }, runs: { type: "string", default: "8" } },
}).values;
const CALLS = Number(flags.calls);
const RUNS = Number(flags.runs);
const QUEUE = "bench";

/** "p50 1.2 ms, p95 3.4 ms" of `xs` (ms). */
function stats(xs: number[]): { p50: number; p95: number; text: string } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const [p50, p95] = [at(0.5), at(0.95)];
  return { p50, p95, text: `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (n=${s.length})` };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Stalls node2 -> node3, writes a row, runs `wait`, resumes the link after `holdMs`. */
async function stalledWait<T>(mesh: Mesh, holdMs: number, wait: () => Promise<T>): Promise<T> {
  await mesh.sb.stallLink("node2", "node3");
  try {
    await mesh.sb.write("node2", 1);
    const pending = wait();
    await new Promise((r) => setTimeout(r, holdMs));
    await mesh.sb.resumeLink("node2", "node3");
    return await pending;
  } finally {
    await mesh.sb.resumeLink("node2", "node3");
  }
}

await using mesh = await startMesh("500ms");
const stopWatch = new AbortController();
const seen = new Map<number, number>(); // version -> arrival on a /watch stream (epoch ms)
followRaw(mesh.url, stopWatch.signal, (version, _json, at) => seen.set(version, at));
const client = new Client(mesh.url);
const acts = createReplicationActivities({ client });
const { env } = mockEnv({ heartbeatTimeoutMs: 10_000 });

// 1a. in-process: the activity wrapper over the direct call (interleaved, after a warm-up)
const direct: number[] = [];
const activity: number[] = [];
for (let i = 0; i < CALLS + 20; i++) {
  const d = await timed(() => client.getSnapshot());
  const a = await timed(() => run(env, acts.getReplicationSnapshot));
  if (i >= 20) [direct.push(d), activity.push(a)];
}
const dStats = stats(direct);
const aStats = stats(activity);
console.log(`direct Client.getSnapshot():              ${dStats.text}`);
console.log(`getReplicationSnapshot (mock activity):   ${aStats.text}`);
console.log(
  `  overhead of the activity wrapper:       ${(aStats.p50 - dStats.p50).toFixed(2)} ms p50`,
);

// 2a. in-process: caught up on the server -> the activity returns
const inProcess: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const result = await stalledWait(
    mesh,
    1_200,
    () => run(mockEnv().env, acts.waitForReplicationCaughtUp, { timeoutMs: 30_000 }),
  );
  const returned = Date.now();
  await pollUntil("the arrival of that version", () => seen.has(result.version), 2_000);
  inProcess.push(returned - seen.get(result.version)!);
}
console.log(`caught up on the server -> wait returns (in-process):       ${stats(inProcess).text}`);

// 1b + 2b. through Temporal: the example runbook on the Node worker
{
  await using temporal = await startTemporal();
  await using worker = await startWorker("node", {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: QUEUE,
    PGACTIVE_TOOLS_SERVER: mesh.url,
  });
  console.log(worker.output().split("\n").find((l) => l.includes("worker ready")));
  const t = temporal.client;
  let n = 0;
  const runbook = async (input: Record<string, unknown>) => {
    const id = `bench-${++n}`;
    await t.start(id, "upgradeRunbook", QUEUE, { node: "node1", failOn: "crit", ...input });
    const outcome = await t.result(id);
    if (outcome.status !== "COMPLETED") throw new Error(JSON.stringify(outcome.failure));
    return { id, result: outcome.result as RunbookResult, acts: await t.activities(id) };
  };
  const scheduledToDone: number[] = [];
  const startedToDone: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const { acts: history } = await runbook({});
    const snap = history.find((a) => a.type === "getReplicationSnapshot")!;
    if (i < 2) continue; // warm-up: the worker's first tasks
    scheduledToDone.push(snap.endedAt! - snap.scheduledAt!);
    startedToDone.push(snap.endedAt! - snap.startedAt!);
  }
  console.log(
    `getReplicationSnapshot via Temporal, scheduled -> completed: ${stats(scheduledToDone).text}`,
  );
  console.log(
    `getReplicationSnapshot via Temporal, started -> completed:   ${stats(startedToDone).text}`,
  );

  const viaTemporal: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { result, acts: history } = await stalledWait(mesh, 2_500, () => runbook({}));
    const wait = history.find((a) => a.type === "waitForReplicationCaughtUp")!;
    await pollUntil("the arrival of that version", () => seen.has(result.caughtUp.version), 2_000);
    viaTemporal.push(wait.endedAt! - seen.get(result.caughtUp.version)!);
  }
  console.log(
    `caught up on the server -> ActivityTaskCompleted (Temporal): ${stats(viaTemporal).text}`,
  );
}
stopWatch.abort();
