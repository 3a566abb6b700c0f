/**
 * The release binaries, verified as far as this offline machine allows. `deno compile` needs its
 * `denort` base binary from Deno's download host, so: the bundles `deno task compile` compiles are
 * built here and run under exactly the binaries' permissions (the release smoke test, against the
 * sandbox and a plain PostgreSQL database), and `deno compile` itself runs with this Deno binary
 * standing in for denort (DENORT_BIN), which checks what it embeds and which permissions it bakes
 * in; that stand-in binary is not run (it is a Deno CLI with the payload appended, not the program).
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { bundleAll } from "../../lib/release/compile.ts";
import { entryClosure, readChunks } from "../../lib/release/chunks.ts";
import { bundleLauncher, smoke } from "../../lib/release/smoke.ts";
import {
  bundleDir,
  CLI,
  compileArgs,
  type Program,
  PROGRAMS,
  SERVER,
} from "../../lib/release/targets.ts";
import { VERSION } from "../../lib/version/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const PASSWORD = "Smoke-Secr3t-Otter";

/** Source files (relative) in a bundle, from esbuild's `// path` module markers. */
function bundledModules(text: string): string[] {
  return [...text.matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/gm)].map((m) => m[1]!);
}

/**
 * What a bundled module is: `lib/...` for the project's, `npm:NAME` for a package's (the marker is
 * its path in Deno's npm cache, `.../registry.npmjs.org/NAME/VERSION/...`, or in a node_modules).
 */
function moduleIds(modules: string[]): string[] {
  return modules.map((path) => {
    const names = [
      ...path.matchAll(/(?:registry\.npmjs\.org|node_modules)\/((?:@[^/]+\/)?[^/@]+)/g),
    ]
      .map((m) => m[1]!).filter((n) => n !== ".deno");
    return names.length > 0 ? `npm:${names.at(-1)}` : path;
  });
}

Deno.test("release bundles: stamped, self-contained, smoke-tested under the binaries' permissions", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "pgactive-bundles-" });
  const stampFile = new URL("../../lib/version/build_info.ts", import.meta.url);
  try {
    const bundles = await bundleAll(out, { commit: COMMIT, date: "2026-12-01T00:00:00.000Z" });
    // The checkout's values are back (a concurrent build in this checkout waits for bundleAll).
    const restored = await Deno.readTextFile(stampFile);
    assertMatch(
      restored,
      /BUILD_COMMIT: string = "unknown";\n.*\n.*BUILD_DATE: string \| null = null;/,
    );

    const cliDir = `${out}/${bundleDir(CLI)}`;
    const cliChunks = await readChunks(cliDir);
    const entryChunk = `${CLI.name}.js`;
    assertEquals(bundles.get(CLI), `${cliDir}/${entryChunk}`);

    await t.step(
      "the CLI bundle (every chunk) holds no server, store or SQLite code; the server's does",
      async () => {
        assert(cliChunks.size > 1, "the CLI bundle is split");
        const cli = [...cliChunks.values()].join("\n");
        const server = await Deno.readTextFile(bundles.get(SERVER)!);
        const forbidden = /^lib\/(server|store)\/|^npm:(hono|prom-client)$/;
        assertEquals(moduleIds(bundledModules(cli)).filter((m) => forbidden.test(m)), []);
        assert(!/from "node:sqlite"|DatabaseSync/.test(cli), "node:sqlite in the CLI bundle");
        assert(bundledModules(cli).includes("lib/collector/collector.ts"), "--direct's collector");
        const serverIds = moduleIds(bundledModules(server));
        for (const expected of ["lib/server/", "lib/store/", "npm:hono", "npm:prom-client"]) {
          assert(serverIds.some((m) => m.startsWith(expected)), `the check can see ${expected}`);
        }
        assertMatch(server, /from "node:sqlite"/);
      },
    );

    await t.step(
      "the CLI entry chunk loads no collector, driver, YAML, zod, OpenTelemetry or node: module",
      () => {
        const { chunks: loaded, builtins } = entryClosure(cliChunks, entryChunk);
        // No Node compatibility at start-up either (deno bundle's eager require(), made lazy).
        assertEquals(builtins, []);
        const ids = (names: string[]) =>
          moduleIds(names.flatMap((n) => bundledModules(cliChunks.get(n)!)));
        const atStart = ids(loaded);
        const later = ids([...cliChunks.keys()].filter((n) => !loaded.includes(n)));
        assert(
          atStart.includes("main_cli.ts") && atStart.includes("lib/version/version.ts"),
          `${atStart}`,
        );
        const heavy = /^lib\/collector\/|^npm:(postgres|yaml|zod|@opentelemetry\/.*)$/;
        assertEquals(atStart.filter((m) => heavy.test(m)), []);
        for (const expected of ["lib/collector/", "npm:postgres", "npm:yaml", "npm:zod"]) {
          assert(later.some((m) => m.startsWith(expected)), `${expected} in a lazy chunk`);
        }
        assert(later.some((m) => m.startsWith("npm:@opentelemetry/")), "OpenTelemetry chunk");
      },
    );

    await t.step("smoke test on the sandbox: every node HEALTHY, then a clean stop", async () => {
      await using sb = await startSandbox({ nodes: 2 });
      await sb.waitForCatchUp();
      const lines: string[] = [];
      const nodes = Object.fromEntries(sb.nodes.map((n) => [
        n.name,
        n.dsn.replace("postgres://postgres@", `postgres://postgres:${PASSWORD}@`),
      ]));
      await smoke({
        launcher: bundleLauncher(out),
        nodes,
        expect: "healthy",
        log: (l) => lines.push(l),
      });
      const version = `${VERSION} (commit ${COMMIT.slice(0, 12)}, deno ${Deno.version.deno}, `;
      assert(lines.some((l) => l.includes(`pgactive-server ${version}`)), lines.join("\n"));
      assert(lines.some((l) => l.includes(`pgactive-tools ${version}`)), lines.join("\n"));

      // As the release workflow's PostgreSQL service: a database without pgactive is reached.
      const plain = { pg: nodes.node1!.replace(/\/app$/, "/postgres") };
      assert(plain.pg.endsWith("/postgres"), plain.pg);
      await smoke({ launcher: bundleLauncher(out), nodes: plain, expect: "reached" });
    });

    await t.step(
      "deno compile embeds only the bundle and bakes exactly the permissions",
      async () => {
        for (const program of PROGRAMS) await checkCompile(program, bundles.get(program)!, out);
      },
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/** Compiles with this Deno as the base binary and reads back the embedded metadata. */
async function checkCompile(program: Program, bundle: string, dir: string): Promise<void> {
  const output = `${dir}/${program.name}`;
  const res = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(program, bundle, "x86_64-unknown-linux-gnu", output),
    cwd: ROOT,
    env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
  assert(res.success, text);
  // "Embedded Files": the bundle and nothing else (no node_modules, no source tree); a split
  // bundle: every chunk of its folder, beside the entry.
  const embedded = text.split("Embedded Files")[1]?.split("Files:")[0] ?? "";
  const entries = embedded.split("\n").filter((l) => /[├└]──/.test(l));
  const expected = program.split
    ? [...(await readChunks(bundle.slice(0, bundle.lastIndexOf("/")))).keys()]
    : [`${program.name}.js`];
  assertEquals(
    entries.map((l) => l.replace(/^.*──\s*/, "").replace(/ \(.*$/, "")).sort(),
    expected.sort(),
  );
  const binary = await Deno.readFile(output);
  await Deno.remove(output);
  const raw = new TextDecoder("latin1").decode(binary.subarray(binary.length - 4_000_000));
  const at = raw.lastIndexOf('"permissions":{');
  assert(at >= 0, "no permissions in the compiled metadata");
  const permissions = JSON.parse(balanced(raw, at + '"permissions":'.length)) as Record<
    string,
    unknown
  >;
  const granted = Object.entries(permissions)
    .filter(([k, v]) => k.startsWith("allow_") && k !== "allow_import" && v !== null)
    .map(([k, v]) =>
      `--${k.replace("_", "-")}${(v as string[]).length ? `=${(v as string[]).join(",")}` : ""}`
    );
  assertEquals(granted.sort(), [...program.permissions].sort(), `${program.name} permissions`);
  assertEquals(permissions.prompt, false);
}

/** The JSON object starting at `from` (balanced braces; no braces inside its strings here). */
function balanced(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error("unbalanced metadata");
}
