/** Findings as data: what `doctor` reports, and the facts the checks read. */

/** How bad a finding is: OK (checked, nothing to do), WARN (will hurt), FAIL (broken or will break). */
export type Severity = "OK" | "WARN" | "FAIL";

/** Severities, least to most severe. */
export const SEVERITIES: readonly Severity[] = ["OK", "WARN", "FAIL"];

/** One finding: a check's verdict on one node (or the cluster, `node` null), with the fix. */
export interface Finding {
  /** Stable check id, e.g. `wal_level`, `schema_drift` (see CHECKS). */
  readonly check: string;
  readonly severity: Severity;
  /** The node it concerns (where the fix runs), or null for the whole cluster. */
  readonly node: string | null;
  /** What was seen, one sentence. */
  readonly seen: string;
  /** The exact fix (SQL, setting = value, GRANT, command), or null when there is nothing to do. */
  readonly fix: string | null;
}

/** The outcome of one doctor run over the configured nodes. */
export interface DoctorReport {
  /** When the run started (ISO 8601). */
  readonly checked_at: string;
  readonly duration_ms: number;
  /** Worst severity; UNKNOWN when no node could be read. */
  readonly status: Severity | "UNKNOWN";
  /** Per configured node: whether it was read, and the error when not (secrets redacted). */
  readonly nodes: Record<string, { readonly read: boolean; readonly error: string | null }>;
  /** Problems first (FAIL, WARN), then OK; in check order within a severity. */
  readonly findings: readonly Finding[];
}

/** The rank of a severity (OK 0, WARN 1, FAIL 2). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The worst severity of `findings` (OK when empty). */
export function worstSeverity(findings: readonly { severity: Severity }[]): Severity {
  let worst: Severity = "OK";
  for (const f of findings) if (severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}
