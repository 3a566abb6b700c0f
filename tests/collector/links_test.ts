import assert from "node:assert/strict";
import {
  deriveLink,
  type LinkInput,
  type LinkState,
  NEW_LINK_STATE,
} from "../../lib/collector/links.ts";
import { formatLsn, type SlotInfo } from "../../lib/pgactive/mod.ts";
import { CommitHistory } from "../../lib/collector/commit_history.ts";
import { MIN_COMMIT_RECORD_BYTES } from "../../lib/collector/lag.ts";

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

/** A history of node1 as an origin: one probe per second from t=10 s, with its local commits. */
function history(commitsPerProbe: number[][]) {
  const h = new CommitHistory();
  commitsPerProbe.forEach((c, i) => scan(h, 10_000 + i * 1000, c));
  return h;
}

/** One probe's scan; its flush position is past every confirmed position of these tests. */
function scan(h: CommitHistory, atMs: number, c: number[]) {
  h.add(
    {
      count: c.length,
      oldestMs: c.length ? Math.min(...c) : null,
      newestMs: c.length ? Math.max(...c) : null,
    },
    atMs - 2000,
    atMs,
    0xFFFF_FFFFn,
  );
}

function input(
  nowMs: number,
  current: bigint,
  s: SlotInfo | null,
  extra: { history?: CommitHistory | null; applyPaused?: boolean } = {},
): LinkInput {
  return {
    from: "node1",
    to: "node2",
    nowMs,
    origin: {
      currentLsn: current,
      nextXid: 1100,
      serverNowMs: nowMs,
      slot: s,
      history: extra.history ?? null,
    },
    target: {
      serverNowMs: nowMs,
      applied: { peer: PEER, xid: 1000, commitTsMs: nowMs - 3_600_000, appliedAtMs: null },
      stats: null,
      catalogConflicts: 0,
      historyConflicts: null,
      applyPaused: extra.applyPaused ?? false,
    },
  };
}

Deno.test("an idle link (sent = replay = current) is caught up with zero lag", () => {
  let state: LinkState = NEW_LINK_STATE;
  for (let i = 0; i < 5; i++) {
    const current = 0x2000n + BigInt(i * 150);
    const d = deriveLink(input(i * 1000, current, slot({ sent: current, replay: current })), state);
    state = d.state;
    assert.equal(d.caughtUp, true);
    assert.deepEqual(
      [d.link.lag_seconds, d.link.lag_bytes, d.link.lag_method, d.link.caught_up],
      [0, 0, "caught_up", true],
    );
    assert.equal(d.link.confirmed_lsn, formatLsn(current));
    assert.equal(d.link.unconfirmed_bytes, 0);
  }
});

Deno.test("a trailing partial record smaller than a commit record is not lag", () => {
  const d = deriveLink(
    input(0, 0x2000n + BigInt(MIN_COMMIT_RECORD_BYTES - 1), slot({ sent: 0x2000n })),
    NEW_LINK_STATE,
  );
  assert.equal(d.caughtUp, true);
  const e = deriveLink(
    input(0, 0x2000n + BigInt(MIN_COMMIT_RECORD_BYTES), slot({ sent: 0x2000n })),
    NEW_LINK_STATE,
  );
  assert.equal(e.caughtUp, false, "unsent WAL that can hold a commit counts");
});

Deno.test("one small row sent but not applied is behind at once, aged by its commit time", () => {
  // t=10 s: caught up. node1 commits one row at 10.3 s (its WAL ends at 0x20C8); node2 confirms
  // 0x2000 only (the row is stuck behind a lock).
  const h = history([[], [10_300]]);
  let d = deriveLink(
    input(10_000, 0x2000n, slot({ sent: 0x2000n, replay: 0x2000n }), { history: h }),
    NEW_LINK_STATE,
  );
  assert.equal(d.caughtUp, true);
  d = deriveLink(
    input(11_000, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x2000n }), { history: h }),
    d.state,
  );
  assert.equal(d.caughtUp, false);
  assert.equal(d.link.lag_bytes, 200);
  assert.equal(d.link.lag_method, "oldest_unapplied_commit");
  assert.equal(d.link.lag_seconds, 0.7);
  assert.equal(d.stalledForMs, null, "first seen behind: not yet stalled");
  for (let t = 12_000; t <= 20_000; t += 1000) {
    scan(h, t, []);
    d = deriveLink(
      input(t, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x2000n }), { history: h }),
      d.state,
    );
    assert.equal(d.link.lag_seconds, (t - 10_300) / 1000, "grows one second per second");
    assert.equal(d.stalledForMs, t - 11_000);
  }
  scan(h, 21_000, []);
  d = deriveLink(
    input(21_000, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x20C8n }), { history: h }),
    d.state,
  );
  assert.deepEqual([d.caughtUp, d.link.lag_seconds, d.stalledForMs], [true, 0, null]);
});

Deno.test("unconfirmed WAL without a local commit (paused target) is not lag", () => {
  // node1 only applied other nodes' changes (filtered for node2): no local commit since 10 s.
  const h = history([[], [], []]);
  let d = deriveLink(
    input(10_000, 0x2000n, slot({ sent: 0x2000n, replay: 0x2000n }), { history: h }),
    NEW_LINK_STATE,
  );
  d = deriveLink(
    input(12_000, 0xF000n, slot({ sent: 0xF000n, replay: 0x2000n }), {
      history: h,
      applyPaused: true,
    }),
    d.state,
  );
  assert.equal(d.caughtUp, true);
  assert.deepEqual(
    [d.link.lag_bytes, d.link.lag_seconds, d.link.lag_method, d.link.unconfirmed_bytes],
    [0, 0, "no_pending_commit", 0xD000],
  );
  assert.equal(d.link.apply_paused, true);
});

Deno.test("commits up to the target's last applied one are not counted", () => {
  // The target applied node1's commit of 10.2 s; node1 committed again at 10.8 s (unapplied).
  const h = history([[], [10_200, 10_800]]);
  const i = input(11_000, 0x3000n, slot({ sent: 0x3000n, replay: 0x2000n }), { history: h });
  const applied = { peer: PEER, xid: 1000, commitTsMs: 10_200, appliedAtMs: null };
  let d = deriveLink({ ...i, target: { ...i.target!, applied } }, NEW_LINK_STATE);
  assert.equal(d.caughtUp, false);
  // The scan only keeps its oldest and newest commit: the age is bounded by the last applied one.
  assert.deepEqual([d.link.lag_seconds, d.link.lag_method], [0.8, "oldest_unapplied_commit"]);
  const later = { ...applied, commitTsMs: 10_800 };
  d = deriveLink({ ...i, target: { ...i.target!, applied: later } }, NEW_LINK_STATE);
  assert.deepEqual([d.caughtUp, d.link.lag_method], [true, "no_pending_commit"]);
});

Deno.test("without commit timestamps, lag is bounded by when the link was last caught up", () => {
  let d = deriveLink(input(10_000, 0x2000n, slot({ sent: 0x2000n })), NEW_LINK_STATE);
  assert.equal(d.caughtUp, true);
  d = deriveLink(input(12_000, 0x20C8n, slot({ sent: 0x20C8n, replay: 0x2000n })), d.state);
  assert.equal(d.caughtUp, false);
  assert.deepEqual([d.link.lag_seconds, d.link.lag_method], [2, "observed_behind"]);
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

Deno.test("a paused target's inactive walsender starts its grace when the pause ends", () => {
  const inactive = slot({ active: false, confirmed: 0x2000n });
  let d = deriveLink(input(0, 0x3000n, inactive, { applyPaused: true }), NEW_LINK_STATE);
  d = deriveLink(input(60_000, 0x3000n, inactive, { applyPaused: true }), d.state);
  assert.equal(d.inactiveForMs, 0, "timed out while paused: not counted");
  d = deriveLink(input(61_000, 0x3000n, inactive), d.state);
  assert.equal(d.inactiveForMs, 1000, "counted from the end of the pause");
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
