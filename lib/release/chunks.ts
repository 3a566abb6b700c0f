/**
 * The chunks of a code-split bundle (`deno bundle --code-splitting`): what the entry loads before
 * it runs, and the one rewrite that keeps Node compatibility out of that set.
 */

/** The `.js` chunks of a split bundle's folder: file name -> text. */
export async function readChunks(dir: string): Promise<Map<string, string>> {
  const chunks = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".js")) {
      chunks.set(entry.name, await Deno.readTextFile(`${dir}/${entry.name}`));
    }
  }
  return chunks;
}

/** Specifiers of a chunk's static `import` / `export ... from` (not `import()`). */
export function staticImports(text: string): string[] {
  return [...text.matchAll(/^(?:import|export)\b[^;("'`]*?"([^"]+)";/gm)].map((m) => m[1]!);
}

/**
 * The chunks `entry` loads before it runs (itself and its static imports of sibling chunks,
 * transitively) and the other modules they import (`node:` built-ins). Throws on an import of a
 * chunk that is not in `chunks`.
 */
export function entryClosure(
  chunks: Map<string, string>,
  entry: string,
): { chunks: string[]; builtins: string[] } {
  const seen = new Set<string>();
  const builtins = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const text = chunks.get(name);
    if (text === undefined) throw new Error(`chunk ${name} is imported but not in the bundle`);
    seen.add(name);
    for (const specifier of staticImports(text)) {
      if (specifier.startsWith("./")) visit(specifier.slice(2));
      else builtins.add(specifier);
    }
  };
  visit(entry);
  return { chunks: [...seen], builtins: [...builtins] };
}

/** What `deno bundle` puts in the shared runtime chunk for `require()` in CommonJS packages. */
const EAGER_REQUIRE =
  'import { createRequire as __deno_internal_createRequire } from "node:module";\n' +
  "var __require = __deno_internal_createRequire(import.meta.url);\n";

/**
 * The same `__require`, created on its first call. Every chunk imports the runtime chunk, and a
 * static `node:module` import starts Deno's Node compatibility layer (about 25 ms here) before the
 * entry runs; only CommonJS packages the one-shot commands never load (yaml, gRPC) call it.
 */
const LAZY_REQUIRE = "var __deno_internal_require;\n" +
  "var __require = (id) => (__deno_internal_require ??= globalThis.process\n" +
  '  .getBuiltinModule("node:module").createRequire(import.meta.url))(id);\n';

/**
 * Rewrites the runtime chunk of the split bundle in `dir` so that `require()` support loads on
 * first use (see {@link LAZY_REQUIRE}); returns how many chunks changed (0 when `deno bundle`
 * emitted no such runtime, 1 otherwise).
 */
export async function deferNodeRequire(dir: string): Promise<number> {
  let changed = 0;
  for (const [name, text] of await readChunks(dir)) {
    if (!text.includes(EAGER_REQUIRE)) continue;
    await Deno.writeTextFile(`${dir}/${name}`, text.replace(EAGER_REQUIRE, LAZY_REQUIRE));
    changed++;
  }
  return changed;
}
