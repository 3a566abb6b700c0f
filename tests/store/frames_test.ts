import assert from "node:assert/strict";
import { decodeFrame, FrameEncoder, LINK_FIELDS } from "../../lib/store/frames.ts";

const fields = (values: unknown[]) => Object.fromEntries(LINK_FIELDS.map((f, i) => [f, values[i]]));

Deno.test("a link frame round-trips every kind of value and skips unwanted series", () => {
  const rows: [number, (number | string | null)[]][] = [
    [1, [0, 1, 0, 0, 0, 0, 16_777_216, 0, 0, 0, "r"]],
    [700, [2, 0, -1500, -1, 2 ** 31, 127, 128, 2 ** 50, 2 ** 53 + 2, 0.5, "é\u0000🙂"]],
    [3, [null, null, null, null, null, null, null, null, null, null, null]],
    [2 ** 40, [5, 1, -(2 ** 60), Number.MAX_VALUE, -0.125, 1e-300, 42, 0, 1, 2, ""]],
  ];
  const enc = new FrameEncoder();
  assert.equal(enc.bytes(), null, "an empty frame is not stored");
  for (const [series, values] of rows) enc.add(series, values);
  const bytes = enc.bytes()!;
  const all = decodeFrame(bytes, new Set(rows.map(([s]) => s)));
  assert.deepEqual(all, rows.map(([series, values]) => ({ series, ...fields(values) })));
  const some = decodeFrame(bytes, new Set([3, 2 ** 40]));
  assert.deepEqual(some.map((r) => r.series), [3, 2 ** 40]);
  assert.equal(some[1]!.lag_ms, -(2 ** 60));
  assert.deepEqual(decodeFrame(bytes, new Set([99])), []);
  // a carried-over v4 frame is a JSON array of the same rows
  const json = JSON.stringify(rows.map(([s, v]) => [s, ...v]).slice(0, 1));
  assert.deepEqual(decodeFrame(json, new Set([1])), [{ series: 1, ...fields(rows[0]![1]) }]);
  assert.throws(() => decodeFrame(bytes.subarray(0, 5), new Set([1])), /Truncated link frame/);
});

Deno.test("a busy link row packs into about 23 bytes (52 as a v4 row)", () => {
  const enc = new FrameEncoder();
  for (let id = 1; id <= 90; id++) {
    enc.add(id, [2, 1, 3900, 4984, 8, 0, 16_785_000, 2900, 9, 0, "r"]);
  }
  const size = enc.bytes()!.length;
  assert.ok(size <= 90 * 24, `${size} bytes for 90 rows`);
});
