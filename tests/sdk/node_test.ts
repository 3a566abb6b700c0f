/**
 * The SDK is runtime-neutral: bundle it (with zod) by `deno bundle` and run the shared scenarios
 * under Node 20 against the same live servers. Skipped when `node` is not installed.
 */
import { assert, assertMatch } from "./assert.ts";
import { SCENARIOS } from "./scenarios.ts";
import { startTargets } from "./targets.ts";

const hasNode = await new Deno.Command("node", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "the bundled SDK passes the same scenarios under Node",
  ignore: !hasNode,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pgactive-sdk-node-" });
    try {
      const out = `${dir}/sdk_scenarios.mjs`;
      const entry = new URL("./node_entry.ts", import.meta.url).pathname;
      const bundle = await new Deno.Command(Deno.execPath(), {
        args: ["bundle", "--quiet", "--platform", "browser", "-o", out, entry],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert(bundle.success, `deno bundle failed: ${new TextDecoder().decode(bundle.stderr)}`);
      const source = await Deno.readTextFile(out);
      assert(!/\bDeno\./.test(source), "the bundled SDK must not use Deno APIs");
      await using running = await startTargets();
      const run = await new Deno.Command("node", {
        args: [out, JSON.stringify(running.targets)],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      assert(run.success, `node failed:\n${text}`);
      for (const name of Object.keys(SCENARIOS)) {
        assertMatch(text, new RegExp(`ok ${escape(name)}`));
      }
      assertMatch(text, /node v?20\.|node v?2\d\.|all scenarios passed/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
