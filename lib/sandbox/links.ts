/** Link controls: lock-based stalls, broken subscriptions and the wait for streaming links. */
import type postgres from "postgres";
import { ident } from "./compat_schema.ts";
import type { NodeRuntime } from "./node_runtime.ts";
import { pollUntil } from "./process.ts";
import { openPool, slotName, subscriptionName } from "./setup.ts";

interface Stall {
  sql: postgres.Sql;
  conn: postgres.ReservedSql;
}

/** A link from the origin node (its walsender and slot) to the consuming node (its apply). */
export type Link = readonly [from: NodeRuntime, to: NodeRuntime];

function key([from, to]: Link): string {
  return `${from.name}->${to.name}`;
}

/** The stalls and broken links of one sandbox. */
export class LinkControls {
  #nodes: readonly NodeRuntime[];
  #stalls = new Map<string, Stall>();
  #broken = new Set<string>();

  constructor(nodes: readonly NodeRuntime[]) {
    this.#nodes = nodes;
  }

  /** Holds a SHARE lock on `sandbox_<from>` on `to`: the apply of that link blocks. */
  async stall(link: Link): Promise<void> {
    const [from, to] = link;
    if (from === to) throw new RangeError("A link needs two different nodes");
    if (this.#stalls.has(key(link))) return;
    const sql = openPool(to.info.dsn, 1);
    try {
      const conn = await sql.reserve();
      await conn.unsafe("BEGIN");
      await conn.unsafe(`LOCK TABLE public.${ident(`sandbox_${from.name}`)} IN SHARE MODE`);
      this.#stalls.set(key(link), { sql, conn });
    } catch (e) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw e;
    }
  }

  /** Rolls back the stall's transaction. */
  async resume(link: Link): Promise<void> {
    const stall = this.#stalls.get(key(link));
    if (!stall) return;
    this.#stalls.delete(key(link));
    try {
      await stall.conn.unsafe("ROLLBACK");
      stall.conn.release();
    } catch {
      // node stopped meanwhile
    }
    await stall.sql.end({ timeout: 1 }).catch(() => {});
  }

  /** Drops the stalls held on `node` without waiting (it is about to stop). */
  async dropStallsOn(node: NodeRuntime): Promise<void> {
    for (const [k, stall] of [...this.#stalls]) {
      if (k.endsWith(`->${node.name}`)) {
        this.#stalls.delete(k);
        await stall.sql.end({ timeout: 0 }).catch(() => {});
      }
    }
  }

  /** Drops every stall (close). */
  async dropAll(): Promise<void> {
    const stalls = [...this.#stalls.values()];
    this.#stalls.clear();
    await Promise.all(stalls.map((st) => st.sql.end({ timeout: 0 }).catch(() => {})));
  }

  /** Disables `to`'s subscription to `from` and ends its apply worker; returns the pids ended. */
  async break(link: Link): Promise<number[]> {
    const [from, to] = link;
    this.#broken.add(key(link));
    const sql = to.pool();
    await sql.unsafe(`ALTER SUBSCRIPTION ${ident(subscriptionName(from.name))} DISABLE`);
    // a worker blocked by a stall would only notice the DISABLE after the stall: end it now
    const ended = await sql.unsafe(
      `SELECT st.pid, pg_terminate_backend(st.pid) FROM pg_stat_subscription st
       JOIN pg_subscription s ON s.oid = st.subid WHERE s.subname = $1 AND st.pid IS NOT NULL`,
      [subscriptionName(from.name)],
    );
    await sql.unsafe(
      `UPDATE pgactive_sandbox.apply_state
       SET last_error = 'pgactive_apply_failure', last_error_time = now() WHERE origin_sysid = $1`,
      [from.info.sysid],
    );
    return [...ended].map((r) => Number(r.pid));
  }

  /** Waits until the slot of a broken link is inactive on its origin. */
  async waitInactive(link: Link, timeoutMs: number): Promise<void> {
    if (!link[0].live) return;
    await pollUntil(
      `link ${key(link).replace("->", " -> ")} to go inactive`,
      async () => !await this.active(link),
      { timeoutMs },
    );
  }

  /** Re-enables the subscription and waits until the walsender is back. */
  async restore(link: Link, timeoutMs: number): Promise<void> {
    const [from, to] = link;
    this.#broken.delete(key(link));
    await to.pool().unsafe(`ALTER SUBSCRIPTION ${ident(subscriptionName(from.name))} ENABLE`);
    await this.waitStreaming([link], timeoutMs);
  }

  /** Every link from or to `node` (every link when null). */
  linksOf(node: NodeRuntime | null): Link[] {
    const out: Link[] = [];
    for (const a of this.#nodes) {
      for (const b of this.#nodes) {
        if (a !== b && (node === null || a === node || b === node)) out.push([a, b]);
      }
    }
    return out;
  }

  /** Waits until each link between live nodes that is not broken is streaming. */
  async waitStreaming(links: readonly Link[], timeoutMs: number): Promise<void> {
    const wanted = links.filter(([f, t]) => f.live && t.live && !this.#broken.has(key([f, t])));
    await Promise.all(
      wanted.map((link) =>
        pollUntil(
          `link ${key(link).replace("->", " -> ")} to be streaming`,
          () => this.active(link),
          { timeoutMs, intervalMs: 50 },
        )
      ),
    );
  }

  /** Whether the link's slot on its origin is active. */
  async active([from, to]: Link): Promise<boolean> {
    const [r] = await from.pool().unsafe(
      `SELECT coalesce(bool_or(active), false) AS active FROM pg_replication_slots
       WHERE slot_name = $1`,
      [slotName(from.info.dboid, to.info.sysid, to.info.dboid)],
    );
    return r!.active === true;
  }
}
