/**
 * Outbound side of each link, read on the sender: its pgactive slots (restricted to the current
 * database, found by name so no EXECUTE on pgactive_parse_slot_name() is needed) joined to the
 * walsender serving each slot on `pid = active_pid`.
 */
import { optBool, optInt, optLsn, optText, type RawRow, text } from "./fields.ts";
import { type NodeId, parseSlotName, SLOT_NAME_SQL_RE } from "./slot_name.ts";

/**
 * Sub-select of the probe: one JSON object per pgactive slot of this database. The walsender
 * columns come from pg_stat_get_wal_senders(), the function behind pg_stat_replication (same
 * values, same pg_read_all_stats rule), without the view's join to pg_stat_get_activity(), which
 * copies every backend's status on each call.
 */
export const SLOTS_SQL = `(SELECT json_agg(json_build_object(
    'slot_name', s.slot_name, 'active', s.active, 'active_pid', s.active_pid,
    'restart_lsn', s.restart_lsn, 'confirmed_flush_lsn', s.confirmed_flush_lsn,
    'wal_status', s.wal_status, 'state', r.state, 'sent_lsn', r.sent_lsn,
    'write_lsn', r.write_lsn, 'flush_lsn', r.flush_lsn, 'replay_lsn', r.replay_lsn) ORDER BY s.slot_name)
  FROM pg_catalog.pg_replication_slots s
  LEFT JOIN pg_catalog.pg_stat_get_wal_senders() r ON r.pid = s.active_pid
  WHERE s.database = current_database() AND s.slot_type = 'logical'
    AND s.slot_name ~ '${SLOT_NAME_SQL_RE}')`;

/** The walsender serving a slot (pg_stat_replication), when connected. */
export interface WalsenderInfo {
  readonly state: string | null;
  readonly sentLsn: bigint | null;
  readonly writeLsn: bigint | null;
  readonly flushLsn: bigint | null;
  readonly replayLsn: bigint | null;
}

/** One outbound pgactive slot on the sender. */
export interface SlotInfo {
  readonly slotName: string;
  /** The consuming peer (from the slot name). */
  readonly peer: NodeId;
  readonly active: boolean;
  readonly activePid: number | null;
  readonly restartLsn: bigint | null;
  readonly confirmedFlushLsn: bigint | null;
  readonly walStatus: string | null;
  /** Null when no walsender row matched (inactive slot, or walsender not visible). */
  readonly walsender: WalsenderInfo | null;
}

/** Decodes one slot object; throws a TypeError naming the field. Non-pgactive names throw too. */
export function decodeSlotRow(row: RawRow): SlotInfo {
  const slotName = text(row, "slot_name");
  const parsed = parseSlotName(slotName);
  if (!parsed) {
    throw new TypeError(`slot_name: not a pgactive slot name: ${JSON.stringify(slotName)}`);
  }
  const state = optText(row, "state");
  const sent = optLsn(row, "sent_lsn");
  const walsender: WalsenderInfo | null = state === null && sent === null ? null : {
    state,
    sentLsn: sent,
    writeLsn: optLsn(row, "write_lsn"),
    flushLsn: optLsn(row, "flush_lsn"),
    replayLsn: optLsn(row, "replay_lsn"),
  };
  return {
    slotName,
    peer: parsed.peer,
    active: optBool(row, "active") === true,
    activePid: optInt(row, "active_pid"),
    restartLsn: optLsn(row, "restart_lsn"),
    confirmedFlushLsn: optLsn(row, "confirmed_flush_lsn"),
    walStatus: optText(row, "wal_status"),
    walsender,
  };
}
