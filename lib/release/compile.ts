/**
 * `deno task compile`: builds pgactive-server and pgactive-tools for every release target.
 *
 *   deno task compile [--target TRIPLE ...] [--out DIR] [--commit SHA] [--bundle-only]
 *
 * 1. Stamps lib/version/build_info.ts with the commit (`git rev-parse HEAD` unless given) and the
 *    time, bundles each entrypoint (`deno bundle`, npm packages inlined), then restores the
 *    checkout's build_info.ts. The server is one file, `pgactive-server.js`; the CLI is split
 *    (`--code-splitting`) into `pgactive-tools-bundle/`: the entry chunk `pgactive-tools.js` and
 *    the chunks its commands load by `import()` when they run (with `require()` support made
 *    lazy, lib/release/chunks.ts, so the entry does not start Node compatibility).
 * 2. Compiles each bundle for each target with the program's permissions baked in
 *    (`deno compile --no-config`, a split bundle's folder `--include`d: the bundle is the whole
 *    program, nothing is read relative to the working directory at run time).
 *
 * `deno compile` downloads its `denort` base binary per target from Deno's download host, so step 2
 * needs that network; `--bundle-only` stops after step 1 (what the container build and the offline
 * tests use). Exit 0 when every output was built, 1 otherwise.
 */
import { parseArgs } from "node:util";
import { BUILD_INFO_FILE, buildInfoSource } from "../version/stamp.ts";
import { deferNodeRequire } from "./chunks.ts";
import {
  binaryName,
  BUNDLE_LOCK,
  bundleArgs,
  bundleDir,
  bundleName,
  compileArgs,
  type Program,
  PROGRAMS,
  type Target,
  TARGETS,
} from "./targets.ts";

const ROOT = new URL("../../", import.meta.url);

/** Runs `deno ARGS` in the repository root; resolves with the exit code and stderr. */
async function deno(args: string[]): Promise<{ ok: boolean; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  return { ok: out.success, stderr: new TextDecoder().decode(out.stderr) };
}

async function gitCommit(): Promise<string> {
  try {
    const out = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
  } catch {
    return "unknown";
  }
}

/** How long {@link bundleAll} waits for another build in the same checkout, and a stale lock. */
const BUILD_LOCK_MS = 10 * 60_000;

/**
 * Runs `fn` holding `.bundle-all.lock` in the checkout: builds share build_info.ts and the config
 * copy, so two at once (two test processes) would bundle each other's stamp and restore a stamp.
 * A lock older than {@link BUILD_LOCK_MS} (a killed build) is taken over.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = new URL(".bundle-all.lock", ROOT);
  const deadline = Date.now() + BUILD_LOCK_MS;
  while (true) {
    try {
      await Deno.writeTextFile(lock, `${Deno.pid}\n`, { createNew: true });
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      const since = await Deno.stat(lock).then((s) => s.mtime?.getTime() ?? 0, () => 0);
      if (since > 0 && Date.now() - since > BUILD_LOCK_MS) {
        await Deno.remove(lock).catch(() => {});
      } else if (Date.now() > deadline) {
        throw new Error(`compile: another build holds ${lock.pathname}`);
      } else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}

/**
 * Bundles every program (or `programs`) into `outDir` with build_info.ts stamped; puts back the
 * checkout's build_info.ts (commit "unknown", no date). One build at a time per checkout
 * ({@link withBuildLock}). Deno works on a copy of the bundle lockfile, which replaces the
 * checkout's only when every program was bundled and the set of npm packages changed (not for the
 * list of deno.json imports the lockfile also records).
 */
export function bundleAll(
  outDir: string,
  stamp: { commit: string; date: string },
  programs: readonly Program[] = PROGRAMS,
): Promise<Map<Program, string>> {
  return withBuildLock(() => bundleLocked(outDir, stamp, programs));
}

async function bundleLocked(
  outDir: string,
  stamp: { commit: string; date: string },
  programs: readonly Program[],
): Promise<Map<Program, string>> {
  const lockFile = new URL(BUNDLE_LOCK, ROOT);
  const lockCopy = await Deno.makeTempFile({ prefix: "pgactive-bundle-", suffix: ".lock" });
  // deno.json's unstable "lazy-dynamic-imports" (CLI start-up from source) makes `deno bundle`
  // lose npm packages reached only through import() ("Could not find constraint ..."): bundle
  // with a copy of the config without it, beside deno.json so relative paths still resolve.
  const config = new URL(".deno.bundle.json", ROOT);
  const { unstable: _unstable, ...bundleConfig } = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  );
  await Deno.writeTextFile(config, JSON.stringify(bundleConfig, null, 2));
  const bundles = new Map<Program, string>();
  await Deno.mkdir(outDir, { recursive: true });
  try {
    await Deno.copyFile(lockFile, lockCopy);
    await Deno.writeTextFile(BUILD_INFO_FILE, buildInfoSource(stamp.commit, stamp.date));
    for (const program of programs) {
      const output = `${outDir}/${bundleName(program)}`;
      // A split bundle gets a fresh folder (a stale chunk would be compiled in), and its entry
      // chunk, named after the entrypoint, the program's name.
      const target = program.split ? `${outDir}/${bundleDir(program)}` : output;
      if (program.split) {
        await Deno.remove(target, { recursive: true }).catch((err) => {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
        });
      }
      const result = await deno(
        bundleArgs(program, target, { lock: lockCopy, config: config.pathname }),
      );
      if (!result.ok) throw new Error(`deno bundle ${program.entry} failed: ${result.stderr}`);
      if (program.split) {
        await Deno.rename(`${target}/${program.entry.replace(/\.ts$/, ".js")}`, output);
        await deferNodeRequire(target);
      }
      bundles.set(program, output);
    }
    const packages = (text: string) => {
      const { specifiers, npm } = JSON.parse(text);
      return JSON.stringify({ specifiers, npm });
    };
    const updated = await Deno.readTextFile(lockCopy);
    const everything = PROGRAMS.every((p) => programs.includes(p));
    if (everything && packages(updated) !== packages(await Deno.readTextFile(lockFile))) {
      await Deno.writeTextFile(lockFile, updated);
    }
  } finally {
    await Deno.writeTextFile(BUILD_INFO_FILE, buildInfoSource("unknown", null));
    await Deno.remove(lockCopy);
    await Deno.remove(config).catch(() => {});
  }
  return bundles;
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: "string", multiple: true },
      out: { type: "string" },
      commit: { type: "string" },
      "bundle-only": { type: "boolean" },
    },
    strict: true,
  });
  const targets = (values.target ?? [...TARGETS]) as Target[];
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    console.error(`compile: unknown target "${unknown[0]}": use one of ${TARGETS.join(", ")}`);
    return 64;
  }
  const outDir = values.out ?? new URL("dist", ROOT).pathname;
  const commit = values.commit ?? await gitCommit();
  const bundles = await bundleAll(outDir, { commit, date: new Date().toISOString() });
  for (const [program, path] of bundles) console.log(`bundled ${program.name}: ${path}`);
  if (values["bundle-only"]) return 0;

  const failed: string[] = [];
  for (const target of targets) {
    for (const [program, bundle] of bundles) {
      const output = `${outDir}/${binaryName(program, target)}`;
      const result = await deno(compileArgs(program, bundle, target, output));
      if (result.ok) {
        console.log(`compiled ${output} (${((await Deno.stat(output)).size / 1e6).toFixed(1)} MB)`);
      } else {
        failed.push(`${program.name} ${target}`);
        console.error(`compile: ${program.name} for ${target} failed:\n${result.stderr.trim()}`);
      }
    }
  }
  if (failed.length > 0) {
    console.error(`compile: ${failed.length} build(s) failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
