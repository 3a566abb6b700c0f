/**
 * Start-up stays light: the static module graph of main_cli.ts (what loads before --direct's
 * dynamic import) holds no server, store, collector, PostgreSQL driver, hono or Temporal code,
 * a one-shot command over --server adds no YAML, zod, config or SDK module,
 * and the server's whole graph (dynamic imports too) holds no Temporal code.
 */
import { assert, assertEquals } from "../sdk/assert.ts";
import { moduleGraph as graphOf } from "./module_graph.ts";

/** One `deno info` per file: main_cli.ts's graph is read by most tests below. */
const graphs = new Map<string, ReturnType<typeof graphOf>>();

/** What `file` loads statically (or with dynamic imports followed), and its dynamic import targets. */
async function moduleGraph(
  file: string,
  options: { followDynamic?: boolean } = {},
): Promise<{ staticGraph: Set<string>; dynamic: string[] }> {
  let graph = graphs.get(file);
  if (!graph) graphs.set(file, graph = graphOf(file));
  const walk = options.followDynamic ? (await graph).full : (await graph).static;
  return { staticGraph: walk.modules, dynamic: walk.dynamic.map((edge) => edge.to) };
}

Deno.test("main_cli.ts statically loads neither server, store, collector nor their drivers", async () => {
  const { staticGraph, dynamic } = await moduleGraph("main_cli.ts");
  const forbidden =
    /\/lib\/(server|store|collector|pgactive|sandbox|sdk\/temporal)\/|postgres@|hono@|prom-client@|temporalio|opentelemetry/;
  const bad = [...staticGraph].filter((s) => forbidden.test(s));
  assertEquals(bad, [], "statically loaded");
  assertEquals(
    dynamic.filter((s) => s.includes("/lib/collector/")).length,
    1,
    "collector is dynamic",
  );
});

// What `lag --server URL` (no config file) runs: main_cli.ts's static graph plus the one command
// module it imports. With "lazy-dynamic-imports" (deno.json) nothing else is loaded at start-up.
for (const command of ["lag", "check", "status", "conflicts"]) {
  Deno.test(`\`${command} --server\` loads no YAML, zod, config, SDK or PostgreSQL driver`, async () => {
    const main = await moduleGraph("main_cli.ts");
    const cmd = await moduleGraph(`lib/cli/commands/${command}.ts`);
    const loaded = [...main.staticGraph, ...cmd.staticGraph];
    // lib/sdk/errors.ts is the SDK's zod-free second door (the SDK's own error classes).
    const forbidden =
      /yaml@|zod@|postgres@|\/lib\/(config|sdk\/(?!errors\.ts$)|collector|snapshot\/(?!types\.ts$))/;
    assertEquals(loaded.filter((s) => forbidden.test(s)), [], "loaded at start-up");
    assert(loaded.some((s) => s.endsWith("/lib/cli/server_read.ts")), "reads the server");
  });
}

// The two zod-free doors the one-shot reader (lib/cli/server_read.ts) shares with the SDK and the
// snapshot schema: the SDK's errors and the snapshot's status / lag-method lists.
const LIGHT_DOORS = ["lib/sdk/errors.ts", "lib/snapshot/types.ts"];

Deno.test("version loads nothing but the CLI's own modules, lib/version and the light doors", async () => {
  const { staticGraph } = await moduleGraph("main_cli.ts");
  const doors = LIGHT_DOORS.map((file) => new URL(`../../${file}`, import.meta.url).href);
  const outside = [...staticGraph].filter((s) =>
    !/\/lib\/(cli|version)\/|\/main_cli\.ts$|^node:/.test(s) && !doors.includes(s)
  );
  assertEquals(outside, [], "outside lib/cli, lib/version and the light doors");
});

for (const file of LIGHT_DOORS) {
  Deno.test(`${file} imports no code at run time (types only)`, async () => {
    const { staticGraph } = await moduleGraph(file);
    assertEquals([...staticGraph].map((s) => s.replace(/^.*\/lib\//, "lib/")), [file]);
  });
}

Deno.test("deno.json loads dynamic imports lazily (else deno run parses their whole graph first)", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert((config.unstable as string[]).includes("lazy-dynamic-imports"), "unstable flag");
});

Deno.test("main_server.ts loads no Temporal code, statically or through a dynamic import", async () => {
  const { staticGraph } = await moduleGraph("main_server.ts", { followDynamic: true });
  assert(staticGraph.has(new URL("../../lib/server/mod.ts", import.meta.url).href), "has a server");
  const bad = [...staticGraph].filter((s) => /temporalio|\/lib\/sdk\/temporal\//.test(s));
  assertEquals(bad, [], "Temporal modules in the server's graph");
});
