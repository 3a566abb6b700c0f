/**
 * What the release builds: the two programs with the exact permissions each is granted (baked
 * into the compiled binary, passed to `deno run` in the container and in the tests), and the
 * `deno compile` targets. One place, so the binary, the image and the tests cannot drift apart.
 */

/** One shipped program. */
export interface Program {
  /** Binary name (`pgactive-server`, `pgactive-tools`). */
  readonly name: string;
  /** Entrypoint, relative to the repository root. */
  readonly entry: string;
  /** Permission flags granted at run time, in this order. */
  readonly permissions: readonly string[];
  /**
   * Bundled with code splitting: an entry chunk holding what every run needs and chunks loaded by
   * `import()` when a command needs them, all in one folder (see {@link bundleName}).
   */
  readonly split: boolean;
}

/**
 * What `os.userInfo()` needs: postgres.js falls back to the OS user name, as libpq does, when a
 * DSN names no user (without it such a DSN fails with "no PostgreSQL user name specified").
 */
const OS_USER = "--allow-sys=uid,gid,userInfo";
/**
 * The server also reads the OS boot time: its version lease tells a process restart (continue at
 * +1, also after kill -9) from a reboot (continue above the synced reservation).
 */
const SERVER_SYS = `${OS_USER},osUptime`;

/**
 * pgactive-server: net (nodes, listener), env (config, PG* variables read by postgres.js), read
 * (config, TLS files), write (the SQLite history, wherever `database.path` points), the OS user
 * and the boot time.
 */
export const SERVER: Program = {
  name: "pgactive-server",
  entry: "main_server.ts",
  permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write", SERVER_SYS],
  // One file: a long-running server gains nothing from loading later (and the image copies one).
  split: false,
};

/**
 * pgactive-tools: net (server, or nodes with --direct), env, read (config), the OS user. Split, so
 * that a one-shot command (`lag`, `check`, `version`) does not parse the collector, the PostgreSQL
 * driver, YAML, zod or OpenTelemetry (2.8 MB as one file; issue 13's start-up goal).
 */
export const CLI: Program = {
  name: "pgactive-tools",
  entry: "main_cli.ts",
  permissions: ["--allow-net", "--allow-env", "--allow-read", OS_USER],
  split: true,
};

/** Both programs. */
export const PROGRAMS: readonly Program[] = [SERVER, CLI];

/** `deno compile` targets of a release (Windows last: smoke-tested without PostgreSQL). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** A `deno compile` target. */
export type Target = (typeof TARGETS)[number];

/** Flags every `deno run` / `deno compile` of a bundle gets: no config, lock or update check. */
const STANDALONE = ["--no-config", "--no-lock", "--no-prompt"];

/**
 * Path of a program's bundle entry, relative to the output folder: `pgactive-server.js` (one file,
 * npm packages inlined), `pgactive-tools-bundle/pgactive-tools.js` (the entry chunk; the other
 * chunks beside it, imported relative to it).
 */
export function bundleName(program: Program): string {
  return program.split ? `${bundleDir(program)}/${program.name}.js` : `${program.name}.js`;
}

/** Folder of a split program's chunks, relative to the output folder. */
export function bundleDir(program: Program): string {
  return `${program.name}-bundle`;
}

/** File name of a compiled binary, e.g. `pgactive-tools-aarch64-apple-darwin(.exe)`. */
export function binaryName(program: Program, target: Target): string {
  return `${program.name}-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/**
 * Lockfile of the bundles (repository-relative): only the npm packages the two programs import,
 * with their integrity hashes. The project's deno.lock also pins the Temporal and browser-test
 * packages, and Deno fetches every package a lockfile names (about 300 MB) before bundling.
 */
export const BUNDLE_LOCK = "lib/release/bundle.lock";

/**
 * `deno bundle` arguments (run from the repository root): the entrypoint -> `output`, one file;
 * for a split program, `output` is a folder that receives the entry chunk (named after the
 * entrypoint, e.g. `main_cli.js`) and the chunks it imports.
 */
export function bundleArgs(
  program: Program,
  output: string,
  options: { lock?: string; config?: string } = {},
): string[] {
  return [
    "bundle",
    "--quiet",
    "--platform=deno",
    "--node-modules-dir=none",
    ...(options.config ? [`--config=${options.config}`] : []),
    `--lock=${options.lock ?? BUNDLE_LOCK}`,
    ...(program.split ? ["--code-splitting", `--outdir=${output}`] : [`--output=${output}`]),
    program.entry,
  ];
}

/**
 * `deno run` arguments of a bundle under exactly the permissions of the binary. A split bundle
 * also gets `--unstable-lazy-dynamic-imports`: without it `deno run` reads and parses every chunk
 * a literal `import()` names before the entry starts (about 20 ms for the CLI). A compiled binary
 * builds no module graph when it starts (`deno compile` built it); its start-up cannot be measured
 * here (no `denort`).
 */
export function runArgs(program: Program, bundle: string, args: readonly string[] = []): string[] {
  const lazy = program.split ? ["--unstable-lazy-dynamic-imports"] : [];
  return ["run", ...STANDALONE, ...lazy, ...program.permissions, bundle, ...args];
}

/**
 * `deno compile` arguments: the tested bundle (no npm resolution at compile time, so neither the
 * project's node_modules nor its lockfile, which hold the Temporal and browser test packages, reach
 * the binary) with the program's permissions baked in. A split bundle's folder is included whole
 * (`deno compile` itself embeds only what literal imports reach; a chunk loaded otherwise would
 * be missing at run time): the chunks keep their paths relative to the entry in the binary's
 * embedded file system, so the entry's `import("./lag-….js")` resolves as under `deno run`.
 */
export function compileArgs(
  program: Program,
  bundle: string,
  target: Target,
  output: string,
): string[] {
  return [
    "compile",
    ...STANDALONE,
    ...program.permissions,
    "--target",
    target,
    "--output",
    output,
    ...(program.split ? ["--include", bundle.slice(0, bundle.lastIndexOf("/"))] : []),
    bundle,
  ];
}
