import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../lib/config/mod.ts";
import { configError, problemAt, problems, yaml } from "./helpers.ts";

Deno.test("every problem is reported at once, one per line, with its path", () => {
  const text = `
collector:
  interval: 1s
  probe_timeout: 1s
  nodes:
    - { name: node1, dsn: postgres://u@h1/app }
    - { name: node1, dsn: "mysql://u@h2/app" }
    - { name: "node 3", dsn: postgres://u@h3/app }
thresholds:
  lag_second_warn: 5
  lag_seconds_warn: 30
  conflicts_warn: lots
server:
  listen: "8080:"
database:
  retention: forever
log:
  level: loud
colector: {}
`;
  const error = configError(text, { source: "tools.yaml" });
  assert.equal(error.code, "CONFIG_INVALID");
  assert.equal(error.name, "ConfigError");
  assert.deepEqual(error.problems.map((p) => p.split(":")[0]), [
    "collector.nodes[1].dsn",
    "collector.nodes[1].name",
    "collector.nodes[2].name",
    "collector.probe_timeout",
    "thresholds.conflicts_warn",
    "thresholds.lag_second_warn",
    "thresholds.lag_seconds_warn",
    "server.listen",
    "database.retention",
    "log.level",
    "colector",
  ]);
  const lines = error.message.split("\n");
  assert.equal(lines[0], `Invalid configuration "tools.yaml" (11 problems)`);
  assert.deepEqual(lines.slice(1).map((l) => l.trim()), error.problems);
  assert.equal(
    problemAt(error.problems, "collector.nodes[1].dsn"),
    `collector.nodes[1].dsn: must be a postgres:// URL or key=value DSN (got "mysql://u@h2/app")`,
  );
});

Deno.test("node lists: missing, empty, not a list, entries without name or dsn", () => {
  assert.deepEqual(problems("thresholds: {}\n"), ["collector: required"]);
  assert.match(problemAt(problems("collector:\n  interval: 2s\n"), "collector.nodes"), /required/);
  assert.match(
    problemAt(problems("collector:\n  nodes: []\n"), "collector.nodes"),
    /at least one node/,
  );
  assert.match(
    problemAt(problems("collector:\n  nodes: node1\n"), "collector.nodes"),
    /list of nodes/,
  );
  const list = problems(
    "collector:\n  nodes:\n    - { name: a }\n    - dsn: postgres://h/db\n    - x\n",
  );
  assert.equal(problemAt(list, "collector.nodes[0].dsn"), "collector.nodes[0].dsn: required");
  assert.equal(problemAt(list, "collector.nodes[1].name"), "collector.nodes[1].name: required");
  assert.match(problemAt(list, "collector.nodes[2]"), /mapping with name and dsn/);
});

Deno.test("duplicate node names name both entries", () => {
  const nodes =
    "    - { name: a, dsn: postgres://h1/db }\n    - { name: b, dsn: postgres://h2/db }\n" +
    "    - { name: a, dsn: postgres://h3/db }\n";
  assert.equal(
    problemAt(problems(yaml("", nodes)), "collector.nodes[2].name"),
    `collector.nodes[2].name: duplicate node name "a" (also collector.nodes[0].name)`,
  );
});

Deno.test("node names must be letters, digits, _ . -", () => {
  for (const bad of ["node 1", "nöde", "a/b", "", "x".repeat(64), "a;drop"]) {
    const list = problems(
      yaml("", `    - { name: ${JSON.stringify(bad)}, dsn: postgres://h/db }\n`),
    );
    assert.match(problemAt(list, "collector.nodes[0].name"), /letters, digits/, bad);
  }
  const ok = parseConfig(
    yaml(
      "",
      "    - { name: Node_1.eu-west, dsn: postgres://h/db }\n    - { name: 2, dsn: postgres://h/db }\n",
    ),
  );
  assert.deepEqual(ok.collector.nodes.map((n) => n.name), ["Node_1.eu-west", "2"]);
});

Deno.test("DSNs must be postgres URLs or libpq key=value strings", () => {
  const good = [
    "postgres://u:p@h:5432/db",
    "postgresql://h/db?sslmode=require",
    "postgres:///db?host=/var/run/postgresql",
    "host=h port=5432 dbname=app user=u password='se cret' sslmode=require",
  ];
  for (const dsn of good) {
    assert.equal(
      parseConfig(yaml("", `    - { name: a, dsn: ${JSON.stringify(dsn)} }\n`)).collector.nodes[0]!
        .dsn,
      dsn,
    );
  }
  const bad = [
    "host1:5432",
    "http://h/db",
    "postgres://",
    "host=h hots=x",
    "host=h port",
    "just words",
    "host='x",
  ];
  for (const dsn of bad) {
    const list = problems(yaml("", `    - { name: a, dsn: ${JSON.stringify(dsn)} }\n`));
    assert.match(
      problemAt(list, "collector.nodes[0].dsn"),
      /must be a postgres:\/\/ URL or key=value DSN/,
      dsn,
    );
  }
  assert.match(
    problemAt(
      problems(yaml("", `    - { name: a, dsn: "host=h hots=x" }\n`)),
      "collector.nodes[0].dsn",
    ),
    /unknown connection parameter "hots"/,
  );
});

Deno.test("lag_seconds_warn must be below lag_seconds_crit, including defaults", () => {
  const at = (t: string) => problems(yaml(`thresholds:\n${t}`));
  assert.equal(
    problemAt(
      at("  lag_seconds_warn: 15\n  lag_seconds_crit: 15\n"),
      "thresholds.lag_seconds_warn",
    ),
    "thresholds.lag_seconds_warn: must be less than thresholds.lag_seconds_crit (15)",
  );
  assert.match(
    problemAt(at("  lag_seconds_warn: 20\n"), "thresholds.lag_seconds_warn"),
    /\(15, the default\)/,
  );
  assert.match(
    problemAt(at("  lag_seconds_crit: 3\n"), "thresholds.lag_seconds_crit"),
    /\(5, the default\)/,
  );
  assert.match(
    problemAt(at("  lag_seconds_warn: -1\n"), "thresholds.lag_seconds_warn"),
    /non-negative/,
  );
  assert.equal(
    parseConfig(yaml("thresholds:\n  lag_seconds_warn: 0.5\n  lag_seconds_crit: 1\n")).thresholds
      .lagSecondsCrit,
    1,
  );
});

Deno.test("a probe timeout not shorter than the interval is rejected", () => {
  const line = problemAt(
    problems(yaml("  interval: 2s\n  probe_timeout: 2s\n")),
    "collector.probe_timeout",
  );
  assert.equal(
    line,
    "collector.probe_timeout: must be shorter than collector.interval (2s): " +
      "an interval shorter than the probe timeout would let cycles overlap",
  );
  assert.match(
    problemAt(problems(yaml("  probe_timeout: 3s\n")), "collector.probe_timeout"),
    /\(2s, the default\)/,
  );
  assert.equal(
    parseConfig(yaml("  interval: 2s\n  probe_timeout: 1999ms\n")).collector.probeTimeoutMs,
    1999,
  );
});

Deno.test("unknown keys are errors, with a suggestion", () => {
  const list = problems(yaml(
    "  intervall: 2s\nthresholds:\n  lag_second_warn: 5\nserver:\n  lag_seconds_crit: 3\n  tls: { cert: a, key: b, ca: c }\n" +
      "nodes: []\n",
    "    - { name: a, dsn: postgres://h/db, password: x }\n",
  ));
  assert.equal(
    problemAt(list, "collector.intervall"),
    `collector.intervall: unknown key (did you mean "interval"?)`,
  );
  assert.equal(
    problemAt(list, "thresholds.lag_second_warn"),
    `thresholds.lag_second_warn: unknown key (did you mean "lag_seconds_warn"?)`,
  );
  assert.match(
    problemAt(list, "server.lag_seconds_crit"),
    /did you mean "thresholds.lag_seconds_crit"/,
  );
  assert.match(problemAt(list, "server.tls.ca"), /unknown key \(expected one of: cert, key\)/);
  assert.match(problemAt(list, "nodes"), /did you mean "collector.nodes"/);
  assert.match(problemAt(list, "collector.nodes[0].password"), /unknown key/);
  assert.equal(list.length, 6);
});

Deno.test("sections must be mappings; empty sections mean defaults", () => {
  const list = problems(yaml("thresholds: 5\nserver: [a]\nlog: info\n"));
  for (const path of ["thresholds", "server", "log"]) {
    assert.match(problemAt(list, path), /must be a mapping/);
  }
  assert.deepEqual(problems("- a\n"), [
    "(top level): the top level must be a mapping of sections (collector, thresholds, server, ...)",
  ]);
  const config = parseConfig(yaml("thresholds:\nserver:\n  listen:\ndatabase: ~\n"));
  assert.equal(config.server.port, 8080);
});

Deno.test("server, database and log values are checked", () => {
  const list = problems(yaml(
    "server:\n  auth_token: ''\n  metrics_auth: yes\n  tls: { cert: '' }\ndatabase:\n  path: ''\n" +
      "  store_conflict_tuples: 1\nlog:\n  level: verbose\n",
  ));
  assert.match(problemAt(list, "server.auth_token"), /must not be empty/);
  assert.match(problemAt(list, "server.metrics_auth"), /must be true or false \(got "yes"\)/);
  assert.match(problemAt(list, "server.tls.cert"), /non-empty/);
  assert.equal(problemAt(list, "server.tls.key"), "server.tls.key: required");
  assert.match(problemAt(list, "database.path"), /non-empty/);
  assert.match(problemAt(list, "database.store_conflict_tuples"), /true or false/);
  assert.match(problemAt(list, "log.level"), /one of debug, info, warn, error/);
  assert.match(
    problemAt(problems(yaml("server:\n  auth_token: 1234\n")), "server.auth_token"),
    /quote it/,
  );
  assert.match(
    problemAt(problems(yaml("server:\n  metrics_auth: true\n")), "server.metrics_auth"),
    /requires server.auth_token/,
  );
  assert.equal(parseConfig(yaml("log:\n  level: WARN\n")).log.level, "warn");
});

Deno.test("YAML syntax errors give file:line:col", () => {
  const error = configError("collector:\n  nodes: [a,\n  interval: 2s\n", { source: "cfg.yaml" });
  assert.ok(error instanceof ConfigError);
  assert.equal(error.code, "CONFIG_INVALID");
  assert.match(error.problems[0]!, /^cfg\.yaml:\d+:\d+: \S/);
  const dup = problems("collector:\n  interval: 1s\n  interval: 2s\n", { source: "x.yaml" });
  assert.deepEqual(dup, ["x.yaml:3:3: Map keys must be unique"]);
  const flow = problems("collector: { nodes: [ { name: a, dsn: ${X} } ] }\n", { source: "f.yaml" });
  assert.match(flow[0]!, /^f\.yaml:1:\d+: /);
});
