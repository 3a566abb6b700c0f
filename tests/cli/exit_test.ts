/** Exit-code mapping (one place) and command-line parsing, with plain data. */
import { parseCliArgs } from "../../lib/cli/args.ts";
import { errorExit, exitCode, type Outcome, UsageError } from "../../lib/cli/exit.ts";
import { ConfigError } from "../../lib/config/mod.ts";
import { ServerUnavailableError } from "../../lib/sdk/mod.ts";
import type { Status } from "../../lib/snapshot/mod.ts";
import { assertEquals, assertMatch } from "../sdk/assert.ts";

const none = { failOnWarn: false, failOnCrit: false };
const warn = { failOnWarn: true, failOnCrit: false };
const crit = { failOnWarn: false, failOnCrit: true };

Deno.test("check maps statuses to Nagios codes; nothing readable is UNKNOWN", () => {
  const code = (status: Status, readable = true) =>
    exitCode({ kind: "check", status, readable }, none);
  assertEquals(
    [code("HEALTHY"), code("DEGRADED"), code("CRITICAL"), code("DOWN"), code("UNKNOWN")],
    [0, 1, 2, 2, 3],
  );
  assertEquals(code("DOWN", false), 3);
});

Deno.test("display commands exit 0 unless --fail-on-warn or --fail-on-crit", () => {
  const d = (status: Status, policy = none, readable = true): number =>
    exitCode({ kind: "display", status, readable } satisfies Outcome, policy);
  assertEquals([d("DEGRADED"), d("CRITICAL"), d("DOWN"), d("DOWN", none, false)], [0, 0, 0, 0]);
  assertEquals([d("HEALTHY", warn), d("DEGRADED", warn), d("CRITICAL", warn)], [0, 1, 2]);
  assertEquals([d("DEGRADED", crit), d("CRITICAL", crit), d("DOWN", crit)], [0, 2, 2]);
  assertEquals(d("DOWN", crit, false), 3);
});

Deno.test("wait and errors have fixed codes", () => {
  const w = (result: "caught_up" | "timeout" | "unreadable" | "interrupted") =>
    exitCode({ kind: "wait", result }, warn);
  assertEquals([w("caught_up"), w("timeout"), w("unreadable"), w("interrupted")], [0, 2, 3, 130]);
  assertEquals(errorExit(new Error("aborted"), { interrupted: true }), 130);
  assertEquals(exitCode({ kind: "done" }, warn), 0);
  assertEquals(errorExit(new UsageError("x")), 64);
  assertEquals(errorExit(new ConfigError("CONFIG_NOT_FOUND", [], { source: "x.yaml" })), 64);
  assertEquals(errorExit(new ServerUnavailableError("http://h", "connection refused")), 3);
  assertEquals(errorExit(new Error("boom")), 3);
});

Deno.test("the command line is parsed strictly with one-line errors", () => {
  const p = parseCliArgs(["wait", "--max-lag", "2s", "--timeout", "30s", "--format", "json"]);
  assertEquals([p.command, p.flags.maxLagSeconds, p.flags.timeoutMs, p.flags.format], [
    "wait",
    2,
    30_000,
    "json",
  ]);
  assertEquals(parseCliArgs([]).command, "help");
  assertEquals(parseCliArgs(["help", "lag"]).topic, "lag");
  const usage = (argv: string[]) => {
    try {
      parseCliArgs(argv);
    } catch (err) {
      if (err instanceof UsageError) return err.message;
      throw err;
    }
    throw new Error(`accepted ${argv.join(" ")}`);
  };
  assertEquals(usage(["lag", "--bogus"]), "unknown flag --bogus");
  assertEquals(
    usage(["lag", "--format", "xml"]),
    'invalid value "xml" for --format: use table or json',
  );
  assertMatch(usage(["wait", "--max-lag", "abc"]), /^invalid value "abc" for --max-lag/);
  assertMatch(usage(["frob"]), /^unknown command "frob"/);
  assertEquals(usage(["lag", "--format"]), "flag --format needs a value");
  assertEquals(usage(["lag", "--timeout", "5s"]), "flag --timeout is only valid for: wait");
  assertEquals(usage(["lag", "extra"]), 'unexpected argument "extra" after lag');
});
