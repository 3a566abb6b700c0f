/** One sandbox node at run time: its instance, its pool, stopped or not; and the teardown. */
import type postgres from "postgres";
import { ApplyFreeze } from "./apply_pause.ts";
import type { PgInstance } from "./instance.ts";
import { shell } from "./process.ts";
import { openPool, superDsn } from "./setup.ts";
import type { Watchdog } from "./watchdog.ts";

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

/**
 * How a node is stopped. `fast`: `pg_ctl stop -m fast`, a clean shutdown. `immediate`:
 * `pg_ctl stop -m immediate`, no shutdown checkpoint, crash recovery at the next start; the
 * postmaster still exits normally, so pgactive still saves its counters (its on_shmem_exit hook
 * writes global/pgactive.stat). `kill`: SIGKILL to the postmaster and every child (OOM kill,
 * power loss): crash recovery, and the counters counted since the last save are lost.
 */
export type StopMode = "fast" | "immediate" | "kill";

/** A node's instance plus the pool the sandbox uses on it. */
export class NodeRuntime {
  readonly info: { -readonly [K in keyof SandboxNode]: SandboxNode[K] };
  readonly inst: PgInstance;
  #sql: postgres.Sql | null = null;
  #stopped = false;
  #freeze: ApplyFreeze | null = null;

  constructor(inst: PgInstance) {
    this.inst = inst;
    this.info = {
      name: inst.name,
      port: 0,
      dsn: "",
      dataDir: inst.dataDir,
      pid: 0,
      sysid: "",
      dboid: 0,
    };
  }

  get name(): string {
    return this.info.name;
  }

  /** Whether the sandbox stopped the node. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Running and not hung: it answers queries. */
  get live(): boolean {
    return !this.#stopped && !this.inst.hung;
  }

  /** Whether the sandbox paused apply on the node (its apply workers are frozen). */
  get paused(): boolean {
    return this.#freeze !== null;
  }

  /** The sandbox's pool on the node's database (throws while stopped). */
  pool(): postgres.Sql {
    if (this.#stopped || !this.#sql) throw new Error(`Sandbox node "${this.name}" is stopped`);
    return this.#sql;
  }

  /** First start: picks the port, fills in port, DSN and pid, opens the pool. */
  async boot(database: string): Promise<void> {
    await this.inst.start();
    this.info.port = this.inst.port;
    this.info.dsn = superDsn(this.inst.port, database);
    await this.#open();
  }

  /**
   * Starts the stopped instance again (same port and data) and reopens the pool. What pgactive
   * keeps in shared memory starts over: apply is not paused, and after a `kill` the counters are
   * those saved at the last stop (see {@link StopMode}).
   */
  async start(): Promise<void> {
    await this.inst.start();
    this.#stopped = false;
    await this.#open();
  }

  /**
   * Ends a pause (its frozen workers are told to exit, then SIGCONTed: a SIGSTOPped backend would
   * hold up the shutdown); unless `kill`, saves the counters (pgactive's postmaster writes them
   * when it exits); closes the pool and stops the instance.
   */
  async stop(mode: StopMode): Promise<void> {
    if (this.inst.hung) await this.resume();
    await this.endPause({ terminate: true });
    if (mode !== "kill") await this.pool().unsafe(`SELECT pgactive_sandbox.save_stats()`);
    await this.closePool();
    if (mode === "kill") await this.inst.kill();
    else await this.inst.stop(mode);
    this.#stopped = true;
    this.info.pid = 0;
  }

  /** SIGSTOPs the postmaster and every child. */
  async hang(): Promise<void> {
    await this.inst.hang();
  }

  /** SIGCONTs a hung node, leaving the workers of a pause frozen. */
  async resume(): Promise<void> {
    await this.inst.resume(this.#freeze ? { keepStopped: this.#freeze.pids } : {});
  }

  /** Sets `pgactive_is_apply_paused()` and freezes the apply workers (and later restarted ones). */
  async pause(opts: { onError: (e: unknown) => void }): Promise<void> {
    if (this.#freeze) return;
    const freeze = new ApplyFreeze(this.pool(), opts);
    this.#freeze = freeze;
    try {
      await this.#setPausedFlag(true);
      await freeze.start();
    } catch (e) {
      await this.endPause();
      await this.#setPausedFlag(false).catch(() => {});
      throw e;
    }
  }

  /** Clears the paused flag and lets the frozen apply workers run again. */
  async unpause(): Promise<void> {
    if (!this.#freeze) return;
    await this.#setPausedFlag(false);
    await this.endPause();
  }

  /** Lets these apply workers run if frozen (they were told to exit). */
  releaseWorkers(pids: readonly number[]): void {
    this.#freeze?.release(pids);
  }

  /** Closes the sandbox's pool on the node (it must not keep a stopping server waiting). */
  async closePool(): Promise<void> {
    const sql = this.#sql;
    this.#sql = null;
    if (sql) await sql.end({ timeout: 1 }).catch(() => {});
  }

  /** Stops the re-checks and SIGCONTs the frozen workers (`terminate`: SIGTERM them first). */
  async endPause(opts: { terminate?: boolean } = {}): Promise<void> {
    const freeze = this.#freeze;
    this.#freeze = null;
    await freeze?.stop(opts);
  }

  async #setPausedFlag(paused: boolean): Promise<void> {
    await this.pool().unsafe(`UPDATE pgactive_sandbox.local_node SET apply_paused = $1`, [paused]);
  }

  async #open(): Promise<void> {
    this.info.pid = (await this.inst.pid()) ?? 0;
    this.#sql = openPool(this.info.dsn);
    await this.#sql.unsafe(`SELECT pgactive_sandbox.after_start()`);
  }
}

/** SIGCONTs hung nodes and frozen workers, closes pools, stops every instance at once, removes `tmp`. */
export async function teardown(
  nodes: readonly NodeRuntime[],
  tmp: string,
  watchdog: Watchdog,
): Promise<void> {
  await Promise.all(nodes.map(async (n) => {
    if (n.inst.hung) await n.inst.resume();
    await n.endPause();
  }));
  await Promise.all(nodes.map((n) => n.closePool()));
  await Promise.all(nodes.map((n) => n.inst.stop("immediate", 10_000).catch(() => n.inst.kill())));
  await shell(`rm -rf "$1"`, [tmp]).catch(() => {});
  watchdog.disarm();
}
