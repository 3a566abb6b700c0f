/**
 * The CLI in-process (`run`) against the real lib/server API on a real port, fed with snapshots
 * the test publishes: every command in table and JSON form, and the exit code of each situation.
 */
import { cli } from "./in_process.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { makeSnapshot, type SnapshotOptions, startApi } from "../sdk/fixtures.ts";
import { refusedPort } from "../sdk/targets.ts";

const LAG_WARN = "link node1 -> node2: lag 6.0 s >= warn 5 s";
const LAG_CRIT = "link node1 -> node3: lag 17.0 s >= crit 15 s";

Deno.test("CLI commands against a live server", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-cli-" });
  await using api = await startApi();
  let version = 0;
  const publish = (opts: SnapshotOptions = {}): Snapshot => {
    const s = makeSnapshot(++version, opts);
    api.publish(s);
    return s;
  };
  const config = `${dir}/tools.yaml`;
  await Deno.writeTextFile(
    config,
    `collector:\n  nodes:\n    - name: node1\n      dsn: postgres://mon:Zebra-Pass-42@127.0.0.1:1/app\n` +
      `thresholds:\n  conflicts_warn: 2/min\nserver:\n  listen: "127.0.0.1:${api.port}"\n`,
  );
  const base = ["--config", config];
  try {
    await t.step("the server URL comes from server.listen in the config", async () => {
      publish();
      const r = await cli(["check", ...base]);
      assertEquals(r, {
        code: 0,
        stdout: "PGACTIVE OK - 3 nodes: 3 healthy" +
          " | lag_seconds=0s lag_bytes=0B conflicts_per_minute=1.5 nodes_down=0\n",
        stderr: "",
      });
    });

    await t.step("lag shows nodes and links in 80 columns and exits 0 when healthy", async () => {
      const r = await cli(["lag", ...base]);
      assertEquals(r.code, 0);
      assertMatch(r.stdout, /^Cluster HEALTHY - version \d+, collected/);
      assertMatch(r.stdout, /node1 -> node2\s+active\s+0 s\s+0 B\s+0\s+0 s\s+caught-up/);
      for (const line of r.stdout.split("\n")) assert(line.length <= 80, `too wide: ${line}`);
      assert(!r.stdout.includes("\x1b["), "no colour when not a TTY");
    });

    await t.step(
      "a DEGRADED node: explicit reason line, exit 0, 1 with --fail-on-warn",
      async () => {
        publish({
          status: { node2: "DEGRADED" },
          reasons: { node2: [LAG_WARN] },
          lag: { "node1->node2": 6 },
        });
        const r = await cli(["lag", ...base]);
        assertEquals(r.code, 0);
        assert(r.stdout.includes(`node2 is DEGRADED: ${LAG_WARN}`), r.stdout);
        assertMatch(
          r.stdout,
          /node1 -> node2\s+active\s+6\.0 s\s+3\.2 MiB\s+12\s+2\.5 s\s+commit-ts/,
        );
        assertEquals((await cli(["lag", ...base, "--fail-on-warn"])).code, 1);
        assertEquals((await cli(["lag", ...base, "--fail-on-crit"])).code, 0);
        const check = await cli(["check", ...base]);
        assertEquals(
          check.stdout,
          `PGACTIVE WARNING - 3 nodes: 2 healthy, 1 degraded (node2: ${LAG_WARN})` +
            " | lag_seconds=6s lag_bytes=3355443B conflicts_per_minute=1.5 nodes_down=0\n",
        );
        assertEquals(check.code, 1);
      },
    );

    await t.step(
      "a CRITICAL node is exit 2 for check, --fail-on-warn and --fail-on-crit",
      async () => {
        publish({
          status: { node3: "CRITICAL" },
          reasons: { node3: [LAG_CRIT] },
          lag: { "node1->node3": 17 },
        });
        const check = await cli(["check", ...base]);
        assertEquals(check.code, 2);
        assertEquals(
          check.stdout,
          `PGACTIVE CRITICAL - 3 nodes: 2 healthy, 1 critical (node3: ${LAG_CRIT})` +
            " | lag_seconds=17s lag_bytes=3355443B conflicts_per_minute=1.5 nodes_down=0\n",
        );
        assertEquals((await cli(["status", ...base, "--fail-on-crit"])).code, 2);
        assertEquals((await cli(["conflicts", ...base, "--fail-on-warn"])).code, 2);
      },
    );

    await t.step("a DOWN node is 2; every node DOWN is UNKNOWN (3)", async () => {
      publish({ status: { node1: "DOWN" } });
      assertEquals((await cli(["check", ...base])).code, 2);
      const status = await cli(["status", ...base]);
      assertMatch(status.stdout, /node1 is DOWN: node1 is DOWN here/);
      publish({ status: { node1: "DOWN", node2: "DOWN", node3: "DOWN" } });
      const all = await cli(["check", ...base]);
      assertEquals(all.code, 3);
      assertMatch(all.stdout, /^PGACTIVE UNKNOWN - 3 nodes: 3 down/);
    });

    await t.step(
      "JSON: status is the snapshot, lag and check are documented projections",
      async () => {
        const snap = publish({ status: { node2: "DEGRADED" }, lag: { "node1->node2": 6 } });
        const status = await cli(["status", ...base, "--format", "json"]);
        assertEquals(JSON.parse(status.stdout), snap);
        const lag = JSON.parse((await cli(["lag", ...base, "--format", "json"])).stdout);
        assertEquals(Object.keys(lag), ["version", "collected_at", "status", "nodes", "links"]);
        assertEquals(lag.nodes.node2, {
          status: "DEGRADED",
          reasons: ["node2 is DEGRADED here"],
          lag_seconds: 6,
          lag_bytes: 0,
          lag_xid: 0,
          walsender_active: true,
        });
        assertEquals(lag.links, snap.links);
        const check = await cli(["check", ...base, "--format", "json"]);
        assertEquals(check.code, 1);
        const doc = JSON.parse(check.stdout);
        assertEquals([doc.label, doc.exit_code, doc.version], ["WARNING", 1, snap.version]);
      },
    );

    await t.step(
      "--node keeps one node and its links; an unknown node is a usage error",
      async () => {
        const lag = JSON.parse(
          (await cli(["lag", ...base, "--node", "node1", "--format", "json"])).stdout,
        );
        assertEquals(Object.keys(lag.nodes), ["node1"]);
        assertEquals(lag.links.length, 4);
        assertEquals((await cli(["check", ...base, "--node", "node1"])).code, 0);
        const bad = await cli(["lag", ...base, "--node", "nodeX"]);
        assertEquals([bad.code, bad.stderr], [
          64,
          'pgactive-tools: unknown node "nodeX" for --node (known: node1, node2, node3)\n',
        ]);
      },
    );

    await t.step("conflicts: totals, rate vs threshold, recent by type and table", async () => {
      publish();
      const r = await cli(["conflicts", ...base]);
      assertEquals(r.code, 0);
      assertMatch(r.stdout, /NODE\s+STATUS\s+CONFLICTS\s+RATE\s+>= 2\/min\s+APPLY ERRORS/);
      assertMatch(r.stdout, /node1\s+HEALTHY\s+2\s+0\.5\/min\s+under\s+0/);
      assertMatch(r.stdout, /update_update\s+public\.orders\s+1\s+2026-11-24T06:00:03Z/);
      const doc = JSON.parse((await cli(["conflicts", ...base, "--format", "json"])).stdout);
      assertEquals(doc.threshold_per_minute, 2);
      assertEquals(doc.recent.length, 3);
      assertEquals(doc.nodes.node1, {
        status: "HEALTHY",
        conflict_count: 2,
        conflicts_per_minute: 0.5,
        apply_errors: 0,
      });
    });

    await t.step("watch prints one line per version, NDJSON with --format json", async () => {
      publish();
      const pending = cli(["watch", ...base, "--count", "2"]);
      setTimeout(() => publish({ status: { node3: "DEGRADED" } }), 50);
      const r = await pending;
      assertEquals(r.code, 0);
      const lines = r.stdout.trim().split("\n");
      assertEquals(lines.length, 2);
      assertMatch(
        lines[0]!,
        new RegExp(`^v${version - 1} \\d\\d:\\d\\d:\\d\\dZ HEALTHY node1 HEALTHY 0 s`),
      );
      assertMatch(lines[1]!, new RegExp(`^v${version} .* DEGRADED .*node3 DEGRADED 0 s$`));
      const json = await cli(["watch", ...base, "--count", "1", "--format", "json"]);
      assertEquals(JSON.parse(json.stdout).version, version);
    });

    await t.step("on a TTY status words are coloured, unless NO_COLOR", async () => {
      publish({ status: { node2: "CRITICAL" } });
      const tty = await cli(["status", ...base], { isTTY: true });
      assert(tty.stdout.includes("\x1b[31mCRITICAL\x1b[0m"), tty.stdout);
      const plain = await cli(["status", ...base], { isTTY: true, env: { NO_COLOR: "1" } });
      assert(!plain.stdout.includes("\x1b["), "NO_COLOR honoured");
    });

    await t.step("wait: 0 once caught up, 2 on timeout with lag, 3 when unreadable", async () => {
      publish({ lag: { "node2->node3": 3 } });
      const pending = cli(["wait", ...base, "--max-lag", "1s", "--timeout", "5s"]);
      // The barrier needs a snapshot from a cycle that started after the wait: two versions on.
      setTimeout(() => publish({ lag: { "node2->node3": 3 } }), 100);
      setTimeout(() => publish({ lag: { "node2->node3": 0.5 } }), 200);
      setTimeout(() => publish({ lag: { "node2->node3": 0.5 } }), 300);
      const ok = await pending;
      assertEquals(ok.code, 0, ok.stderr);
      assertMatch(
        ok.stdout,
        /^caught up: everything committed before the wait is applied on every node \(or at most 1 s behind\) \(version \d+/,
      );
      assertMatch(
        ok.stderr,
        /waiting \(.*\): waiting for a snapshot collected after the wait began/,
      );
      publish({ lag: { "node2->node3": 3 } });
      const lateRun = cli(["wait", ...base, "--timeout", "600ms", "--format", "json"]);
      setTimeout(() => publish({ lag: { "node2->node3": 3 } }), 100);
      setTimeout(() => publish({ lag: { "node2->node3": 3 } }), 200);
      const late = await lateRun;
      assertEquals(late.code, 2);
      const doc = JSON.parse(late.stdout);
      assertEquals([doc.caught_up, doc.exit_code, doc.blocking], [false, 2, [
        "node2 -> node3: 3355443 B committed on node2 not applied, oldest 3.0 s old",
      ]]);
      assertEquals(Object.keys(doc.barrier).sort(), ["node1", "node2", "node3"]);
      const down = await cli(["wait", "--server", `http://127.0.0.1:${refusedPort()}`, ...base]);
      assertEquals(down.code, 3);
    });

    await t.step(
      "wait --barrier: positions the caller names; a bad one is a usage error",
      async () => {
        publish({ lag: { "node2->node3": 3 } });
        // node2 -> node3 has confirmed 0/2CCCC1D (the fixture): a barrier at or below it passes.
        const ok = await cli(["wait", ...base, "--barrier", "node2=0/2CCCC1D", "--timeout", "2s"]);
        assertEquals(ok.code, 0, ok.stdout + ok.stderr);
        const no = await cli([
          "wait",
          ...base,
          "--barrier",
          "node2=0/3000060",
          "--timeout",
          "300ms",
        ]);
        assertEquals(no.code, 2, no.stdout);
        const bad = await cli(["wait", ...base, "--barrier", "node2:0/1"]);
        assertEquals(bad.code, 64);
        assertMatch(bad.stderr, /--barrier/);
      },
    );

    await t.step("an unreachable server is exit 3 with a one-line hint", async () => {
      const url = `http://127.0.0.1:${refusedPort()}`;
      const r = await cli(["lag", ...base, "--server", url]);
      assertEquals(r, {
        code: 3,
        stdout: "",
        stderr:
          `pgactive-tools: cannot reach pgactive-server at ${url}: connection refused; start it or use --direct\n`,
      });
      const env = await cli(["check", ...base], { env: { PGACTIVE_TOOLS_SERVER: url } });
      assertEquals(env.code, 3);
    });

    await t.step("help pages list the exit codes; version prints", async () => {
      const help = await cli(["lag", "--help"]);
      assertEquals(help.code, 0);
      for (
        const code of ["0    OK", "1    WARNING", "2    CRITICAL", "3    UNKNOWN", "64   USAGE"]
      ) {
        assert(help.stdout.includes(code), code);
      }
      const version = JSON.parse((await cli(["version", "--format", "json"])).stdout);
      assertEquals(Object.keys(version), ["version", "commit", "built_at", "deno", "target"]);
      assertEquals(version.version, "0.1.0");
      assertMatch((await cli(["--version"])).stdout, /^pgactive-tools 0\.1\.0 \(commit \S+, deno /);
      for (
        const page of [
          ["help"],
          ...["lag", "conflicts", "status", "check", "watch", "wait"].map((c) => [c, "-h"]),
        ]
      ) {
        for (const line of (await cli(page)).stdout.split("\n")) {
          assert(line.length <= 80, `help ${page[0]} too wide: ${line}`);
        }
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
