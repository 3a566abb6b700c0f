/**
 * Real peers for the Temporal tests: the Temporal CLI's dev server (a real single-process Temporal
 * server, built by .ci/temporal.sh; its path in TEMPORAL_CLI), a real pgactive-server on a sandbox
 * mesh, and the example worker as its own process under Node (bundled) or Deno.
 */
import { startSandbox } from "../../../lib/sandbox/mod.ts";
import type { Sandbox } from "../../../lib/sandbox/mod.ts";
import { SseParser } from "../../../lib/sdk/mod.ts";
import { until } from "../fixtures.ts";
import { refusedPort } from "../targets.ts";
import { CliClient } from "./cli_client.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** The Temporal CLI binary, or an Error that says how to get it (tests fail, never skip). */
export function temporalCli(): string {
  const path = Deno.env.get("TEMPORAL_CLI");
  const hint = "build it with `bash .ci/temporal.sh` and export TEMPORAL_CLI=<the path it prints>";
  if (!path) throw new Error(`TEMPORAL_CLI is not set: ${hint}`);
  try {
    if (Deno.statSync(path).isFile) return path;
  } catch { /* reported below */ }
  throw new Error(`TEMPORAL_CLI=${path} does not exist: ${hint}`);
}

/** A running dev server and a client of it (the CLI). */
export interface TemporalServer extends AsyncDisposable {
  address: string;
  client: CliClient;
}

/** Starts `temporal server start-dev` (in memory, no UI) on a free port; ready in ~0.3 s. */
export async function startTemporal(): Promise<TemporalServer> {
  const cli = temporalCli();
  const port = refusedPort();
  const child = new Deno.Command(cli, {
    args: [
      "server",
      "start-dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--http-port",
      String(refusedPort()),
      "--headless",
      "--log-level",
      "error",
      "--disable-config-file",
      "--disable-config-env",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const address = `127.0.0.1:${port}`;
  let stopped: Promise<void> | null = null;
  const stop = () => stopped ??= stopProcess(child);
  const health = async () => {
    const out = await new Deno.Command(cli, {
      args: ["operator", "cluster", "health", "--address", address, "--disable-config-file"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  };
  try {
    await pollUntil(`the Temporal dev server on ${address}`, health, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, client: new CliClient(cli, address), [Symbol.asyncDispose]: stop };
}

/** A sandbox mesh and a real pgactive-server process collecting from it. */
export interface Mesh extends AsyncDisposable {
  sb: Sandbox;
  url: string;
}

/** Starts a 3-node sandbox and main_server.ts (interval `interval`) on a free port. */
export async function startMesh(interval = "500ms"): Promise<Mesh> {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-temporal-" });
  const sb = await startSandbox({ nodes: 3 });
  const port = refusedPort();
  const config = `${dir}/tools.yaml`;
  await Deno.writeTextFile(
    config,
    sb.configYaml({
      interval,
      // a link stays stalled across several runbooks that check health with failOn "crit"
      thresholds: { lagSecondsWarn: 5, lagSecondsCrit: 300 },
      listen: `127.0.0.1:${port}`,
      databasePath: `${dir}/state.db`,
    }),
  );
  // the permissions the compiled pgactive-server has
  const allow = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", ...allow, `${ROOT}main_server.ts`, "--config", config, "--log-level", "error"],
    cwd: dir,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | null = null;
  const close = () =>
    closed ??= (async () => {
      await stopProcess(server);
      await sb.close();
      await Deno.remove(dir, { recursive: true });
    })();
  try {
    await sb.waitForCatchUp();
    await pollUntil("a HEALTHY snapshot from pgactive-server", async () => {
      const res = await fetch(`${url}/snapshot`);
      const body = await res.json();
      return res.ok && body.status === "HEALTHY";
    }, 60_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { sb, url, [Symbol.asyncDispose]: close };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopProcess(child: Deno.ChildProcess, graceMs = 3_000): Promise<void> {
  const signal = (s: Deno.Signal) => {
    try {
      child.kill(s);
    } catch { /* already exited */ }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await child.status;
  clearTimeout(timer);
}

/** Polls `check` every `everyMs` (errors count as "not yet") until it holds or `timeoutMs` passes. */
export function pollUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<void> {
  return until(what, async () => {
    const ok = await Promise.resolve().then(check).catch(() => false);
    if (!ok) await new Promise((r) => setTimeout(r, everyMs));
    return ok;
  }, timeoutMs);
}

/**
 * Follows `url`/watch until `signal` aborts, calling `onSnapshot` with each event's version, its
 * raw JSON and its arrival time (epoch ms).
 */
export function followRaw(
  url: string,
  signal: AbortSignal,
  onSnapshot: (version: number, json: unknown, at: number) => void,
): void {
  (async () => {
    const res = await fetch(`${url}/watch`, { signal });
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      const at = Date.now();
      for (const e of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (e.event === "snapshot") onSnapshot(Number(e.id), JSON.parse(e.data), at);
      }
    }
  })().catch(() => {/* aborted */});
}
