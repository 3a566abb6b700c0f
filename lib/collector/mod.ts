/**
 * The collector: probes every pgactive node each cycle and builds the Snapshot (links, lag,
 * conflicts, status and reasons).
 * @module
 */
export { collectOnce, Collector } from "./collector.ts";
export type { CollectorOptions, CollectorStats } from "./collector.ts";
export { buildSnapshot, newCollectorState } from "./snapshot_builder.ts";
export type { BuildContext, CollectorState, NodeOutcome } from "./snapshot_builder.ts";
export { deriveLink, NEW_LINK_STATE } from "./links.ts";
export type { DerivedLink, LinkInput, LinkState, OriginSide, TargetSide } from "./links.ts";
export { decideLag, MIN_COMMIT_RECORD_BYTES, positionsBehind, xidLag } from "./lag.ts";
export { CommitHistory } from "./commit_history.ts";
export type { CommitScan, Unapplied } from "./commit_history.ts";
export type { LagInput, LagVerdict } from "./lag.ts";
export { evaluateNode } from "./status_rules.ts";
export type { NodeFacts, NodeVerdict, StatusThresholds } from "./status_rules.ts";
export { CounterWindow } from "./counter_window.ts";
export { resolveIdentities } from "./identity.ts";
export type { IdentityMap } from "./identity.ts";
