/** A structural check of a DoctorReport read back from JSON (GET /doctor). */
import { type DoctorReport, type Finding, SEVERITIES, type Severity } from "./types.ts";

function fail(path: string, what: string): never {
  throw new TypeError(`${path}: expected ${what}`);
}

function str(v: unknown, path: string): string {
  return typeof v === "string" ? v : fail(path, "a string");
}

function severity(v: unknown, path: string): Severity {
  return (SEVERITIES as readonly unknown[]).includes(v)
    ? v as Severity
    : fail(path, "OK, WARN or FAIL");
}

/** Returns `value` as a DoctorReport or throws a TypeError naming the first bad field. */
export function parseDoctorReport(value: unknown): DoctorReport {
  if (value === null || typeof value !== "object") fail("report", "an object");
  const r = value as Record<string, unknown>;
  const status = r.status === "UNKNOWN" ? "UNKNOWN" : severity(r.status, "status");
  if (typeof r.duration_ms !== "number") fail("duration_ms", "a number");
  if (r.nodes === null || typeof r.nodes !== "object") fail("nodes", "an object");
  const nodes: DoctorReport["nodes"] = {};
  for (const [name, n] of Object.entries(r.nodes as Record<string, unknown>)) {
    const x = n as Record<string, unknown> | null;
    if (!x || typeof x.read !== "boolean") fail(`nodes.${name}.read`, "a boolean");
    nodes[name] = {
      read: x.read,
      error: x.error === null ? null : str(x.error, `nodes.${name}.error`),
    };
  }
  if (!Array.isArray(r.findings)) fail("findings", "an array");
  const findings = (r.findings as unknown[]).map((f, i): Finding => {
    const x = f as Record<string, unknown> | null;
    if (!x || typeof x !== "object") fail(`findings[${i}]`, "an object");
    return {
      check: str(x.check, `findings[${i}].check`),
      severity: severity(x.severity, `findings[${i}].severity`),
      node: x.node === null ? null : str(x.node, `findings[${i}].node`),
      seen: str(x.seen, `findings[${i}].seen`),
      fix: x.fix === null ? null : str(x.fix, `findings[${i}].fix`),
    };
  });
  return {
    checked_at: str(r.checked_at, "checked_at"),
    duration_ms: r.duration_ms as number,
    status,
    nodes,
    findings,
  };
}
