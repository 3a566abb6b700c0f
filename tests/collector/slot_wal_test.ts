/**
 * A slot past max_slot_wal_keep_size: the origin invalidates it at a checkpoint (wal_status
 * `lost`) and the target can never catch up from it. Real PostgreSQL behaviour, the same under
 * pgactive (its slots are ordinary logical slots).
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { cycleUntil, describe, linkOf, testConfig, writeWalSegments } from "./sandbox_helpers.ts";

Deno.test("a slot that lost its WAL makes the target CRITICAL, also while it is DOWN", async () => {
  await using sb = await startSandbox({ nodes: 2 });
  await sb.query("node1", "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
  await sb.query("node1", "SELECT pg_reload_conf()");
  await using c = new Collector(testConfig(sb.nodes), { backoffBaseMs: 250, backoffMaxMs: 1000 });
  await cycleUntil(
    c,
    "reserved slots",
    (s) => linkOf(s, "node1", "node2").wal_status === "reserved",
  );

  await sb.stopNode("node2");
  // ~3 WAL segments of changes node2 will never receive, then a checkpoint removes them.
  await writeWalSegments(sb, "node1", 3);
  await sb.query("node1", "CHECKPOINT");

  const [down] = (await cycleUntil(
    c,
    "the slot for node2 lost",
    (s) => linkOf(s, "node1", "node2").wal_status === "lost",
  )).slice(-1);
  assert.equal(down!.nodes.node2!.status, "DOWN", describe(down!));
  assert.ok(
    down!.nodes.node2!.reasons.some((r) => /^link node1 -> node2: .*wal_status lost/.test(r)),
    describe(down!),
  );

  // startNode waits for the node's links to stream again, which the lost slot never will: the
  // node itself is up once that wait gives up (checked below by its probe).
  await sb.startNode("node2", { timeoutMs: 3000 }).catch((err) => {
    assert.match(String(err), /node1 -> node2 to be streaming/);
  });
  const [back] = (await cycleUntil(
    c,
    "node2 reachable again",
    (s) => s.nodes.node2!.status !== "DOWN",
  )).slice(-1);
  assert.equal(back!.nodes.node2!.status, "CRITICAL", describe(back!));
  assert.match(back!.nodes.node2!.reasons[0]!, /cannot catch up from it and must be re-joined$/);
});
