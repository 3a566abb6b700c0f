import assert from "node:assert/strict";
import { parse } from "yaml";
import { renderConfigYaml } from "../../lib/sandbox/config_yaml.ts";

const NODES = [
  { name: "node1", port: 5001, dsn: "postgres://postgres@127.0.0.1:5001/app" },
  { name: "node2", port: 5002, dsn: "postgres://postgres@127.0.0.1:5002/app" },
];

Deno.test("config yaml has the seed keys with defaults", () => {
  const cfg = parse(renderConfigYaml(NODES));
  assert.deepEqual(cfg, {
    collector: {
      interval: "2s",
      nodes: NODES.map((n) => ({ name: n.name, dsn: n.dsn })),
    },
    thresholds: { lag_seconds_warn: 5, lag_seconds_crit: 15, conflicts_warn: "3/min" },
    server: { listen: ":8080" },
    database: { path: "./data/replication_state.db" },
  });
});

Deno.test("config yaml honours options, a DSN user and extra sections", () => {
  const cfg = parse(renderConfigYaml(NODES, {
    interval: "1s",
    probeTimeout: "800ms",
    listen: "127.0.0.1:0",
    databasePath: "/tmp/x.db",
    thresholds: { lagSecondsWarn: 1, lagSecondsCrit: 2, conflictsWarn: "1/s" },
    user: "pgactive_monitor",
    extra: "log:\n  level: debug",
  }));
  assert.equal(cfg.collector.interval, "1s");
  assert.equal(cfg.collector.probe_timeout, "800ms");
  assert.equal(cfg.collector.nodes[1].dsn, "postgres://pgactive_monitor@127.0.0.1:5002/app");
  assert.deepEqual(cfg.thresholds, {
    lag_seconds_warn: 1,
    lag_seconds_crit: 2,
    conflicts_warn: "1/s",
  });
  assert.equal(cfg.server.listen, "127.0.0.1:0");
  assert.equal(cfg.database.path, "/tmp/x.db");
  assert.deepEqual(cfg.log, { level: "debug" });
});
