/** LSN helpers live with the Snapshot (the SDK compares positions too); re-exported here. */
export { formatLsn, lsnDiff, parseLsn } from "../snapshot/mod.ts";
