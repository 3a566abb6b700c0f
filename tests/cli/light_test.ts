/**
 * The CLI's start-up copies (lib/cli/light.ts, lib/cli/server_read.ts) agree with lib/config and
 * lib/snapshot, which `lag --server` no longer loads.
 */
import { DEFAULTS, parseDuration, redactDsn } from "../../lib/config/mod.ts";
import {
  DEFAULT_CONFIG_PATH,
  DEFAULT_THRESHOLDS,
  durationMs,
  maskSecrets,
} from "../../lib/cli/light.ts";
import { statusOutcome } from "../../lib/cli/context.ts";
import { checkSnapshot, SnapshotFormatError } from "../../lib/cli/server_read.ts";
import { type Snapshot, SnapshotSchema, STATUSES, worstStatus } from "../../lib/snapshot/mod.ts";
import { makeResult } from "../store/fixtures.ts";
import { assert, assertEquals } from "../sdk/assert.ts";

/** The error `fn` throws (fails when it returns), checked against `type` and `includes`. */
function assertThrows<E extends Error>(
  fn: () => unknown,
  type: new (...args: never[]) => E = Error as never,
  includes = "",
): E {
  try {
    fn();
  } catch (err) {
    assert(err instanceof type, `threw ${String(err)}`);
    assert(err.message.includes(includes), `"${err.message}" lacks "${includes}"`);
    return err;
  }
  throw new Error("did not throw");
}

Deno.test("default config path and thresholds are lib/config's", () => {
  assertEquals(DEFAULT_CONFIG_PATH, DEFAULTS.path);
  const { lagSecondsWarn, lagSecondsCrit, conflictsWarnPerMinute } = DEFAULTS.thresholds;
  assertEquals(DEFAULT_THRESHOLDS, { lagSecondsWarn, lagSecondsCrit, conflictsWarnPerMinute });
});

Deno.test("durations parse as lib/config's parseDuration; invalid ones are null", () => {
  for (const text of ["0", "0s", "250ms", "1.5s", "5m", "2h", "7d", " 30s ", ".5s", "12"]) {
    assertEquals(durationMs(text), parseDuration(text), text);
  }
  for (const text of ["", "-1s", "5x", "s", "1e3", "1 2s"]) {
    assertEquals(durationMs(text), null, text);
    assertThrows(() => parseDuration(text));
  }
});

Deno.test("URL passwords are masked as redactDsn masks them, and named secrets everywhere", () => {
  for (const text of ["postgres://mon:s3cr3t@db:5432/app", "x https://u:p@ss@h/ y"]) {
    assertEquals(maskSecrets(text, []), redactDsn(text));
  }
  assertEquals(maskSecrets("token abc123 and abc123x", ["abc123"]), "token **** and ****x");
});

Deno.test("the CLI's worst node status ranks as lib/snapshot's worstStatus", () => {
  const worstOf = (statuses: Snapshot["status"][]) => {
    const nodes = Object.fromEntries(statuses.map((status, i) => [`n${i}`, { status }]));
    const outcome = statusOutcome({ status: "HEALTHY", nodes } as unknown as Snapshot, "check");
    return "status" in outcome ? outcome.status : null;
  };
  for (const a of STATUSES) {
    for (const b of STATUSES) assertEquals(worstOf([a, b]), worstStatus([a, b]), `${a} ${b}`);
  }
  assertEquals(worstStatus([]), "HEALTHY");
});

Deno.test("a valid snapshot passes the light check and the schema alike, late fields null", () => {
  const snap = JSON.parse(JSON.stringify(makeResult(7).snapshot));
  for (const link of snap.links) delete link.caught_up;
  const checked = checkSnapshot(structuredClone(snap));
  const parsed = SnapshotSchema.parse(structuredClone(snap));
  assertEquals(checked.links.map((l) => l.caught_up), parsed.links.map((l) => l.caught_up));
  assertEquals(checked.version, 7);
  assert(checked.links.length > 0);
});

Deno.test("what the commands read is checked: one line naming the paths", () => {
  const snap = JSON.parse(JSON.stringify(makeResult(7).snapshot));
  snap.status = "FINE";
  snap.links[0].lag_method = "guess";
  delete snap.nodes[Object.keys(snap.nodes)[0]!].metrics;
  const err = assertThrows(() => checkSnapshot(snap), SnapshotFormatError);
  assert(!SnapshotSchema.safeParse(snap).success, "schema rejects it too");
  assert(
    /^invalid snapshot: status: .*; nodes\.\w+\.metrics: .*; links\.0\.lag_method/.test(
      err.message,
    ),
    err.message,
  );
  assertThrows(() => checkSnapshot([]), SnapshotFormatError, "(root)");
  assertThrows(() => checkSnapshot({ ...snap, nodes: null }), SnapshotFormatError, "nodes");
});
