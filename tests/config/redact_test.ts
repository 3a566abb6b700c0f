import assert from "node:assert/strict";
import {
  ConfigError,
  configSecrets,
  describeConfig,
  loadConfig,
  parseConfig,
  redactDsn,
  redactSecrets,
} from "../../lib/config/mod.ts";
import { configError, yaml } from "./helpers.ts";

const SECRET = "Zq7-Secret_Walrus";

Deno.test("redactDsn masks URL passwords", () => {
  const cases: [string, string][] = [
    ["postgres://u:pass@h/db", "postgres://u:****@h/db"],
    [
      "postgresql://u:p%40ss@h:5432/db?sslmode=require",
      "postgresql://u:****@h:5432/db?sslmode=require",
    ],
    ["postgres://u:p@ss@h/db", "postgres://u:****@h/db"],
    ["postgres://:pw@h/db", "postgres://:****@h/db"],
    ["postgres://u@h/db", "postgres://u@h/db"],
    ["postgres://h/db?password=x&sslmode=require", "postgres://h/db?password=****"],
    ["postgres//u:typo@h/db", "postgres//u:****@h/db"],
  ];
  for (const [dsn, shown] of cases) assert.equal(redactDsn(dsn), shown, dsn);
});

Deno.test("redactDsn masks key=value passwords, quoted or not", () => {
  const cases: [string, string][] = [
    ["host=h password=secret dbname=app", "host=h password=**** dbname=app"],
    ["host=h password='se cret' dbname=app", "host=h password=**** dbname=app"],
    ["password = 'it\\'s' user=u", "password = **** user=u"],
    ["host=h PASSWORD=x", "host=h PASSWORD=****"],
    ["sslpassword=k host=h", "sslpassword=**** host=h"],
    ["host=h password='unterminated secret", "host=h password=****"],
    ["host=h user=u", "host=h user=u"],
  ];
  for (const [dsn, shown] of cases) assert.equal(redactDsn(dsn), shown, dsn);
});

Deno.test("redactSecrets replaces every occurrence, longest secret first", () => {
  assert.equal(redactSecrets("a pw b pwlong c pw", ["pw", "pwlong"]), "a **** b **** c ****");
  assert.equal(redactSecrets("nothing", ["", "zz"]), "nothing");
});

Deno.test("configSecrets lists DSN passwords (raw and decoded) and the token", () => {
  const config = parseConfig(yaml(
    "server:\n  auth_token: tok3n\n",
    "    - { name: a, dsn: 'postgres://u:p%40ss@h/db' }\n" +
      "    - { name: b, dsn: \"host=h password='se cret'\" }\n    - { name: c, dsn: postgres://u@h/db }\n",
  ));
  assert.deepEqual(
    new Set(configSecrets(config)),
    new Set(["p%40ss", "p@ss", "'se cret'", "se cret", "tok3n"]),
  );
});

Deno.test("describeConfig redacts DSNs and the token and is JSON-safe", () => {
  const config = parseConfig(
    yaml(
      "server:\n  auth_token: ${TOKEN}\n",
      "    - { name: a, dsn: '${DSN}' }\n    - { name: b, dsn: 'host=h password=${PW}' }\n",
    ),
    { env: { TOKEN: `tok-${SECRET}`, DSN: `postgres://u:${SECRET}@h/db`, PW: SECRET } },
  );
  const shown = describeConfig(config);
  const json = JSON.stringify(shown);
  assert.ok(!json.includes(SECRET), json);
  assert.deepEqual(JSON.parse(json), shown);
  assert.deepEqual((shown.collector as { nodes: unknown }).nodes, [
    { name: "a", dsn: "postgres://u:****@h/db" },
    { name: "b", dsn: "host=h password=****" },
  ]);
  assert.equal((shown.server as { authToken: unknown }).authToken, "****");
  assert.equal(
    config.collector.nodes[0]!.dsn,
    `postgres://u:${SECRET}@h/db`,
    "config itself untouched",
  );
});

Deno.test("the seed's DSN password is redacted when described", async () => {
  const json = JSON.stringify(
    describeConfig(await loadConfig({ path: "config/tools.yaml", env: {} })),
  );
  assert.ok(json.includes("postgres://user:****@host1:5432/database"), json);
  assert.ok(!json.includes(":password@"), json);
});

Deno.test("a DSN password never appears in a ConfigError", () => {
  const texts: [string, Record<string, string>][] = [
    // malformed URL (scheme typo), malformed key=value, unknown parameter
    [yaml("", `    - { name: a, dsn: 'postgres//u:${SECRET}@h/db' }\n`), {}],
    [yaml("", `    - { name: a, dsn: "host=h password='${SECRET} x" }\n`), {}],
    [yaml("", `    - { name: a, dsn: 'hots=h password=${SECRET}' }\n`), {}],
    // valid DSN from env, with a problem elsewhere; the same DSN twice
    [
      yaml(
        "log:\n  level: loud\n",
        "    - { name: a, dsn: '${D}' }\n    - { name: a, dsn: '${D}' }\n",
      ),
      {
        D: `postgres://u:${SECRET}@h/db`,
      },
    ],
    // password pasted into the wrong field, in a DSN with an expansion error
    [yaml("", `    - { name: 'u:${SECRET}@h', dsn: 'postgres://u:${SECRET}@h/\${DB' }\n`), {}],
    // YAML syntax error on the DSN line
    [`collector:\n  nodes:\n    - { name: a, dsn: postgres://u:${SECRET}@h/db: x }\n  [\n`, {}],
    // the password pasted into a field whose message quotes the value
    [
      yaml(
        `log:\n  level: "${SECRET}"\n`,
        `    - { name: a, dsn: 'postgres://u:${SECRET}@h/db' }\n`,
      ),
      {},
    ],
    // token problems
    [yaml(`server:\n  auth_token: "${SECRET} x"\n`), {}],
  ];
  for (const [text, env] of texts) {
    const error = configError(text, { env });
    assert.ok(error instanceof ConfigError);
    assert.ok(!error.message.includes(SECRET), error.message);
    assert.ok(!JSON.stringify(error.problems).includes(SECRET), error.message);
    assert.ok(error.problems.length > 0);
  }
});
