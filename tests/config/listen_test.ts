import assert from "node:assert/strict";
import { parseConfig, parseListen, serverUrlFromListen } from "../../lib/config/mod.ts";
import { problemAt, problems, yaml } from "./helpers.ts";

Deno.test("listen addresses parse into host and port", () => {
  const cases: [string | number, string, number][] = [
    [":8080", "0.0.0.0", 8080],
    ["127.0.0.1:8080", "127.0.0.1", 8080],
    ["[::1]:8080", "::1", 8080],
    ["0.0.0.0:9000", "0.0.0.0", 9000],
    ["[::]:80", "::", 80],
    ["localhost:3000", "localhost", 3000],
    ["metrics.internal.example:443", "metrics.internal.example", 443],
    ["8080", "0.0.0.0", 8080],
    [9090, "0.0.0.0", 9090],
    ["127.0.0.1:0", "127.0.0.1", 0],
  ];
  for (const [input, host, port] of cases) {
    assert.deepEqual(parseListen(input), { host, port }, String(input));
  }
});

Deno.test("invalid listen addresses are RangeErrors", () => {
  for (
    const bad of [
      "",
      "::1:8080",
      "[::1]",
      "host:",
      "host:port",
      ":70000",
      "[zz::1]:80",
      "a b:80",
      "-x:80",
    ]
  ) {
    assert.throws(() => parseListen(bad), RangeError, bad);
  }
});

Deno.test("a bad server.listen is reported with its path and examples", () => {
  const line = problemAt(problems(yaml("server:\n  listen: localhost\n")), "server.listen");
  assert.match(line, /invalid listen address "localhost"/);
  assert.match(line, /"\[::1\]:8080"/);
});

Deno.test("serverUrlFromListen points a local client at the server", () => {
  const url = (listen: string, extra = "") =>
    serverUrlFromListen(parseConfig(yaml(`server:\n  listen: "${listen}"\n${extra}`)));
  assert.equal(url(":8080"), "http://127.0.0.1:8080");
  assert.equal(url("0.0.0.0:9000"), "http://127.0.0.1:9000");
  assert.equal(url("127.0.0.2:81"), "http://127.0.0.2:81");
  assert.equal(url("[::1]:8080"), "http://[::1]:8080");
  assert.equal(url("[::]:8080"), "http://[::1]:8080");
  assert.equal(url("localhost:1"), "http://localhost:1");
  assert.equal(url(":8443", "  tls: { cert: c.pem, key: k.pem }\n"), "https://127.0.0.1:8443");
});
