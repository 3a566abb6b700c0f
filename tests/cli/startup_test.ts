/**
 * Start-up stays light: the static module graph of main_cli.ts (what loads before --direct's
 * dynamic import) holds no server, store, collector, PostgreSQL driver, hono or Temporal code,
 * and the server's whole graph (dynamic imports too) holds no Temporal code.
 */
import { assert, assertEquals } from "../sdk/assert.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The module graph of `file`: what loads statically, and the targets of dynamic imports. */
async function moduleGraph(
  file: string,
  options: { followDynamic?: boolean } = {},
): Promise<{ staticGraph: Set<string>; dynamic: string[] }> {
  const root = new URL(`../../${file}`, import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
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
  const staticGraph = new Set<string>();
  const dynamic: string[] = [];
  const visit = (specifier: string) => {
    const s = resolve(specifier);
    if (staticGraph.has(s)) return;
    staticGraph.add(s);
    for (const dep of bySpecifier.get(s)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (!target) continue;
      if (dep.isDynamic) dynamic.push(resolve(target));
      if (!dep.isDynamic || options.followDynamic) visit(target);
    }
  };
  visit(root);
  return { staticGraph, dynamic };
}

Deno.test("main_cli.ts statically loads neither server, store, collector nor their drivers", async () => {
  const { staticGraph, dynamic } = await moduleGraph("main_cli.ts");
  const forbidden =
    /\/lib\/(server|store|collector|pgactive|sandbox|sdk\/temporal)\/|postgres@|hono@|prom-client@|temporalio|opentelemetry/;
  const bad = [...staticGraph].filter((s) => forbidden.test(s));
  assertEquals(bad, [], "statically loaded");
  assert(staticGraph.has(new URL("../../lib/sdk/mod.ts", import.meta.url).href), "uses the SDK");
  assertEquals(
    dynamic.filter((s) => s.includes("/lib/collector/")).length,
    1,
    "collector is dynamic",
  );
});

Deno.test("main_server.ts loads no Temporal code, statically or through a dynamic import", async () => {
  const { staticGraph } = await moduleGraph("main_server.ts", { followDynamic: true });
  assert(staticGraph.has(new URL("../../lib/server/mod.ts", import.meta.url).href), "has a server");
  const bad = [...staticGraph].filter((s) => /temporalio|\/lib\/sdk\/temporal\//.test(s));
  assertEquals(bad, [], "Temporal modules in the server's graph");
});
