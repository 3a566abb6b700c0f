/** The Sandbox: a real N-node PostgreSQL 15 logical-replication mesh with a pgactive schema. */
import type postgres from "postgres";
import type { Logger } from "../telemetry/mod.ts";
import { silentLogger } from "../telemetry/mod.ts";
import { ident, literal } from "./compat_schema.ts";
import { type ConflictOptions, recordConflictSql } from "./conflicts.ts";
import { renderConfigYaml, type SandboxConfigOptions } from "./config_yaml.ts";
import { PgInstance } from "./instance.ts";
import { type LoadHandle, startLoadLoop } from "./load.ts";
import { pollUntil, resolvePgBin, resolveRunAs, type RunAs, shell } from "./process.ts";
import {
  buildTemplate,
  configureNode,
  copyTemplate,
  type MeshNode,
  newSysid,
  nodeDsn,
  openPool,
  slotName,
  subscribeNode,
  subscriptionName,
  superDsn,
  TEMPLATE_DB,
} from "./setup.ts";
import { startWatchdog, type Watchdog } from "./watchdog.ts";

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

/** One node of the sandbox. */
export interface SandboxNode {
  /** Node name (also pgactive_nodes.node_name). */
  readonly name: string;
  /** TCP port on 127.0.0.1 (kept across stopNode/startNode). */
  readonly port: number;
  /** Superuser DSN, no password: `postgres://postgres@127.0.0.1:PORT/app`. */
  readonly dsn: string;
  /** PGDATA of the instance. */
  readonly dataDir: string;
  /** Postmaster pid (changes on startNode; 0 while stopped). */
  readonly pid: number;
  /** pgactive node id (random 64-bit, decimal text), not the PostgreSQL system identifier. */
  readonly sysid: string;
  /** OID of the sandbox database on this node. */
  readonly dboid: number;
}

interface NodeState {
  info: { -readonly [K in keyof SandboxNode]: SandboxNode[K] };
  inst: PgInstance;
  sql: postgres.Sql | null;
  stopped: boolean;
}

interface Stall {
  sql: postgres.Sql;
  conn: postgres.ReservedSql;
}

const NAME_RE = /^[a-z_][a-z0-9_]{0,39}$/;
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
  const states: NodeState[] = [];
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
      const inst = new PgInstance({
        name,
        pgBin,
        runAs,
        dataDir: `${tmp}/${name}`,
        logFile: `${tmp}/${name}.log`,
      });
      states.push({
        info: { name, port: 0, dsn: "", dataDir: inst.dataDir, pid: 0, sysid: "", dboid: 0 },
        inst,
        sql: null,
        stopped: false,
      });
    }
    await Promise.all(states.map((s) => s.inst.start()));
    phase("start");
    const mesh: MeshNode[] = [];
    for (const s of states) {
      s.info.port = s.inst.port;
      s.info.dsn = superDsn(s.inst.port, database);
      s.info.pid = (await s.inst.pid()) ?? 0;
      s.info.sysid = newSysid();
      s.sql = openPool(s.info.dsn);
      const [row] = await s.sql.unsafe(
        `SELECT oid::int8 AS oid FROM pg_database WHERE datname = current_database()`,
      );
      s.info.dboid = Number(row!.oid);
      mesh.push({
        name: s.info.name,
        port: s.info.port,
        sysid: s.info.sysid,
        dboid: s.info.dboid,
        sql: s.sql,
      });
    }
    phase("connect");
    await Promise.all(mesh.map((m) => configureNode(m, mesh, database)));
    phase("configure");
    await Promise.all(mesh.map((m) => subscribeNode(m, mesh, database)));
    phase("subscribe");
    const sandbox = new Sandbox({ states, tmp, database, runAs, watchdog, logger });
    await sandbox.waitForLinks();
    logger.info("sandbox ready", {
      nodes: names.length,
      ms: Math.round(performance.now() - started),
      tmp,
    });
    return sandbox;
  } catch (e) {
    await teardown(states, tmp, watchdog);
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

async function teardown(states: NodeState[], tmp: string, watchdog: Watchdog): Promise<void> {
  await Promise.all(states.map(async (s) => {
    if (s.inst.hung) await s.inst.resume();
  }));
  await Promise.all(states.map(async (s) => {
    const sql = s.sql;
    s.sql = null;
    if (sql) await sql.end({ timeout: 1 }).catch(() => {});
  }));
  await Promise.all(states.map((s) => s.inst.stop("immediate", 10_000).catch(() => s.inst.kill())));
  await shell(`rm -rf "$1"`, [tmp]).catch(() => {});
  watchdog.disarm();
}

/** A running sandbox; close it (or `await using`) to stop every instance and remove its files. */
export class Sandbox implements AsyncDisposable {
  #states: NodeState[];
  #byName: Map<string, NodeState>;
  #tmp: string;
  #database: string;
  #watchdog: Watchdog;
  #logger: Logger;
  #stalls = new Map<string, Stall>();
  #broken = new Set<string>();
  #loads = new Set<LoadHandle>();
  #closed = false;

  /** @internal use {@link startSandbox} */
  constructor(
    init: {
      states: NodeState[];
      tmp: string;
      database: string;
      runAs: RunAs;
      watchdog: Watchdog;
      logger: Logger;
    },
  ) {
    this.#states = init.states;
    this.#byName = new Map(init.states.map((s) => [s.info.name, s]));
    this.#tmp = init.tmp;
    this.#database = init.database;
    this.#watchdog = init.watchdog;
    this.#logger = init.logger;
  }

  /** All nodes, in order. */
  get nodes(): readonly SandboxNode[] {
    return this.#states.map((s) => s.info);
  }

  /** The sandbox's temporary directory (data dirs, logs). */
  get directory(): string {
    return this.#tmp;
  }

  /** The database name used on every node. */
  get database(): string {
    return this.#database;
  }

  /** One node by name (throws RangeError for an unknown name). */
  node(name: string): SandboxNode {
    return this.#state(name).info;
  }

  /** Runs SQL as the superuser on a node's database; returns the rows. */
  async query(
    name: string,
    sqlText: string,
    params: readonly unknown[] = [],
  ): Promise<Record<string, unknown>[]> {
    const rows = await this.#pool(name).unsafe(
      sqlText,
      params as postgres.ParameterOrJSON<never>[],
    );
    return [...rows] as Record<string, unknown>[];
  }

  /** Inserts `rows` (default 1) rows into the node's own replicated table, in one transaction. */
  async write(name: string, rows = 1): Promise<void> {
    if (!Number.isInteger(rows) || rows < 1) {
      throw new RangeError("rows must be a positive integer");
    }
    await this.#pool(name).unsafe(
      `INSERT INTO public.${ident(`sandbox_${name}`)} (payload)
       SELECT 'sandbox row ' || g FROM generate_series(1, $1::int) g`,
      [rows],
    );
  }

  /**
   * Writes to the node's table at about `rowsPerSecond` (ticks every 100 ms) until stopped.
   * Write errors (node stopped or hung) are logged and skipped; at most one batch is in flight.
   */
  startLoad(name: string, opts: { rowsPerSecond: number }): LoadHandle {
    this.#state(name);
    const handle = startLoadLoop({
      rowsPerSecond: opts.rowsPerSecond,
      write: (rows) => this.write(name, rows),
      onError: (e) =>
        this.#logger.debug("sandbox load write failed", {
          node: name,
          error: e instanceof Error ? e.message : String(e),
        }),
      onStop: () => this.#loads.delete(handle),
    });
    this.#loads.add(handle);
    return handle;
  }

  /** Waits until every active pgactive slot has confirmed its origin's current WAL position. */
  async waitForCatchUp(opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const live = this.#states.filter((s) => !s.stopped && !s.inst.hung);
    await Promise.all(live.map(async (s) => {
      const sql = this.#pool(s.info.name);
      const [t] = await sql.unsafe(`SELECT pg_current_wal_lsn()::text AS lsn`);
      const target = String(t!.lsn);
      await pollUntil(`slots on "${s.info.name}" to confirm ${target}`, async () => {
        const [r] = await sql.unsafe(
          `SELECT count(*)::int AS behind FROM pg_replication_slots
           WHERE plugin = 'pgactive' AND active AND confirmed_flush_lsn < $1::pg_lsn`,
          [target],
        );
        return r!.behind === 0;
      }, { timeoutMs, intervalMs: 50 });
    }));
  }

  /** Blocks apply on `to` of changes from `from`; the walsender stays connected and lag builds. */
  async stallLink(from: string, to: string): Promise<void> {
    const origin = this.#state(from);
    const target = this.#state(to);
    if (origin === target) throw new RangeError("A link needs two different nodes");
    const key = `${from}->${to}`;
    if (this.#stalls.has(key)) return;
    const sql = openPool(target.info.dsn, 1);
    try {
      const conn = await sql.reserve();
      await conn.unsafe("BEGIN");
      await conn.unsafe(
        `LOCK TABLE public.${ident(`sandbox_${from}`)} IN SHARE MODE`,
      );
      this.#stalls.set(key, { sql, conn });
    } catch (e) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw e;
    }
  }

  /** Lets the apply of `from` -> `to` continue (rolls back the blocking transaction). */
  async resumeLink(from: string, to: string): Promise<void> {
    const key = `${from}->${to}`;
    const stall = this.#stalls.get(key);
    if (!stall) return;
    this.#stalls.delete(key);
    await releaseStall(stall);
  }

  /** Stalls every inbound link of `name` and makes `pgactive_is_apply_paused()` true there. */
  async pauseApply(name: string): Promise<void> {
    const s = this.#state(name);
    for (const p of this.#states) {
      if (p !== s) await this.stallLink(p.info.name, name);
    }
    await this.query(name, `UPDATE pgactive_sandbox.local_node SET apply_paused = true`);
  }

  /** Undoes {@link pauseApply}. */
  async resumeApply(name: string): Promise<void> {
    const s = this.#state(name);
    await this.query(name, `UPDATE pgactive_sandbox.local_node SET apply_paused = false`);
    for (const p of this.#states) {
      if (p !== s) await this.resumeLink(p.info.name, name);
    }
  }

  /** Disables `to`'s subscription to `from`: walsender gone, slot inactive on `from`. */
  async breakLink(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const origin = this.#state(from);
    this.#state(to);
    this.#broken.add(`${from}->${to}`);
    await this.query(to, `ALTER SUBSCRIPTION ${ident(subscriptionName(from))} DISABLE`);
    // a worker blocked by a stall would only notice the DISABLE after the stall: end it now
    await this.query(
      to,
      `SELECT pg_terminate_backend(st.pid) FROM pg_stat_subscription st
       JOIN pg_subscription s ON s.oid = st.subid WHERE s.subname = $1 AND st.pid IS NOT NULL`,
      [subscriptionName(from)],
    );
    await this.query(
      to,
      `UPDATE pgactive_sandbox.apply_state
       SET last_error = 'pgactive_apply_failure', last_error_time = now() WHERE origin_sysid = $1`,
      [origin.info.sysid],
    );
    if (!origin.stopped && !origin.inst.hung) {
      await pollUntil(
        `link ${from} -> ${to} to go inactive`,
        async () => !await this.#linkActive(from, to),
        { timeoutMs: opts.timeoutMs ?? 20_000 },
      );
    }
  }

  /** Re-enables the subscription and waits until the walsender is back. */
  async restoreLink(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    this.#state(from);
    this.#state(to);
    this.#broken.delete(`${from}->${to}`);
    await this.query(to, `ALTER SUBSCRIPTION ${ident(subscriptionName(from))} ENABLE`);
    await this.#waitLinksOf(null, opts.timeoutMs ?? 20_000, [[from, to]]);
  }

  /**
   * Stops a node (`pg_ctl stop -m fast`). Peers' apply workers for it then report pid 0 and
   * `pgactive_apply_failure` with the stop time in pgactive_get_workers_info().
   */
  async stopNode(name: string): Promise<void> {
    const s = this.#state(name);
    if (s.stopped) return;
    for (const [key, stall] of [...this.#stalls]) {
      if (key.endsWith(`->${name}`)) {
        this.#stalls.delete(key);
        await stall.sql.end({ timeout: 0 }).catch(() => {});
      }
    }
    const sql = s.sql;
    s.sql = null;
    if (sql) await sql.end({ timeout: 1 }).catch(() => {});
    await s.inst.stop("fast");
    s.stopped = true;
    s.info.pid = 0;
    await Promise.all(this.#states.map(async (p) => {
      if (p === s || p.stopped || p.inst.hung) return;
      await this.query(
        p.info.name,
        `UPDATE pgactive_sandbox.apply_state
         SET last_error = 'pgactive_apply_failure', last_error_time = now() WHERE origin_sysid = $1`,
        [s.info.sysid],
      ).catch(() => {});
    }));
  }

  /** Starts a stopped node on the same port and data; waits until its links are streaming. */
  async startNode(name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const s = this.#state(name);
    if (!s.stopped) return;
    await s.inst.start();
    s.stopped = false;
    s.info.pid = (await s.inst.pid()) ?? 0;
    s.sql = openPool(s.info.dsn);
    await this.#waitLinksOf(name, opts.timeoutMs ?? 30_000);
  }

  /** SIGSTOPs the node's postmaster and all its children: connections hang, nothing answers. */
  async hangNode(name: string): Promise<void> {
    const s = this.#state(name);
    if (s.stopped) throw new Error(`Cannot hang node "${name}": it is stopped`);
    await s.inst.hang();
  }

  /** SIGCONTs a hung node. */
  async resumeNode(name: string): Promise<void> {
    await this.#state(name).inst.resume();
  }

  /**
   * SIMULATED conflicts (the sandbox cannot produce real pgactive conflict handling): inserts
   * `count` rows into `pgactive.pgactive_conflict_history` on `name` for changes from `from`
   * (error_context = 'simulated by pgactive-tools sandbox') and bumps the matching
   * `pgactive_get_stats()` counter of `from`'s origin in the same transaction. Returns the new
   * conflict_ids.
   */
  async recordConflict(name: string, opts: ConflictOptions): Promise<number[]> {
    const local = this.#state(name);
    const origin = this.#state(opts.from);
    if (local === origin) throw new RangeError("A conflict needs a remote origin node");
    const { sql, params } = recordConflictSql(opts, {
      localSysid: local.info.sysid,
      originSysid: origin.info.sysid,
      originDboid: origin.info.dboid,
      originName: origin.info.name,
      subscription: subscriptionName(origin.info.name),
    });
    const rows = await this.#pool(name).begin(async (tx) => {
      const ids = await tx.unsafe(sql.insert, params);
      await tx.unsafe(sql.counters, [origin.info.sysid, ids.length]);
      return ids;
    });
    return [...rows].map((r) => Number(r.conflict_id));
  }

  /**
   * Creates (or updates) a LOGIN role on every running node: member of pg_monitor, plus, with
   * `grants: "full"` (default), exactly the GRANT set of pgactive-observed.md section 6b.
   * Returns node name -> DSN for that role.
   */
  async createMonitoringRole(
    opts: { name?: string; grants?: "full" | "none" } = {},
  ): Promise<Record<string, string>> {
    const role = opts.name ?? "pgactive_monitor";
    if (!NAME_RE.test(role)) throw new RangeError(`Invalid role name "${role}"`);
    const r = ident(role);
    const objects = {
      tables: `pgactive.pgactive_nodes, pgactive.pgactive_connections,
        pgactive.pgactive_conflict_history, pgactive.pgactive_stats,
        pgactive.pgactive_global_locks_info, pgactive.pgactive_global_locks`,
      functions: `pgactive.pgactive_version_num(), pgactive.pgactive_min_remote_version_num(),
        pgactive.pgactive_variant(), pgactive.pgactive_get_local_nodeid(),
        pgactive.pgactive_get_stats(), pgactive.pgactive_get_workers_info(),
        pgactive.pgactive_node_status_from_char("char"), pgactive.pgactive_parse_slot_name(name),
        pgactive.pgactive_parse_replident_name(text), pgactive.pgactive_get_global_locks_info()`,
    };
    const full = opts.grants !== "none";
    const verb = full ? "GRANT" : "REVOKE";
    const to = full ? "TO" : "FROM";
    const script = `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN
          CREATE ROLE ${r} LOGIN;
        END IF;
      END $$;
      GRANT pg_monitor TO ${r};
      ${verb} SELECT ON ${objects.tables} ${to} ${r};
      ${verb} EXECUTE ON FUNCTION ${objects.functions} ${to} ${r};
      ${verb} SELECT ON pg_catalog.pg_replication_origin_status ${to} ${r};
      ${verb} EXECUTE ON FUNCTION pg_catalog.pg_show_replication_origin_status() ${to} ${r};`;
    const out: Record<string, string> = {};
    for (const s of this.#states) {
      if (s.stopped) continue;
      await this.#pool(s.info.name).unsafe(script);
      out[s.info.name] = superDsn(s.info.port, this.#database, role);
    }
    return out;
  }

  /**
   * Creates another database on a node's instance with the pgactive schema and its own
   * standalone pgactive identity (node_name = dbName, one pgactive_nodes row, no replication).
   * Returns its superuser DSN. For scale benchmarks.
   */
  async createDatabase(name: string, dbName: string): Promise<string> {
    const s = this.#state(name);
    if (!NAME_RE.test(dbName)) throw new RangeError(`Invalid database name "${dbName}"`);
    await this.#pool(name).unsafe(
      `CREATE DATABASE ${ident(dbName)} TEMPLATE ${ident(TEMPLATE_DB)} STRATEGY FILE_COPY`,
    );
    const dsn = superDsn(s.info.port, dbName);
    const sql = openPool(dsn, 1);
    try {
      const sysid = newSysid();
      const nd = nodeDsn(s.info.port, dbName);
      await sql.begin((tx) =>
        tx.unsafe(`
          INSERT INTO pgactive_sandbox.local_node (sysid, node_name)
          VALUES (${literal(sysid)}, ${literal(dbName)});
          INSERT INTO pgactive.pgactive_nodes (node_sysid, node_timeline, node_dboid, node_status,
            node_name, node_dsn, node_read_only, node_seq_id)
          SELECT ${literal(sysid)}, 0, oid, 'r', ${literal(dbName)}, ${literal(nd)}, false, 1
          FROM pg_database WHERE datname = current_database();
          INSERT INTO pgactive.pgactive_connections (conn_sysid, conn_timeline, conn_dboid, conn_dsn)
          SELECT ${literal(sysid)}, 0, oid, ${literal(nd)}
          FROM pg_database WHERE datname = current_database();`)
      );
    } finally {
      await sql.end({ timeout: 2 });
    }
    return dsn;
  }

  /** A collector config file (seed format) pointing at the nodes. */
  configYaml(opts: SandboxConfigOptions = {}): string {
    return renderConfigYaml(this.nodes, opts);
  }

  /** Stops loads, SIGCONTs hung nodes, stops every instance and removes the temp directory. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#loads].map((l) => l.stop()));
    await Promise.all(this.#states.map(async (s) => {
      if (s.inst.hung) await s.inst.resume();
    }));
    const stalls = [...this.#stalls.values()];
    this.#stalls.clear();
    await Promise.all(stalls.map((st) => st.sql.end({ timeout: 0 }).catch(() => {})));
    await teardown(this.#states, this.#tmp, this.#watchdog);
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal waits until every link between running, non-hung nodes is streaming. */
  async waitForLinks(timeoutMs = 30_000): Promise<void> {
    await this.#waitLinksOf(null, timeoutMs);
  }

  #state(name: string): NodeState {
    const s = this.#byName.get(name);
    if (!s) throw new RangeError(`Unknown sandbox node "${name}"`);
    return s;
  }

  #pool(name: string): postgres.Sql {
    if (this.#closed) throw new Error("The sandbox is closed");
    const s = this.#state(name);
    if (s.stopped || !s.sql) throw new Error(`Sandbox node "${name}" is stopped`);
    return s.sql;
  }

  async #linkActive(from: string, to: string): Promise<boolean> {
    const o = this.#state(from);
    const t = this.#state(to);
    const [r] = await this.query(
      from,
      `SELECT coalesce(bool_or(active), false) AS active FROM pg_replication_slots
       WHERE slot_name = $1`,
      [slotName(o.info.dboid, t.info.sysid, t.info.dboid)],
    );
    return r!.active === true;
  }

  async #waitLinksOf(
    node: string | null,
    timeoutMs: number,
    only?: [string, string][],
  ): Promise<void> {
    const pairs: [string, string][] = only ?? [];
    if (!only) {
      for (const a of this.#states) {
        for (const b of this.#states) {
          if (a === b) continue;
          if (node !== null && a.info.name !== node && b.info.name !== node) continue;
          pairs.push([a.info.name, b.info.name]);
        }
      }
    }
    const live = (n: string) => {
      const s = this.#state(n);
      return !s.stopped && !s.inst.hung;
    };
    const wanted = pairs.filter(([f, t]) => live(f) && live(t) && !this.#broken.has(`${f}->${t}`));
    await Promise.all(
      wanted.map(([f, t]) =>
        pollUntil(`link ${f} -> ${t} to be streaming`, () => this.#linkActive(f, t), {
          timeoutMs,
          intervalMs: 50,
        })
      ),
    );
  }
}

async function releaseStall(stall: Stall): Promise<void> {
  try {
    await stall.conn.unsafe("ROLLBACK");
    stall.conn.release();
  } catch {
    // node stopped meanwhile
  }
  await stall.sql.end({ timeout: 1 }).catch(() => {});
}
