import assert from "node:assert/strict";
import { fmtBool, fmtBytes, fmtMs, fmtNumber, fmtSeconds } from "../../lib/web/page/format.ts";

Deno.test("durations, sizes and counts read as the server's reasons do; unknown is n/a", () => {
  assert.deepEqual(
    [0, 0.44, 9.96, 12.4, 119, 150, 7_500, null].map(fmtSeconds),
    ["0 s", "0.4 s", "10 s", "12 s", "119 s", "2.5 min", "2.1 h", "n/a"],
  );
  assert.deepEqual(
    [0, 512, 4_200, 2.5 * 1024 ** 2, 3 * 1024 ** 3, undefined].map(fmtBytes),
    ["0 B", "512 B", "4.1 KB", "2.5 MB", "3 GB", "n/a"],
  );
  assert.deepEqual([0, 1.26, null].map(fmtNumber), ["0", "1.3", "n/a"]);
  assert.deepEqual([2.14, 350.4, null].map(fmtMs), ["2.1 ms", "350 ms", "n/a"]);
  assert.deepEqual([true, false, null].map((b) => fmtBool(b, "paused", "running")), [
    "paused",
    "running",
    "n/a",
  ]);
});
