/**
 * GET /doctor and pgactive_doctor_findings on a real server (Deno.serve on a port) whose doctor
 * reads a real 3-node sandbox; every answer checked against docs/openapi.yaml.
 */
import { parseConfig } from "../../lib/config/mod.ts";
import { DoctorRunner } from "../../lib/doctor/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { checkResponse, loadOpenApi } from "../server/openapi_doc.ts";

Deno.test({
  name: "GET /doctor: 503 before the first run, then the run's findings; metric by severity",
  async fn() {
    const doc = loadOpenApi();
    await using sb = await startSandbox({ nodes: 3 });
    await sb.createMonitoringRole();
    const config = parseConfig(sb.configYaml({ user: "pgactive_monitor" }), { env: {} });
    const doctor = new DoctorRunner(config, { intervalMs: 60_000 });
    await using server = await startServer({ config, hub: new Hub(), doctor, port: 0 });
    const get = (path: string) => fetch(`${server.url}${path}`);

    const early = await get("/doctor");
    assertEquals(early.status, 503);
    assertEquals(early.headers.get("retry-after"), "5");
    await checkResponse(doc, "/doctor", early);
    const noSeries = await (await get("/metrics")).text();
    assert(!noSeries.includes("pgactive_doctor_findings{"), "no series before the first run");

    doctor.start();
    const report = await doctor.runNow();
    assert(report !== null);
    const res = await get("/doctor");
    assertEquals(res.status, 200);
    const body = await checkResponse(doc, "/doctor", res) as {
      status: string;
      interval_ms: number;
      checked_at: string;
      findings: { check: string; severity: string; node: string | null; fix: string | null }[];
    };
    assertEquals(body.interval_ms, 60_000);
    assertEquals(body.checked_at, report.checked_at);
    // The sandbox's stand-in does not preload a pgactive library: a real FAIL on every node.
    assertEquals(body.status, "FAIL");
    const spl = body.findings.filter((f) => f.check === "shared_preload_libraries");
    assertEquals(spl.map((f) => f.node), ["node1", "node2", "node3"]);
    assertMatch(spl[0]!.fix!, /^ALTER SYSTEM SET shared_preload_libraries = '.*pgactive'/);

    const metrics = await (await get("/metrics")).text();
    for (const severity of ["OK", "WARN", "FAIL"]) {
      const n = body.findings.filter((f) => f.severity === severity).length;
      assert(
        metrics.includes(`pgactive_doctor_findings{severity="${severity}"} ${n}\n`),
        `${severity} ${n}`,
      );
    }
    assertMatch(metrics, /pgactive_doctor_run_timestamp_seconds \d+/);
    await doctor.stop();
  },
});

Deno.test("GET /doctor is 404 on a server built without a doctor", async () => {
  const doc = loadOpenApi();
  const config = parseConfig(
    "collector:\n  nodes:\n    - name: n1\n      dsn: postgres://u@127.0.0.1:1/app\n",
    { env: {} },
  );
  await using server = await startServer({ config, hub: new Hub(), port: 0 });
  const res = await fetch(`${server.url}/doctor`);
  assertEquals(res.status, 404);
  await checkResponse(doc, "/doctor", res);
});
