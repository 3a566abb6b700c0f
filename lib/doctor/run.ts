/** One doctor run: read every configured node in parallel, run every check, rank the findings. */
import type { ResolvedConfig } from "../config/mod.ts";
import { configSecrets } from "../config/mod.ts";
import type { Check, ClusterFacts } from "./checks/check.ts";
import { CHECKS, CONNECT_CHECK_ID } from "./checks.ts";
import { type ClockOffset, estimateOffset } from "./clock.ts";
import { type NodeRead, readNode } from "./gather.ts";
import { type DoctorReport, type Finding, severityRank, worstSeverity } from "./types.ts";

/** Options of {@link runDoctor}. */
export interface RunDoctorOptions {
  /** Per-node deadline, ms (default: the collector's probe timeout x 5, at least 5 s). */
  timeoutMs?: number;
  /** The checks to run (default CHECKS). */
  checks?: readonly Check[];
  /** Wall clock for checked_at (default Date.now). */
  now?: () => number;
}

/** Reads the nodes of `config` and runs the checks. Never throws for a node it cannot read. */
export async function runDoctor(
  config: ResolvedConfig,
  opts: RunDoctorOptions = {},
): Promise<DoctorReport> {
  const startedAt = (opts.now ?? Date.now)();
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? Math.max(5_000, config.collector.probeTimeoutMs * 5);
  const secrets = configSecrets(config);
  const nodes = config.collector.nodes;
  const results = await Promise.allSettled(
    nodes.map((n) => readNode(n, { timeoutMs, secrets })),
  );
  const read: NodeRead[] = [];
  const status: DoctorReport["nodes"] = {};
  const findings: Finding[] = [];
  results.forEach((r, i) => {
    const name = nodes[i]!.name;
    if (r.status === "fulfilled") {
      read.push(r.value);
      status[name] = { read: true, error: null };
    } else {
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      status[name] = { read: false, error: message };
      findings.push({
        check: CONNECT_CHECK_ID,
        severity: "FAIL",
        node: name,
        seen: message,
        fix: `start ${name} or correct collector.nodes[${i}].dsn`,
      });
    }
  });
  if (read.length > 0) {
    findings.push(
      ...runChecks(clusterFacts(read, nodes.map((n) => n.name)), opts.checks ?? CHECKS),
    );
  }
  return {
    checked_at: new Date(startedAt).toISOString(),
    duration_ms: Math.round((performance.now() - started) * 10) / 10,
    status: read.length === 0 ? "UNKNOWN" : worstSeverity(findings),
    nodes: status,
    findings: rank(findings),
  };
}

/** The facts every check sees. */
export function clusterFacts(
  read: readonly NodeRead[],
  configured: readonly string[],
): ClusterFacts {
  const offsets = new Map<string, ClockOffset>();
  for (const n of read) {
    const o = estimateOffset(n.clock);
    if (o) offsets.set(n.name, o);
  }
  let members = 0;
  for (const n of read) {
    const live = n.facts.members?.filter((m) => m.status !== "k").length ?? 0;
    members = Math.max(members, live);
  }
  return { nodes: read, configured, offsets, nodeCount: members || configured.length };
}

/** Runs `checks` over `cluster`: their problems, or one OK finding per check. */
export function runChecks(cluster: ClusterFacts, checks: readonly Check[]): Finding[] {
  const out: Finding[] = [];
  for (const check of checks) {
    let result;
    try {
      result = check.run(cluster);
    } catch (err) {
      out.push({
        check: check.id,
        severity: "WARN",
        node: null,
        seen: `check failed: ${err instanceof Error ? err.message : String(err)}`,
        fix: null,
      });
      continue;
    }
    if (result.problems.length === 0) {
      out.push({ check: check.id, severity: "OK", node: null, seen: result.ok, fix: null });
    }
    for (const p of result.problems) out.push({ check: check.id, ...p });
  }
  return out;
}

/** FAIL, then WARN, then OK; stable (check order) within a severity. */
function rank(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
    .map((x) => x.f);
}
