/**
 * Identity and membership: the local node triple and pgactive.pgactive_nodes (never node_dsn, which
 * may hold credentials).
 */
import { int, optText, type RawRow, text } from "./fields.ts";
import type { NodeId } from "./slot_name.ts";

/** Sub-select: every member of the group (status codes in pgactive-surface.md section 2). */
export const NODES_SQL = `(SELECT json_agg(json_build_object(
    'sysid', node_sysid, 'timeline', node_timeline, 'dboid', node_dboid,
    'status', node_status, 'name', node_name) ORDER BY node_name)
  FROM pgactive.pgactive_nodes)`;

/** Sub-select: the local triple (needs EXECUTE on pgactive_get_local_nodeid()). */
export const LOCAL_NODEID_SQL = `(SELECT json_build_object('sysid', i.sysid, 'timeline', i.timeline,
    'dboid', i.dboid) FROM pgactive.pgactive_get_local_nodeid() i)`;

/**
 * Fallback for roles without that grant: the per-db worker's application_name
 * (`pgactive:<local sysid>:perdb`) is visible to every role in pg_stat_activity.
 */
export const LOCAL_HINT_SQL = `(SELECT substring(a.application_name FROM '^pgactive:([0-9]+):perdb')
  FROM pg_catalog.pg_stat_activity a
  WHERE a.datname = current_database() AND a.application_name ~ '^pgactive:[0-9]+:perdb$' LIMIT 1)`;

/** One row of pgactive_nodes. */
export interface MemberInfo {
  readonly id: NodeId;
  /** `r` ready, `k` detached, `b`/`i`/`c`/`o` joining. */
  readonly status: string;
  readonly name: string;
}

/** Decodes a pgactive_nodes object. */
export function decodeMemberRow(row: RawRow): MemberInfo {
  return {
    id: { sysid: text(row, "sysid"), timeline: int(row, "timeline"), dboid: int(row, "dboid") },
    status: text(row, "status"),
    name: optText(row, "name") ?? "",
  };
}

/** Decodes the local triple object. */
export function decodeLocalNodeId(row: RawRow): NodeId {
  return { sysid: text(row, "sysid"), timeline: int(row, "timeline"), dboid: int(row, "dboid") };
}
