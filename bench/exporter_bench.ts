/**
 * Peer benchmark (issue 13, goal 5): pgactive-server against postgres_exporter (Debian package
 * `prometheus-postgres-exporter`, one per node, as an operator would run it) on the same sandbox,
 * side by side in one run:
 *
 * - scrape time: wall time of GET /metrics (ours: one server for every node; the exporter: one
 *   scrape per node, each querying its node);
 * - CPU per cycle: user+system time of the tool's processes plus the PostgreSQL backends serving
 *   them (from /proc), over the whole window, divided by the cycles (ours: collector cycles at
 *   the scrape interval; the exporter: scrape rounds);
 * - statements per node per cycle: counted on the wire by a proxy in front of every node (each
 *   simple Query or extended-protocol Execute message is one statement).
 *
 * Skips loudly (exit 2) when the exporter binary is missing (apt-get install -y
 * prometheus-postgres-exporter).
 *
 *   deno run -A bench/exporter_bench.ts [nodes=3] [seconds=60] [interval_ms=2000]
 */
import { type Sandbox, startSandbox } from "../lib/sandbox/mod.ts";
import { tcpProxy } from "../tests/pgactive/tcp_proxy.ts";
import { spawnServer } from "../tests/server/spawn_server.ts";

const EXPORTER = "/usr/bin/prometheus-postgres-exporter";
const NODES = Number(Deno.args[0] ?? 3);
const SECONDS = Number(Deno.args[1] ?? 60);
const INTERVAL_MS = Number(Deno.args[2] ?? 2000);

try {
  Deno.statSync(EXPORTER);
} catch {
  console.error(
    `SKIPPED: ${EXPORTER} not found (apt-get install -y prometheus-postgres-exporter); no figures`,
  );
  Deno.exit(2);
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Proxy to `target` counting the frontend's Query ('Q') and Execute ('E') messages. */
function countingProxy(target: number) {
  const counter = { statements: 0 };
  const frontend = async (client: Deno.Conn, upstream: Deno.Conn) => {
    let buf = new Uint8Array(0);
    let started = false; // first message (startup / SSLRequest) has no type byte
    try {
      for await (const chunk of client.readable) {
        await upstream.write(chunk);
        const next = new Uint8Array(buf.length + chunk.length);
        next.set(buf);
        next.set(chunk, buf.length);
        buf = next;
        while (true) {
          const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
          if (!started) {
            if (buf.length < 8) break;
            const len = view.getUint32(0);
            const ssl = view.getUint32(4) === 80877103;
            if (buf.length < len) break;
            buf = buf.subarray(len);
            if (!ssl) started = true;
            continue;
          }
          if (buf.length < 5) break;
          const len = view.getUint32(1);
          if (buf.length < 1 + len) break;
          const type = String.fromCharCode(buf[0]!);
          if (type === "Q" || type === "E") counter.statements++;
          buf = buf.subarray(1 + len);
        }
      }
    } catch { /* closed */ }
  };
  const proxy = tcpProxy(target, { forward: frontend });
  return { port: proxy.port, counter, close: () => proxy.close() };
}

const TICK_MS = 1000 / 100; // USER_HZ (Linux default)

/** user+system CPU ms of a pid (0 when it is gone). */
function cpuMs(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

/** Backend pids of connections with `application_name` on every node. */
async function backends(
  sb: Sandbox,
  app: string,
): Promise<number[]> {
  const pids: number[] = [];
  for (const n of sb.nodes) {
    const rows = await sb.query(
      n.name,
      `SELECT pid FROM pg_stat_activity WHERE application_name = '${app}'`,
    );
    pids.push(...rows.map((r) => Number(r.pid)));
  }
  return pids;
}

async function scrape(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}

await using sb = await startSandbox({ nodes: NODES });
const dir = await Deno.makeTempDir({ prefix: "pgactive-exporter-bench-" });
const oursProxies = sb.nodes.map((n) => countingProxy(n.port));
const theirProxies = sb.nodes.map((n) => countingProxy(n.port));
const children: Deno.ChildProcess[] = [];
try {
  // pgactive-server, its nodes reached through the counting proxies
  const port = freePort();
  const yaml = sb.configYaml({
    interval: `${INTERVAL_MS}ms`,
    listen: `127.0.0.1:${port}`,
    databasePath: `${dir}/state.db`,
  }).replace(/:(\d+)\/app/g, (all, p) => {
    const i = sb.nodes.findIndex((n) => String(n.port) === p);
    return i < 0 ? all : `:${oursProxies[i]!.port}/app`;
  });
  await Deno.writeTextFile(`${dir}/tools.yaml`, yaml);
  const server = spawnServer(`${dir}/tools.yaml`, { cwd: dir, permissions: ["-A"] });
  children.push(server);
  // one postgres_exporter per node
  const exporters = sb.nodes.map((n, i) => {
    const p = freePort();
    const dsn = `postgresql://postgres@127.0.0.1:${
      theirProxies[i]!.port
    }/app?sslmode=disable&application_name=postgres_exporter`;
    const child = new Deno.Command(EXPORTER, {
      args: [`--web.listen-address=127.0.0.1:${p}`],
      env: { DATA_SOURCE_NAME: dsn },
      stdout: "null",
      stderr: "null",
    }).spawn();
    children.push(child);
    return { url: `http://127.0.0.1:${p}/metrics`, pid: child.pid, node: n.name };
  });
  const ours = `http://127.0.0.1:${port}/metrics`;
  // warm up: both answer, connections open
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      await scrape(ours);
      for (const e of exporters) await scrape(e.url);
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
  const ourBackends = await backends(sb, "pgactive-tools");
  const theirBackends = await backends(sb, "postgres_exporter");
  const cpu = (pids: number[]) => pids.reduce((a, p) => a + cpuMs(p), 0);
  const before = {
    ours: cpu([server.pid, ...ourBackends]),
    theirs: cpu([...exporters.map((e) => e.pid), ...theirBackends]),
    oursStatements: oursProxies.reduce((a, p) => a + p.counter.statements, 0),
    theirStatements: theirProxies.reduce((a, p) => a + p.counter.statements, 0),
  };
  const healthBefore = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
  const oursScrapes: number[] = [];
  const theirScrapes: number[] = [];
  const started = Date.now();
  let rounds = 0;
  while (Date.now() - started < SECONDS * 1000) {
    const t0 = Date.now();
    oursScrapes.push(await scrape(ours));
    for (const e of exporters) theirScrapes.push(await scrape(e.url));
    rounds++;
    const rest = INTERVAL_MS - (Date.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  const healthAfter = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
  const cycles = Number(healthAfter.cycles) - Number(healthBefore.cycles);
  const after = {
    ours: cpu([server.pid, ...ourBackends]),
    theirs: cpu([...exporters.map((e) => e.pid), ...theirBackends]),
    oursStatements: oursProxies.reduce((a, p) => a + p.counter.statements, 0),
    theirStatements: theirProxies.reduce((a, p) => a + p.counter.statements, 0),
  };
  const oursCpu = (after.ours - before.ours) / cycles;
  const theirCpu = (after.theirs - before.theirs) / rounds;
  const oursStmts = (after.oursStatements - before.oursStatements) / cycles / NODES;
  const theirStmts = (after.theirStatements - before.theirStatements) / rounds / NODES;
  const oursScrape = median(oursScrapes);
  const theirScrape = median(theirScrapes);
  console.log(
    `${NODES} nodes, ${SECONDS} s, one cycle / scrape round every ${INTERVAL_MS} ms ` +
      `(ours: ${cycles} collector cycles; postgres_exporter 0.11.1 x ${NODES}: ${rounds} rounds)`,
  );
  console.log("                                      pgactive-server  postgres_exporter  ratio");
  const row = (label: string, a: number, b: number, unit: string) =>
    console.log(
      `${label.padEnd(38)}${`${a.toFixed(2)} ${unit}`.padStart(15)}  ${
        `${b.toFixed(2)} ${unit}`.padStart(17)
      }  ${(a / b).toFixed(2).padStart(5)}x`,
    );
  row("scrape time, median (per scrape)", oursScrape, theirScrape, "ms");
  row("CPU per cycle incl. PG backends", oursCpu, theirCpu, "ms");
  row("statements per node per cycle", oursStmts, theirStmts, "");
  console.log(
    `(postgres_exporter needs ${NODES} scrapes per round, one per node: ${
      (theirScrape * NODES).toFixed(2)
    } ms of scraping per round; CPU from /proc at ${TICK_MS} ms resolution)`,
  );
} finally {
  for (const c of children) {
    try {
      c.kill("SIGTERM");
    } catch { /* gone */ }
    await c.status;
  }
  await Promise.all([...oursProxies, ...theirProxies].map((p) => p.close()));
  await Deno.remove(dir, { recursive: true });
}
