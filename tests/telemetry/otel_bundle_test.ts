/**
 * The two variables suffice for the shipped programs too: the release bundles (built exactly as
 * `deno task compile` builds them, then run under exactly the binaries' permissions, as
 * tests/shipping does, since `deno compile` cannot fetch its base binary here) export to a real
 * OpenTelemetry Collector over OTLP/gRPC (server) and OTLP/HTTP (CLI), with no OTEL_DENO or flag.
 */
import { bundleAll } from "../../lib/release/compile.ts";
import { CLI, runArgs, SERVER } from "../../lib/release/targets.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { spansOf, startOtelcol } from "./otelcol.ts";
import { DSN_PASSWORD, until } from "./processes.ts";

/** Both release bundles, built exactly as `deno task compile --bundle-only` builds them. */
async function bundles(dir: string): Promise<{ serverJs: string; cliJs: string }> {
  const built = await bundleAll(dir, { commit: "0123456789ab", date: "2026-12-01T00:00:00Z" });
  const serverJs = built.get(SERVER);
  const cliJs = built.get(CLI);
  assert(serverJs && cliJs, "bundleAll built both programs");
  return { serverJs, cliJs };
}

Deno.test("OpenTelemetry: the release bundles export with only the OTEL_* variables set", async () => {
  await using col = await startOtelcol();
  const dir = await Deno.makeTempDir({ prefix: "pgactive-otel-bundle-" });
  try {
    const { serverJs, cliJs } = await bundles(dir);
    const port = refusedPort();
    await Deno.writeTextFile(
      `${dir}/tools.yaml`,
      `collector:\n  interval: "300ms"\n  probe_timeout: "250ms"\n  nodes:\n    - name: n1\n` +
        `      dsn: "postgres://u:${DSN_PASSWORD}@127.0.0.1:${refusedPort()}/app"\n` +
        `server:\n  listen: "127.0.0.1:${port}"\ndatabase:\n  path: "${dir}/state.db"\n`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: runArgs(SERVER, serverJs, ["--config", `${dir}/tools.yaml`]),
      cwd: dir,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: col.grpcEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_SERVICE_NAME: "bundled-server",
        OTEL_BSP_SCHEDULE_DELAY: "100",
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    try {
      const url = `http://127.0.0.1:${port}`;
      await until("the bundled server answers", async () => {
        try {
          const response = await fetch(`${url}/snapshot`);
          await response.body?.cancel();
          return response.status === 200;
        } catch {
          return false;
        }
      }, 30_000);
      const cli = await new Deno.Command(Deno.execPath(), {
        args: runArgs(CLI, cliJs, ["status", "--server", url]),
        cwd: dir,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: col.httpEndpoint, OTEL_SERVICE_NAME: "bundled-cli" },
        stdout: "null",
        stderr: "piped",
      }).output();
      assert(cli.code !== 64, new TextDecoder().decode(cli.stderr));
      await until("server spans over gRPC", async () => {
        const names = spansOf(await col.read("traces")).map((s) => `${s.service} ${s.name}`);
        return names.includes("bundled-server pgactive.collector.probe") &&
          names.includes("bundled-server GET /snapshot");
      }, 10_000);
    } finally {
      child.kill("SIGTERM");
      assertEquals((await child.status).code, 0, (await stderr).slice(-500));
    }
    await until("the CLI's trace over HTTP", async () => {
      return spansOf(await col.read("traces")).some((s) =>
        s.service === "bundled-cli" && s.name === "pgactive-tools status" && !s.parentSpanId
      );
    }, 5_000);
    const text = await col.rawText() + (await stderr);
    assert(!text.includes("Cannot find module"), "every module is in the bundle");
    assertEquals(text.split(DSN_PASSWORD).length - 1, 0, "password exported or logged");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
