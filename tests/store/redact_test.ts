import assert from "node:assert/strict";
import { redactDeep, redactText } from "../../lib/store/redact.ts";

Deno.test("URL passwords are masked, user and host kept", () => {
  assert.equal(
    redactText("postgres://app:pa55@db1:5432/app?sslmode=require"),
    "postgres://app:****@db1:5432/app?sslmode=require",
  );
  assert.equal(redactText("x postgresql://u:p@ss@h/db y"), "x postgresql://u:****@h/db y");
  assert.equal(redactText("postgres://u@h:5432/db"), "postgres://u@h:5432/db", "no password");
});

Deno.test("password= values are masked in key=value and query forms", () => {
  assert.equal(redactText("host=h password=s3cr3t user=u"), "host=h password=**** user=u");
  assert.equal(redactText("password = 'a b\\'c' dbname=x"), "password = **** dbname=x");
  assert.equal(redactText("PGPASSWORD=abc"), "PGPASSWORD=****");
  assert.equal(redactText("postgres://h/db?password=abc&x=1"), "postgres://h/db?password=****&x=1");
});

Deno.test("text without secrets is returned unchanged", () => {
  const text = 'Cannot reach node "node2": connection refused after 1000 ms';
  assert.equal(redactText(text), text);
  assert.equal(redactText("lag_seconds >= 15"), "lag_seconds >= 15");
});

Deno.test("redactDeep masks nested strings and copies the input", () => {
  const input = { a: ["password=x1"], b: { c: "postgres://u:x2@h/d", n: 1, z: null } };
  assert.deepEqual(redactDeep(input), {
    a: ["password=****"],
    b: { c: "postgres://u:****@h/d", n: 1, z: null },
  });
  assert.equal(input.a[0], "password=x1", "input not modified");
});
