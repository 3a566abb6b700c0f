import assert from "node:assert/strict";
import { startLoadLoop } from "../../lib/sandbox/load.ts";
import { pollUntil } from "../../lib/sandbox/process.ts";

Deno.test("the load loop writes batches at the rate and waits for the in-flight batch on stop", async () => {
  const batches: number[] = [];
  let stopped = 0;
  let release: () => void = () => {};
  const load = startLoadLoop({
    rowsPerSecond: 100,
    write: (rows) => {
      batches.push(rows);
      return batches.length === 3 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    },
    onError: () => {},
    onStop: () => stopped++,
  });
  await pollUntil("third batch in flight", () => Promise.resolve(batches.length === 3));
  assert.deepEqual(batches, [10, 10, 10]);
  const stopping = load.stop();
  let done = false;
  stopping.then(() => (done = true));
  await Promise.resolve();
  assert.equal(done, false, "stop must wait for the in-flight batch");
  release();
  await stopping;
  assert.equal(load.rowsWritten, 30);
  assert.equal(stopped, 1);
  await load[Symbol.asyncDispose]();
  assert.equal(stopped, 1);
  assert.equal(batches.length, 3);
});

Deno.test("write errors are reported and the load keeps going; rates are bounded", async () => {
  let calls = 0;
  const errors: unknown[] = [];
  await using load = startLoadLoop({
    rowsPerSecond: 50,
    write: () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error("node stopped")) : Promise.resolve();
    },
    onError: (e) => errors.push(e),
    onStop: () => {},
  });
  await pollUntil("a batch after the error", () => Promise.resolve(load.rowsWritten > 0));
  assert.equal(errors.length, 1);
  assert.throws(
    () =>
      startLoadLoop({
        rowsPerSecond: 0,
        write: () => Promise.resolve(),
        onError: () => {},
        onStop: () => {},
      }),
    RangeError,
  );
});
