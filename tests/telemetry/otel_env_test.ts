/** The OTEL_* variables: when telemetry is on, which protocol and URL each signal uses, bad values. */
import { OtelConfigError, otelRequested, otelSettings } from "../../lib/telemetry/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";

function rejects(env: Record<string, string>, pattern: RegExp): void {
  try {
    otelSettings(env, "svc");
  } catch (err) {
    assert(err instanceof OtelConfigError, String(err));
    assert(pattern.test(err.message), err.message);
    assert(!err.message.includes("\n"), "one line");
    return;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

Deno.test("telemetry is on only with an endpoint and without OTEL_SDK_DISABLED=true", () => {
  assertEquals(otelRequested({}), false);
  assertEquals(otelRequested({ OTEL_SERVICE_NAME: "x" }), false);
  assertEquals(otelRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }), true);
  assertEquals(
    otelRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" }),
    true,
  );
  assertEquals(
    otelRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "TRUE" }),
    false,
  );
});

Deno.test("http/protobuf by default, /v1/<signal> appended to the base endpoint only", () => {
  const s = otelSettings({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "http://logs:9999/custom",
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_HEADERS: "api-key=a%20b,x=1",
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x=2",
    OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "2500",
    OTEL_SERVICE_NAME: "mine",
  }, "svc");
  assertEquals(s.serviceName, "mine");
  assertEquals(s.signals.traces, {
    protocol: "http/protobuf",
    url: "http://collector:4318/v1/traces",
    headers: { "api-key": "a b", x: "2" },
    timeoutMs: 2500,
  });
  assertEquals(s.signals.metrics?.protocol, "http/json");
  assertEquals(s.signals.metrics?.url, "http://collector:4318/v1/metrics");
  assertEquals(s.signals.metrics?.timeoutMs, 10_000);
  assertEquals(s.signals.logs?.url, "http://logs:9999/custom");
  assertEquals(s.warnings, []);
});

Deno.test("gRPC uses the endpoint as given; a signal's exporter can be none", () => {
  const s = otelSettings({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317",
    OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
    OTEL_LOGS_EXPORTER: "none",
  }, "svc");
  assertEquals(s.serviceName, "svc");
  assertEquals(s.signals.traces?.url, "http://localhost:4317");
  assertEquals(s.signals.logs, null);
  assertEquals(s.warnings, []);
});

Deno.test("OTEL_TRACES_SAMPLER and its ratio", () => {
  const base = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" };
  assertEquals(otelSettings(base, "svc").sampler, { name: "parentbased_always_on", ratio: 1 });
  assertEquals(
    otelSettings({
      ...base,
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    }, "svc").sampler,
    { name: "parentbased_traceidratio", ratio: 0.1 },
  );
  rejects({ ...base, OTEL_TRACES_SAMPLER: "sometimes" }, /^OTEL_TRACES_SAMPLER: "sometimes"/);
  rejects(
    { ...base, OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" },
    /^OTEL_TRACES_SAMPLER_ARG: "2" is not a ratio/,
  );
});

Deno.test("port 4317 with an HTTP protocol (the seed's example without grpc) is called out", () => {
  const s = otelSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317" }, "svc");
  assertEquals(s.warnings.length, 3);
  assert(s.warnings[0]!.includes("OTEL_EXPORTER_OTLP_PROTOCOL=grpc"), s.warnings[0]!);
  const g = otelSettings({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
    OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
  }, "svc");
  assert(g.warnings[0]!.includes("4318 is OTLP/HTTP"), g.warnings[0]!);
});

Deno.test("bad OTEL_* values are one line naming the variable, never the URL's credentials", () => {
  const base = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" };
  rejects(
    { ...base, OTEL_EXPORTER_OTLP_PROTOCOL: "http" },
    /^OTEL_EXPORTER_OTLP_PROTOCOL: "http" is not one of grpc, http\/protobuf, http\/json$/,
  );
  rejects(
    { ...base, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "udp" },
    /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/,
  );
  rejects({ ...base, OTEL_EXPORTER_OTLP_TIMEOUT: "10s" }, /^OTEL_EXPORTER_OTLP_TIMEOUT: "10s"/);
  rejects({ ...base, OTEL_METRICS_EXPORTER: "prometheus" }, /^OTEL_METRICS_EXPORTER/);
  rejects({ ...base, OTEL_EXPORTER_OTLP_HEADERS: "novalue" }, /^OTEL_EXPORTER_OTLP_HEADERS/);
  rejects(
    { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317" },
    /^OTEL_EXPORTER_OTLP_ENDPOINT: .*http:\/\//,
  );
  try {
    otelSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://user:pw-secret@c:21" }, "svc");
    throw new Error("accepted ftp");
  } catch (err) {
    assert(!(err as Error).message.includes("pw-secret"), (err as Error).message);
  }
});

Deno.test("server and CLI exit 64 with one line naming a bad OTEL_* variable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-otel-env-" });
  try {
    const config = `${dir}/tools.yaml`;
    await Deno.writeTextFile(
      config,
      `collector:\n  nodes:\n    - name: n1\n      dsn: "postgres://u:pw@127.0.0.1:1/app"\n` +
        `server:\n  listen: "127.0.0.1:0"\ndatabase:\n  path: "${dir}/state.db"\n`,
    );
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/proto",
    };
    for (
      const args of [["--allow-all", "main_server.ts", "--config", config], [
        "--allow-all",
        "main_cli.ts",
        "version",
      ]]
    ) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...args],
        cwd: new URL("../../", import.meta.url).pathname,
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      assertEquals(out.code, 64, stderr);
      assert(
        /^pgactive-(server|tools): OTEL_EXPORTER_OTLP_PROTOCOL: "http\/proto" is not one of/.test(
          stderr,
        ) &&
          !stderr.includes("\n"),
        stderr,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
