import assert from "node:assert/strict";
import { DEFAULT_LIMIT, MAX_LIMIT, Store } from "../../lib/store/mod.ts";
import { makeResult, tempDb } from "./fixtures.ts";

Deno.test("history returns the newest rows up to the default and maximum limits", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  const versions = Math.ceil((MAX_LIMIT + 1) / 10);
  for (let v = 1; v <= versions; v++) assert.equal(store.write(makeResult(v, { nodes: 10 })), true);

  const page = store.nodeHistory();
  assert.equal(page.length, DEFAULT_LIMIT);
  assert.equal(page.at(-1)?.version, versions, "newest row last");
  assert.equal(page[0]?.version, versions - DEFAULT_LIMIT / 10 + 1);
  assert.equal(store.nodeHistory({ limit: MAX_LIMIT * 2 }).length, MAX_LIMIT, "clamped");
  assert.equal(store.linkHistory({ limit: 5 }).length, 5);
});

Deno.test("invalid limits and times are rejected with a RangeError", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  for (const limit of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => store.nodeHistory({ limit }), RangeError, String(limit));
  }
  assert.throws(() => store.nodeHistory({ from: Number.NaN }), /Invalid from "NaN"/);
  assert.throws(() => store.linkHistory({ until: Infinity }), /Invalid until/);
  assert.throws(() => store.conflicts({ since: Number.NaN }), RangeError);
});
