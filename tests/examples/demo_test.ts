/**
 * The README's quick start: `deno task demo` brings up a sandbox mesh and pgactive-server that
 * answers with a healthy 3-node snapshot, the CLI reads it, and Ctrl-C tears everything down.
 */
import assert from "node:assert/strict";
import { until } from "./until.ts";

const root = new URL("../../", import.meta.url).pathname;
const PERMS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-run"];

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function portRefuses(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return false;
  } catch {
    return true;
  }
}

Deno.test("deno task demo serves a healthy 3-node mesh and Ctrl-C tears it all down", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "pgactive-demo-test-" });
  const port = freePort();
  const demo = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...PERMS,
      "--allow-sys",
      `${root}examples/demo.ts`,
      "--listen",
      `127.0.0.1:${port}`,
      "--data-dir",
      dataDir,
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stdout = demo.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderrText = new Response(demo.stderr).text();
  let printed = "";
  const readAll = (async () => {
    for (;;) {
      const { value, done } = await stdout.read();
      if (done) break;
      printed += value;
    }
  })();
  let exited = false;
  try {
    const snapshot = await until("a healthy snapshot", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/snapshot`);
      const body = await res.json();
      return res.status === 200 && body.status === "HEALTHY" ? body : null;
    }, 60_000);
    assert.deepEqual(Object.keys(snapshot.nodes).sort(), ["node1", "node2", "node3"]);
    assert.equal(snapshot.links.length, 6);

    // The commands the demo prints work: the CLI reads the same server through the demo config.
    const check = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        `${root}main_cli.ts`,
        "check",
        "--config",
        `${dataDir}/demo.yaml`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const line = new TextDecoder().decode(check.stdout);
    assert.equal(check.code, 0, line + new TextDecoder().decode(check.stderr));
    assert.match(line, /OK/);
    assert.match(printed, new RegExp(`http://127\\.0\\.0\\.1:${port}`));

    const nodePorts = [...printed.matchAll(/postgres:\/\/postgres@127\.0\.0\.1:(\d+)\//g)].map((
      m,
    ) => Number(m[1]));
    assert.equal(nodePorts.length, 3, printed);

    demo.kill("SIGINT");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      demo.status,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("demo did not exit within 20 s")), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    exited = true;
    assert.equal(status.code, 0, await stderrText);
    for (const p of [port, ...nodePorts]) assert.ok(await portRefuses(p), `port ${p} still open`);
  } finally {
    if (!exited) {
      try {
        demo.kill("SIGKILL");
      } catch { /* gone */ }
      await demo.status;
    }
    await readAll;
    await stderrText;
    await Deno.remove(dataDir, { recursive: true });
  }
});
