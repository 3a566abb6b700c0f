/** One sandbox node at run time: its instance, its pool, stopped or not; and the teardown. */
import type postgres from "postgres";
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

/** A node's instance plus the pool the sandbox uses on it. */
export class NodeRuntime {
  readonly info: { -readonly [K in keyof SandboxNode]: SandboxNode[K] };
  readonly inst: PgInstance;
  #sql: postgres.Sql | null = null;
  #stopped = false;

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

  /** Starts the stopped instance again (same port and data) and reopens the pool. */
  async start(): Promise<void> {
    await this.inst.start();
    this.#stopped = false;
    await this.#open();
  }

  /** Closes the pool and stops the instance (`pg_ctl stop -m <mode>`). */
  async stop(mode: "fast" | "immediate"): Promise<void> {
    await this.closePool();
    await this.inst.stop(mode);
    this.#stopped = true;
    this.info.pid = 0;
  }

  /** Closes the sandbox's pool on the node (it must not keep a stopping server waiting). */
  async closePool(): Promise<void> {
    const sql = this.#sql;
    this.#sql = null;
    if (sql) await sql.end({ timeout: 1 }).catch(() => {});
  }

  async #open(): Promise<void> {
    this.info.pid = (await this.inst.pid()) ?? 0;
    this.#sql = openPool(this.info.dsn);
  }
}

/** SIGCONTs hung nodes, closes pools, stops every instance at once, removes `tmp`. */
export async function teardown(
  nodes: readonly NodeRuntime[],
  tmp: string,
  watchdog: Watchdog,
): Promise<void> {
  await Promise.all(nodes.map(async (n) => {
    if (n.inst.hung) await n.inst.resume();
  }));
  await Promise.all(nodes.map((n) => n.closePool()));
  await Promise.all(nodes.map((n) => n.inst.stop("immediate", 10_000).catch(() => n.inst.kill())));
  await shell(`rm -rf "$1"`, [tmp]).catch(() => {});
  watchdog.disarm();
}
