/**
 * Slots: inactive pgactive slots, slots of nodes no longer in pgactive_nodes (they keep WAL
 * forever), WAL retained per node against the free space of the WAL disk where readable.
 */
import { parseSlotName } from "../../pgactive/mod.ts";
import type { MemberFact, SlotFact } from "../facts_query.ts";
import type { NodeRead } from "../gather.ts";
import { grantFix } from "../grants.ts";
import { type Check, formatBytes, lit, type Problem } from "./check.ts";

/** This node's pgactive slots (plugin pgactive, this database). */
function pgactiveSlots(n: NodeRead): SlotFact[] {
  return n.facts.slots.filter((s) =>
    s.plugin === "pgactive" &&
    (parseSlotName(s.name)?.localDboid ?? n.facts.dbOid) === n.facts.dbOid
  );
}

/** The pgactive_nodes row (detached or not) of the peer `slot` is for, if readable and present. */
function peerMember(n: NodeRead, slot: SlotFact): MemberFact | undefined {
  const p = parseSlotName(slot.name);
  if (!p || !n.facts.members) return undefined;
  return n.facts.members.find((m) =>
    m.sysid === p.peer.sysid && m.timeline === p.peer.timeline && m.dboid === p.peer.dboid
  );
}

function peerName(n: NodeRead, slot: SlotFact): string | null {
  return peerMember(n, slot)?.name ?? null;
}

const inactive: Check = {
  id: "slot_inactive",
  group: "slots",
  title: "every pgactive slot has its walsender connected",
  needs: "none (pg_replication_slots)",
  run(c) {
    const problems: Problem[] = [];
    let total = 0;
    for (const n of c.nodes) {
      for (const s of pgactiveSlots(n)) {
        total++;
        if (s.active) continue;
        const peer = peerName(n, s);
        // A slot of no current member is slot_orphan's finding.
        if (n.facts.members !== null && peer === null) continue;
        problems.push({
          severity: "WARN",
          node: n.name,
          seen: `slot ${s.name}${peer ? ` for ${peer}` : ""} is inactive, retaining ${
            s.retainedBytes === null ? "unknown" : formatBytes(s.retainedBytes)
          } of WAL`,
          fix: peer
            ? `start ${peer} (or fix its apply errors); if it is gone for good: ` +
              `SELECT pgactive.pgactive_detach_nodes(ARRAY[${lit(peer)}]);`
            : `SELECT pg_catalog.pg_drop_replication_slot(${lit(s.name)}); -- if no node uses it`,
        });
      }
    }
    return { problems, ok: `${total} pgactive slot(s), all active` };
  },
};

const orphan: Check = {
  id: "slot_orphan",
  group: "slots",
  title: "no pgactive slot belongs to a node missing from (or detached in) pgactive_nodes",
  needs: "SELECT on pgactive.pgactive_nodes",
  run(c) {
    const problems: Problem[] = [];
    let total = 0;
    for (const n of c.nodes) {
      const members = n.facts.members;
      if (members === null) {
        problems.push({
          severity: "WARN",
          node: n.name,
          seen: `cannot check for orphan slots: no SELECT on pgactive.pgactive_nodes`,
          fix: grantFix("nodes", n.grants.role),
        });
        continue;
      }
      for (const s of pgactiveSlots(n)) {
        total++;
        const m = peerMember(n, s);
        if (m && m.status !== "k") continue;
        problems.push({
          severity: "FAIL",
          node: n.name,
          seen: `slot ${s.name} belongs to ${
            m ? `detached node ${m.name}` : "no node in pgactive_nodes"
          }: it keeps ${s.retainedBytes === null ? "its" : formatBytes(s.retainedBytes)} of WAL${
            s.active ? " (active)" : " and grows forever"
          }`,
          fix: `SELECT pg_catalog.pg_drop_replication_slot(${lit(s.name)});`,
        });
      }
    }
    return { problems, ok: `${total} pgactive slot(s), each for a current member` };
  },
};

const retained: Check = {
  id: "slot_wal",
  group: "slots",
  title: "WAL retained by slots is not lost and fits the free space of the WAL disk",
  needs: "free space: EXECUTE on pgactive._pgactive_get_free_disk_space(text) and pg_monitor",
  run(c) {
    const problems: Problem[] = [];
    const seen: string[] = [];
    for (const n of c.nodes) {
      const slots = n.facts.slots;
      let total = 0n;
      for (const s of slots) total += s.retainedBytes ?? 0n;
      const free = n.facts.freeWalBytes;
      seen.push(
        `${n.name} ${formatBytes(total)}${free === null ? "" : ` of ${formatBytes(free)} free`}`,
      );
      for (const s of slots.filter((s) => s.walStatus === "lost" || s.walStatus === "unreserved")) {
        const peer = peerName(n, s);
        problems.push({
          severity: s.walStatus === "lost" ? "FAIL" : "WARN",
          node: n.name,
          seen: s.walStatus === "lost"
            ? `slot ${s.name} lost required WAL (max_slot_wal_keep_size): ${
              peer ?? "its peer"
            } cannot catch up`
            : `slot ${s.name} is past max_slot_wal_keep_size: WAL will be removed soon`,
          fix: peer
            ? `SELECT pgactive.pgactive_detach_nodes(ARRAY[${lit(peer)}]); -- then rejoin ${peer}`
            : `SELECT pg_catalog.pg_drop_replication_slot(${lit(s.name)});`,
        });
      }
      if (free !== null && total > 0n && total >= free) {
        problems.push({
          severity: "WARN",
          node: n.name,
          seen: `slots retain ${formatBytes(total)} of WAL with ${formatBytes(free)} free: ` +
            `the same again fills the disk`,
          fix: "bring the lagging peers back, or set max_slot_wal_keep_size below the free space",
        });
      }
    }
    const blind = c.nodes.filter((n) => n.grants.granted.get("free_disk") === false);
    const hint = blind.length === 0
      ? ""
      : `; free space not readable on ${blind.map((n) => n.name).join(", ")} (optional: ${
        grantFix("free_disk", blind[0]!.grants.role)
      })`;
    return { problems, ok: `WAL retained by slots: ${seen.join(", ")}${hint}` };
  },
};

/** The slot checks. */
export const SLOT_CHECKS: readonly Check[] = [inactive, orphan, retained];
