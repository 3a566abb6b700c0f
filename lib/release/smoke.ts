/**
 * Smoke test of a release: the two programs, compiled binaries or their bundles run under the
 * binaries' exact permissions, against real PostgreSQL. The release workflow runs it on each
 * binary; tests/shipping runs it on the bundles against the sandbox (where `deno compile` cannot
 * fetch its base binary).
 *
 *   deno run -A lib/release/smoke.ts (--bin-dir DIR --target TRIPLE | --bundle-dir DIR)
 *     [--node NAME=DSN ...] [--expect healthy|reached]
 *
 * Without --node only `--version` and `--help` run (hosts without PostgreSQL). `--expect reached`
 * accepts a plain PostgreSQL without pgactive (the node is DOWN with "schema pgactive not found":
 * the probe connected and queried); `healthy` (default) wants every node HEALTHY.
 */
import { parseArgs } from "node:util";
import {
  binaryName,
  bundleName,
  CLI,
  type Program,
  runArgs,
  SERVER,
  type Target,
} from "./targets.ts";

/** How to start the programs: compiled binaries, or bundles under `deno run` with their flags. */
export type Launcher = (program: Program, args: string[]) => { cmd: string; args: string[] };

/** A launcher of compiled binaries in `dir`. */
export function binaryLauncher(dir: string, target: Target): Launcher {
  return (program, args) => ({ cmd: `${dir}/${binaryName(program, target)}`, args });
}

/** A launcher of the bundles in `dir` under exactly the binaries' permissions. */
export function bundleLauncher(dir: string): Launcher {
  return (program, args) => ({
    cmd: Deno.execPath(),
    args: runArgs(program, `${dir}/${bundleName(program)}`, args),
  });
}

/** Options of {@link smoke}. */
export interface SmokeOptions {
  launcher: Launcher;
  /** Nodes to monitor (name -> DSN); none: only --version and --help. */
  nodes?: Record<string, string>;
  expect?: "healthy" | "reached";
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the smoke test; throws an `Error` naming the first failed check. */
export async function smoke(options: SmokeOptions): Promise<void> {
  const { launcher } = options;
  const log = options.log ?? (() => {});
  const cwd = await Deno.makeTempDir({ prefix: "pgactive-smoke-" });
  const run = async (program: Program, args: string[], env: Record<string, string> = {}) => {
    const { cmd, args: argv } = launcher(program, args);
    const out = await new Deno.Command(cmd, {
      args: argv,
      cwd,
      env,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  try {
    for (const program of [SERVER, CLI]) {
      const version = await run(program, ["--version"]);
      check(
        version.code === 0 && version.stdout.startsWith(`${program.name} `),
        "--version",
        version,
      );
      const help = await run(program, ["--help"]);
      check(help.code === 0 && /usage/i.test(help.stdout), "--help", help);
      log(`ok ${program.name} --version: ${version.stdout.trim()}`);
    }
    if (options.nodes && Object.keys(options.nodes).length > 0) {
      await serverAndCli(options.nodes, options.expect ?? "healthy", { cwd, run, launcher, log });
    }
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

function check(ok: boolean, what: string, out?: Output): void {
  if (ok) return;
  const detail = out
    ? ` (exit ${out.code}): ${(out.stderr || out.stdout).trim().slice(0, 500)}`
    : "";
  throw new Error(`smoke: ${what} failed${detail}`);
}

async function serverAndCli(
  nodes: Record<string, string>,
  expect: "healthy" | "reached",
  ctx: {
    cwd: string;
    run: (p: Program, args: string[], env?: Record<string, string>) => Promise<Output>;
    launcher: Launcher;
    log: (line: string) => void;
  },
): Promise<void> {
  const port = freePort();
  const env: Record<string, string> = {};
  const lines = ["collector:", "  interval: 500ms", "  nodes:"];
  Object.entries(nodes).forEach(([name, dsn], i) => {
    env[`SMOKE_DSN_${i}`] = dsn;
    lines.push(`    - name: ${JSON.stringify(name)}`, `      dsn: \${SMOKE_DSN_${i}}`);
  });
  lines.push("server:", `  listen: 127.0.0.1:${port}`, "database:", "  path: state/history.db");
  const config = `${ctx.cwd}/tools.yaml`;
  await Deno.writeTextFile(config, lines.join("\n") + "\n");
  const url = `http://127.0.0.1:${port}`;
  const { cmd, args } = ctx.launcher(SERVER, ["--config", config]);
  const server = new Deno.Command(cmd, { args, cwd: ctx.cwd, env, stdout: "null", stderr: "piped" })
    .spawn();
  const stderr = new Response(server.stderr).text();
  let exited = false;
  try {
    const snapshot = await waitFor(`${url}/snapshot`, (s) => {
      const all = Object.values(s.nodes);
      return all.length === Object.keys(nodes).length && all.every((n) => n.status !== "UNKNOWN");
    });
    for (const node of Object.values(snapshot.nodes)) {
      const ok = expect === "healthy"
        ? node.status === "HEALTHY"
        : node.error === null || /schema pgactive not found/.test(node.error);
      check(
        ok,
        `node ${node.name} is ${node.status} (${node.error ?? "no error"}), expected ${expect}`,
      );
    }
    const page = await fetch(`${url}/`);
    const html = await page.text();
    check(page.ok && html.includes("<html"), `GET / (embedded dashboard page): ${page.status}`);
    ctx.log(
      `ok server: ${Object.values(snapshot.nodes).map((n) => `${n.name}=${n.status}`).join(" ")}`,
    );
    const health = await ctx.run(SERVER, ["--healthcheck", "--config", config], env);
    check(health.code === 0, "pgactive-server --healthcheck (running)", health);
    const status = await ctx.run(CLI, ["status", "--format", "json", "--server", url]);
    check([0, 1, 2].includes(status.code), "pgactive-tools status", status);
    check(
      Object.keys(JSON.parse(status.stdout).nodes).length === Object.keys(nodes).length,
      "status JSON",
    );
    const direct = await ctx.run(CLI, ["check", "--direct", "--config", config], env);
    check(
      /^PGACTIVE (OK|WARNING|CRITICAL|UNKNOWN) - /.test(direct.stdout),
      "check --direct",
      direct,
    );
    ctx.log(
      `ok cli: status exit ${status.code}; check --direct: ${direct.stdout.trim().split(" |")[0]}`,
    );

    const started = performance.now();
    server.kill("SIGTERM");
    const { code } = await server.status;
    exited = true;
    const stopMs = Math.round(performance.now() - started);
    check(
      code === 0 && stopMs < 10_000,
      `server stop on SIGTERM (exit ${code} after ${stopMs} ms)`,
    );
    const after = await ctx.run(SERVER, ["--healthcheck", "--config", config], env);
    check(after.code === 1, "pgactive-server --healthcheck (stopped) exits 1", after);
    const logs = await stderr;
    for (const dsn of Object.values(nodes)) {
      const password = passwordOf(dsn);
      check(password === null || !logs.includes(password), "no DSN password in the server's log");
    }
    ctx.log(`ok stop: exit 0 in ${stopMs} ms; --healthcheck then exits 1; no password in the log`);
  } finally {
    if (!exited) {
      server.kill("SIGKILL");
      await server.status;
    }
    await stderr.catch(() => "");
  }
}

/** The password of a postgres:// URL or key=value DSN, or null. */
function passwordOf(dsn: string): string | null {
  if (/^postgres(ql)?:\/\//.test(dsn)) return decodeURIComponent(new URL(dsn).password) || null;
  return /(?:^|\s)password\s*=\s*'?([^'\s]+)/.exec(dsn)?.[1] ?? null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

interface SnapshotLike {
  nodes: Record<string, { name: string; status: string; error: string | null }>;
}

async function waitFor(url: string, done: (s: SnapshotLike) => boolean): Promise<SnapshotLike> {
  const deadline = Date.now() + 30_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      last = `${res.status}`;
      if (res.ok) {
        const snapshot = await res.json() as SnapshotLike;
        if (done(snapshot)) return snapshot;
      } else await res.body?.cancel();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`smoke: ${url} gave no complete snapshot in 30 s (last: ${last})`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "bin-dir": { type: "string" },
      target: { type: "string" },
      "bundle-dir": { type: "string" },
      node: { type: "string", multiple: true },
      expect: { type: "string" },
    },
    strict: true,
  });
  const launcher = values["bundle-dir"]
    ? bundleLauncher(values["bundle-dir"])
    : binaryLauncher(values["bin-dir"] ?? "dist", (values.target ?? "") as Target);
  const nodes = Object.fromEntries((values.node ?? []).map((n) => {
    const i = n.indexOf("=");
    return [n.slice(0, i), n.slice(i + 1)];
  }));
  const expect = values.expect === "reached" ? "reached" : "healthy";
  try {
    await smoke({ launcher, nodes, expect, log: (line) => console.log(line) });
    console.log("smoke: all checks passed");
  } catch (err) {
    console.error((err as Error).message);
    Deno.exit(1);
  }
}
