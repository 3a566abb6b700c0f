/** Version and build stamp: one version for deno.json and `--version`, a clean checkout stamp. */
import { buildInfo, VERSION, versionLine } from "../../lib/version/mod.ts";
import { BUILD_COMMIT, BUILD_DATE } from "../../lib/version/build_info.ts";
import { buildInfoSource } from "../../lib/version/stamp.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";

Deno.test("VERSION is deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assertEquals(VERSION, config.version);
});

Deno.test("the checkout's build_info.ts is unstamped (a stamped copy was not committed)", () => {
  assertEquals([BUILD_COMMIT, BUILD_DATE], ["unknown", null]);
  const info = buildInfo();
  assertEquals(info.deno, Deno.version.deno);
  assertEquals(info.target, Deno.build.target);
});

Deno.test("the version line shortens a full commit and names the Deno runtime", () => {
  const info = {
    version: "1.2.3",
    commit: "0123456789abcdef0123456789abcdef01234567",
    built_at: null,
    deno: "2.9.6",
    target: "aarch64-apple-darwin",
  };
  assertEquals(
    versionLine("pgactive-tools", info),
    "pgactive-tools 1.2.3 (commit 0123456789ab, deno 2.9.6, aarch64-apple-darwin)",
  );
  assertEquals(
    versionLine("pgactive-server", { ...info, commit: "unknown" }),
    "pgactive-server 1.2.3 (commit unknown, deno 2.9.6, aarch64-apple-darwin)",
  );
});

Deno.test("the stamp takes a hex commit or unknown and an ISO date, nothing else", () => {
  const text = buildInfoSource("abc1234", "2026-12-01T00:00:00.000Z");
  assertMatch(text, /^export const BUILD_COMMIT: string = "abc1234";$/m);
  assertMatch(text, /^export const BUILD_DATE: string \| null = "2026-12-01T00:00:00.000Z";$/m);
  assertMatch(buildInfoSource("unknown", null), /BUILD_DATE: string \| null = null;/);
  for (
    const [commit, date] of [['x"; Deno.exit(1); "', null], ["ABC1234", null], [
      "abc1234",
      "yesterday",
    ]]
  ) {
    let error: unknown = null;
    try {
      buildInfoSource(commit!, date ?? null);
    } catch (err) {
      error = err;
    }
    assert(error instanceof RangeError, `${commit} ${date} accepted`);
  }
});
