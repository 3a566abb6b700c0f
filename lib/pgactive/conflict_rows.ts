/**
 * pgactive_conflict_history read incrementally (conflict_id above a high-water mark, no row
 * images), plus the once-per-connection count of join-time conflicts on pgactive's own catalog.
 */
import { int, optInt, optText, optTimestamp, type RawRow, text } from "./fields.ts";
import type { NodeId } from "./slot_name.ts";

/** Rows per probe at most; a backlog drains over the following cycles. */
export const CONFLICT_BATCH = 1000;

/** Sub-select of the probe: $1 = high-water conflict_id, $2 = batch size. */
export const CONFLICTS_SQL = `(SELECT json_agg(c ORDER BY c.conflict_id) FROM (
    SELECT h.conflict_id, h.local_conflict_time, h.object_schema, h.object_name,
      h.remote_node_sysid, h.remote_node_timeline, h.remote_node_dboid,
      h.conflict_type::text AS conflict_type, h.conflict_resolution::text AS conflict_resolution,
      h.error_sqlstate, h.error_message
    FROM pgactive.pgactive_conflict_history h
    WHERE h.conflict_id > $1::bigint ORDER BY h.conflict_id LIMIT $2::int) c)`;

/**
 * Sub-select of the once-per-connection statement: per origin, the rows of the conflict history
 * (they survive a crash, the counters do not) and those on schema pgactive (join artifacts), and
 * the highest conflict_id at that time (rows above it are then counted incrementally from the
 * probe's conflict rows).
 */
export const CATALOG_CONFLICTS_SQL = `(SELECT json_build_object(
    'max_id', (SELECT max(conflict_id) FROM pgactive.pgactive_conflict_history)::text,
    'per_origin', (SELECT json_agg(json_build_object('sysid', remote_node_sysid,
      'timeline', remote_node_timeline, 'dboid', remote_node_dboid, 'n', n, 'total', total)) FROM (
        SELECT remote_node_sysid, remote_node_timeline, remote_node_dboid,
          count(*) FILTER (WHERE object_schema = 'pgactive') AS n, count(*) AS total
        FROM pgactive.pgactive_conflict_history WHERE remote_node_sysid IS NOT NULL
        GROUP BY 1, 2, 3) g)))`;

/** One conflict, without row images. */
export interface ConflictRow {
  readonly conflictId: number;
  readonly timeMs: number;
  readonly objectSchema: string | null;
  readonly objectName: string | null;
  /** Origin of the incoming change; null when not recorded. */
  readonly remote: NodeId | null;
  readonly type: string;
  readonly resolution: string;
  readonly sqlstate: string | null;
  readonly message: string | null;
}

/** Decodes one conflict_history object. */
export function decodeConflictRow(row: RawRow): ConflictRow {
  const sysid = optText(row, "remote_node_sysid");
  const time = optTimestamp(row, "local_conflict_time");
  if (time === null) throw new TypeError("local_conflict_time: expected timestamptz, got null");
  return {
    conflictId: int(row, "conflict_id"),
    timeMs: time,
    objectSchema: optText(row, "object_schema"),
    objectName: optText(row, "object_name"),
    remote: sysid === null ? null : {
      sysid,
      timeline: optInt(row, "remote_node_timeline") ?? 0,
      dboid: optInt(row, "remote_node_dboid") ?? 0,
    },
    type: text(row, "conflict_type"),
    resolution: text(row, "conflict_resolution"),
    sqlstate: optText(row, "error_sqlstate"),
    message: optText(row, "error_message"),
  };
}

/** Conflict history rows per origin as of `asOfId`: join-time ones (`count`) and all (`total`). */
export interface CatalogConflicts {
  readonly asOfId: number;
  readonly perOrigin: ReadonlyArray<
    { readonly origin: NodeId; readonly count: number; readonly total: number }
  >;
}

/** Decodes the CATALOG_CONFLICTS_SQL object. */
export function decodeCatalogConflicts(row: RawRow): CatalogConflicts {
  const list = row["per_origin"];
  const items = Array.isArray(list) ? list as RawRow[] : [];
  return {
    asOfId: optInt(row, "max_id") ?? 0,
    perOrigin: items.map((r) => ({
      origin: {
        sysid: text(r, "sysid"),
        timeline: optInt(r, "timeline") ?? 0,
        dboid: optInt(r, "dboid") ?? 0,
      },
      count: int(r, "n"),
      total: optInt(r, "total") ?? int(r, "n"),
    })),
  };
}
