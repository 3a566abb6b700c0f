/**
 * Start-up stays light: the static module graph of main_cli.ts (what loads before --direct's
 * dynamic import) holds no server, store, collector, PostgreSQL driver, hono or Temporal code,
 * a one-shot command over --server adds no YAML, zod, config or SDK module,
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
    const forbidden = /yaml@|zod@|postgres@|\/lib\/(config|sdk|collector|snapshot\/schema)/;
    assertEquals(loaded.filter((s) => forbidden.test(s)), [], "loaded at start-up");
    assert(loaded.some((s) => s.endsWith("/lib/cli/server_read.ts")), "reads the server");
  });
}

Deno.test("version loads nothing but the CLI's own modules and lib/version", async () => {
  const { staticGraph } = await moduleGraph("main_cli.ts");
  const outside = [...staticGraph].filter((s) =>
    !/\/lib\/(cli|version)\/|\/main_cli\.ts$|^node:/.test(s)
  );
  assertEquals(outside, [], "outside lib/cli and lib/version");
});

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
