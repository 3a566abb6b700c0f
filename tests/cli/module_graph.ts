/**
 * The module graph of a repository file, from `deno info --json`: what its static imports load,
 * what loads when dynamic imports are followed too, and the dynamic import edges met on the way.
 * Used by the start-up test (tests/cli/startup_test.ts) and the OpenTelemetry import-graph test.
 */
import { assert } from "../sdk/assert.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The repository root as a file: URL (ends with "/"). */
export const ROOT = new URL("../../", import.meta.url).href;

/** One walk of the graph: every module reached, and each dynamic import edge (absolute URLs). */
export interface GraphWalk {
  modules: Set<string>;
  dynamic: { from: string; to: string }[];
}

/** The graph of `file` (relative to the repository root), walked without and with dynamic imports. */
export async function moduleGraph(file: string): Promise<{ static: GraphWalk; full: GraphWalk }> {
  const root = ROOT + file;
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
  const walk = (followDynamic: boolean): GraphWalk => {
    const modules = new Set<string>();
    const dynamic: { from: string; to: string }[] = [];
    const visit = (specifier: string) => {
      const s = resolve(specifier);
      if (modules.has(s)) return;
      modules.add(s);
      for (const dep of bySpecifier.get(s)?.dependencies ?? []) {
        const target = dep.code?.specifier;
        if (!target) continue;
        if (dep.isDynamic) dynamic.push({ from: s, to: resolve(target) });
        if (!dep.isDynamic || followDynamic) visit(target);
      }
    };
    visit(root);
    return { modules, dynamic };
  };
  return { static: walk(false), full: walk(true) };
}
