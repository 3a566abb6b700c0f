/** Text output: one line per finding, and the exit code of a report (as `check`). */
import type { DoctorReport, Finding } from "./types.ts";

/** `FAIL  wal_level  node2  wal_level = 'replica'  fix: ALTER SYSTEM SET ...`. */
export function findingLine(f: Finding): string {
  const sev = f.severity.padEnd(4);
  return `${sev}  ${f.check}  ${f.node ?? "cluster"}  ${f.seen}${f.fix ? `  fix: ${f.fix}` : ""}`;
}

/** Counts by severity, e.g. `2 FAIL, 1 WARN, 17 OK`. */
export function summaryLine(report: DoctorReport): string {
  const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
  const read = Object.values(report.nodes).filter((n) => n.read).length;
  const total = Object.keys(report.nodes).length;
  return `doctor ${report.status}: ${count("FAIL")} FAIL, ${count("WARN")} WARN, ${
    count("OK")
  } OK; ${read}/${total} node(s) read at ${report.checked_at} in ${
    Math.round(report.duration_ms)
  } ms`;
}

/** Exit code as `check`: 0 all OK, 1 any WARN, 2 any FAIL, 3 no node could be read. */
export function reportExitCode(report: Pick<DoctorReport, "status">): 0 | 1 | 2 | 3 {
  switch (report.status) {
    case "OK":
      return 0;
    case "WARN":
      return 1;
    case "FAIL":
      return 2;
    case "UNKNOWN":
      return 3;
  }
}
