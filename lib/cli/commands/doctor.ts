/**
 * `doctor`: one line per finding (severity, check, node, what was seen, the fix), from the server's
 * latest run (GET /doctor) or, with --direct, from a run against the configured nodes. Exit code as
 * `check`: 0 all OK, 1 any WARN, 2 any FAIL, 3 no node could be read.
 */
import type { DoctorReport, Severity } from "../../doctor/mod.ts";
import { findingLine, reportExitCode, summaryLine } from "../../doctor/format.ts";
import { worstSeverity } from "../../doctor/types.ts";
import type { Status } from "../../snapshot/mod.ts";
import { type CommandContext, printJson } from "../context.ts";
import { type Outcome, UsageError } from "../exit.ts";
import { paint } from "../format.ts";

/** The status whose colour and exit code a severity takes. */
const AS_STATUS: Record<Severity, Status> = { OK: "HEALTHY", WARN: "DEGRADED", FAIL: "CRITICAL" };

/** Keeps the findings of `node` and the cluster-wide ones; the status is recomputed. */
function filterReport(report: DoctorReport, node: string | undefined): DoctorReport {
  if (node === undefined) return report;
  const findings = report.findings.filter((f) => f.node === null || f.node === node);
  const state = report.nodes[node];
  return {
    ...report,
    nodes: state ? { [node]: state } : {},
    findings,
    status: report.status === "UNKNOWN" ? "UNKNOWN" : worstSeverity(findings),
  };
}

/** The outcome (exit code as `check`) of a report. */
function doctorOutcome(report: DoctorReport): Outcome {
  return report.status === "UNKNOWN"
    ? { kind: "check", status: "UNKNOWN", readable: false }
    : { kind: "check", status: AS_STATUS[report.status], readable: true };
}

/** Runs `doctor`. */
export async function doctor(ctx: CommandContext): Promise<Outcome> {
  if (!ctx.source.doctor) throw new UsageError("doctor is not available from this source");
  const full = await ctx.source.doctor(ctx.signal);
  if (ctx.flags.node !== undefined && !(ctx.flags.node in full.nodes)) {
    const known = Object.keys(full.nodes).join(", ") || "none";
    throw new UsageError(`unknown node "${ctx.flags.node}" for --node (known: ${known})`);
  }
  const report = filterReport(full, ctx.flags.node);
  if (ctx.flags.format === "json") {
    printJson(ctx, { ...report, exit_code: reportExitCode(report) });
  } else {
    const lines = report.findings.map((f) => {
      const line = findingLine(f);
      return ctx.color
        ? paint(AS_STATUS[f.severity], f.severity, true) + line.slice(f.severity.length)
        : line;
    });
    ctx.out([...lines, summaryLine(report)].join("\n") + "\n");
  }
  return doctorOutcome(report);
}
