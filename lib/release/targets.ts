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
}

/**
 * What `os.userInfo()` needs: postgres.js falls back to the OS user name, as libpq does, when a
 * DSN names no user (without it such a DSN fails with "no PostgreSQL user name specified").
 */
const OS_USER = "--allow-sys=uid,gid,userInfo";

/**
 * pgactive-server: net (nodes, listener), env (config, PG* variables read by postgres.js), read
 * (config, TLS files), write (the SQLite history, wherever `database.path` points), the OS user.
 */
export const SERVER: Program = {
  name: "pgactive-server",
  entry: "main_server.ts",
  permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write", OS_USER],
};

/** pgactive-tools: net (server, or nodes with --direct), env, read (config), the OS user. */
export const CLI: Program = {
  name: "pgactive-tools",
  entry: "main_cli.ts",
  permissions: ["--allow-net", "--allow-env", "--allow-read", OS_USER],
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

/** File name of a program's bundle (one JavaScript file, npm packages inlined). */
export function bundleName(program: Program): string {
  return `${program.name}.js`;
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

/** `deno bundle` arguments: the entrypoint -> one file (run from the repository root). */
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
    `--output=${output}`,
    program.entry,
  ];
}

/** `deno run` arguments of a bundle under exactly the permissions of the binary. */
export function runArgs(program: Program, bundle: string, args: readonly string[] = []): string[] {
  return ["run", ...STANDALONE, ...program.permissions, bundle, ...args];
}

/**
 * `deno compile` arguments: the tested bundle (no npm resolution at compile time, so neither the
 * project's node_modules nor its lockfile, which hold the Temporal and browser test packages, reach
 * the binary) with the program's permissions baked in.
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
    bundle,
  ];
}
