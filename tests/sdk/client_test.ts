/** The SDK against the real lib/server API on a real port (and an error stub), in Deno. */
import { SCENARIOS } from "./scenarios.ts";
import { startTargets } from "./targets.ts";

Deno.test("SDK client against a live server", async (t) => {
  await using running = await startTargets();
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    await t.step(name, () => scenario(running.targets));
  }
});
