/**
 * Real processes for the fault suite: pgactive-server (main_server.ts) that can be signalled and
 * restarted with the same config and database, and `pgactive-tools watch --format json` whose
 * every printed snapshot is kept with the time it arrived.
 */
import type { Sandbox, SandboxConfigOptions } from "../../lib/sandbox/mod.ts";
import { Client } from "../../lib/sdk/mod.ts";
import type { Status } from "../../lib/snapshot/mod.ts";
import { until as pollUntil } from "../sdk/fixtures.ts";
import { refusedPort } from "../sdk/targets.ts";
import { collectLines, type RunResult, runToEnd } from "../child_process.ts";

export type { RunResult } from "../child_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SERVER_PERMS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];

/**
 * Runs `main_server.ts` or `main_cli.ts` once with `args` (in `cwd`) and collects everything; a run
 * still going after 30 s is killed (a server that accepted what it should refuse ends that way).
 */
export async function runOnce(
  program: "server" | "cli",
  args: string[],
  cwd = ROOT,
): Promise<RunResult> {
  const perms = program === "server" ? SERVER_PERMS : SERVER_PERMS.slice(0, 3);
  const entry = `${ROOT}${program === "server" ? "main_server.ts" : "main_cli.ts"}`;
  return await runToEnd(
    new Deno.Command(Deno.execPath(), {
      args: ["run", ...perms, entry, ...args],
      cwd,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }),
  );
}

/** pgactive-server as a child process. */
export interface ServerProc extends AsyncDisposable {
  readonly url: string;
  /** stderr lines (JSON log lines) of every run so far. */
  readonly logs: string[];
  readonly running: boolean;
  /** Starts a run; resolves once /health answers (with `snapshot`: once a version is published). */
  start(opts?: { snapshot?: boolean }): Promise<void>;
  /** Sends `sig` and waits for the exit; resolves with the exit code. */
  signal(sig: Deno.Signal): Promise<number>;
}

/** A server on `port` with the config file at `config` (run in `cwd`). */
export function serverProc(
  opts: { config: string; port: number; cwd: string; logLevel?: string; args?: string[] },
): ServerProc {
  const url = `http://127.0.0.1:${opts.port}`;
  const logs: string[] = [];
  let child: Deno.ChildProcess | null = null;
  let drained: Promise<void> = Promise.resolve();

  const signal = async (sig: Deno.Signal): Promise<number> => {
    const c = child;
    if (!c) return 0;
    child = null;
    try {
      c.kill(sig);
    } catch { /* already gone */ }
    const status = await c.status;
    await drained;
    return status.code;
  };
  const start = async ({ snapshot = true }: { snapshot?: boolean } = {}) => {
    const args = ["run", ...SERVER_PERMS, `${ROOT}main_server.ts`, "--config", opts.config];
    args.push("--log-level", opts.logLevel ?? "warn", ...(opts.args ?? []));
    const c = new Deno.Command(Deno.execPath(), {
      args,
      cwd: opts.cwd,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    child = c;
    drained = collectLines(c.stderr, logs);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const body = await (await fetch(`${url}/health`)).json();
        if (!snapshot || body.version !== null) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    await signal("SIGKILL");
    throw new Error(`pgactive-server did not come up at ${url}: ${logs.slice(-3).join(" | ")}`);
  };
  return {
    url,
    logs,
    get running() {
      return child !== null;
    },
    start,
    signal,
    async [Symbol.asyncDispose]() {
      await signal("SIGKILL");
    },
  };
}

/**
 * Writes `<work>/<name>.yaml` for the sandbox (interval 200 ms, database `<work>/<name>/state.db`
 * unless given, a free loopback port) and returns the server process, not started.
 */
export async function sandboxServer(
  sb: Sandbox,
  work: string,
  opts: {
    name: string;
    logLevel?: string;
    /** Node name -> port to reach it through (a proxy) instead of its own. */
    via?: Record<string, number>;
  } & SandboxConfigOptions,
): Promise<ServerProc> {
  const port = refusedPort();
  const config = `${work}/${opts.name}.yaml`;
  let yaml = sb.configYaml({
    interval: "200ms",
    databasePath: `${work}/${opts.name}/state.db`,
    ...opts,
    listen: `127.0.0.1:${port}`,
  });
  for (const [node, via] of Object.entries(opts.via ?? {})) {
    yaml = yaml.replace(`@127.0.0.1:${sb.node(node).port}/`, `@127.0.0.1:${via}/`);
  }
  await Deno.writeTextFile(config, yaml);
  return serverProc({ config, port, cwd: work, logLevel: opts.logLevel ?? "error" });
}

/** The version of the server's current snapshot. */
export async function versionOf(url: string): Promise<number> {
  return (await getJson(url, "/snapshot")).version as number;
}

/** A snapshot an in-test SDK watcher received. */
export interface Seen {
  version: number;
  /** Epoch ms it arrived. */
  at: number;
  status: Record<string, Status>;
  cycleMs: number;
}

/** Follows `url`'s /watch with the SDK and keeps what arrives; dispose stops it. */
export function recordWatch(url: string): { seen: Seen[] } & AsyncDisposable {
  const seen: Seen[] = [];
  const stop = new AbortController();
  const client = new Client(url);
  const done = (async () => {
    const options = { signal: stop.signal, initialDelayMs: 100, maxDelayMs: 500 };
    for await (const s of client.watchSnapshots(options)) {
      const status = Object.fromEntries(Object.values(s.nodes).map((n) => [n.name, n.status]));
      seen.push({ version: s.version, at: Date.now(), status, cycleMs: s.cluster.cycle_ms });
    }
  })();
  return {
    seen,
    async [Symbol.asyncDispose]() {
      stop.abort();
      await done;
    },
  };
}

/** One line `pgactive-tools watch --format json` printed, and when it arrived (epoch ms). */
export interface Printed {
  version: number;
  at: number;
}

/** `pgactive-tools watch --format json` as a child process. */
export interface CliWatch extends AsyncDisposable {
  readonly printed: Printed[];
  readonly stderr: string[];
  /** Ctrl-C, and the exit code. */
  stop(): Promise<number>;
}

/** Starts `pgactive-tools watch --format json --server URL` in `cwd`. */
export function cliWatch(url: string, cwd: string): CliWatch {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", `${ROOT}main_cli.ts`, "watch"]
      .concat(["--format", "json", "--server", url]),
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const printed: Printed[] = [];
  const lines: string[] = [];
  const stderr: string[] = [];
  const out = collectLines(child.stdout, lines, () => {
    while (printed.length < lines.length) {
      printed.push({ version: JSON.parse(lines[printed.length]!).version, at: Date.now() });
    }
  });
  const err = collectLines(child.stderr, stderr);
  let done: Promise<number> | null = null;
  const stop = () =>
    done ??= (async () => {
      try {
        child.kill("SIGINT");
      } catch { /* exited */ }
      const status = await child.status;
      await Promise.all([out, err]);
      return status.code;
    })();
  return { printed, stderr, stop, [Symbol.asyncDispose]: async () => void await stop() };
}

/** Starts `server`, waits for version `min`, then attaches a CLI watch that has printed a line. */
export async function startWatched(server: ServerProc, cwd: string, min = 1): Promise<CliWatch> {
  await server.start();
  await until(`version ${min}`, async () => await versionOf(server.url) >= min);
  const watch = cliWatch(server.url, cwd);
  await until("the watcher's first line", () => watch.printed.length > 0);
  return watch;
}

/** Waits until `check` is truthy (a throwing check counts as not yet); throws after `timeoutMs`. */
export function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  return pollUntil(what, async () => {
    try {
      return await check();
    } catch {
      return false;
    }
  }, timeoutMs);
}

/** GET `path` on `url` as JSON. */
export async function getJson(url: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`);
  return await res.json();
}
