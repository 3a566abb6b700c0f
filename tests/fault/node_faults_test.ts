/**
 * Node faults under a real pgactive-server process (interval 500 ms, probe timeout 400 ms) on a
 * 2-node sandbox, node2 reached through the test's own TCP proxy: a hung node (SIGSTOP), a
 * blackhole (the proxy stops forwarding), a node restart. Each time: node2 is DOWN within one
 * cycle, node1 keeps its cadence, and (issue 12, defect 5) node2 is seen again within two
 * intervals once it answers, while it was only pinged, not fully reconnected, as it stayed away.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { assert } from "../sdk/assert.ts";
import { recordWatch, sandboxServer, type Seen, until } from "./processes.ts";
import { startTcpProxy } from "./tcp_proxy.ts";

const INTERVAL_MS = 500;

/** Time from `since` until the first snapshot where node2 is (or is not) DOWN. */
async function whenNode2(seen: Seen[], since: number, down: boolean): Promise<number> {
  let found: Seen | undefined;
  await until(`node2 ${down ? "" : "not "}DOWN`, () => {
    found = seen.find((s) => s.at >= since && (s.status.node2 === "DOWN") === down);
    return found !== undefined;
  }, 20_000);
  return found!.at - since;
}

/** node1 kept its cadence from `since`: no gap between snapshots much above the interval. */
function assertCadence(seen: Seen[], since: number, what: string): void {
  const window = seen.filter((s) => s.at >= since);
  const gaps = window.slice(1).map((s, i) => s.at - window[i]!.at);
  const worst = Math.max(0, ...gaps);
  // a cycle waits at most for the 400 ms probe timeout; 2 intervals of slack for a busy machine
  assert(worst < 3 * INTERVAL_MS + 400, `${what}: a ${worst} ms gap between snapshots`);
  assert(window.every((s) => s.status.node1 !== "DOWN"), `${what}: node1 went DOWN`);
}

Deno.test("fault: hung node, blackhole and restart; a returning node is seen within two intervals", async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  await using proxy = startTcpProxy(sb.node("node2").port);
  const work = await Deno.makeTempDir({ prefix: "pgactive-fault-nodes-" });
  try {
    await using server = await sandboxServer(sb, work, {
      name: "nodes",
      interval: `${INTERVAL_MS}ms`,
      via: { node2: proxy.port },
    });
    await server.start();
    await using watch = recordWatch(server.url);
    await until("both nodes up", () => watch.seen.some((s) => s.status.node2 !== "DOWN"));

    await t.step(
      "hung node (SIGSTOP): DOWN in one cycle; pinged while away; back in 2 intervals",
      async () => {
        const hungAt = Date.now();
        await sb.hangNode("node2");
        let resumed = false;
        try {
          const down = await whenNode2(watch.seen, hungAt, true);
          assert(down <= 2 * INTERVAL_MS + 400, `DOWN after ${down} ms`);
          // Long enough for the reconnect backoff to reach its 10 s cap.
          await new Promise((r) => setTimeout(r, 16_000));
          const before = { ...proxy.counts };
          await new Promise((r) => setTimeout(r, 5_000));
          const pings = proxy.counts.sslRequests - before.sslRequests;
          const startups = proxy.counts.startups - before.startups;
          assertCadence(watch.seen, hungAt, "while node2 hung");
          const resumedAt = Date.now();
          await sb.resumeNode("node2");
          resumed = true;
          const back = await whenNode2(watch.seen, resumedAt, false);
          console.log(
            `hung node: DOWN after ${down} ms, seen again ${back} ms after SIGCONT; ` +
              `in 5 s away: ${pings} pings, ${startups} full connection attempts`,
          );
          assert(back <= 2 * INTERVAL_MS + 500, `seen again after ${back} ms`);
          // 5 s at a 500 ms interval: a ping most cycles, at most one full attempt (10 s backoff)
          assert(pings >= 5, `pings in 5 s: ${pings}`);
          assert(startups <= 1, `full connection attempts in 5 s: ${startups}`);
        } finally {
          if (!resumed) await sb.resumeNode("node2");
        }
      },
    );

    await t.step(
      "blackhole (the proxy stops forwarding): DOWN in one cycle, back in 2 intervals",
      async () => {
        await until("node2 up", () => watch.seen.at(-1)?.status.node2 !== "DOWN");
        const cutAt = Date.now();
        proxy.mode = "blackhole";
        let down = -1;
        try {
          down = await whenNode2(watch.seen, cutAt, true);
          assert(down <= 2 * INTERVAL_MS + 400, `DOWN after ${down} ms`);
          await new Promise((r) => setTimeout(r, 8_000));
          assertCadence(watch.seen, cutAt, "while node2 was blackholed");
        } finally {
          proxy.mode = "forward";
        }
        const healedAt = Date.now();
        const back = await whenNode2(watch.seen, healedAt, false);
        console.log(
          `blackhole: DOWN after ${down} ms, seen again ${back} ms after forwarding again`,
        );
        assert(back <= 2 * INTERVAL_MS + 500, `seen again after ${back} ms`);
      },
    );

    await t.step(
      "node restart (fast): DOWN while stopped, back within 2 intervals of its start",
      async () => {
        await until("node2 up", () => watch.seen.at(-1)?.status.node2 !== "DOWN");
        const stoppedAt = Date.now();
        await sb.stopNode("node2", { mode: "fast" });
        await whenNode2(watch.seen, stoppedAt, true);
        await new Promise((r) => setTimeout(r, 6_000));
        assertCadence(watch.seen, stoppedAt, "while node2 was stopped");
        await sb.startNode("node2");
        const startedAt = Date.now();
        const back = await whenNode2(watch.seen, startedAt, false);
        console.log(`restart: seen again ${back} ms after the node accepted connections`);
        assert(back <= 2 * INTERVAL_MS + 500, `seen again after ${back} ms`);
      },
    );
    await server.signal("SIGTERM");
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
