import assert from "node:assert/strict";
import {
  ConfigError,
  DEFAULTS,
  ENV_OVERRIDES,
  loadConfig,
  parseConfig,
  type ResolvedConfig,
} from "../../lib/config/mod.ts";
import { KNOWN_KEYS } from "../../lib/config/schema.ts";
import { configError, problemAt, problems, yaml } from "./helpers.ts";

const SEED = new URL("../../config/tools.yaml", import.meta.url).pathname;
const EXAMPLE = new URL("../../config/example.yaml", import.meta.url).pathname;

const SEED_RESOLVED: ResolvedConfig = {
  collector: {
    intervalMs: 2_000,
    probeTimeoutMs: 1_600,
    nodes: [{ name: "node1", dsn: "postgres://user:password@host1:5432/database" }],
    conflictWindowMs: 300_000,
  },
  thresholds: {
    lagSecondsWarn: 5,
    lagSecondsCrit: 15,
    conflictsWarnPerMinute: 3,
    walsenderInactiveCritMs: 30_000,
  },
  server: { host: "0.0.0.0", port: 8080, authToken: null, metricsRequireAuth: false, tls: null },
  database: {
    path: "./data/replication_state.db",
    retentionMs: 7 * 86_400_000,
    storeConflictTuples: false,
  },
  log: { level: "info", access: "sampled" },
};

Deno.test("the seed config/tools.yaml loads as written, with defaults filled in", async () => {
  assert.deepEqual(await loadConfig({ path: SEED, env: {} }), SEED_RESOLVED);
  const fromEnv = await loadConfig({
    path: SEED,
    env: { PGACTIVE_NODE1_DSN: "postgres://m@db1/app" },
  });
  assert.equal(fromEnv.collector.nodes[0]!.dsn, "postgres://m@db1/app");
});

Deno.test("the seed is exactly the DESIGN section 5 example", async () => {
  const text = await Deno.readTextFile(SEED);
  assert.match(text, /^collector:\n {2}interval: 2s\n {2}nodes:\n {4}- name: node1\n/);
  assert.ok(
    text.includes("dsn: ${PGACTIVE_NODE1_DSN:-postgres://user:password@host1:5432/database}\n"),
  );
  assert.ok(
    text.includes("server:\n  listen: :8080\ndatabase:\n  path: ./data/replication_state.db\n"),
  );
});

Deno.test("loadConfig reads ./config/tools.yaml by default", async () => {
  assert.equal(DEFAULTS.path, "./config/tools.yaml");
  assert.deepEqual(await loadConfig({ env: {} }), SEED_RESOLVED); // tests run from the repository root
});

Deno.test("config/example.yaml loads and documents every key", async () => {
  const config = await loadConfig({ path: EXAMPLE, env: {} });
  assert.deepEqual(config.collector.nodes.map((n) => n.name), ["node1", "node2"]);
  assert.deepEqual(config.thresholds, SEED_RESOLVED.thresholds);
  const text = await Deno.readTextFile(EXAMPLE);
  for (const [section, keys] of Object.entries(KNOWN_KEYS)) {
    for (const key of keys) {
      assert.match(
        text,
        new RegExp(`^\\s*#?\\s*(- )?${key}:`, "m"),
        `${section}.${key} undocumented`,
      );
    }
  }
  for (const name of Object.keys(ENV_OVERRIDES)) {
    assert.ok(text.includes(name), `${name} undocumented`);
  }
});

Deno.test("a missing file is CONFIG_NOT_FOUND naming the path", async () => {
  const path = "/nonexistent/dir/tools.yaml";
  const error = await loadConfig({ path, env: {} }).then(() => null, (e) => e);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.code, "CONFIG_NOT_FOUND");
  assert.equal(error.message, `Configuration file "${path}" not found`);
  assert.deepEqual(error.problems, [`${path}: file not found`]);
});

Deno.test("a directory instead of a file is CONFIG_INVALID", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const error = await loadConfig({ path: dir, env: {} }).then(() => null, (e) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, "CONFIG_INVALID");
    assert.match(error.problems[0]!, /cannot read file/);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("the probe timeout defaults to min(5s, 80% of the interval)", () => {
  const timeout = (interval: string) =>
    parseConfig(yaml(`  interval: ${interval}\n`)).collector.probeTimeoutMs;
  assert.equal(timeout("2s"), 1_600);
  assert.equal(timeout("500ms"), 400);
  assert.equal(timeout("10s"), 5_000);
  assert.equal(timeout("1h"), 5_000);
  assert.equal(timeout("10ms"), 8);
});

Deno.test("precedence: overrides > PGACTIVE_TOOLS_* env > file > defaults", () => {
  const text = yaml(
    "  interval: 5s\n  probe_timeout: 1s\nserver:\n  listen: :9000\n  auth_token: file-token\n" +
      "database:\n  path: file.db\nlog:\n  level: warn\n",
  );
  const fromFile = parseConfig(text);
  assert.deepEqual(
    [
      fromFile.collector.intervalMs,
      fromFile.server.port,
      fromFile.database.path,
      fromFile.log.level,
    ],
    [5_000, 9000, "file.db", "warn"],
  );
  const env = {
    PGACTIVE_TOOLS_INTERVAL: "3s",
    PGACTIVE_TOOLS_PROBE_TIMEOUT: "2s",
    PGACTIVE_TOOLS_LISTEN: "127.0.0.1:9100",
    PGACTIVE_TOOLS_DB_PATH: "env.db",
    PGACTIVE_TOOLS_LOG_LEVEL: "debug",
    PGACTIVE_TOOLS_AUTH_TOKEN: "env-token",
  };
  const fromEnv = parseConfig(text, { env });
  assert.equal(fromEnv.collector.intervalMs, 3_000);
  assert.equal(fromEnv.collector.probeTimeoutMs, 2_000);
  assert.deepEqual([fromEnv.server.host, fromEnv.server.port], ["127.0.0.1", 9100]);
  assert.equal(fromEnv.database.path, "env.db");
  assert.equal(fromEnv.log.level, "debug");
  assert.equal(fromEnv.server.authToken, "env-token");
  const fromFlags = parseConfig(text, {
    env,
    overrides: {
      interval: "4s",
      probeTimeout: "250ms",
      listen: "[::1]:9200",
      dbPath: "flag.db",
      logLevel: "error",
      authToken: "flag-token",
    },
  });
  assert.equal(fromFlags.collector.intervalMs, 4_000);
  assert.equal(fromFlags.collector.probeTimeoutMs, 250);
  assert.deepEqual([fromFlags.server.host, fromFlags.server.port], ["::1", 9200]);
  assert.equal(fromFlags.database.path, "flag.db");
  assert.equal(fromFlags.log.level, "error");
  assert.equal(fromFlags.server.authToken, "flag-token");
});

Deno.test("overrides apply without a section in the file; empty env values are ignored", () => {
  const config = parseConfig(yaml(), {
    env: { PGACTIVE_TOOLS_DB_PATH: "", PGACTIVE_TOOLS_LOG_LEVEL: "warn" },
    overrides: { listen: ":9300", interval: undefined },
  });
  assert.equal(config.database.path, DEFAULTS.database.path);
  assert.equal(config.log.level, "warn");
  assert.equal(config.server.port, 9300);
  assert.equal(config.collector.intervalMs, DEFAULTS.collector.intervalMs);
});

Deno.test("a bad override is reported with where it came from", () => {
  const list = problems(yaml("  probe_timeout: 1500ms\n"), {
    env: { PGACTIVE_TOOLS_INTERVAL: "1s", PGACTIVE_TOOLS_LISTEN: "nowhere" },
    overrides: { logLevel: "loud" },
  });
  assert.match(
    problemAt(list, "server.listen (from PGACTIVE_TOOLS_LISTEN)"),
    /invalid listen address "nowhere"/,
  );
  assert.match(problemAt(list, "log.level (from --log-level)"), /"loud"/);
  assert.match(
    problemAt(list, "collector.probe_timeout"),
    /collector.interval \(1s, from PGACTIVE_TOOLS_INTERVAL\)/,
  );
});

Deno.test("the resolved config is deeply frozen", () => {
  const config = parseConfig(yaml());
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.collector.nodes[0]));
  assert.throws(() => {
    (config.server as { port: number }).port = 1;
  }, TypeError);
});

Deno.test("TLS needs both files and resolves to certFile/keyFile", () => {
  const config = parseConfig(yaml("server:\n  tls:\n    cert: /c.pem\n    key: /k.pem\n"));
  assert.deepEqual(config.server.tls, { certFile: "/c.pem", keyFile: "/k.pem" });
  assert.equal(parseConfig(yaml("server:\n  tls: null\n")).server.tls, null);
  assert.ok(
    configError(yaml("server:\n  tls: { cert: /c.pem }\n")).message.includes(
      "server.tls.key: required",
    ),
  );
});
