/**
 * The real `main_cli.ts doctor` process against a real 3-node sandbox: every exit code from a real
 * situation (2 on the stand-in's real FAILs, 0 once every printed fix is applied, 1 with a revoked
 * grant, 3 when nothing can be read, 64 on usage), over --direct and over a server's GET /doctor.
 */
import { parseConfig } from "../../lib/config/mod.ts";
import { DoctorRunner } from "../../lib/doctor/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { applyFix, psql } from "./apply_fix.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NODES = ["node1", "node2", "node3"];
const SECRET = "Sup3r-S3cret-Doctor";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(cwd: string, args: string[]): Promise<Result> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", `${ROOT}main_cli.ts`, ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

interface JsonReport {
  status: string;
  exit_code: number;
  findings: { check: string; severity: string; node: string | null; fix: string | null }[];
}

Deno.test({
  name: "pgactive-tools doctor end to end: exit codes 0/1/2/3/64, text and JSON, fixes applied",
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "pgactive-doctor-cli-" });
    await using sb = await startSandbox({ nodes: 3 });
    await sb.createMonitoringRole();
    const yaml = sb.configYaml({ user: "pgactive_monitor" });
    const cfg = `${dir}/tools.yaml`;
    await Deno.writeTextFile(cfg, yaml);
    const direct = (...more: string[]) =>
      cli(dir, ["doctor", "--direct", "--config", cfg, ...more]);

    await t.step(
      "2: the stand-in's real FAILs, one line each with the fix; JSON the same",
      async () => {
        const r = await direct();
        assertEquals(r.code, 2, r.stderr);
        const lines = r.stdout.trimEnd().split("\n");
        for (const n of NODES) {
          assert(
            lines.some((l) =>
              l.startsWith(`FAIL  shared_preload_libraries  ${n}  shared_preload_libraries = ''`) &&
              l.endsWith(
                "fix: ALTER SYSTEM SET shared_preload_libraries = 'pgactive'; -- then restart PostgreSQL",
              )
            ),
            r.stdout,
          );
        }
        assertMatch(
          lines.at(-1)!,
          /^doctor FAIL: \d+ FAIL, \d+ WARN, \d+ OK; 3\/3 node\(s\) read at /,
        );
        const json = JSON.parse((await direct("--format", "json")).stdout) as JsonReport;
        assertEquals([json.status, json.exit_code], ["FAIL", 2]);
      },
    );

    await t.step("0: after applying every printed fix (restarts included), all OK", async () => {
      const before = JSON.parse((await direct("--format", "json")).stdout) as JsonReport;
      const todo = before.findings.filter((f) => f.severity !== "OK");
      assert(todo.length > 0);
      for (const f of todo) await applyFix(sb, f, NODES);
      const r = await direct();
      assertEquals(r.code, 0, r.stdout);
      assert(
        r.stdout.trimEnd().split("\n").slice(0, -1).every((l) => l.startsWith("OK  ")),
        r.stdout,
      );
    });

    await t.step("1: a revoked grant is a WARN, over --direct and over the server", async () => {
      await psql(
        sb,
        "node2",
        "REVOKE EXECUTE ON FUNCTION pgactive.pgactive_get_stats() FROM pgactive_monitor;",
      );
      const r = await direct();
      assertEquals(r.code, 1, r.stdout);
      assertMatch(
        r.stdout,
        /^WARN {2}privileges {2}node2 {2}role pgactive_monitor cannot read pgactive\.pgactive_get_stats\(\)/m,
      );
      const only = await direct("--node", "node1");
      assertEquals(only.code, 0, only.stdout);

      const config = parseConfig(yaml, { env: {} });
      const doctor = new DoctorRunner(config);
      await using server = await startServer({ config, hub: new Hub(), doctor, port: 0 });
      const early = await cli(dir, ["doctor", "--server", server.url]);
      assertEquals(early.code, 3, "no run yet: cannot tell");
      assertMatch(early.stderr, /503/);
      await doctor.runNow();
      const viaServer = await cli(dir, ["doctor", "--server", server.url]);
      assertEquals(viaServer.code, 1, viaServer.stderr);
      assertMatch(viaServer.stdout, /^WARN {2}privileges {2}node2 {2}/m);
      await doctor.stop();
    });

    await t.step(
      "3: no node readable (the password never printed); server unreachable",
      async () => {
        const down = `${dir}/down.yaml`;
        const port = refusedPort();
        await Deno.writeTextFile(
          down,
          `collector:\n  nodes:\n    - name: gone\n      dsn: postgres://u:${SECRET}@127.0.0.1:${port}/app\n`,
        );
        const r = await cli(dir, ["doctor", "--direct", "--config", down]);
        assertEquals(r.code, 3, r.stdout + r.stderr);
        assertMatch(
          r.stdout,
          /^FAIL {2}connect {2}gone {2}Cannot reach node "gone": connection refused/m,
        );
        assert(!(r.stdout + r.stderr).includes(SECRET));
        const json = JSON.parse(
          (await cli(dir, ["doctor", "--direct", "--config", down, "--format", "json"])).stdout,
        );
        assertEquals([json.status, json.exit_code], ["UNKNOWN", 3]);
        const noServer = await cli(dir, [
          "doctor",
          "--server",
          `http://127.0.0.1:${refusedPort()}`,
        ]);
        assertEquals(noServer.code, 3);
      },
    );

    await t.step("64: usage errors", async () => {
      const bad = await cli(dir, ["doctor", "--count", "2"]);
      assertEquals(bad.code, 64);
      assertEquals(bad.stderr, "pgactive-tools: flag --count is only valid for: watch\n");
      assertEquals((await cli(dir, ["doctor", "--direct"])).code, 64);
      assertEquals((await direct("--node", "nope")).code, 64);
    });
    await Deno.remove(dir, { recursive: true });
  },
});
