/** Server settings of the instances: the library search order, against a real 2-node sandbox. */
import assert from "node:assert/strict";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { serverSettings } from "../../lib/sandbox/instance.ts";
import { pollUntil, shell } from "../../lib/sandbox/process.ts";

Deno.test("dynamic_library_path lists the sandbox's folders first and $libdir last", () => {
  const conf = serverSettings(2, { sockDir: "/s/sock", libDirs: ["/s/lib", "/extra"] });
  assert.match(conf, /^dynamic_library_path = '\/s\/lib:\/extra:\$libdir'$/m);
});

Deno.test("invalid extra library directories are rejected before anything starts", async () => {
  for (const dir of ["relative/dir", "/a:b", "/it's"]) {
    await assert.rejects(startSandbox({ nodes: 1, extraLibraryDirs: [dir] }), RangeError);
  }
});

Deno.test(
  "a broken pgactive.so found after the sandbox's own folder is never loaded: replication works",
  async () => {
    // a world-readable directory holding a "pgactive.so" that cannot be loaded (random bytes),
    // standing in for a real pgactive in $libdir
    const decoyDir = (await shell(
      `d=$(mktemp -d) && head -c 8192 /dev/urandom > "$d/pgactive.so" && chmod 755 "$d" &&
       chmod 644 "$d/pgactive.so" && echo "$d"`,
    )).trim();
    try {
      await using sb = await startSandbox({ nodes: 2, extraLibraryDirs: [decoyDir] });
      const [path] = await sb.query("node1", `SELECT current_setting('dynamic_library_path') AS p`);
      assert.equal(path!.p, `${sb.directory}/lib:${decoyDir}:$libdir`);
      // the decoy really fails to load: had the search found it first, the slots would fail
      await assert.rejects(
        sb.query("node1", `LOAD '${decoyDir}/pgactive.so'`),
        /could not load library|invalid ELF header|file too short/,
      );
      const [slot] = await sb.query(
        "node1",
        `SELECT s.plugin, s.active, r.state FROM pg_replication_slots s
         JOIN pg_stat_replication r ON r.pid = s.active_pid`,
      );
      assert.deepEqual(slot, { plugin: "pgactive", active: true, state: "streaming" });
      const [ins] = await sb.query(
        "node1",
        `INSERT INTO sandbox_node1 (payload) VALUES ('past the decoy') RETURNING id`,
      );
      await pollUntil("the row on node2", async () => {
        const rows = await sb.query("node2", `SELECT payload FROM sandbox_node1 WHERE id = $1`, [
          ins!.id,
        ]);
        return rows[0]?.payload === "past the decoy";
      }, { timeoutMs: 10_000 });
    } finally {
      await shell(`rm -rf "$1"`, [decoyDir]);
    }
  },
);
