/**
 * End to end against a real sandbox (one per file): a real Collector feeding the server on a real
 * port, then main_server.ts as a subprocess (startup, SIGTERM, version continuity, config error).
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { parseConfig } from "../../lib/config/mod.ts";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { SseReader } from "./fixtures.ts";

const MAIN = new URL("../../main_server.ts", import.meta.url).pathname;
const PERMS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}

async function healthySnapshot(url: string): Promise<Snapshot | undefined> {
  const res = await fetch(`${url}/snapshot`);
  if (res.status !== 200) return void await res.body?.cancel();
  const snapshot = parseSnapshot(await res.json());
  const nodes = Object.values(snapshot.nodes);
  return nodes.length === 3 && nodes.every((n) => n.status === "HEALTHY") ? snapshot : undefined;
}

/** main_server.ts as a subprocess, its stderr collected line by line. */
function spawnServer(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, MAIN, ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const drained = (async () => {
    let buffer = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      buffer += text;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      lines.push(...parts);
    }
    if (buffer) lines.push(buffer);
  })();
  const url = () =>
    until("the listening log line", () => {
      const line = lines.find((l) => l.includes('"pgactive-server listening"'));
      return Promise.resolve(line ? JSON.parse(line).url as string : undefined);
    });
  /** Kills the process if still running and waits for it and its stderr (test cleanup). */
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await child.status;
    await drained;
  };
  return { child, lines, drained, url, stop };
}

Deno.test("server end to end against a real sandbox", async (t) => {
  await using sandbox = await startSandbox({ nodes: 3 });
  const dir = await Deno.makeTempDir({ prefix: "pgactive-server-e2e-" });
  try {
    const yaml = sandbox.configYaml({
      interval: "500ms",
      listen: "127.0.0.1:0",
      databasePath: `${dir}/state.db`,
    });
    const configPath = `${dir}/tools.yaml`;
    await Deno.writeTextFile(configPath, yaml);

    await t.step("/snapshot from a real collector validates with 3 HEALTHY nodes", async () => {
      const config = parseConfig(yaml);
      using store = Store.open(`${dir}/inprocess.db`);
      const hub = new Hub();
      const collector = new Collector(config, {
        initialVersion: store.lastVersion(),
        onCycle: (r) => {
          hub.publish(r);
          store.write(r);
        },
      });
      const server = await startServer({
        config,
        hub,
        store,
        collectorStats: () => collector.stats,
        port: 0,
      });
      try {
        collector.start();
        const snapshot = await until("3 HEALTHY nodes", () => healthySnapshot(server.url));
        assert.deepEqual(Object.keys(snapshot.nodes).sort(), ["node1", "node2", "node3"]);
        assert.equal(snapshot.links.length, 6);

        const res = await fetch(`${server.url}/watch`, { headers: { "Last-Event-ID": "0" } });
        const sse = new SseReader(res.body!);
        const a = Number((await sse.nextEvent())?.id);
        const b = Number((await sse.nextEvent())?.id);
        assert.ok(a >= snapshot.version && b > a, `versions ${a} then ${b}`);

        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        assert.match(metrics, /^pgactive_node_status\{node="node2"\} 1$/m);
        assert.match(metrics, /^pgactive_link_walsender_active\{from="node1",to="node3"\} 1$/m);
        const history = await (await fetch(`${server.url}/history?node=node1`)).json();
        assert.ok(history.points.length >= 1);
        await sse.cancel();
      } finally {
        await server.shutdown();
        await collector.stop();
      }
    });

    let lastVersion = 0;
    await t.step(
      "main_server.ts starts, serves, and exits 0 within seconds of SIGTERM",
      async () => {
        const proc = spawnServer(["--config", configPath, "--log-level", "info"]);
        try {
          const url = await proc.url();
          const snapshot = await until("3 HEALTHY nodes", () => healthySnapshot(url));
          const health = await (await fetch(`${url}/health`)).json();
          assert.equal(health.status, "ok");
          const watch = await fetch(`${url}/watch`);
          const sse = new SseReader(watch.body!);
          lastVersion = Number((await sse.nextEvent())?.id);
          assert.ok(lastVersion >= snapshot.version);
          const started = performance.now();
          proc.child.kill("SIGTERM");
          // The open watch stream ends (possibly after one more event) rather than hanging.
          while ((await sse.next().catch(() => null)) !== null) { /* drain */ }
          const status = await proc.child.status;
          const elapsed = performance.now() - started;
          assert.equal(status.code, 0, proc.lines.join("\n"));
          assert.ok(elapsed < 5_000, `exit took ${elapsed.toFixed(0)} ms`);
          await proc.drained;
          assert.ok(proc.lines.some((l) => l.includes('"stopped"')), proc.lines.join("\n"));
        } finally {
          await proc.stop();
        }
      },
    );

    await t.step("a restarted server continues the version sequence", async () => {
      const proc = spawnServer(["--config", configPath]);
      try {
        const url = await proc.url();
        const snapshot = await until("a snapshot", async () => {
          const res = await fetch(`${url}/snapshot`);
          return res.status === 200
            ? parseSnapshot(await res.json())
            : void await res.body?.cancel();
        });
        assert.ok(snapshot.version > lastVersion, `${snapshot.version} after ${lastVersion}`);
        proc.child.kill("SIGTERM");
        assert.equal((await proc.child.status).code, 0);
      } finally {
        await proc.stop();
      }
    });

    await t.step("a config error exits 64 with one line on stderr", async () => {
      const bad = `${dir}/bad.yaml`;
      await Deno.writeTextFile(bad, yaml.replace(/interval: .*/, 'interval: "soon"'));
      const proc = spawnServer(["--config", bad]);
      const status = await proc.child.status;
      await proc.drained;
      assert.equal(status.code, 64);
      const text = proc.lines.filter((l) => l.trim() !== "");
      assert.equal(text.length, 1, text.join("\n"));
      assert.match(text[0]!, /^pgactive-server: .*collector\.interval/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
