import assert from "node:assert/strict";
import {
  CONFLICT_COUNTER,
  type ConflictResolution,
  type ConflictType,
  recordConflictSql,
} from "../../lib/sandbox/conflicts.ts";

const CTX = {
  localSysid: "1",
  originSysid: "2",
  originDboid: 16384,
  originName: "node2",
  subscription: "sandbox_from_node2",
};

Deno.test("conflict types map to pgactive's counters", () => {
  assert.deepEqual(CONFLICT_COUNTER, {
    insert_insert: "nr_insert_conflict",
    insert_update: "nr_insert_conflict",
    update_update: "nr_update_conflict",
    update_delete: "nr_update_conflict",
    delete_delete: "nr_delete_conflict",
    unhandled_tx_abort: "nr_rollback",
  });
});

Deno.test("default resolution, table and count per conflict type", () => {
  const cases = [
    ["insert_insert", "last_update_wins_keep_local"],
    ["update_update", "last_update_wins_keep_local"],
    ["update_delete", "skip_change"],
    ["delete_delete", "skip_change"],
    ["unhandled_tx_abort", "unhandled_tx_abort"],
  ] as const;
  for (const [type, resolution] of cases) {
    const { sql, params } = recordConflictSql({ type, from: "node2" }, CTX);
    assert.equal(params[5], resolution, type);
    assert.deepEqual(params.slice(1, 3), ["public", "sandbox_node2"]);
    assert.equal(params[8], 1);
    assert.match(
      sql.counters,
      new RegExp(`SET ${CONFLICT_COUNTER[type]} = l\\.${CONFLICT_COUNTER[type]} \\+ EXCLUDED\\.`),
    );
  }
  const nodes = recordConflictSql(
    { type: "insert_insert", from: "node2", table: "pgactive.pgactive_nodes", count: 4 },
    CTX,
  );
  assert.deepEqual(nodes.params.slice(1, 3), ["pgactive", "pgactive_nodes"]);
  assert.equal(nodes.params[8], 4);
});

Deno.test("invalid conflict options are rejected", () => {
  assert.throws(
    () =>
      recordConflictSql({ type: "insert_exists" as unknown as ConflictType, from: "node2" }, CTX),
    RangeError,
  );
  assert.throws(
    () => recordConflictSql({ type: "insert_insert", from: "node2", count: 0 }, CTX),
    RangeError,
  );
  assert.throws(
    () =>
      recordConflictSql({
        type: "insert_insert",
        from: "node2",
        resolution: "nope" as unknown as ConflictResolution,
      }, CTX),
    RangeError,
  );
});
