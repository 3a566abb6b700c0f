/**
 * CLI start-up benchmark: wall time of `pgactive-tools lag`, `check` (fresh `deno run main_cli.ts`
 * processes, from source, no config file in the working directory) against a running
 * pgactive-server on a 2-node sandbox, and of `pgactive-tools version` (no network), each as a
 * ratio to `psql -c 'select 1'` to one node measured in the same rounds (one run of every case
 * per round, so load on a shared machine hits all alike). Goal (issue 13): each <= 1.5x psql.
 * The compiled binary is not measured: `deno compile` cannot download its runtime here.
 * `--bundle` measures instead what it compiles: the release bundles (`bundleAll`, as
 * `deno task compile` builds them), the CLI and the server under `deno run --no-config` with
 * exactly the binaries' permissions (`runArgs`), and, in the same rounds, the CLI bundled into one
 * file as releases before the split were ("one-file", no goal).
 *
 *   deno run -A bench/cli_bench.ts [runs=30] [--bundle]
 */
import { bundleAll } from "../lib/release/compile.ts";
import { CLI as CLI_PROGRAM, runArgs, SERVER } from "../lib/release/targets.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { Client } from "../lib/sdk/mod.ts";

const BUNDLE = Deno.args.includes("--bundle");
const RUNS = Number(Deno.args.find((a) => !a.startsWith("--")) ?? 30);
const GOAL_RATIO = 1.5;
const ROOT = new URL("../", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function time(cmd: string, args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "null", stderr: "piped" }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { min: s[0]!, median: at(0.5), p90: at(0.9) };
}

const dir = await Deno.makeTempDir({ prefix: "pgactive-cli-bench-" });
const stamp = { commit: "unknown", date: new Date().toISOString() };
const bundles = BUNDLE ? await bundleAll(`${dir}/bundle`, stamp) : null;
const ONE_FILE = { ...CLI_PROGRAM, split: false };
const oneFile = BUNDLE
  ? (await bundleAll(`${dir}/one-file`, stamp, [ONE_FILE])).get(ONE_FILE)!
  : "";
/** `deno` arguments of the CLI, then of the server, with `args`. */
const cliArgs = (args: string[]) =>
  bundles
    ? runArgs(CLI_PROGRAM, bundles.get(CLI_PROGRAM)!, args)
    : ["run", "--allow-net", "--allow-env", "--allow-read", `${ROOT}main_cli.ts`, ...args];
const serverArgs = (args: string[]) =>
  bundles
    ? runArgs(SERVER, bundles.get(SERVER)!, args)
    : ["run", "-A", `${ROOT}main_server.ts`, ...args];
await using sb = await startSandbox({ nodes: 2 });
const port = freePort();
const config = `${dir}/tools.yaml`;
await Deno.writeTextFile(
  config,
  sb.configYaml({ interval: "1s", listen: `127.0.0.1:${port}`, databasePath: `${dir}/state.db` }),
);
const server = new Deno.Command(Deno.execPath(), {
  args: serverArgs(["--config", config, "--log-level", "error"]),
  cwd: dir,
  stdout: "null",
  stderr: "null",
}).spawn();
try {
  const url = `http://127.0.0.1:${port}`;
  const client = new Client(url);
  const deadline = Date.now() + 20_000;
  while (true) {
    try {
      await client.getSnapshot();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const dsn = sb.nodes[0]!.dsn;
  const cases: [string, string, string[]][] = [
    ["pgactive-tools lag", Deno.execPath(), cliArgs(["lag", "--server", url])],
    ["pgactive-tools check", Deno.execPath(), cliArgs(["check", "--server", url])],
    ["pgactive-tools version", Deno.execPath(), cliArgs(["version"])],
    ["psql -c 'select 1'", "psql", [dsn, "-X", "-q", "-c", "select 1"]],
  ];
  if (BUNDLE) {
    for (const args of [["lag", "--server", url], ["check", "--server", url], ["version"]]) {
      cases.push([`one-file ${args[0]}`, Deno.execPath(), runArgs(ONE_FILE, oneFile, args)]);
    }
  }
  for (const [, cmd, args] of cases) await time(cmd, args, dir); // warm the caches
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, cmd, args] of cases) samples.get(name)!.push(await time(cmd, args, dir));
  }
  const results = new Map([...samples].map(([name, s]) => [name, stats(s)]));
  const psql = results.get("psql -c 'select 1'")!.median;
  console.log(
    `runs per case: ${RUNS}, interleaved (wall time of a fresh process, ms; ${
      BUNDLE ? "release bundles under the binaries' permissions" : "from source"
    })`,
  );
  console.log("case                               median     p90     min  ratio to psql");
  for (const [name, r] of results) {
    console.log(
      `${name.padEnd(34)} ${r.median.toFixed(1).padStart(6)}  ${r.p90.toFixed(1).padStart(6)}  ${
        r.min.toFixed(1).padStart(6)
      }  ${(r.median / psql).toFixed(2).padStart(5)}x`,
    );
  }
  let met = true;
  for (const name of ["pgactive-tools lag", "pgactive-tools check", "pgactive-tools version"]) {
    const ratio = results.get(name)!.median / psql;
    met &&= ratio <= GOAL_RATIO;
    console.log(
      `goal ${name} <= ${GOAL_RATIO}x psql: ${ratio <= GOAL_RATIO ? "met" : "NOT met"} (${
        ratio.toFixed(2)
      }x)`,
    );
  }
  if (!met) Deno.exitCode = 1;
} finally {
  server.kill("SIGTERM");
  await server.status;
  await Deno.remove(dir, { recursive: true });
}
