/**
 * With the OTEL_* variables unset, OpenTelemetry costs nothing to load: neither the server's nor
 * the CLI's static module graph holds any OpenTelemetry module (not even @opentelemetry/api), and
 * the SDK and exporters are reachable only through the dynamic imports in lib/telemetry/start.ts
 * (server) and main_cli.ts -> lib/telemetry/cli_trace.ts (CLI), taken only when an endpoint is set.
 */
import { assert, assertEquals } from "../sdk/assert.ts";
import { moduleGraph, ROOT } from "../cli/module_graph.ts";

const OTEL = /@opentelemetry|@grpc\/|protobufjs/;

/** Static graph of `file` and the dynamic import edges (from -> to, repo-relative) in its full graph. */
async function graph(file: string) {
  const { static: loaded, full } = await moduleGraph(file);
  const rel = (url: string) => url.replace(ROOT, "");
  const dynamic = full.dynamic.map((edge): [string, string] => [rel(edge.from), rel(edge.to)]);
  return { staticGraph: loaded.modules, full: { seen: full.modules, dynamic } };
}

for (
  const [file, gate] of [
    ["main_server.ts", ["lib/telemetry/start.ts", "lib/telemetry/otel_sdk.ts"]],
    ["main_cli.ts", ["main_cli.ts", "lib/telemetry/cli_trace.ts"]],
  ] as const
) {
  Deno.test(`${file}: no OpenTelemetry module loads unless an OTLP endpoint is set`, async () => {
    const { staticGraph, full } = await graph(file);
    assertEquals([...staticGraph].filter((s) => OTEL.test(s)), [], "statically loaded");
    assert([...full.seen].some((s) => /sdk-trace@/.test(s)), "the SDK is reachable when asked for");
    // Every dynamic edge into our OpenTelemetry code starts at the one gate.
    const intoOtel = full.dynamic.filter(([, to]) =>
      /lib\/telemetry\/(otel_sdk|cli_trace)\.ts$/.test(to)
    );
    assert(
      intoOtel.some(([from, to]) => from === gate[0] && to === gate[1]),
      JSON.stringify(intoOtel),
    );
    for (const [from] of intoOtel) {
      assert(
        /^(main_cli\.ts|lib\/telemetry\/start\.ts)$/.test(from),
        `dynamic import from ${from}`,
      );
    }
  });
}
