/**
 * doctor: checks as data that find what will break a pgactive cluster before it breaks (settings,
 * privileges, versions, clock skew, schema drift, sequences, slots), each finding with its fix.
 * Printed by the CLI (`pgactive-tools doctor`), run by the server on its own timer (GET /doctor).
 * Reads the nodes over its own short-lived connections; every query is catalog or settings reads
 * a `pg_monitor` member can run (see each check's `needs`).
 * @module
 */
export type { DoctorReport, Finding, Severity } from "./types.ts";
export { SEVERITIES, severityRank, worstSeverity } from "./types.ts";
export { clusterFacts, runChecks, runDoctor } from "./run.ts";
export type { RunDoctorOptions } from "./run.ts";
export { DOCTOR_INTERVAL_MS, DoctorRunner } from "./runner.ts";
export type { DoctorRunnerOptions } from "./runner.ts";
export { CHECKS, CONNECT_CHECK_ID } from "./checks.ts";
export type { Check, CheckGroup, CheckResult, ClusterFacts, Problem } from "./checks/check.ts";
export { findingLine, reportExitCode, summaryLine } from "./format.ts";
export { estimateOffset, formatOffset, provenSkewMs, skewBetween, worstPair } from "./clock.ts";
export type { ClockOffset, ClockSample } from "./clock.ts";
export { SKEW_FAIL_MS, SKEW_WARN_MS } from "./checks/clock.ts";
export { disjoint, offsetStep } from "./checks/sequences.ts";
export { readNode } from "./gather.ts";
export type { NodeRead, ReadNodeOptions } from "./gather.ts";
export { GRANTABLES, grantSql } from "./grants.ts";
export type { Grantable, NodeGrants } from "./grants.ts";
export type { NodeFacts } from "./facts_query.ts";
export type { SchemaFacts } from "./schema_query.ts";
export { parseDoctorReport } from "./validate.ts";
