/**
 * The real `main_cli.ts` process against a real 3-node sandbox mesh and a real `main_server.ts`
 * process: each command in table and JSON form, and every exit code from a real situation.
 * One sandbox for the whole file.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { Client } from "../../lib/sdk/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { spawnServer } from "../server/spawn_server.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "Sup3r-S3cret-Horse";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run main_cli.ts ARGS` from a directory without ./config/tools.yaml. */
async function cli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", `${ROOT}main_cli.ts`, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      if (await check()) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const HEALTHY_LINE = "PGACTIVE OK - 3 nodes: 3 healthy" +
  " | lag_seconds=0s lag_bytes=0B conflicts_per_minute=0 nodes_down=0\n";

const OK_SHAPE = new RegExp(
  "^PGACTIVE OK - 3 nodes: 3 healthy \\| lag_seconds=0s lag_bytes=\\d+B" +
    " conflicts_per_minute=0 nodes_down=0\n$",
);

/**
 * Runs a command on an idle healthy mesh up to 5 times, 0.5 s apart, until `settled` holds for its
 * output; every run must exit 0 and pass `eachRun`. A local commit nobody in the test made (an
 * autoanalyze) is legitimately in flight for a moment: one run may show its few hundred bytes.
 */
async function idleSettles(
  dir: string,
  args: string[],
  settled: RegExp | string,
  eachRun: (r: Result) => void = () => {},
): Promise<Result> {
  const ok = (out: string) => typeof settled === "string" ? out === settled : settled.test(out);
  let last: Result | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
    last = await cli(dir, args);
    assertEquals(last.code, 0, last.stdout + last.stderr);
    eachRun(last);
    if (ok(last.stdout)) return last;
  }
  if (typeof settled === "string") {
    assertEquals(last!.stdout, settled, "an idle mesh settles at 0 bytes behind");
  } else assertMatch(last!.stdout, settled);
  return last!;
}

/** `check` on an idle healthy mesh: OK on every run, exactly HEALTHY_LINE within a few. */
function checkIdleHealthy(dir: string, args: string[]): Promise<Result> {
  return idleSettles(dir, ["check", ...args], HEALTHY_LINE, (r) => assertMatch(r.stdout, OK_SHAPE));
}

function summary(s: Snapshot): string {
  return Object.values(s.nodes).map((n) => `${n.name}=${n.status}`).join(" ");
}

Deno.test("pgactive-tools end to end (sandbox + pgactive-server)", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-cli-e2e-" });
  await using sb = await startSandbox({ nodes: 3 });
  const port = refusedPort();
  const config = `${dir}/tools.yaml`;
  await Deno.writeTextFile(
    config,
    sb.configYaml({
      interval: "500ms",
      thresholds: { lagSecondsWarn: 1, lagSecondsCrit: 10 },
      listen: `127.0.0.1:${port}`,
      databasePath: `${dir}/state.db`,
    }),
  );
  const server = spawnServer(config, { cwd: dir });
  let serverRunning = true;
  const stopServer = async () => {
    if (!serverRunning) return;
    serverRunning = false;
    server.kill("SIGTERM");
    await server.status;
  };
  const client = new Client(`http://127.0.0.1:${port}`);
  const latest = () => client.getSnapshot();
  const c = ["--config", config];
  let load = null as { stop(): Promise<void> } | null;
  try {
    await sb.waitForCatchUp();
    await until(
      "a HEALTHY snapshot from the server",
      async () => (await latest()).status === "HEALTHY",
    );

    await t.step("healthy mesh: every command, table and JSON, exit 0", async () => {
      await checkIdleHealthy(dir, c);
      await idleSettles(
        dir,
        ["lag", ...c],
        /node1 -> node2\s+active\s+0 s\s+0 B\s+0\s+0 s\s+caught-up/,
      );
      const lagJson = JSON.parse((await cli(dir, ["lag", ...c, "--format", "json"])).stdout);
      assertEquals(lagJson.links.length, 6);
      const status = JSON.parse((await cli(dir, ["status", ...c, "--format", "json"])).stdout);
      assertEquals(status.nodes.node1.metrics.pgactive_version, "2.1.9");
      const table = await cli(dir, ["status", ...c]);
      assertMatch(table.stdout, /node3\s+HEALTHY\s+0 s\s+2\.1\.9/);
      const watch = await cli(dir, ["watch", ...c, "--count", "2"]);
      assertEquals(watch.stdout.trim().split("\n").length, 2);
    });

    await t.step("idle mesh: wait is a barrier that returns 0 within two intervals", async () => {
      const started = Date.now();
      const wait = await cli(dir, ["wait", ...c, "--timeout", "10s", "--format", "json"]);
      const took = Date.now() - started;
      assertEquals(wait.code, 0, wait.stdout + wait.stderr);
      // two 500 ms intervals, plus the CLI's own start and one probe round
      assert(took <= 2 * 500 + 700, `took ${took} ms`);
      const doc = JSON.parse(wait.stdout);
      assertEquals(Object.keys(doc.barrier).sort(), ["node1", "node2", "node3"]);
    });

    await t.step("a row committed before wait is waited for, whatever else happens", async () => {
      await sb.stallLink("node2", "node3");
      try {
        await sb.write("node2", 1);
        const [pos] = await sb.query("node2", "SELECT pg_current_wal_lsn()::text AS lsn");
        // the row is stuck on node3: neither the default barrier nor its own position passes
        const blocked = await cli(dir, ["wait", ...c, "--timeout", "2s"]);
        assertEquals(blocked.code, 2, blocked.stdout);
        assertMatch(blocked.stdout, /node2 -> node3: \d+ B committed on node2 not applied/);
        const own = await cli(dir, [
          "wait",
          ...c,
          "--barrier",
          `node2=${pos!["lsn"]}`,
          "--timeout",
          "2s",
        ]);
        assertEquals(own.code, 2, own.stdout);
        const pending = cli(dir, [
          "wait",
          ...c,
          "--barrier",
          `node2=${pos!["lsn"]}`,
          "--timeout",
          "20s",
        ]);
        await new Promise((r) => setTimeout(r, 500));
        await sb.resumeLink("node2", "node3");
        const done = await pending;
        assertEquals(done.code, 0, done.stdout + done.stderr);
        const [row] = await sb.query(
          "node3",
          "SELECT count(*)::int AS n FROM public.sandbox_node2",
        );
        const [origin] = await sb.query(
          "node2",
          "SELECT count(*)::int AS n FROM public.sandbox_node2",
        );
        assertEquals(row!["n"], origin!["n"], "the row is on node3 when wait says caught up");
      } finally {
        await sb.resumeLink("node2", "node3");
      }
    });

    await t.step("--direct collects from the nodes and reaches the same verdict", async () => {
      const direct = await checkIdleHealthy(dir, [...c, "--direct"]);
      const lag = JSON.parse(
        (await cli(dir, ["lag", ...c, "--direct", "--format", "json"])).stdout,
      );
      assertEquals(lag.status, "HEALTHY");
      assertEquals(direct.stderr, "");
      const watch = await cli(dir, ["watch", ...c, "--direct", "--count", "2"]);
      assertEquals(watch.code, 0, watch.stderr);
      const lines = watch.stdout.trim().split("\n");
      assertEquals(lines.length, 2);
      assertMatch(lines[1]!, /^v\d+ .* HEALTHY node1 HEALTHY 0 s/);
      const wait = await cli(dir, ["wait", ...c, "--direct", "--timeout", "20s"]);
      assertEquals(wait.code, 0, wait.stdout + wait.stderr);
    });

    await t.step("conflicts: a recorded conflict shows by type and table", async () => {
      await sb.recordConflict("node2", { type: "update_delete", from: "node1", count: 2 });
      await until(
        "the conflict in the store",
        async () => (await client.getConflicts()).length > 0,
      );
      const r = await cli(dir, ["conflicts", ...c]);
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stdout, /update_delete\s+\S+\s+2\s+\d{4}-/);
      const doc = JSON.parse((await cli(dir, ["conflicts", ...c, "--format", "json"])).stdout);
      assertEquals(doc.recent[0].conflict_type, "update_delete");
      assert(doc.nodes.node2.conflict_count >= 2, JSON.stringify(doc.nodes.node2));
    });

    await t.step("a stalled link: WARNING (1), then CRITICAL (2); wait times out (2)", async () => {
      await sb.stallLink("node1", "node2");
      load = sb.startLoad("node1", { rowsPerSecond: 100 });
      await until(
        "node2 DEGRADED",
        async () => (await latest()).nodes.node2?.status === "DEGRADED",
      );
      const warn = await cli(dir, ["check", ...c]);
      assertEquals(warn.code, 1, `${warn.stdout}${warn.stderr}`);
      assertMatch(
        warn.stdout,
        /^PGACTIVE WARNING - 3 nodes: 2 healthy, 1 degraded \(node2: .*node1.*\)/,
      );
      assertEquals((await cli(dir, ["lag", ...c])).code, 0);
      assertEquals((await cli(dir, ["lag", ...c, "--fail-on-warn"])).code, 1);
      const late = await cli(dir, ["wait", ...c, "--timeout", "3s"]);
      assertEquals(late.code, 2, late.stdout + late.stderr);
      assertMatch(
        late.stdout,
        /not caught up: timed out after .*node1 -> node2: \d+ B committed on node1 not applied/,
      );
      await until(
        "node2 CRITICAL",
        async () => (await latest()).nodes.node2?.status === "CRITICAL",
      );
      const crit = await cli(dir, ["check", ...c]);
      assertEquals(crit.code, 2, crit.stdout);
      assertEquals((await cli(dir, ["status", ...c, "--fail-on-crit"])).code, 2);
    });

    await t.step("wait returns 0 once the stalled link is resumed", async () => {
      const pending = cli(dir, ["wait", ...c, "--timeout", "60s"]);
      await new Promise((r) => setTimeout(r, 300)); // let it start while the link is still stalled
      await load?.stop();
      load = null;
      await sb.resumeLink("node1", "node2");
      const r = await pending;
      assertEquals(r.code, 0, `${r.stdout}${r.stderr}`);
      assertMatch(r.stdout, /^caught up: everything committed before the wait is applied/);
      const after = await latest();
      assert(after.links.every((l) => l.lag_seconds === 0), summary(after));
    });

    await t.step("a stopped node: check 2 from the server and with --direct", async () => {
      await sb.stopNode("node3");
      await until("node3 DOWN", async () => (await latest()).nodes.node3?.status === "DOWN");
      const r = await cli(dir, ["check", ...c]);
      assertEquals(r.code, 2, r.stdout);
      assertMatch(r.stdout, /^PGACTIVE CRITICAL - 3 nodes: .*1 down \(.*node3: /);
      const direct = await cli(dir, ["check", ...c, "--direct"]);
      assertEquals(direct.code, 2, direct.stdout + direct.stderr);
      assertMatch(direct.stdout, /node3: /);
      const status = await cli(dir, ["status", ...c]);
      assertMatch(status.stdout, /node3 is DOWN: /);
    });

    await t.step(
      "no secret in any output: unreachable node with a password, bad config",
      async () => {
        const ghost = `${dir}/ghost.yaml`;
        const text = await Deno.readTextFile(config);
        await Deno.writeTextFile(
          ghost,
          text.replace(
            "thresholds:",
            `    - name: "ghost"\n      dsn: "postgres://monitor:${SECRET}@127.0.0.1:${refusedPort()}/app"\nthresholds:`,
          ),
        );
        for (const args of [["status"], ["status", "--format", "json"], ["check"], ["lag"]]) {
          const r = await cli(dir, [...args, "--config", ghost, "--direct"]);
          assert(!(r.stdout + r.stderr).includes(SECRET), `secret printed by ${args.join(" ")}`);
          if (args[0] === "check") {
            assertEquals(r.code, 2);
            assertMatch(r.stdout, /ghost: /);
          }
        }
        const bad = `${dir}/bad.yaml`;
        await Deno.writeTextFile(
          bad,
          `collector:\n  interval: soon\n  nodes:\n    - name: n1\n      dsn: "postgres://u:${SECRET}@h:5432/db"\n`,
        );
        const r = await cli(dir, ["check", "--config", bad, "--direct"]);
        assertEquals(r.code, 64);
        assertMatch(r.stderr, /^pgactive-tools: Invalid configuration .*collector\.interval: /);
        assertEquals(r.stderr.trim().split("\n").length, 1, "one line");
        assert(!r.stderr.includes(SECRET), "secret in config error");
        const missing = await cli(dir, ["lag", "--config", `${dir}/nope.yaml`]);
        assertEquals(missing.code, 64);
        const flag = await cli(dir, ["lag", "--frobnicate"]);
        assertEquals([flag.code, flag.stderr], [
          64,
          "pgactive-tools: unknown flag --frobnicate (see pgactive-tools help)\n",
        ]);
      },
    );

    await t.step("server down: exit 3 with a hint; wait cannot read the cluster (3)", async () => {
      await stopServer();
      const r = await cli(dir, ["check", ...c]);
      assertEquals(r.code, 3);
      assertEquals(
        r.stderr,
        `pgactive-tools: cannot reach pgactive-server at http://127.0.0.1:${port}: connection refused; start it or use --direct\n`,
      );
      assertEquals((await cli(dir, ["wait", ...c, "--timeout", "2s"])).code, 3);
      assertEquals((await cli(dir, ["lag", ...c, "--format", "json"])).stdout, "");
    });
  } finally {
    await load?.stop();
    await stopServer();
    await Deno.remove(dir, { recursive: true });
  }
});
