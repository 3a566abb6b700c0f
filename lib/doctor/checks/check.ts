/** The shape every check has, and the helpers their fixes share. */
import type { ClockOffset } from "../clock.ts";
import type { NodeRead } from "../gather.ts";
import type { Severity } from "../types.ts";

/** Check groups, in report order. */
export type CheckGroup = "access" | "settings" | "versions" | "clock" | "schema" | "slots";

/** What every check sees: the nodes that were read, in config order. */
export interface ClusterFacts {
  readonly nodes: readonly NodeRead[];
  /** Every configured node name, read or not. */
  readonly configured: readonly string[];
  /** Node clock minus collector clock, for nodes with samples. */
  readonly offsets: ReadonlyMap<string, ClockOffset>;
  /** pgactive members not detached (from pgactive_nodes), else the configured count. */
  readonly nodeCount: number;
}

/** A problem a check found. */
export interface Problem {
  readonly severity: Exclude<Severity, "OK">;
  readonly node: string | null;
  readonly seen: string;
  readonly fix: string | null;
}

/** A check's verdict: its problems, or (when none) what it saw, for the OK line. */
export interface CheckResult {
  readonly problems: readonly Problem[];
  readonly ok: string;
}

/** A check, as data. */
export interface Check {
  /** Stable id, the `check` of its findings. */
  readonly id: string;
  readonly group: CheckGroup;
  /** What it verifies, one line (docs and help). */
  readonly title: string;
  /** Privileges it needs beyond connecting (docs). */
  readonly needs: string;
  run(cluster: ClusterFacts): CheckResult;
}

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `ALTER SYSTEM SET name = 'value'` and how it takes effect (reload or restart). */
export function setFix(name: string, value: string, context: string): string {
  const set = `ALTER SYSTEM SET ${name} = ${lit(value)};`;
  return context === "postmaster"
    ? `${set} -- then restart PostgreSQL`
    : `${set} SELECT pg_catalog.pg_reload_conf();`;
}

/** The most common value (ties: the first seen, i.e. config order). */
export function majority<T>(values: readonly T[], key: (v: T) => string = String): T | undefined {
  const counts = new Map<string, { v: T; n: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { v, n: 1 });
  }
  let best: { v: T; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.v;
}

/** `1.5 GB`, `56 B`. */
export function formatBytes(n: bigint | number): string {
  const x = Number(n);
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = x;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${x} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Compares dotted versions numerically (`2.1.10` > `2.1.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10));
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A qualified name, quoting parts that need it. */
export function qname(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** An identifier, quoted when it needs it. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
