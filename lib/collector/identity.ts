/**
 * Which pgactive node triple each configured node is, so slot names, origins and conflict rows
 * (which name peers by triple) map to configured names. Sources, best first: the node's own
 * pgactive_get_local_nodeid(); its per-db worker's sysid; what earlier cycles learned; a
 * pgactive_nodes row with the same name; elimination over the peers named in everyone's slots;
 * finally, the one identity left over for the one configured node left over (a node that was
 * already down when the collector started, configured under another name than pgactive's).
 */
import { type NodeId, nodeKey, type ProbeData } from "../pgactive/mod.ts";

/** Name <-> triple map of the configured nodes. */
export interface IdentityMap {
  readonly byName: ReadonlyMap<string, NodeId>;
  /** nodeKey(triple) -> configured name. */
  readonly byKey: ReadonlyMap<string, string>;
  /** sysid -> configured name (conflict rows and hints carry the sysid first). */
  readonly bySysid: ReadonlyMap<string, string>;
}

/** Probe data of one configured node with the database OID of its connection. */
export interface IdentityEvidence {
  readonly name: string;
  readonly data: ProbeData | null;
  readonly dbOid: number | null;
}

/** Resolves identities; `known` holds what earlier cycles learned (kept for down nodes). */
export function resolveIdentities(
  evidence: readonly IdentityEvidence[],
  known: ReadonlyMap<string, NodeId>,
): IdentityMap {
  const byName = new Map<string, NodeId>();
  const members = evidence.flatMap((e) => e.data?.members ?? []);
  for (const e of evidence) {
    const d = e.data;
    if (d?.local) {
      byName.set(e.name, d.local);
    } else if (d?.localSysidHint) {
      const m = members.find((x) =>
        x.id.sysid === d.localSysidHint && (e.dbOid === null || x.id.dboid === e.dbOid)
      );
      byName.set(e.name, m?.id ?? { sysid: d.localSysidHint, timeline: 0, dboid: e.dbOid ?? 0 });
    }
  }
  for (const e of evidence) {
    if (byName.has(e.name)) continue;
    const k = known.get(e.name);
    if (k) {
      byName.set(e.name, k);
      continue;
    }
    const m = members.find((x) => x.name === e.name);
    if (m) byName.set(e.name, m.id);
  }
  inferByElimination(evidence, byName);
  inferLastUnresolved(evidence, members, byName);
  const byKey = new Map<string, string>();
  const bySysid = new Map<string, string>();
  for (const [name, id] of byName) {
    byKey.set(nodeKey(id), name);
    bySysid.set(id.sysid, name);
  }
  return { byName, byKey, bySysid };
}

/**
 * A node that sends to every other node has slots naming all peers but itself: the one triple
 * named in other nodes' slots but not in its own (and not already taken) is this node.
 */
function inferByElimination(evidence: readonly IdentityEvidence[], byName: Map<string, NodeId>) {
  for (let pass = 0; pass < 2; pass++) {
    const taken = new Set([...byName.values()].map(nodeKey));
    for (const e of evidence) {
      if (byName.has(e.name) || !e.data || e.data.slots.length === 0) continue;
      const own = new Set(e.data.slots.map((s) => nodeKey(s.peer)));
      const candidates = new Map<string, NodeId>();
      for (const other of evidence) {
        if (other === e || !other.data) continue;
        for (const s of other.data.slots) {
          const k = nodeKey(s.peer);
          if (!own.has(k) && !taken.has(k)) candidates.set(k, s.peer);
        }
      }
      if (candidates.size === 1) {
        const [id] = candidates.values();
        byName.set(e.name, id!);
        taken.add(nodeKey(id!));
      }
    }
  }
}

/**
 * When exactly one configured node is still unresolved and exactly one identity known to the
 * others (ready members of pgactive_nodes, peers named in slots) is not taken, they are the same
 * node. With two or more left over (e.g. an unmonitored member) nothing is guessed.
 */
function inferLastUnresolved(
  evidence: readonly IdentityEvidence[],
  members: readonly { id: NodeId; status: string }[],
  byName: Map<string, NodeId>,
) {
  const unresolved = evidence.filter((e) => !byName.has(e.name));
  if (unresolved.length !== 1) return;
  const taken = new Set([...byName.values()].map(nodeKey));
  const left = new Map<string, NodeId>();
  for (const m of members) {
    if (m.status === "r" && !taken.has(nodeKey(m.id))) left.set(nodeKey(m.id), m.id);
  }
  for (const e of evidence) {
    for (const s of e.data?.slots ?? []) {
      if (!taken.has(nodeKey(s.peer))) left.set(nodeKey(s.peer), s.peer);
    }
  }
  if (left.size !== 1) return;
  const [id] = left.values();
  byName.set(unresolved[0]!.name, id!);
}
