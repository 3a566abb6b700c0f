/** `deno task sandbox` (lib/sandbox/main.ts) and the orphan watchdog, each in a child process. */
import assert from "node:assert/strict";
import postgres from "postgres";
import { parse } from "yaml";
import { alive, pollUntil, shell } from "../../lib/sandbox/process.ts";

const PERMS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-sys",
];
const ROOT = new URL("../../", import.meta.url).pathname;

/** Reads the child's stdout up to the first newline; returns the line and the rest-reader. */
async function firstLine(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  timeoutMs: number,
): Promise<string> {
  const dec = new TextDecoder();
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  while (!buf.includes("\n")) {
    if (Date.now() > deadline) throw new Error("no manifest line in time");
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
  }
  return buf.split("\n")[0]!;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  while (!(await reader.read()).done) { /* discard */ }
  reader.releaseLock();
}

async function exists(path: string): Promise<boolean> {
  return (await shell(`[ -e "$1" ] && echo yes; true`, [path])).trim() === "yes";
}

Deno.test("deno task sandbox prints a manifest, writes the config and cleans up on SIGTERM", async () => {
  const configOut = await Deno.makeTempFile({ suffix: ".yaml" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, "lib/sandbox/main.ts", "--nodes", "2", "--config-out", configOut],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  try {
    const manifest = JSON.parse(await firstLine(reader, 60_000)) as {
      nodes: {
        name: string;
        dsn: string;
        port: number;
        data_dir: string;
        pid: number;
        sysid: string;
      }[];
      config: string;
    };
    assert.deepEqual(manifest.nodes.map((n) => n.name), ["node1", "node2"]);
    assert.equal(manifest.config, configOut);
    const cfg = parse(await Deno.readTextFile(configOut)) as {
      collector: { nodes: { name: string; dsn: string }[] };
    };
    assert.deepEqual(
      cfg.collector.nodes,
      manifest.nodes.map((n) => ({ name: n.name, dsn: n.dsn })),
    );
    const sql = postgres(manifest.nodes[0]!.dsn, { max: 1, onnotice: () => {} });
    try {
      const [r] = await sql`SELECT (pgactive.pgactive_get_local_nodeid()).sysid AS sysid`;
      assert.equal(r!.sysid, manifest.nodes[0]!.sysid);
    } finally {
      await sql.end({ timeout: 2 });
    }
    child.kill("SIGTERM");
    await drain(reader);
    const status = await child.status;
    assert.equal(status.code, 0);
    for (const n of manifest.nodes) {
      assert.equal(await alive(n.pid), false, `postgres ${n.pid} survived`);
      assert.equal(await exists(n.data_dir), false);
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await Deno.remove(configOut).catch(() => {});
  }
});

Deno.test("a sandbox whose process is SIGKILLed is torn down by its watchdog", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, "tests/sandbox/fixtures/orphan_sandbox.ts"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  let info: { dir: string; pids: number[] };
  try {
    info = JSON.parse(await firstLine(reader, 60_000));
  } finally {
    child.kill("SIGKILL");
    await drain(reader);
    await child.status;
  }
  assert.equal(info.pids.length, 2);
  await pollUntil("watchdog to stop postgres and remove the directory", async () => {
    for (const pid of info.pids) if (await alive(pid)) return false;
    return !(await exists(info.dir));
  }, { timeoutMs: 20_000, intervalMs: 200 });
});
