/** VersionLease on real files: continuity across restarts, reservations across reboots, refusals. */
import assert from "node:assert/strict";
import { leasePath, VersionLease } from "../../lib/store/mod.ts";
import { RECORD_BYTES } from "../../lib/store/version_lease.ts";

const BOOT = 1_700_000_000_000;

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-lease-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a restart on the same boot continues at the last published version + 1", () =>
  withDir((dir) => {
    const path = `${dir}/state.db-version`;
    const first = VersionLease.open(path, { bootTimeMs: BOOT, block: 10 });
    assert.equal(first.floor, 0);
    for (let v = 1; v <= 13; v++) first.publish(v);
    // kill -9: no close(); the page cache keeps the last record
    const second = VersionLease.open(path, { bootTimeMs: BOOT + 900 });
    assert.equal(second.floor, 13);
    second.publish(14);
    second.close();
    first.close();
    assert.equal(Deno.statSync(path).size, RECORD_BYTES);
  }));

Deno.test("after a reboot without a clean close, numbering continues above the reservation", () =>
  withDir((dir) => {
    const path = `${dir}/state.db-version`;
    const lease = VersionLease.open(path, { bootTimeMs: BOOT, block: 10 });
    for (let v = 1; v <= 13; v++) lease.publish(v); // 11 reserved 11..20
    const rebooted = VersionLease.open(path, { bootTimeMs: BOOT + 3_600_000 });
    assert.equal(rebooted.floor, 20, "every version the old run may have shown is skipped");
    rebooted.close();
    lease.close();
    const unknownBoot = VersionLease.open(path, { bootTimeMs: null });
    assert.equal(unknownBoot.floor, 13, "a clean close syncs the exact last version");
    unknownBoot.close();
  }));

Deno.test("versions never go backwards, and a broken lease refuses to start blind", () =>
  withDir((dir) => {
    const path = `${dir}/state.db-version`;
    using lease = VersionLease.open(path, { bootTimeMs: BOOT });
    lease.publish(5);
    assert.throws(() => lease.publish(5), /Version 5 is not above the last published 5/);
    assert.throws(() => lease.publish(3), RangeError);
    Deno.writeTextFileSync(`${dir}/bad-version`, "{not json");
    assert.throws(
      () => VersionLease.open(`${dir}/bad-version`),
      /Cannot open version lease ".*bad-version": unreadable record/,
    );
    assert.equal(leasePath(":memory:"), null);
    assert.equal(leasePath("/data/state.db"), "/data/state.db-version");
    using memory = VersionLease.open(null);
    memory.publish(1);
    assert.equal(memory.published, 1);
  }));
