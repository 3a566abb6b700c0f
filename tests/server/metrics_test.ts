import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import type { CollectorStatsLike, StoreLike } from "../../lib/server/mod.ts";
import { cycle, testConfig } from "./fixtures.ts";

const stats: CollectorStatsLike = {
  cycles: 12,
  skippedCycles: 2,
  probeErrors: { node3: 5 },
  lastCycleMs: 12,
  lastCycleEndedAt: null,
};
const store: StoreLike = {
  writeErrors: 1,
  nodeHistory: () => [],
  linkHistory: () => [],
  conflicts: () => [],
};

function setup() {
  const hub = new Hub();
  const server = createApp({ config: testConfig(), hub, collectorStats: () => stats, store });
  return { hub, app: server.app, [Symbol.dispose]: () => server.close() };
}

/** Parses exposition text into `name{labels}` -> value, and name -> TYPE. */
function parse(text: string) {
  const values = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    else if (line && !line.startsWith("#")) {
      const at = line.lastIndexOf(" ");
      values.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return { values, types };
}

async function scrape(app: ReturnType<typeof setup>["app"]) {
  const res = await app.request("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, ...parse(text) };
}

Deno.test("/metrics exposes the contract names with the snapshot's values", async () => {
  using t = setup();
  t.hub.publish(cycle(41, { status: { node3: "DOWN" }, lagSeconds: 6, conflicts: { node1: 7 } }));
  const { values, types } = await scrape(t.app);
  assert.equal(values.get('pgactive_replication_lag_seconds{node="node1"}'), 6);
  assert.equal(values.get('pgactive_replication_lag_xid{node="node2"}'), 3);
  assert.equal(values.get('pgactive_node_conflicts_total{node="node1"}'), 7);
  assert.equal(types.get("pgactive_node_conflicts_total"), "counter");
  assert.equal(values.get('pgactive_node_status{node="node1"}'), 1);
  assert.equal(values.get('pgactive_node_status{node="node3"}'), 4);
  assert.equal(values.get('pgactive_node_up{node="node3"}'), 0);
  assert.equal(values.get('pgactive_node_up{node="node2"}'), 1);
  assert.equal(values.get('pgactive_collector_errors_total{node="node3"}'), 5);
  assert.equal(values.get('pgactive_collector_errors_total{node="node1"}'), 0);
  assert.equal(types.get("pgactive_collector_errors_total"), "counter");
  assert.equal(values.get("pgactive_snapshot_version"), 41);
  assert.equal(values.get("pgactive_cluster_status"), 4);
  assert.equal(values.get('pgactive_link_lag_seconds{from="node1",to="node2"}'), 6);
  assert.equal(values.get('pgactive_link_walsender_active{from="node2",to="node1"}'), 1);
  assert.equal(values.get('pgactive_link_retained_wal_bytes{from="node1",to="node3"}'), 4096);
  assert.equal(values.get('pgactive_collector_probe_duration_seconds{node="node1"}'), 0.0025);
  assert.equal(values.get("pgactive_collector_skipped_cycles_total"), 2);
  assert.equal(values.get("pgactive_collector_cycles_total"), 12);
  assert.equal(values.get("pgactive_store_write_errors_total"), 1);
  assert.equal(values.get("pgactive_collector_cycle_duration_seconds_count"), 1);
  assert.ok((values.get("process_resident_memory_bytes") ?? 0) > 1_000_000);
  // A DOWN node's unknown values are absent, not zero.
  assert.equal(values.has('pgactive_replication_lag_seconds{node="node3"}'), false);
});

Deno.test("/metrics drops the series of nodes and links that disappear", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const before = await scrape(t.app);
  assert.ok(before.values.has('pgactive_node_status{node="node3"}'));
  t.hub.publish(cycle(2, { nodes: ["node1", "node2"] }));
  const after = await scrape(t.app);
  assert.ok(after.values.has('pgactive_node_status{node="node2"}'));
  // Error counters follow the configured nodes (the config still has node3); the rest follow the snapshot.
  const left = after.text.split("\n").filter((l) => /node3/.test(l) && !l.startsWith("#"));
  assert.deepEqual(left, ['pgactive_collector_errors_total{node="node3"} 5']);
});

Deno.test("/metrics series names are in base units and _total only on counters", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const { types } = await scrape(t.app);
  for (const [name, type] of types) {
    assert.equal(name.endsWith("_total"), type === "counter", `${name} is a ${type}`);
    assert.doesNotMatch(name, /_(ms|milliseconds|kb|mb)$/, name);
  }
});

Deno.test("/metrics passes promtool check metrics", async (t) => {
  const promtool = await which("promtool");
  if (!promtool) {
    console.warn("SKIPPED: promtool not found (Debian package `prometheus`)");
    return;
  }
  using s = setup();
  for (const [label, publish] of [["before the first cycle", false], ["with a snapshot", true]]) {
    await t.step(label as string, async () => {
      if (publish) s.hub.publish(cycle(5, { status: { node2: "CRITICAL" }, lagSeconds: 20 }));
      const { text } = await scrape(s.app);
      const child = new Deno.Command(promtool, {
        args: ["check", "metrics"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(text));
      await writer.close();
      const out = await child.output();
      const report = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, report);
      assert.equal(report.trim(), "", report);
    });
  }
});

async function which(cmd: string): Promise<string | null> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const path = `${dir}/${cmd}`;
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // not in this directory
    }
  }
  return null;
}

Deno.test("/metrics exposes each link's slot wal_status as a 0/1 state set", async () => {
  using t = setup();
  const c = cycle(3);
  c.snapshot.links[0]!.wal_status = "lost";
  c.snapshot.links[1]!.wal_status = null;
  c.snapshot.links[2]!.wal_status = "some_future_state";
  t.hub.publish(c);
  const { values, types } = await scrape(t.app);
  assert.equal(types.get("pgactive_link_slot_wal_status"), "gauge");
  const of = (i: number) => {
    const l = c.snapshot.links[i]!;
    return [...values].filter(([k]) =>
      k.startsWith(`pgactive_link_slot_wal_status{from="${l.from}",to="${l.to}",`)
    ).map(([k, v]) => `${/wal_status="([^"]+)"/.exec(k)![1]}=${v}`).sort();
  };
  assert.deepEqual(of(0), ["extended=0", "lost=1", "reserved=0", "unreserved=0"]);
  assert.deepEqual(of(1), [], "an unknown wal_status exports no series");
  assert.deepEqual(of(2), [
    "extended=0",
    "lost=0",
    "reserved=0",
    "some_future_state=1",
    "unreserved=0",
  ]);
  assert.deepEqual(of(3), ["extended=0", "lost=0", "reserved=1", "unreserved=0"]);
});
