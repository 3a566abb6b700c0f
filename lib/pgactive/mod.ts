/**
 * pgactive: the SQL the collector runs on each node, its row decoders, and the per-node
 * connection that probes with one statement per cycle.
 * @module
 */
export { NodeConnection } from "./node_connection.ts";
export type { NodeConnectionOptions, NodeProbeResult } from "./node_connection.ts";
export { classifyError, isConnectionLost, NodeProbeError, redact } from "./errors.ts";
export type { ProbeErrorCode } from "./errors.ts";
export { formatLsn, lsnDiff, parseLsn } from "./lsn.ts";
export { nodeKey, parseOriginName, parseSlotName } from "./slot_name.ts";
export type { NodeId, SlotName } from "./slot_name.ts";
export { parseDsn } from "./dsn.ts";
export { buildProbeSql, decodeProbeDocument } from "./probe_query.ts";
export type { ProbeData } from "./probe_query.ts";
export { CAPABILITIES_SQL, decodeCapabilitiesRow, MISSING_GRANT } from "./capabilities.ts";
export type { Capabilities, OptionalObject } from "./capabilities.ts";
export type { SlotInfo, WalsenderInfo } from "./slots.ts";
export type { MemberInfo } from "./membership.ts";
export type { AppliedInfo, OriginStats, WorkerInfo } from "./apply_progress.ts";
export { PG_EPOCH_MS } from "./apply_progress.ts";
export type { ConflictRow } from "./conflict_rows.ts";
