/** The SDK's @example blocks type-check and run (`deno test --doc lib/sdk/`), without a server. */
import { assert } from "./assert.ts";

Deno.test("the SDK's documentation examples run", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--doc",
      "--quiet",
      "--allow-net",
      "--sanitize-ops",
      "--sanitize-resources",
      "lib/sdk/",
    ],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert(out.success, `doc examples failed:\n${text}`);
  const passed = Number(/(\d+) passed/.exec(text)?.[1] ?? 0);
  assert(passed >= 5, `expected at least 5 examples to run, got ${passed}:\n${text}`);
});
