/**
 * Issue 12, defect 8: under a scraper and a prober the access log stays readable. A real
 * pgactive-server process (one node on a refused port: cycles complete, the node is DOWN) gets a
 * bounded burst of /health, /metrics, /snapshot and unknown-path requests in each log.access mode;
 * the lines on its stderr are counted.
 */
import { assert, assertEquals } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { serverProc } from "./processes.ts";

interface Line {
  msg: string;
  path?: string;
  status?: number;
  count?: number;
}

/** Sends `n` GETs of `path`, 20 at a time; returns the statuses seen. */
async function burst(url: string, path: string, n: number): Promise<Set<number>> {
  const statuses = new Set<number>();
  for (let i = 0; i < n; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, n - i) }, async () => {
      const res = await fetch(`${url}${path}`);
      statuses.add(res.status);
      await res.body?.cancel();
    }));
  }
  return statuses;
}

async function runMode(dir: string, mode: "all" | "sampled" | "errors"): Promise<Line[]> {
  const port = refusedPort();
  const config = `${dir}/${mode}.yaml`;
  await Deno.writeTextFile(
    config,
    `collector:\n  interval: 200ms\n  nodes:\n    - name: node1\n      dsn: postgres://u@127.0.0.1:${refusedPort()}/db\n` +
      `server:\n  listen: 127.0.0.1:${port}\ndatabase:\n  path: ${dir}/${mode}.db\n` +
      `log:\n  access: ${mode}\n`,
  );
  await using server = serverProc({ config, port, cwd: dir, logLevel: "info" });
  await server.start();
  assertEquals([...await burst(server.url, "/health", 2_000)], [200]);
  assertEquals([...await burst(server.url, "/metrics", 2_000)], [200]);
  await burst(server.url, "/snapshot", 20);
  assertEquals([...await burst(server.url, "/nope", 50)], [404]);
  assertEquals(await server.signal("SIGTERM"), 0);
  return server.logs.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === "request");
}

Deno.test("fault: the access log under 4,000 probe requests in each log.access mode", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-fault-log-" });
  const on = (lines: Line[], path: string) => lines.filter((l) => l.path === path);
  try {
    await t.step(
      "sampled (default): probes summarised with a count, the rest a line each",
      async () => {
        const lines = await runMode(dir, "sampled");
        for (const path of ["/health", "/metrics"]) {
          const probe = on(lines, path);
          // the burst lasts well under the minute: the first line, maybe one more with a count
          assert(probe.length >= 1 && probe.length <= 2, `${path}: ${probe.length} lines`);
        }
        assertEquals(on(lines, "/snapshot").length, 20);
        assertEquals(on(lines, "/nope").length, 50, "every error is logged");
        console.log(`sampled: ${lines.length} access-log lines for 4,070 requests`);
        assert(lines.length <= 74, `${lines.length} lines for 4,070 requests`);
      },
    );
    await t.step("errors: only the answers of 400 and above", async () => {
      const lines = await runMode(dir, "errors");
      assertEquals(lines.length, 50);
      assert(lines.every((l) => l.status === 404));
    });
    await t.step("all: one line per request", async () => {
      const lines = await runMode(dir, "all");
      const health = on(lines, "/health").length; // start() polls /health too
      assert(health >= 2_000 && health < 2_100, `${health} /health lines`);
      assertEquals(on(lines, "/metrics").length, 2_000);
      assertEquals(on(lines, "/nope").length, 50);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
