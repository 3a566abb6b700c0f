/**
 * SIGTERM mid-cycle: a real pgactive-server (interval 2 s, probe timeout 1.5 s) whose cycles each
 * wait 1.5 s on a hung sandbox node is stopped while a cycle is in flight. It ends the /watch
 * streams, lets the cycle finish and store its version, exits 0 well inside its 8 s deadline, and
 * the next run continues at exactly the next version.
 */
import { DatabaseSync } from "node:sqlite";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { recordWatch, sandboxServer, until, versionOf } from "./processes.ts";

Deno.test("fault: SIGTERM mid-cycle stops cleanly and loses no version", async () => {
  await using sb = await startSandbox({ nodes: 2 });
  const work = await Deno.makeTempDir({ prefix: "pgactive-fault-sigterm-" });
  try {
    await using server = await sandboxServer(sb, work, {
      name: "term",
      interval: "2s",
      probeTimeout: "1500ms",
      logLevel: "info",
    });
    await server.start();
    await sb.hangNode("node2");
    try {
      await using watch = recordWatch(server.url);
      await until("a cycle that waited on the hung node", () => {
        return watch.seen.some((s) => s.status.node2 === "DOWN" && s.cycleMs >= 1_400);
      }, 15_000);
      // A snapshot is published 1.5 s into its cycle; the next cycle starts 0.5 s later and waits
      // 1.5 s on node2: from 0.5 s to 2 s after a publication a cycle is in flight; aim mid-way.
      const published = watch.seen.length;
      await until("the next publication", () => watch.seen.length > published, 5_000);
      await new Promise((r) => setTimeout(r, 1_200));
      const lastSeen = watch.seen.at(-1)!.version;
      const started = performance.now();
      const code = await server.signal("SIGTERM");
      const took = performance.now() - started;
      assertEquals(code, 0, server.logs.slice(-5).join("\n"));
      assert(took < 5_000, `exit ${took.toFixed(0)} ms after SIGTERM (deadline 8 s)`);
      const msgs = server.logs.map((l) => JSON.parse(l).msg as string);
      assert(msgs.includes("shutting down") && msgs.at(-1) === "stopped", msgs.join(", "));
      assert(!msgs.includes("shutdown overran its deadline, exiting"));
      const db = new DatabaseSync(`${work}/term/state.db`, { readOnly: true });
      const stored = db.prepare("SELECT max(version) AS v FROM cycles").get()?.v as number;
      db.close();
      assertEquals(stored, lastSeen + 1, "the cycle in flight finished and was stored");
      console.log(
        `SIGTERM mid-cycle: exit 0 after ${took.toFixed(0)} ms, version ${stored} stored`,
      );
      await server.start();
      assertEquals(await versionOf(server.url), stored + 1, "the next run continues at +1");
    } finally {
      await sb.resumeNode("node2");
    }
    await server.signal("SIGTERM");
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
