/**
 * pgactive slot and replication-origin names, parsed in TypeScript so the monitoring role needs no
 * EXECUTE on pgactive_parse_slot_name() (pgactive-surface.md section 4).
 */

/** A pgactive node triple (sysid, timeline, dboid); sysid is a uint64 kept as text. */
export interface NodeId {
  readonly sysid: string;
  readonly timeline: number;
  readonly dboid: number;
}

/** A parsed outbound slot: lives on the sender, names the consuming peer. */
export interface SlotName {
  readonly localDboid: number;
  readonly peer: NodeId;
}

/** Slot: `pgactive_<local dboid>_<peer sysid>_<peer timeline>_<peer dboid>__`. */
export const SLOT_NAME_RE = /^pgactive_(\d+)_(\d+)_(\d+)_(\d+)__$/;

/** The same pattern as a PostgreSQL regular expression for `slot_name ~ ...`. */
export const SLOT_NAME_SQL_RE = "^pgactive_[0-9]+_[0-9]+_[0-9]+_[0-9]+__$";

/** Parses a pgactive slot name; null when the name is not one. */
export function parseSlotName(name: string): SlotName | null {
  const m = SLOT_NAME_RE.exec(name);
  if (!m) return null;
  return {
    localDboid: Number(m[1]),
    peer: { sysid: m[2]!, timeline: Number(m[3]), dboid: Number(m[4]) },
  };
}

/** Origin (on the receiver): `pgactive_<upstream sysid>_<tl>_<upstream dboid>_<local dboid>_`. */
export const ORIGIN_NAME_RE = /^pgactive_(\d+)_(\d+)_(\d+)_(\d+)_$/;

/** Parses a pgactive origin name (`pgactive_get_stats().riremoteid`); null when not one. */
export function parseOriginName(name: string): { upstream: NodeId; localDboid: number } | null {
  const m = ORIGIN_NAME_RE.exec(name);
  if (!m) return null;
  return {
    upstream: { sysid: m[1]!, timeline: Number(m[2]), dboid: Number(m[3]) },
    localDboid: Number(m[4]),
  };
}

/** A stable map key for a node triple. */
export function nodeKey(id: NodeId): string {
  return `${id.sysid}/${id.timeline}/${id.dboid}`;
}
