/**
 * With the OTEL_* variables unset, OpenTelemetry costs nothing to load: neither the server's nor
 * the CLI's static module graph holds any OpenTelemetry module (not even @opentelemetry/api), and
 * the SDK and exporters are reachable only through the dynamic imports in lib/telemetry/start.ts
 * (server) and main_cli.ts -> lib/telemetry/cli_trace.ts (CLI), taken only when an endpoint is set.
 */
import { assert, assertEquals } from "../sdk/assert.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

const ROOT = new URL("../../", import.meta.url).href;
const OTEL = /@opentelemetry|@grpc\/|protobufjs/;

/** Static graph of `file` and the dynamic import edges (from -> to) anywhere in its full graph. */
async function graph(file: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", ROOT + file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const resolve = (s: string) => info.redirects[s] ?? s;
  const walk = (followDynamic: boolean) => {
    const seen = new Set<string>();
    const dynamic: [string, string][] = [];
    const visit = (specifier: string) => {
      const s = resolve(specifier);
      if (seen.has(s)) return;
      seen.add(s);
      for (const dep of bySpecifier.get(s)?.dependencies ?? []) {
        const target = dep.code?.specifier;
        if (!target) continue;
        if (dep.isDynamic) dynamic.push([s.replace(ROOT, ""), resolve(target).replace(ROOT, "")]);
        if (!dep.isDynamic || followDynamic) visit(target);
      }
    };
    visit(ROOT + file);
    return { seen, dynamic };
  };
  return { staticGraph: walk(false).seen, full: walk(true) };
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
