/**
 * `pgactive_apply_pause()` imitated: the node's logical replication apply workers are SIGSTOPped
 * at a transaction boundary. Like pgactive's paused apply workers they stop reading their
 * connection, so the peers' walsenders stay connected but get no confirmation at all.
 */
import type postgres from "postgres";
import { delay, signal } from "./process.ts";

/** How often a paused node is checked for apply workers started since (new pids). */
const RECHECK_MS = 200;
/** Attempts to catch a worker outside a transaction before it is frozen wherever it is. */
const BOUNDARY_TRIES = 200;

/** Apply workers that have connected and received something: the ones a pause freezes. */
const WORKERS_SQL = `SELECT pid FROM pg_stat_subscription
  WHERE pid IS NOT NULL AND relid IS NULL AND received_lsn IS NOT NULL`;
/** Own statement = own transaction = a fresh snapshot of the backend status array. */
const IN_XACT_SQL = `SELECT xact_start IS NOT NULL AS in_xact FROM pg_stat_get_activity($1::int)`;

/** Keeps a node's apply workers frozen until {@link stop}. */
export class ApplyFreeze {
  #sql: postgres.Sql;
  #onError: (e: unknown) => void;
  #frozen = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pass: Promise<void> | null = null;
  #active = false;

  /** `sql`: a pool on the node; `onError`: failures of the periodic re-checks. */
  constructor(sql: postgres.Sql, opts: { onError: (e: unknown) => void }) {
    this.#sql = sql;
    this.#onError = opts.onError;
  }

  /** The pids frozen now. */
  get pids(): ReadonlySet<number> {
    return this.#frozen;
  }

  /** Freezes the running apply workers, then re-checks every 200 ms for new ones. */
  async start(): Promise<void> {
    this.#active = true;
    await this.#freezeNew();
    this.#schedule();
  }

  /**
   * Stops re-checking and SIGCONTs the frozen workers; with `terminate`, SIGTERMs them first, so
   * they exit as soon as they run (a SIGSTOPped backend holds up a server shutdown).
   */
  async stop(opts: { terminate?: boolean } = {}): Promise<void> {
    this.#active = false;
    clearTimeout(this.#timer);
    await this.#pass;
    for (const pid of this.#frozen) {
      if (opts.terminate) signal(pid, "SIGTERM");
      signal(pid, "SIGCONT");
    }
    this.#frozen.clear();
  }

  /** SIGCONTs these workers if frozen and forgets them (they were told to exit). */
  release(pids: readonly number[]): void {
    for (const pid of pids) {
      if (this.#frozen.delete(pid)) signal(pid, "SIGCONT");
    }
  }

  #schedule(): void {
    if (!this.#active) return;
    this.#timer = setTimeout(() => {
      this.#pass = this.#freezeNew().catch(this.#onError).finally(() => {
        this.#pass = null;
        this.#schedule();
      });
    }, RECHECK_MS);
  }

  async #freezeNew(): Promise<void> {
    const rows = await this.#sql.unsafe(WORKERS_SQL);
    const running = new Set([...rows].map((r) => Number(r.pid)));
    for (const pid of this.#frozen) {
      if (!running.has(pid)) this.#frozen.delete(pid); // exited: never signal a reused pid
    }
    for (const pid of running) {
      if (this.#active && !this.#frozen.has(pid)) await this.#freezeAtBoundary(pid);
    }
  }

  /** SIGSTOP; if the worker is inside a transaction, SIGCONT and try again a moment later. */
  async #freezeAtBoundary(pid: number): Promise<void> {
    for (let attempt = 1;; attempt++) {
      signal(pid, "SIGSTOP");
      this.#frozen.add(pid);
      if (attempt >= BOUNDARY_TRIES) return;
      let inXact: boolean;
      try {
        const [r] = await this.#sql.unsafe(IN_XACT_SQL, [pid]);
        inXact = r?.in_xact === true;
      } catch (e) {
        this.release([pid]);
        throw e;
      }
      if (!inXact) return;
      this.release([pid]);
      await delay(2);
    }
  }
}
