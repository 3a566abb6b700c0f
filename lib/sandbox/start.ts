/** `startSandbox`: options, temp directory, template, nodes, mesh; a ready {@link Sandbox}. */
import type { Logger } from "../telemetry/mod.ts";
import { silentLogger } from "../telemetry/mod.ts";
import { PgInstance } from "./instance.ts";
import { NodeRuntime, teardown } from "./node_runtime.ts";
import { resolvePgBin, resolveRunAs, shell } from "./process.ts";
import { NAME_RE, Sandbox } from "./sandbox.ts";
import {
  buildTemplate,
  configureNode,
  copyTemplate,
  type MeshNode,
  newSysid,
  subscribeNode,
} from "./setup.ts";
import { startWatchdog } from "./watchdog.ts";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Number of nodes (default 3); ignored when `names` is given. */
  nodes?: number;
  /** Node names (default node1..nodeN): lowercase identifiers. */
  names?: string[];
  /** Database name on every node (default "app"). */
  database?: string;
  /** Directory of initdb/pg_ctl (default: env PGACTIVE_SANDBOX_PG_BIN, Debian PG 15, pg_config). */
  pgBin?: string;
  /** Where setup and load errors are logged (default: silent). */
  logger?: Logger;
  /**
   * Absolute directories searched for dynamic libraries after the sandbox's own folder and before
   * `$libdir` (default none); readable by the server's OS user.
   */
  extraLibraryDirs?: readonly string[];
}

const LIB_DIR_RE = /^\/[^:'"$\\\n]*$/;

/** Starts N PostgreSQL instances wired into a full logical-replication mesh; see {@link Sandbox}. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const names = opts.names ??
    Array.from({ length: opts.nodes ?? 3 }, (_, i) => `node${i + 1}`);
  const database = opts.database ?? "app";
  if (names.length < 1) throw new RangeError("A sandbox needs at least one node");
  for (const n of [...names, database]) {
    if (!NAME_RE.test(n)) {
      throw new RangeError(`Invalid sandbox name "${n}": use a lowercase identifier`);
    }
  }
  if (new Set(names).size !== names.length) throw new RangeError("Node names must be unique");
  const extraLibraryDirs = opts.extraLibraryDirs ?? [];
  for (const d of extraLibraryDirs) {
    if (!LIB_DIR_RE.test(d)) {
      throw new RangeError(
        `Invalid library directory "${d}": use an absolute path without ':', quotes or '$'`,
      );
    }
  }
  const logger = opts.logger ?? silentLogger;
  const started = performance.now();
  const pgBin = await resolvePgBin(opts.pgBin);
  const runAs = await resolveRunAs();
  const base = await tempBase();
  const tmp = (await shell(
    `d=$(mktemp -d -p "$1" pgactive-sandbox-XXXXXXXXXX) && if [ -n "$2" ]; then chown "$2" "$d"; fi && echo "$d"`,
    [base, runAs.wrapped ? `${runAs.uid}:${runAs.gid}` : ""],
  )).trim();
  const watchdog = await startWatchdog(tmp);
  const nodes: NodeRuntime[] = [];
  try {
    const phase = (what: string) =>
      logger.debug("sandbox setup phase", {
        phase: what,
        ms: Math.round(performance.now() - started),
      });
    const template = await buildTemplate({
      tmp,
      pgBin,
      runAs,
      nodeNames: names,
      database,
      extraLibraryDirs,
    });
    phase("template");
    await Promise.all(names.map((n) => copyTemplate(runAs, template, `${tmp}/${n}`)));
    phase("copy");
    for (const name of names) {
      const dataDir = `${tmp}/${name}`;
      const logFile = `${tmp}/${name}.log`;
      nodes.push(new NodeRuntime(new PgInstance({ name, pgBin, runAs, dataDir, logFile })));
    }
    await Promise.all(nodes.map((n) => n.boot(database)));
    phase("start");
    const mesh: MeshNode[] = [];
    for (const n of nodes) {
      n.info.sysid = newSysid();
      const [row] = await n.pool().unsafe(
        `SELECT oid::int8 AS oid FROM pg_database WHERE datname = current_database()`,
      );
      n.info.dboid = Number(row!.oid);
      const { name, port, sysid, dboid } = n.info;
      mesh.push({ name, port, sysid, dboid, sql: n.pool() });
    }
    phase("connect");
    await Promise.all(mesh.map((m) => configureNode(m, mesh, database)));
    phase("configure");
    await Promise.all(mesh.map((m) => subscribeNode(m, mesh, database)));
    phase("subscribe");
    const sandbox = new Sandbox({ nodes, tmp, database, watchdog, logger });
    await sandbox.waitForLinks();
    logger.info("sandbox ready", {
      nodes: names.length,
      ms: Math.round(performance.now() - started),
      tmp,
    });
    return sandbox;
  } catch (e) {
    await teardown(nodes, tmp, watchdog);
    throw e;
  }
}

/**
 * Where temp dirs go: env PGACTIVE_SANDBOX_TMPDIR, else /dev/shm when it is a writable directory
 * (tmpfs: copying data dirs is ~10x faster than on a virtual disk), else the OS default.
 */
async function tempBase(): Promise<string> {
  const env = Deno.env.get("PGACTIVE_SANDBOX_TMPDIR");
  if (env) return env;
  const shm = await shell(`if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo yes; fi`);
  return shm.trim() === "yes" ? "/dev/shm" : (Deno.env.get("TMPDIR") || "/tmp");
}
