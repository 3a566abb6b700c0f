/** OS-level helpers: running PostgreSQL binaries (as `postgres` when root), ports, signals, /proc. */

/** Result of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Who runs the PostgreSQL binaries: ourselves, or the `postgres` OS user when we are root. */
export interface RunAs {
  /** True when commands are wrapped in `runuser -u postgres --`. */
  readonly wrapped: boolean;
  readonly uid: number | null;
  readonly gid: number | null;
}

/** Finds out whether we are root and, if so, the uid/gid of the `postgres` OS user. */
export async function resolveRunAs(): Promise<RunAs> {
  const uid = Deno.uid();
  if (uid !== 0) return { wrapped: false, uid: null, gid: null };
  const passwd = await Deno.readTextFile("/etc/passwd");
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f[0] === "postgres" && f[2] !== undefined && f[3] !== undefined) {
      return { wrapped: true, uid: Number(f[2]), gid: Number(f[3]) };
    }
  }
  throw new Error(
    'Running as root but there is no "postgres" OS user to run PostgreSQL as (initdb refuses root)',
  );
}

/** Runs a command to completion (stdin closed), as `postgres` when `runAs.wrapped`. */
export async function run(
  runAs: RunAs,
  cmd: string,
  args: string[],
  opts: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const [exe, argv] = runAs.wrapped
    ? ["runuser", ["-u", "postgres", "--", cmd, ...args]]
    : [cmd, args];
  const ac = new AbortController();
  const timer = opts.timeoutMs === undefined
    ? undefined
    : setTimeout(() => ac.abort(), opts.timeoutMs);
  try {
    const out = await new Deno.Command(exe, {
      args: argv,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: ac.signal,
      ...(opts.env ? { env: opts.env } : {}),
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Like {@link run} but throws with the command's stderr when the exit code is not 0. */
export async function runOk(
  runAs: RunAs,
  cmd: string,
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<RunResult> {
  const r = await run(runAs, cmd, args, opts);
  if (r.code !== 0) {
    const name = cmd.split("/").pop();
    throw new Error(`Command "${name}" failed with exit code ${r.code}: ${r.stderr.trim()}`);
  }
  return r;
}

/** Where the PostgreSQL server binaries are: option, env, the Debian 15 path, then `pg_config`. */
export async function resolvePgBin(explicit?: string): Promise<string> {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  const env = Deno.env.get("PGACTIVE_SANDBOX_PG_BIN");
  if (env) candidates.push(env);
  candidates.push("/usr/lib/postgresql/15/bin");
  for (const dir of candidates) {
    if (await exists(`${dir}/initdb`) && await exists(`${dir}/pg_ctl`)) return dir;
  }
  try {
    const r = await new Deno.Command("pg_config", { args: ["--bindir"], stdin: "null" }).output();
    const dir = new TextDecoder().decode(r.stdout).trim();
    if (r.code === 0 && dir && await exists(`${dir}/initdb`)) return dir;
  } catch {
    // no pg_config on PATH
  }
  throw new Error(
    `PostgreSQL server binaries not found (tried ${
      candidates.map((c) => `"${c}"`).join(", ")
    } and pg_config); set PGACTIVE_SANDBOX_PG_BIN`,
  );
}

/** True if the path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Runs a `sh -c` script as ourselves (root when root) and returns its stdout; throws on a non-zero
 * exit. Used for every file and /proc access under the sandbox directory: without --allow-all,
 * Deno refuses /proc and /dev (the sandbox prefers tmpfs /dev/shm).
 */
export async function shell(script: string, args: string[] = []): Promise<string> {
  const out = await new Deno.Command("sh", {
    args: ["-c", script, "sh", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(`Shell step failed (exit ${out.code}): ${dec.decode(out.stderr).trim()}`);
  }
  return dec.decode(out.stdout);
}

/** pid -> [ppid, state] of every process, read from /proc by a child process. */
async function processTable(): Promise<Map<number, [number, string]>> {
  const text = await shell("cat /proc/[0-9]*/stat 2>/dev/null; true");
  const table = new Map<number, [number, string]>();
  for (const line of text.split("\n")) {
    const close = line.lastIndexOf(")");
    if (close < 0) continue;
    const pid = Number(line.slice(0, line.indexOf(" ")));
    // pid (comm) state ppid ...; comm may contain spaces and parentheses
    const rest = line.slice(close + 2).split(" ");
    table.set(pid, [Number(rest[1]), rest[0] ?? "?"]);
  }
  return table;
}

/** PIDs of the direct and indirect children of `pid`. */
export async function descendants(pid: number): Promise<number[]> {
  const table = await processTable();
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const p = frontier.pop()!;
    for (const [child, [parent]] of table) {
      if (parent === p) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

/** The state letter of a process from /proc (R, S, T = stopped, Z...), or null when gone. */
export async function processState(pid: number): Promise<string | null> {
  const stat = await shell(`cat /proc/${Math.trunc(pid)}/stat 2>/dev/null; true`);
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  return stat.slice(close + 2).split(" ")[0] ?? null;
}

/** Whether a (non-zombie) process with this pid exists. */
export async function alive(pid: number): Promise<boolean> {
  const state = await processState(pid);
  return state !== null && state !== "Z" && state !== "X";
}

/** Sends a signal, ignoring "no such process". */
export function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Sleeps (used only for polling loops with a deadline). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      lastError = null;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`Timed out after ${opts.timeoutMs ?? 20_000} ms waiting for ${what}${why}`);
    }
    await delay(opts.intervalMs ?? 50);
  }
}
