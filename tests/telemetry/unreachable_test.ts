/**
 * An unreachable or hung collector costs nothing that matters: with the OTLP endpoint on a TCP
 * port that accepts and never answers, or on a closed port, a real pgactive-server keeps its
 * cycle cadence, answers HTTP at once, and stops on SIGTERM within the export timeout plus a
 * margin; the CLI exits within the same bound.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { runCli, startServer, writeConfig } from "./processes.ts";

const EXPORT_TIMEOUT_MS = 1_000;
/** Process start-up and exit on a loaded 2-core machine, not export time. */
const MARGIN_MS = 3_000;

/** A TCP port that accepts connections and never writes a byte (a hung collector). */
function blackhole(): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) held.push(conn); // read nothing, answer nothing
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const c of held) {
        try {
          c.close();
        } catch { /* gone */ }
      }
    },
  };
}

Deno.test("OpenTelemetry: a hung or closed collector delays no cycle, answer or shutdown", async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  const hole = blackhole();
  try {
    for (const protocol of ["grpc", "http/protobuf"] as const) {
      for (const [kind, port] of [["hung", hole.port], ["closed", refusedPort()]] as const) {
        await t.step(`${kind} collector over ${protocol}`, async () => {
          const work = await Deno.makeTempDir({ prefix: "pgactive-otel-unreachable-" });
          try {
            const config = await writeConfig(sb, work, {
              interval: "300ms",
              probeTimeout: "250ms",
            });
            const env = {
              OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
              OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
              OTEL_SERVICE_NAME: "pgactive-server-unreachable",
              OTEL_EXPORTER_OTLP_TIMEOUT: String(EXPORT_TIMEOUT_MS),
              OTEL_BSP_SCHEDULE_DELAY: "100",
              OTEL_BLRP_SCHEDULE_DELAY: "100",
              OTEL_METRIC_EXPORT_INTERVAL: "300",
            };
            await using server = await startServer(config, env, { cwd: work, logLevel: "info" });
            const version = async () => {
              const started = performance.now();
              const res = await fetch(`${server.url}/snapshot`);
              const body = await res.json();
              return { version: body.version as number, ms: performance.now() - started };
            };
            const first = await version();
            const started = performance.now();
            let slowest = first.ms;
            while (performance.now() - started < 3_000) {
              await new Promise((r) => setTimeout(r, 100));
              slowest = Math.max(slowest, (await version()).ms);
            }
            const last = await version();
            const elapsed = performance.now() - started;
            const cycles = last.version - first.version;
            // 300 ms interval: ~10 cycles in 3 s; a stalled loop would show a handful at most.
            assert(cycles >= (elapsed / 300) * 0.5, `${cycles} cycles in ${elapsed.toFixed(0)} ms`);
            assert(slowest < EXPORT_TIMEOUT_MS, `slowest /snapshot ${slowest.toFixed(0)} ms`);
            const stopped = await server.stop();
            assertEquals(stopped.code, 0, server.logs.slice(-3).join("\n"));
            assert(
              stopped.ms < EXPORT_TIMEOUT_MS + MARGIN_MS,
              `SIGTERM to exit ${stopped.ms.toFixed(0)} ms`,
            );
            const problems = server.logs.filter((l) => l.includes("OpenTelemetry export problem"));
            assert(problems.length <= 3, `export failures rate-limited: ${problems.length} lines`);

            const cli = await runCli(["version"], env, work);
            assertEquals(cli.code, 0, cli.stderr);
            assert(cli.ms < EXPORT_TIMEOUT_MS + MARGIN_MS, `CLI run ${cli.ms.toFixed(0)} ms`);
            console.log(
              `${kind}/${protocol}: ${cycles} cycles in ${elapsed.toFixed(0)} ms, slowest ` +
                `/snapshot ${slowest.toFixed(0)} ms, SIGTERM->exit ${stopped.ms.toFixed(0)} ms, ` +
                `CLI ${cli.ms.toFixed(0)} ms, ${problems.length} export-problem lines`,
            );
          } finally {
            await Deno.remove(work, { recursive: true });
          }
        });
      }
    }
  } finally {
    hole.close();
  }
});
