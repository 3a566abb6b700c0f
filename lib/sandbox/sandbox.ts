/** The Sandbox: a real N-node PostgreSQL 15 logical-replication mesh with a pgactive schema. */
import type postgres from "postgres";
import type { Logger } from "../telemetry/mod.ts";
import { ident } from "./compat_schema.ts";
import { type ConflictOptions, recordConflictSql } from "./conflicts.ts";
import { renderConfigYaml, type SandboxConfigOptions } from "./config_yaml.ts";
import { type Link, LinkControls } from "./links.ts";
import { type LoadHandle, startLoadLoop } from "./load.ts";
import { monitoringRoleSql } from "./monitoring_role.ts";
import { type NodeRuntime, type SandboxNode, type StopMode, teardown } from "./node_runtime.ts";
import { pollUntil } from "./process.ts";
import {
  newSysid,
  nodeDsn,
  openPool,
  slotName,
  standaloneIdentitySql,
  subscriptionName,
  superDsn,
  TEMPLATE_DB,
} from "./setup.ts";
import type { Watchdog } from "./watchdog.ts";

/** Node, database and role names: lowercase identifiers. */
export const NAME_RE = /^[a-z_][a-z0-9_]{0,39}$/;

/** A running sandbox; close it (or `await using`) to stop every instance and remove its files. */
export class Sandbox implements AsyncDisposable {
  #nodes: NodeRuntime[];
  #byName: Map<string, NodeRuntime>;
  #links: LinkControls;
  #tmp: string;
  #database: string;
  #watchdog: Watchdog;
  #logger: Logger;
  #loads = new Set<LoadHandle>();
  #closed = false;

  /** @internal use {@link startSandbox} */
  constructor(
    init: {
      nodes: NodeRuntime[];
      tmp: string;
      database: string;
      watchdog: Watchdog;
      logger: Logger;
    },
  ) {
    this.#nodes = init.nodes;
    this.#byName = new Map(init.nodes.map((n) => [n.name, n]));
    this.#links = new LinkControls(init.nodes);
    this.#tmp = init.tmp;
    this.#database = init.database;
    this.#watchdog = init.watchdog;
    this.#logger = init.logger;
  }

  /** All nodes, in order. */
  get nodes(): readonly SandboxNode[] {
    return this.#nodes.map((n) => n.info);
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
    return this.#node(name).info;
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
    this.#node(name);
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
    await Promise.all(
      this.#nodes.filter((n) => n.live).map(async (n) => {
        const sql = n.pool();
        const [t] = await sql.unsafe(`SELECT pg_current_wal_lsn()::text AS lsn`);
        const target = String(t!.lsn);
        await pollUntil(`slots on "${n.name}" to confirm ${target}`, async () => {
          const [r] = await sql.unsafe(
            `SELECT count(*)::int AS behind FROM pg_replication_slots
           WHERE plugin = 'pgactive' AND active AND confirmed_flush_lsn < $1::pg_lsn`,
            [target],
          );
          return r!.behind === 0;
        }, { timeoutMs, intervalMs: 50 });
      }),
    );
  }

  /** Blocks apply on `to` of changes from `from`; the walsender stays connected and lag builds. */
  async stallLink(from: string, to: string): Promise<void> {
    await this.#links.stall(this.#link(from, to));
  }

  /** Lets the apply of `from` -> `to` continue (rolls back the blocking transaction). */
  async resumeLink(from: string, to: string): Promise<void> {
    await this.#links.resume(this.#link(from, to));
  }

  /**
   * Pauses apply on `name` like `pgactive_apply_pause()`: `pgactive_is_apply_paused()` becomes
   * true and the node's apply workers are SIGSTOPped at a transaction boundary (workers started
   * later, e.g. by `restoreLink`, are frozen within 200 ms). They stop reading their connections:
   * the peers' walsenders stay connected, keep sending, and get no confirmation at all, so
   * sent_lsn runs ahead of write/flush/replay_lsn on every inbound link. Ends with
   * {@link resumeApply} or a stop/restart of the node (pgactive's pause is not persistent).
   */
  async pauseApply(name: string): Promise<void> {
    this.#pool(name);
    await this.#node(name).pause({
      onError: (e) =>
        this.#logger.debug("sandbox apply pause re-check failed", {
          node: name,
          error: e instanceof Error ? e.message : String(e),
        }),
    });
  }

  /** Undoes {@link pauseApply} (SIGCONT) and waits until the inbound links stream again. */
  async resumeApply(name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const n = this.#node(name);
    await n.unpause();
    const inbound = this.#links.linksOf(n).filter(([, to]) => to === n);
    await this.#links.waitStreaming(inbound, opts.timeoutMs ?? 30_000);
  }

  /** Disables `to`'s subscription to `from`: walsender gone, slot inactive on `from`. */
  async breakLink(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const link = this.#link(from, to);
    link[1].releaseWorkers(await this.#links.break(link)); // a frozen worker could not exit
    await this.#links.waitInactive(link, opts.timeoutMs ?? 20_000);
  }

  /** Re-enables the subscription and waits until the walsender is back. */
  async restoreLink(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    await this.#links.restore(this.#link(from, to), opts.timeoutMs ?? 20_000);
  }

  /**
   * Stops a node (default `fast`; see {@link StopMode} for `immediate` and `kill`). Peers' apply
   * workers for it then report pid 0 and `pgactive_apply_failure` with the stop time in
   * pgactive_get_workers_info(). A pause of the node ends.
   */
  async stopNode(name: string, opts: { mode?: StopMode } = {}): Promise<void> {
    const n = this.#node(name);
    if (n.stopped) return;
    const mode = opts.mode ?? "fast";
    await this.#links.dropStallsOn(n);
    if (mode === "fast") await this.#cutFrozenConsumers(n);
    await n.stop(mode);
    await Promise.all(this.#nodes.map(async (p) => {
      if (p === n || !p.live) return;
      await p.pool().unsafe(
        `UPDATE pgactive_sandbox.apply_state
         SET last_error = 'pgactive_apply_failure', last_error_time = now() WHERE origin_sysid = $1`,
        [n.info.sysid],
      ).catch(() => {});
    }));
  }

  /** Starts a stopped node on the same port and data; waits until its links are streaming. */
  async startNode(name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const n = this.#node(name);
    if (!n.stopped) return;
    await n.start();
    await this.#waitLinksOf(n, opts.timeoutMs ?? 30_000);
  }

  /**
   * Stops a running node with `mode` (see {@link StopMode}), starts it again and waits until its
   * links are streaming. As in pgactive, the `pgactive_get_stats()` counters survive `fast` and
   * `immediate`; after `kill` they are those saved at the last stop, while
   * `pgactive_conflict_history` keeps every row. A pause of the node ends.
   */
  async restartNode(name: string, opts: { mode: StopMode; timeoutMs?: number }): Promise<void> {
    const n = this.#node(name);
    if (n.stopped) throw new Error(`Cannot restart node "${name}": it is stopped`);
    await this.stopNode(name, { mode: opts.mode });
    await this.startNode(name, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
  }

  /** SIGSTOPs the node's postmaster and all its children: connections hang, nothing answers. */
  async hangNode(name: string): Promise<void> {
    const n = this.#node(name);
    if (n.stopped) throw new Error(`Cannot hang node "${name}": it is stopped`);
    await n.hang();
  }

  /** SIGCONTs a hung node (the workers of a pause stay frozen). */
  async resumeNode(name: string): Promise<void> {
    await this.#node(name).resume();
  }

  /**
   * SIMULATED conflicts (the sandbox cannot produce real pgactive conflict handling): inserts
   * `count` rows into `pgactive.pgactive_conflict_history` on `name` for changes from `from`
   * (error_context = 'simulated by pgactive-tools sandbox') and bumps the matching
   * `pgactive_get_stats()` counter of `from`'s origin in the same transaction. Returns the new
   * conflict_ids.
   */
  async recordConflict(name: string, opts: ConflictOptions): Promise<number[]> {
    const local = this.#node(name);
    const origin = this.#node(opts.from);
    if (local === origin) throw new RangeError("A conflict needs a remote origin node");
    const { sql, params } = recordConflictSql(opts, {
      localSysid: local.info.sysid,
      originSysid: origin.info.sysid,
      originDboid: origin.info.dboid,
      originName: origin.name,
      subscription: subscriptionName(origin.name),
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
    const script = monitoringRoleSql(role, opts.grants ?? "full");
    const out: Record<string, string> = {};
    for (const n of this.#nodes) {
      if (n.stopped) continue;
      await this.#pool(n.name).unsafe(script);
      out[n.name] = superDsn(n.info.port, this.#database, role);
    }
    return out;
  }

  /**
   * Creates another database on a node's instance with the pgactive schema and its own
   * standalone pgactive identity (node_name = dbName, one pgactive_nodes row, no replication).
   * Returns its superuser DSN. For scale benchmarks.
   */
  async createDatabase(name: string, dbName: string): Promise<string> {
    const n = this.#node(name);
    if (!NAME_RE.test(dbName)) throw new RangeError(`Invalid database name "${dbName}"`);
    await this.#pool(name).unsafe(
      `CREATE DATABASE ${ident(dbName)} TEMPLATE ${ident(TEMPLATE_DB)} STRATEGY FILE_COPY`,
    );
    const dsn = superDsn(n.info.port, dbName);
    const sql = openPool(dsn, 1);
    try {
      const script = standaloneIdentitySql(newSysid(), dbName, nodeDsn(n.info.port, dbName));
      await sql.begin((tx) => tx.unsafe(script));
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
    await Promise.all(this.#nodes.map(async (n) => {
      if (n.inst.hung) await n.resume();
    }));
    await this.#links.dropAll();
    await teardown(this.#nodes, this.#tmp, this.#watchdog);
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal waits until every link between running, non-hung nodes is streaming. */
  async waitForLinks(timeoutMs = 30_000): Promise<void> {
    await this.#waitLinksOf(null, timeoutMs);
  }

  /** Links from or to `node` (all when null), but those into a paused node (it reads nothing). */
  async #waitLinksOf(node: NodeRuntime | null, timeoutMs: number): Promise<void> {
    const links = this.#links.linksOf(node).filter(([, to]) => !to.paused);
    await this.#links.waitStreaming(links, timeoutMs);
  }

  /**
   * Before a fast stop of `n`: ends its walsenders whose consumer is frozen by a pause. They
   * would wait for that consumer's confirmation forever (wal_sender_timeout is 0 here; pgactive's
   * default 60 s would end them after a minute) and hold up the shutdown.
   */
  async #cutFrozenConsumers(n: NodeRuntime): Promise<void> {
    const slots = this.#nodes.filter((p) => p !== n && p.paused)
      .map((p) => slotName(n.info.dboid, p.info.sysid, p.info.dboid));
    if (slots.length === 0 || !n.live) return;
    await n.pool().unsafe(
      `SELECT pg_terminate_backend(active_pid, 5000) FROM pg_replication_slots
       WHERE slot_name = ANY($1::text[]) AND active_pid IS NOT NULL`,
      [slots],
    );
  }

  #node(name: string): NodeRuntime {
    const n = this.#byName.get(name);
    if (!n) throw new RangeError(`Unknown sandbox node "${name}"`);
    return n;
  }

  #link(from: string, to: string): Link {
    const link: Link = [this.#node(from), this.#node(to)];
    if (link[0] === link[1]) throw new RangeError("A link needs two different nodes");
    return link;
  }

  #pool(name: string): postgres.Sql {
    if (this.#closed) throw new Error("The sandbox is closed");
    return this.#node(name).pool();
  }
}
