/** pgactive-server and pgactive-tools as subprocesses with OTEL_* variables (for the telemetry tests). */
import type { Sandbox } from "../../lib/sandbox/mod.ts";
import { until as pollUntil } from "../sdk/fixtures.ts";
import { refusedPort } from "../sdk/targets.ts";
import { SERVER_PERMISSIONS } from "../server/spawn_server.ts";
import { collectLines, type RunResult, runToEnd } from "../child_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI_PERMS = ["--allow-net", "--allow-env", "--allow-read"];

/** The password put into every DSN of the test configs: it must never be exported or logged. */
export const DSN_PASSWORD = "Otel-S3cret-pw-7Qx";

/**
 * A config for `sb` whose DSNs all carry {@link DSN_PASSWORD} (the sandbox trusts loopback, so
 * it connects anyway), plus a node "ghost" on a closed port (its probes fail).
 */
export async function writeConfig(
  sb: Sandbox,
  dir: string,
  opts: { interval: string; probeTimeout?: string; via?: Record<string, number>; ghost?: boolean },
): Promise<{ path: string; port: number }> {
  const port = refusedPort();
  let yaml = sb.configYaml({
    interval: opts.interval,
    ...(opts.probeTimeout ? { probeTimeout: opts.probeTimeout } : {}),
    listen: `127.0.0.1:${port}`,
    databasePath: `${dir}/state.db`,
  }).replaceAll("postgres://postgres@", `postgres://postgres:${DSN_PASSWORD}@`);
  for (const [node, via] of Object.entries(opts.via ?? {})) {
    yaml = yaml.replace(`@127.0.0.1:${sb.node(node).port}/`, `@127.0.0.1:${via}/`);
  }
  if (opts.ghost !== false) {
    yaml = yaml.replace(
      "  nodes:\n",
      `  nodes:\n    - name: "ghost"\n      dsn: "postgres://postgres:${DSN_PASSWORD}@127.0.0.1:${refusedPort()}/app"\n`,
    );
  }
  const path = `${dir}/tools.yaml`;
  await Deno.writeTextFile(path, yaml);
  return { path, port };
}

/** A running server process. */
export interface Server extends AsyncDisposable {
  readonly url: string;
  /** Its stderr lines (JSON log lines). */
  readonly logs: string[];
  /** Sends SIGTERM; resolves with the exit code and the ms until the exit. */
  stop(): Promise<{ code: number; ms: number }>;
}

/** Starts main_server.ts with `env` added; resolves once a snapshot is published. */
export async function startServer(
  config: { path: string; port: number },
  env: Record<string, string>,
  opts: { cwd: string; logLevel?: string; waitForSnapshot?: boolean },
): Promise<Server> {
  const url = `http://127.0.0.1:${config.port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...SERVER_PERMISSIONS,
      `${ROOT}main_server.ts`,
      "--config",
      config.path,
      "--log-level",
      opts.logLevel ?? "debug",
    ],
    cwd: opts.cwd,
    env: { PGACTIVE_TOOLS_ACCESS_LOG: "all", ...env },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const drained = collectLines(child.stderr, logs);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    const started = performance.now();
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const s = await status;
    await drained;
    return { code: s.code, ms: performance.now() - started };
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const body = await (await fetch(`${url}/health`)).json();
      if (opts.waitForSnapshot === false || body.version !== null) break;
    } catch { /* not listening yet */ }
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill("SIGKILL");
      await status;
      await drained;
      throw new Error(`pgactive-server did not come up: ${logs.slice(-5).join(" | ")}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    logs,
    stop,
    async [Symbol.asyncDispose]() {
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
      await status;
      await drained;
    },
  };
}

/** Runs main_cli.ts once with `env` added. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<RunResult> {
  return await runToEnd(
    new Deno.Command(Deno.execPath(), {
      args: ["run", ...CLI_PERMS, `${ROOT}main_cli.ts`, ...args],
      cwd,
      env,
      stdout: "piped",
      stderr: "piped",
    }),
  );
}

/** Polls `check` until it holds or `ms` pass. */
export function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000) {
  return pollUntil(what, check, ms);
}
