/** main_server.ts as a subprocess on a fixed port (so it can be stopped and restarted). */
import type { Sandbox } from "../../lib/sandbox/mod.ts";
import { refusedPort } from "../sdk/targets.ts";

const MAIN = new URL("../../main_server.ts", import.meta.url).pathname;
const PERMS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];

/** A server process that can be stopped and started again with the same config and database. */
export interface ServerProcess extends AsyncDisposable {
  readonly url: string;
  readonly dir: string;
  /** PID of the running process (null while stopped). */
  readonly pid: number | null;
  /** Everything the process wrote to stderr (its JSON log lines), across restarts. */
  readonly logs: string[];
  start(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Writes a config for `sb` (interval, thresholds, optional token) and starts the server. */
export async function startServerProcess(
  sb: Sandbox,
  opts: {
    interval?: string;
    token?: string;
    warn?: number;
    crit?: number;
    logLevel?: string;
  } = {},
): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-web-" });
  const port = refusedPort();
  const config = `${dir}/tools.yaml`;
  const extra = opts.token ? `  auth_token: ${JSON.stringify(opts.token)}\n` : "";
  const yaml = sb.configYaml({
    interval: opts.interval ?? "500ms",
    thresholds: { lagSecondsWarn: opts.warn ?? 1, lagSecondsCrit: opts.crit ?? 30 },
    listen: `127.0.0.1:${port}`,
    databasePath: `${dir}/state.db`,
  }).replace(/^server:\n/m, `server:\n${extra}`);
  await Deno.writeTextFile(config, yaml);
  const url = `http://127.0.0.1:${port}`;
  let child: Deno.ChildProcess | null = null;
  let drained: Promise<void> = Promise.resolve();
  const logs: string[] = [];

  const start = async () => {
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMS, MAIN, "--config", config, "--log-level", opts.logLevel ?? "error"],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream());
    drained = (async () => {
      for await (const text of stderr) logs.push(...text.split("\n").filter((l) => l !== ""));
    })();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/health`);
        const body = await res.json();
        if (body.version !== null) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
    throw new Error(`pgactive-server did not publish a snapshot at ${url} within 30 s`);
  };
  const stop = async () => {
    const c = child;
    if (!c) return;
    child = null;
    try {
      c.kill("SIGTERM");
    } catch { /* already gone */ }
    await c.status;
    await drained;
  };
  await start();
  return {
    url,
    dir,
    get pid() {
      return (child as Deno.ChildProcess | null)?.pid ?? null;
    },
    logs,
    start,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
