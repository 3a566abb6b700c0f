/**
 * `deno task demo`: a 3-node sandbox mesh (real PostgreSQL 15 with the pgactive compatibility
 * schema), a gentle write load, and pgactive-server pointed at it. Prints the URLs and CLI commands
 * to try; Ctrl-C tears everything down.
 *
 *   deno task demo [--nodes N] [--listen HOST:PORT] [--rate ROWS_PER_SECOND] [--data-dir DIR]
 */
import { parseArgs } from "node:util";
import { startSandbox } from "../lib/sandbox/mod.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    nodes: { type: "string", default: "3" },
    listen: { type: "string", default: "127.0.0.1:8080" },
    rate: { type: "string", default: "5" },
    "data-dir": { type: "string" },
  },
  strict: true,
}).values;

const nodes = Number(flags.nodes);
const rate = Number(flags.rate);
if (!Number.isInteger(nodes) || nodes < 2 || nodes > 8) {
  console.error("demo: --nodes must be an integer from 2 to 8");
  Deno.exit(64);
}
if (!Number.isFinite(rate) || rate < 0) {
  console.error("demo: --rate must be a number of rows per second >= 0");
  Deno.exit(64);
}

const root = new URL("..", import.meta.url).pathname;
const dataDir = flags["data-dir"] ?? `${root}data`;
await Deno.mkdir(dataDir, { recursive: true });
const configPath = `${dataDir}/demo.yaml`;
const dbPath = `${dataDir}/demo.db`;
for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) await Deno.remove(f).catch(() => {});

console.log(`Starting a ${nodes}-node sandbox mesh (real PostgreSQL 15)...`);
const sandbox = await startSandbox({ nodes });
const load = rate > 0 ? sandbox.startLoad(sandbox.nodes[0]!.name, { rowsPerSecond: rate }) : null;
await Deno.writeTextFile(
  configPath,
  sandbox.configYaml({ interval: "2s", listen: flags.listen, databasePath: dbPath }),
);

const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-write",
    "--allow-sys",
    `${root}main_server.ts`,
    "--config",
    configPath,
  ],
  stdout: "inherit",
  stderr: "inherit",
  stdin: "null",
}).spawn();

const base = `http://${flags.listen.startsWith(":") ? "127.0.0.1" + flags.listen : flags.listen}`;
const first = sandbox.nodes[0]!.name;
const second = sandbox.nodes[1]!.name;
console.log(`
pgactive-server is starting on ${base} (config: ${configPath})

  curl -s ${base}/snapshot | head -c 600; echo
  curl -N ${base}/watch
  curl -s ${base}/metrics | grep pgactive_
  curl -s '${base}/history?node=${second}&limit=5'

  deno task cli lag    --config ${configPath}
  deno task cli status --config ${configPath}
  deno task cli check  --config ${configPath} --fail-on-warn
  deno task cli lag    --config ${configPath} --direct
  deno task cli wait   --config ${configPath} --timeout 30s

Sandbox nodes (psql as postgres, trust auth):
${sandbox.nodes.map((n) => `  ${n.name}: ${n.dsn}`).join("\n")}

A write load of ${rate} rows/s runs on ${first}. Press Ctrl-C to stop and tear everything down.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping...");
  try {
    server.kill("SIGTERM");
  } catch { /* already gone */ }
  await server.status;
  await load?.stop();
  await sandbox.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
const status = await server.status;
if (!stopping) {
  console.error(`demo: pgactive-server exited with code ${status.code}`);
  await load?.stop();
  await sandbox.close();
  Deno.exit(status.code === 0 ? 1 : status.code);
}
