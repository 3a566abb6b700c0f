/** Timeouts past what a timer can wait are refused up front (issue 12, defect 4). */
import { Client, MAX_TIMEOUT_MS } from "../../lib/sdk/mod.ts";
import { assertEquals, assertRejects } from "./assert.ts";

Deno.test("SDK timeouts a timer cannot wait are a RangeError, not a timer that fires at once", async () => {
  const month = 30 * 86_400_000;
  let thrown: unknown = null;
  try {
    new Client("http://127.0.0.1:1", { timeoutMs: month });
  } catch (err) {
    thrown = err;
  }
  assertEquals(thrown instanceof RangeError, true);
  const client = new Client("http://127.0.0.1:1");
  const err = await assertRejects(() => client.waitFor(() => true, { timeout: month }), RangeError);
  assertEquals(
    err.message,
    "timeout must be between 0 and 2147483647 ms (about 24.8 days), got 2592000000",
  );
  await assertRejects(() => client.waitFor(() => true, { timeout: -1 }), RangeError);
  assertEquals(MAX_TIMEOUT_MS, 2 ** 31 - 1);
});
