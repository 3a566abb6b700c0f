import assert from "node:assert/strict";
import {
  deriveLink,
  type LinkInput,
  type LinkState,
  NEW_LINK_STATE,
} from "../../lib/collector/links.ts";
import type { SlotInfo } from "../../lib/pgactive/mod.ts";

const PEER = { sysid: "7711616478256711032", timeline: 0, dboid: 16385 };

function slot(
  o: { active?: boolean; sent?: bigint; replay?: bigint; confirmed?: bigint },
): SlotInfo {
  const active = o.active ?? true;
  return {
    slotName: "pgactive_16385_7711616478256711032_0_16385__",
    peer: PEER,
    active,
    activePid: active ? 13746 : null,
    restartLsn: 0x1000n,
    confirmedFlushLsn: o.confirmed ?? o.replay ?? 0x2000n,
    walStatus: "reserved",
    walsender: active
      ? {
        state: "streaming",
        sentLsn: o.sent ?? 0x2000n,
        writeLsn: o.replay ?? 0x2000n,
        flushLsn: o.replay ?? 0x2000n,
        replayLsn: o.replay ?? 0x2000n,
      }
      : null,
  };
}

function input(nowMs: number, current: bigint, s: SlotInfo | null, extra: Partial<LinkInput> = {}) {
  return {
    from: "node1",
    to: "node2",
    nowMs,
    origin: { currentLsn: current, nextXid: 1100, slot: s },
    target: {
      serverNowMs: nowMs,
      applied: { peer: PEER, xid: 1000, commitTsMs: nowMs - 3_600_000, appliedAtMs: null },
      stats: null,
      catalogConflicts: 0,
    },
    ...extra,
  };
}

Deno.test("idle WAL noise that the receiver confirms keeps the link caught up", () => {
  let state: LinkState = NEW_LINK_STATE;
  for (let i = 0; i < 5; i++) {
    const current = 0x2000n + BigInt(i * 150);
    const d = deriveLink(
      input(i * 1000, current, slot({ sent: current, replay: current - 100n })),
      state,
    );
    state = d.state;
    assert.equal(d.caughtUp, true);
    assert.deepEqual([d.link.lag_seconds, d.link.lag_bytes, d.link.lag_method], [
      0,
      0,
      "caught_up",
    ]);
  }
});

Deno.test("a small write stuck unapplied is behind once replay has not moved for 15 s", () => {
  let state: LinkState = NEW_LINK_STATE;
  // t=0: fully synced
  state = deriveLink(input(0, 0x2000n, slot({ sent: 0x2000n, replay: 0x2000n })), state).state;
  // one 200-byte write is sent but never replayed
  let d = deriveLink(input(1000, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x2000n })), state);
  assert.equal(d.caughtUp, true, "within the noise allowance at first");
  for (let t = 2000; t <= 16_000; t += 1000) {
    state = d.state;
    d = deriveLink(input(t, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x2000n })), state);
  }
  assert.equal(d.caughtUp, false);
  assert.equal(d.link.lag_bytes, 200);
  assert.equal(d.link.lag_method, "observed_behind");
  assert.equal(d.link.lag_seconds, 16, "bounded by the last full sync, not the hour-old commit");
  state = d.state;
  d = deriveLink(input(17_000, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x20C8n })), state);
  assert.equal(d.caughtUp, true, "replayed: caught up again");
});

Deno.test("an inactive walsender is tracked from its first sighting; a reconnect resets it", () => {
  let d = deriveLink(
    input(0, 0x5000n, slot({ active: false, confirmed: 0x2000n })),
    NEW_LINK_STATE,
  );
  assert.equal(d.link.active, false);
  assert.equal(d.inactiveForMs, 0);
  assert.equal(d.link.lag_bytes, 0x3000, "from confirmed_flush_lsn while disconnected");
  assert.equal(d.link.retained_wal_bytes, 0x4000);
  assert.equal(d.link.sent_lsn, null);
  d = deriveLink(input(1500, 0x3000n, slot({ active: false, confirmed: 0x2000n })), d.state);
  assert.equal(d.inactiveForMs, 1500);
  d = deriveLink(input(2000, 0x3000n, slot({ sent: 0x3000n, replay: 0x3000n })), d.state);
  assert.equal(d.inactiveForMs, null);
  d = deriveLink(input(2500, 0x3000n, slot({ active: false, confirmed: 0x3000n })), d.state);
  assert.equal(d.inactiveForMs, 0);
});

Deno.test("an unreachable origin leaves the link unknown and stops the inactive clock", () => {
  const d = deriveLink(
    { ...input(0, 0x3000n, null), origin: null },
    { ...NEW_LINK_STATE, inactiveSinceMs: -5000 },
  );
  assert.equal(d.originDown, true);
  assert.equal(d.inactiveForMs, null);
  assert.deepEqual([d.link.active, d.link.lag_seconds, d.link.lag_method], [null, null, "unknown"]);
});

Deno.test("a reachable origin without a slot for the target is flagged", () => {
  const d = deriveLink(input(0, 0x3000n, null), NEW_LINK_STATE);
  assert.equal(d.slotMissing, true);
  assert.equal(d.link.active, false);
});

Deno.test("catch-up time comes from the replay progress between observations", () => {
  let d = deriveLink(
    input(0, 0x100000n, slot({ sent: 0x100000n, replay: 0x10000n })),
    NEW_LINK_STATE,
  );
  d = deriveLink(input(1000, 0x100000n, slot({ sent: 0x100000n, replay: 0x20000n })), d.state);
  // 0xE0000 bytes left at 0x10000 bytes/s
  assert.equal(d.link.catch_up_seconds, 14);
});
