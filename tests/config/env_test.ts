import assert from "node:assert/strict";
import { expandEnv, parseConfig } from "../../lib/config/mod.ts";
import { problemAt, problems, yaml } from "./helpers.ts";

Deno.test("${VAR} is the variable's value, or empty when unset", () => {
  assert.equal(expandEnv("a-${X}-b", { X: "1" }), "a-1-b");
  assert.equal(expandEnv("a-${X}-b", {}), "a--b");
  assert.equal(expandEnv("${X}${Y}", { X: "1", Y: "2" }), "12");
});

Deno.test(":- replaces unset and empty, - replaces only unset", () => {
  assert.equal(expandEnv("${X:-d}", {}), "d");
  assert.equal(expandEnv("${X:-d}", { X: "" }), "d");
  assert.equal(expandEnv("${X:-d}", { X: "v" }), "v");
  assert.equal(expandEnv("${X-d}", {}), "d");
  assert.equal(expandEnv("${X-d}", { X: "" }), "");
  assert.equal(expandEnv("${X-d}", { X: "v" }), "v");
  assert.equal(expandEnv("${X:-}", {}), "");
});

Deno.test("default text may contain '/', ':', '@', '-' and nested references", () => {
  const dsn = "postgres://user:pa-ss@host1:5432/database?sslmode=require";
  assert.equal(expandEnv(`\${DSN:-${dsn}}`, {}), dsn);
  assert.equal(expandEnv("${A:-${B:-x:y@z/w}}", {}), "x:y@z/w");
  assert.equal(expandEnv("${A:-${B:-x}}", { B: "b" }), "b");
  assert.equal(expandEnv("${A:-pre-${B}-post}", { B: "b" }), "pre-b-post");
});

Deno.test(":? fails on unset and empty, ? only on unset, naming the variable", () => {
  assert.throws(() => expandEnv("${X:?set X please}", {}), /"X" is not set: set X please/);
  assert.throws(() => expandEnv("${X:?}", { X: "" }), /"X" is empty$/);
  assert.equal(expandEnv("${X?no}", { X: "" }), "");
  assert.throws(() => expandEnv("${X?no}", {}), /"X" is not set: no/);
  assert.equal(expandEnv("${X:?no}", { X: "v" }), "v");
});

Deno.test("a default is only evaluated when needed", () => {
  assert.equal(expandEnv("${A:-${B:?B is needed}}", { A: "a" }), "a");
  assert.throws(() => expandEnv("${A:-${B:?B is needed}}", {}), /"B" is not set: B is needed/);
});

Deno.test("$$ is a literal dollar and a lone $ stays literal", () => {
  assert.equal(expandEnv("pa$$word", {}), "pa$word");
  assert.equal(expandEnv("$${X}", { X: "no" }), "${X}");
  assert.equal(expandEnv("$$$$${X}", { X: "v" }), "$$v");
  assert.equal(expandEnv("$$$${X}", { X: "v" }), "$${X}");
  assert.equal(expandEnv("$X $ 5$", { X: "no" }), "$X $ 5$");
  assert.equal(expandEnv("${A:-$$}", {}), "$");
});

Deno.test("an environment value containing ${...} is not expanded again", () => {
  assert.equal(expandEnv("${A}", { A: "${B}", B: "boom" }), "${B}");
  assert.equal(expandEnv("${A:-x}", { A: "$${B}" }), "$${B}");
  assert.equal(expandEnv("${A:-${C}}", { C: "${B:?x}" }), "${B:?x}");
});

Deno.test("malformed references are syntax errors", () => {
  assert.throws(() => expandEnv("${X", {}), SyntaxError);
  assert.throws(() => expandEnv("abc ${X:-d", {}), /unterminated "\$\{"/);
  assert.throws(() => expandEnv("${A:-${B}", {}), /unterminated/);
  assert.throws(() => expandEnv("${}", {}), /invalid variable name/);
  assert.throws(() => expandEnv("${1X}", {}), /invalid variable name/);
  assert.throws(() => expandEnv("${X:=d}", {}), /unsupported syntax/);
  const deep = "${A:-".repeat(500) + "x" + "}".repeat(500);
  assert.throws(() => expandEnv(deep, {}), /nested more than 8 levels deep/);
});

Deno.test("expansion errors in a file name the config path", () => {
  const dsn = `    - { name: node1, dsn: "\${NODE1_DSN:?export NODE1_DSN}" }\n`;
  const line = problemAt(problems(yaml("", dsn)), "collector.nodes[0].dsn");
  assert.match(line, /environment variable "NODE1_DSN" is not set: export NODE1_DSN/);
  const bad = problems(yaml("log:\n  level: ${LEVEL\n"));
  assert.match(problemAt(bad, "log.level"), /unterminated/);
});

Deno.test("an unset plain ${VAR} is named in the resulting problem", () => {
  const list = problems(yaml("thresholds:\n  lag_seconds_warn: ${LAG_WARN}\n"));
  assert.match(problemAt(list, "thresholds.lag_seconds_warn"), /"LAG_WARN" not set/);
});

Deno.test("environment values cannot inject YAML structure", () => {
  for (const injected of ["x\nfoo: bar", "{a: 1}", "[1, 2]", "x\n  nodes: []", "&a x"]) {
    const config = parseConfig(yaml("database:\n  path: ${P}\n"), { env: { P: injected } });
    assert.equal(config.database.path, injected);
  }
  const list = problems(yaml("", "    - { name: '${N}', dsn: postgres://h/db }\n"), {
    env: { N: "{a: 1}" },
  });
  assert.match(problemAt(list, "collector.nodes[0].name"), /got "\{a: 1\}"/);
});

Deno.test("expanded strings are coerced to numbers and booleans", () => {
  const text = yaml(
    "thresholds:\n  lag_seconds_warn: ${WARN:-5}\n  lag_seconds_crit: ${CRIT:-15.5}\n" +
      "server:\n  auth_token: ${TOKEN:-t0ken}\n  metrics_auth: ${M:-TRUE}\n" +
      "database:\n  store_conflict_tuples: ${S:-false}\n",
  );
  const config = parseConfig(text, { env: { WARN: "2" } });
  assert.equal(config.thresholds.lagSecondsWarn, 2);
  assert.equal(config.thresholds.lagSecondsCrit, 15.5);
  assert.equal(config.server.metricsRequireAuth, true);
  assert.equal(config.database.storeConflictTuples, false);
  assert.match(
    problemAt(problems(text, { env: { WARN: "five" } }), "thresholds.lag_seconds_warn"),
    /"five"/,
  );
});

Deno.test("keys are not expanded", () => {
  const list = problems(yaml("log:\n  ${K}: info\n"), { env: { K: "level" } });
  assert.match(problemAt(list, "log.${K}"), /unknown key/);
});
