/**
 * The page validates snapshots with lib/snapshot/schema.ts built on zod_lite.ts (zod's mini front
 * end): it must accept, fill in and reject exactly as real zod does, with the same messages.
 */
import assert from "node:assert/strict";

const PROBE = new URL("./zod_probe.ts", import.meta.url).pathname;
const MAP = new URL("../../lib/web/page/import_map.json", import.meta.url).pathname;

async function probe(args: string[]): Promise<{ what: string; ok: boolean }[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", ...args, PROBE],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("schema.ts on zod_lite accepts, fills and rejects as on real zod", async () => {
  const real = await probe([]);
  const lite = await probe(["--import-map", MAP]);
  assert.ok(real.filter((r) => r.ok).length >= 3 && real.filter((r) => !r.ok).length >= 10);
  assert.deepEqual(lite, real);
});
