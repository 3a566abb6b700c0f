/**
 * The real main_cli.ts process and Ctrl-C: `watch` ends cleanly with 0, `wait` reports the
 * interruption with 130. Against the real lib/server API on a real port (no nodes needed).
 */
import { assertEquals, assertMatch } from "../sdk/assert.ts";
import { makeSnapshot, startApi } from "../sdk/fixtures.ts";

const MAIN = new URL("../../main_cli.ts", import.meta.url).pathname;

/** Spawns the CLI, waits until `ready` matches its stdout or stderr, sends SIGINT, collects. */
async function interruptWhen(args: string[], ready: RegExp) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", MAIN, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  let sent = false;
  const dec = () => new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>, onText: (t: string) => void) => {
    const d = dec();
    for await (const chunk of stream) {
      onText(d.decode(chunk, { stream: true }));
      if (!sent && ready.test(out + err)) {
        sent = true;
        child.kill("SIGINT");
      }
    }
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await Promise.all([
    pump(child.stdout, (t) => void (out += t)),
    pump(child.stderr, (t) => void (err += t)),
  ]);
  const status = await child.status;
  clearTimeout(timer);
  return { code: status.code, stdout: out, stderr: err };
}

Deno.test("Ctrl-C ends watch with 0 and interrupts wait with 130", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1, { lag: { "node1->node2": 4 } }));
  const watch = await interruptWhen(["watch", "--server", api.url], /^v1 /m);
  assertEquals(watch.code, 0, watch.stderr);
  assertEquals(watch.stderr, "");
  const wait = await interruptWhen(["wait", "--server", api.url], /waiting \(/);
  assertEquals(wait.code, 130, wait.stderr);
  assertMatch(
    wait.stdout,
    /^not caught up: interrupted: waiting for a snapshot collected after the wait began \(version 3\)\n$/,
  );
});
