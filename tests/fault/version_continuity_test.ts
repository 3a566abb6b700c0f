/**
 * Issue 12, defect 1 and the restart faults: versions are never reused, whatever the store's state,
 * and `pgactive-tools watch` across a server restart never goes quiet. Real pgactive-server and
 * CLI processes against a 2-node sandbox; the full disk is a 4 MB tmpfs under the store.
 */
import { DatabaseSync } from "node:sqlite";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import {
  getJson,
  type Printed,
  sandboxServer,
  startWatched,
  until,
  versionOf,
} from "./processes.ts";
import { mountTmpfs } from "./tmpfs.ts";

/** Strictly increasing, or the index where it is not. */
function firstRepeat(printed: Printed[]): number {
  return printed.findIndex((p, i) => i > 0 && p.version <= printed[i - 1]!.version);
}

function stored(path: string, fn: "min" | "max"): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare(`SELECT ${fn}(version) AS v FROM cycles`).get()?.v as number | null) ?? 0;
  } finally {
    db.close();
  }
}

function storedMax(path: string): number {
  return stored(path, "max");
}

Deno.test("fault: version continuity across restarts, full disk and lost history", async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  const work = await Deno.makeTempDir({ prefix: "pgactive-fault-versions-" });
  try {
    await t.step(
      "full disk under the store: no version reused, the watcher never goes quiet",
      async () => {
        const disk = await mountTmpfs(4 * 1024 * 1024);
        if (typeof disk === "string") {
          console.warn(`SKIPPED (cannot mount a tmpfs here): ${disk}`);
          return;
        }
        await using _disk = disk;
        const db = `${disk.dir}/state.db`;
        await using server = await sandboxServer(sb, work, { name: "full", databasePath: db });
        await using watch = await startWatched(server, work);
        await disk.fill();
        await until("store writes failing", async () => {
          const health = await getJson(server.url, "/health");
          return (health.store_write_errors as number) >= 5;
        });
        assertEquals(await server.signal("SIGTERM"), 0);
        const before = watch.printed.length;
        const lastShown = watch.printed.at(-1)!.version;
        const stored = storedMax(db);
        assert(stored < lastShown - 3, `history stopped at ${stored}, published ${lastShown}`);

        await server.start(); // the disk is still full
        const restartedAt = Date.now();
        await until("5 new versions printed after the restart", () => {
          return watch.printed.length >= before + 5;
        });
        const after = watch.printed.slice(before);
        assert(after[0]!.version > lastShown, `reused: ${after[0]!.version} after ${lastShown}`);
        assert(
          after[0]!.version <= lastShown + 3,
          `continuity: ${lastShown} -> ${after[0]!.version}`,
        );
        assert(after[0]!.at - restartedAt < 5_000, "the watcher printed within 5 s of the restart");
        assertEquals(firstRepeat(watch.printed), -1, "strictly increasing");
        assertEquals(await server.signal("SIGTERM"), 0);
        assert(
          server.logs.some((l) => l.includes("Store write failed")),
          "the failed writes were logged",
        );
      },
    );

    await t.step("kill -9 of the server: the next run continues at the next version", async () => {
      const db = `${work}/kill/state.db`;
      await using server = await sandboxServer(sb, work, { name: "kill", databasePath: db });
      await using watch = await startWatched(server, work, 5);
      await server.signal("SIGKILL");
      const before = watch.printed.length;
      const published = Math.max(storedMax(db), watch.printed.at(-1)!.version);
      await server.start();
      const first = await versionOf(server.url);
      assert(first > published && first <= published + 2, `${published} -> ${first}`);
      await until("the watcher to follow the new run", () => watch.printed.length >= before + 3);
      assertEquals(firstRepeat(watch.printed), -1, "strictly increasing");
      await server.signal("SIGTERM");
    });

    await t.step("a server that lost its history: the watcher says so and follows it", async () => {
      const dir = `${work}/lost`;
      await using server = await sandboxServer(sb, work, { name: "lost" });
      await using watch = await startWatched(server, work, 10);
      await server.signal("SIGTERM");
      const before = watch.printed.length;
      await Deno.remove(dir, { recursive: true }); // history and version lease gone
      await server.start();
      await until("3 versions of the new run printed", () => watch.printed.length >= before + 3);
      // The new run counts from 1 (its own history starts there); how far it has got when the
      // watcher reconnects depends on the reconnect delay, so that is not asserted.
      assertEquals(stored(`${dir}/state.db`, "min"), 1, "the new run counts from 1");
      const after = watch.printed.slice(before);
      assert(after[0]!.version <= storedMax(`${dir}/state.db`), "the watcher prints the new run");
      assert(
        watch.stderr.some((l) => /restarted; following its new run/.test(l)),
        watch.stderr.join("\n"),
      );
      await server.signal("SIGTERM");
    });
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
