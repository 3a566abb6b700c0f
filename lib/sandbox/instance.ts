/** One PostgreSQL instance of the sandbox: initdb, configuration, start/stop, hang/resume. */
import {
  alive,
  delay,
  descendants,
  freePort,
  run,
  type RunAs,
  runOk,
  shell,
  signal,
} from "./process.ts";

/**
 * Server settings for a sandbox of `nodes` nodes (appended to postgresql.conf). `libDirs` are
 * searched for dynamic libraries in this order, before `$libdir`: the sandbox's own folder (its
 * `pgactive.so`, a copy of pgoutput) must come first, or a real pgactive installed in `$libdir`
 * would be loaded for the slots' plugin and refuse ("must be loaded via
 * shared_preload_libraries").
 */
export function serverSettings(
  nodes: number,
  opts: { sockDir: string; libDirs: readonly string[] },
): string {
  const slots = Math.max(10, 2 * nodes + 4);
  return [
    "# pgactive-tools sandbox",
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${opts.sockDir}'`,
    "max_connections = 200",
    "shared_buffers = 16MB",
    "wal_level = logical",
    "track_commit_timestamp = on",
    `max_replication_slots = ${slots}`,
    `max_wal_senders = ${slots}`,
    `max_worker_processes = ${2 * nodes + 8}`,
    `max_logical_replication_workers = ${nodes + 4}`,
    "max_sync_workers_per_subscription = 1",
    // a deliberately stalled apply must not get its walsender (or receiver) killed
    "wal_sender_timeout = 0",
    "wal_receiver_timeout = 0",
    "wal_receiver_status_interval = 1s",
    "wal_retrieve_retry_interval = 1s",
    "fsync = off",
    "dynamic_shared_memory_type = mmap",
    "full_page_writes = off",
    "synchronous_commit = on",
    "checkpoint_timeout = 30min",
    "min_wal_size = 4MB",
    "max_wal_size = 256MB",
    // the slots use plugin "pgactive": a copy of pgoutput.so found via dynamic_library_path
    `dynamic_library_path = '${[...opts.libDirs, "$libdir"].join(":")}'`,
    "output_plugin_libraries = 'pgoutput, test_decoding, pgactive'",
    "log_min_messages = warning",
    "log_line_prefix = '%m [%p] %a '",
    "",
  ].join("\n");
}

/** Runs initdb into `dataDir` (trust auth, superuser `postgres`, no fsync). */
export async function initdb(pgBin: string, runAs: RunAs, dataDir: string): Promise<void> {
  await runOk(runAs, `${pgBin}/initdb`, [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--no-instructions",
    "--wal-segsize=1",
  ], { timeoutMs: 60_000 });
}

/** Appends text to a file (through a shell: the sandbox may live under /dev/shm). */
export async function appendConf(path: string, text: string): Promise<void> {
  await shell(`printf '%s\\n' "$1" >> "$2"`, [text, path]);
}

/** A PostgreSQL instance managed with pg_ctl. */
export class PgInstance {
  readonly name: string;
  readonly dataDir: string;
  readonly logFile: string;
  #pgBin: string;
  #runAs: RunAs;
  #port: number;
  #hung = false;

  constructor(
    opts: { name: string; pgBin: string; runAs: RunAs; dataDir: string; logFile: string },
  ) {
    this.name = opts.name;
    this.dataDir = opts.dataDir;
    this.logFile = opts.logFile;
    this.#pgBin = opts.pgBin;
    this.#runAs = opts.runAs;
    this.#port = 0;
  }

  /** The port it listens on (fixed after the first successful start). */
  get port(): number {
    return this.#port;
  }

  /** Whether {@link hang} was called without {@link resume}. */
  get hung(): boolean {
    return this.#hung;
  }

  /**
   * Starts the server. The first start picks a free port and retries with another one when it
   * was taken meanwhile (other sandboxes start concurrently); later starts reuse the port.
   */
  async start(): Promise<void> {
    const firstStart = this.#port === 0;
    for (let attempt = 0;; attempt++) {
      if (firstStart) this.#port = freePort();
      const r = await run(this.#runAs, `${this.#pgBin}/pg_ctl`, [
        "-D",
        this.dataDir,
        "-l",
        this.logFile,
        "-w",
        "-t",
        "60",
        "-o",
        `-p ${this.#port}`,
        "start",
      ], { timeoutMs: 90_000 });
      if (r.code === 0) return;
      const log = await this.#logTail();
      const clash = /could not bind|already in use|could not create any TCP/i.test(log);
      if (firstStart && clash && attempt < 5) continue;
      throw new Error(
        `Cannot start PostgreSQL node "${this.name}" on port ${this.#port}: ${
          (r.stderr.trim() || log).slice(-400)
        }`,
      );
    }
  }

  /** Stops the server (`fast` waits for clean shutdown; `immediate` for teardown). */
  async stop(mode: "fast" | "immediate" = "fast", timeoutMs = 30_000): Promise<void> {
    if (this.#hung) await this.resume();
    const pid = await this.pid();
    if (pid === null) return;
    const r = await run(this.#runAs, `${this.#pgBin}/pg_ctl`, [
      "-D",
      this.dataDir,
      "-m",
      mode,
      "-w",
      "-t",
      String(Math.ceil(timeoutMs / 1000)),
      "stop",
    ], { timeoutMs: timeoutMs + 5_000 }).catch(() => null);
    if (r && r.code === 0) return;
    await this.kill();
  }

  /**
   * SIGKILLs the postmaster and its children (a crash; last resort at teardown). Removes the
   * data dir and socket lock files: a killed postmaster may stay a zombie (nothing reaps it in a
   * container), and PostgreSQL would take its pid for a running server.
   */
  async kill(): Promise<void> {
    const pid = await this.pid();
    if (pid === null) return;
    // postmaster.pid: line 4 the port, line 5 the socket directory
    const lines = (await shell(`cat "$1" 2>/dev/null; true`, [`${this.dataDir}/postmaster.pid`]))
      .split("\n");
    const kids = await descendants(pid);
    for (const p of [pid, ...kids]) signal(p, "SIGCONT");
    for (const p of [pid, ...kids]) signal(p, "SIGKILL");
    for (let i = 0; i < 100 && await alive(pid); i++) await delay(20);
    const sockLock = lines[4] && lines[3] ? `${lines[4]}/.s.PGSQL.${lines[3]}.lock` : "";
    await shell(`rm -f "$1" && if [ -n "$2" ]; then rm -f "$2"; fi`, [
      `${this.dataDir}/postmaster.pid`,
      sockLock,
    ]).catch(() => {});
  }

  /** The postmaster pid from postmaster.pid, or null when not running. */
  async pid(): Promise<number | null> {
    try {
      const text = await shell(`head -n 1 "$1" 2>/dev/null; true`, [
        `${this.dataDir}/postmaster.pid`,
      ]);
      const first = text.trim();
      if (first === "") return null;
      const pid = Number(first);
      return Number.isInteger(pid) && pid > 0 && await alive(pid) ? pid : null;
    } catch {
      return null;
    }
  }

  /** SIGSTOPs the postmaster and all its children: it accepts TCP but never answers. */
  async hang(): Promise<void> {
    const pid = await this.pid();
    if (pid === null) throw new Error(`Cannot hang node "${this.name}": it is not running`);
    signal(pid, "SIGSTOP"); // first, so it forks nothing new meanwhile
    for (const p of await descendants(pid)) signal(p, "SIGSTOP");
    this.#hung = true;
  }

  /** SIGCONTs the children (but those in `keepStopped`) and the postmaster. */
  async resume(opts: { keepStopped?: ReadonlySet<number> } = {}): Promise<void> {
    const pid = await this.pid();
    this.#hung = false;
    if (pid === null) return;
    for (const p of await descendants(pid)) {
      if (!opts.keepStopped?.has(p)) signal(p, "SIGCONT");
    }
    signal(pid, "SIGCONT");
  }

  async #logTail(): Promise<string> {
    try {
      return await shell(`tail -c 2000 "$1" 2>/dev/null; true`, [this.logFile]);
    } catch {
      return "";
    }
  }
}
