/** The server's DoctorRunner: first run at start, then every interval, nothing after stop. */
import { parseConfig } from "../../lib/config/mod.ts";
import { type DoctorReport, DoctorRunner } from "../../lib/doctor/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";

function unreachable() {
  return parseConfig(
    `collector:\n  nodes:\n    - name: gone\n      dsn: postgres://u@127.0.0.1:${refusedPort()}/app\n`,
    { env: {} },
  );
}

Deno.test("the runner runs at start and again after each interval, and stops cleanly", async () => {
  const reports: DoctorReport[] = [];
  let third: () => void = () => {};
  const thirdRun = new Promise<void>((resolve) => third = resolve);
  const runner = new DoctorRunner(unreachable(), {
    intervalMs: 30,
    onReport: (r) => {
      reports.push(r);
      if (reports.length === 3) third();
    },
  });
  assertEquals(runner.latest, null);
  runner.start();
  await thirdRun;
  await runner.stop();
  const after = reports.length;
  await new Promise((r) => setTimeout(r, 100));
  assertEquals(reports.length, after, "no run after stop");
  assertEquals(runner.latest, reports.at(-1));
  // A node that cannot be read is a finding, not an error: status UNKNOWN, exit 3.
  assertEquals(runner.latest!.status, "UNKNOWN");
  assertEquals(runner.latest!.findings.map((f) => [f.check, f.severity, f.node]), [
    ["connect", "FAIL", "gone"],
  ]);
  assert(Date.parse(reports[1]!.checked_at) >= Date.parse(reports[0]!.checked_at));
});

Deno.test("runNow joins a run in flight instead of starting a second one", async () => {
  let runs = 0;
  const runner = new DoctorRunner(unreachable(), { onReport: () => runs++ });
  const [a, b] = await Promise.all([runner.runNow(), runner.runNow()]);
  assertEquals(runs, 1);
  assert(a !== null && a === b);
  await runner.stop();
});
