/**
 * pgactive: the SQL the collector runs on each node, its row decoders, and the per-node
 * connection that probes with one statement per cycle.
 *
 * Design: once per connection, a catalog-only statement (CAPABILITIES_SQL) finds what exists and
 * what this role may read (to_regprocedure + has_*_privilege, so it never fails) and picks the
 * version branches (2.1.0 function names, 5- vs 8-column workers), and a second one reads the
 * library version and the join-time conflict baseline; the probe statement is then
 * assembled from sub-selects for exactly the readable objects and sent once per cycle (prepared:
 * one round trip, no re-planning) as a single json document (slots joined to their walsender on
 * pid = active_pid, current LSN and xid, last commit, membership, local id, last applied xact per
 * peer, counters, new conflict rows above a high-water mark). No node_dsn, no
 * pgactive_get_replication_lag_info(), no pg_stat_replication.*_lag. Each sub-select lives beside
 * its decoder.
 * @module
 */
export { NodeConnectingError, NodeConnection } from "./node_connection.ts";
export type { NodeConnectionOptions, NodeProbeResult } from "./node_connection.ts";
export { classifyError, isConnectionLost, NodeProbeError, redact } from "./errors.ts";
export type { ProbeErrorCode } from "./errors.ts";
export { formatLsn, lsnDiff, parseLsn } from "./lsn.ts";
export { nodeKey, parseOriginName, parseSlotName } from "./slot_name.ts";
export type { NodeId, SlotName } from "./slot_name.ts";
export { parseDsn } from "./dsn.ts";
export { buildProbeSql, decodeProbeDocument } from "./probe_query.ts";
export { buildConnectSql, decodeConnectDocument } from "./connect_query.ts";
export type { ConnectFacts } from "./connect_query.ts";
export type { ProbeData } from "./probe_query.ts";
export { CAPABILITIES_SQL, decodeCapabilitiesRow, MISSING_GRANT } from "./capabilities.ts";
export type { Capabilities, OptionalObject } from "./capabilities.ts";
export type { SlotInfo, WalsenderInfo } from "./slots.ts";
export type { MemberInfo } from "./membership.ts";
export type { AppliedInfo, OriginStats, WorkerInfo } from "./apply_progress.ts";
export { PG_EPOCH_MS } from "./apply_progress.ts";
export type { ConflictRow } from "./conflict_rows.ts";
export { COMMIT_VISIBILITY_MARGIN_MS, LOCAL_COMMIT_SCAN_MAX } from "./local_commits.ts";
export type { LocalCommits } from "./local_commits.ts";
export { badField, optBool, optObject, optText, text } from "./fields.ts";
export type { RawRow } from "./fields.ts";
