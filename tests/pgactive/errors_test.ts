import assert from "node:assert/strict";
import { classifyError, NodeProbeError, redact } from "../../lib/pgactive/errors.ts";

const opts = { secrets: ["Sup3rS3cret"], connectTimeoutMs: 1000 };

Deno.test("a refused connection reads like the style guide and has a stable code", () => {
  const e = classifyError(
    "node2",
    Object.assign(new Error("connect ECONNREFUSED"), {
      code: "ECONNREFUSED",
    }),
    opts,
  );
  assert.ok(e instanceof NodeProbeError);
  assert.equal(e.code, "CONNECT_REFUSED");
  assert.equal(e.message, 'Cannot reach node "node2": connection refused');
});

Deno.test("driver codes map to probe error codes", () => {
  const code = (c: string) =>
    classifyError("n", Object.assign(new Error("x"), { code: c }), opts).code;
  assert.equal(code("CONNECT_TIMEOUT"), "CONNECT_TIMEOUT");
  assert.equal(code("28P01"), "AUTH_FAILED");
  assert.equal(code("57P01"), "CONNECTION_LOST");
  assert.equal(code("CONNECTION_CLOSED"), "CONNECTION_LOST");
  assert.equal(code("57014"), "PROBE_TIMEOUT");
  assert.equal(code("42501"), "QUERY_FAILED");
});

Deno.test("secrets are redacted from messages and the cause keeps no driver object", () => {
  const driverError = Object.assign(new Error("boom Sup3rS3cret here"), {
    code: "XX000",
    query: "secret query",
    parameters: ["Sup3rS3cret"],
  });
  const e = classifyError("node1", driverError, opts);
  assert.ok(!e.message.includes("Sup3rS3cret"));
  assert.ok(!JSON.stringify(e.cause).includes("Sup3rS3cret"));
  assert.ok(!JSON.stringify(e.cause).includes("secret query"));
  assert.equal(redact("a pw b pw", ["pw"]), "a pw b pw"); // too short to redact safely
  assert.equal(redact("a pwd1 b", ["pwd1"]), "a **** b");
});
