/**
 * A node's metrics: a summary of its INBOUND links (worst lag and the LSNs of that link, walsender
 * active only if every inbound one is) plus node-level facts from its own probe.
 */
import { formatLsn, type NodeId, nodeKey, type NodeProbeResult } from "../pgactive/mod.ts";
import type { NodeMetrics } from "../snapshot/mod.ts";
import type { DerivedLink } from "./links.ts";
import { conflictCount, round } from "./links.ts";

/** Conflict and apply-error totals of a node from its pgactive_get_stats() rows. */
export interface NodeCounters {
  /** Sum over origins of insert/update/delete conflicts, minus join-time conflicts on schema pgactive. */
  readonly conflicts: number;
  /** Sum over origins of nr_rollback (null: the counters are not readable). */
  readonly applyErrors: number | null;
}

/**
 * Totals over origins of {@link conflictCount} (counters or history rows, whichever is larger,
 * pgactive's own catalog excluded: each joining node records one conflict on pgactive_nodes) and
 * of the apply errors (nr_rollback).
 */
export function nodeCounters(result: NodeProbeResult | null): NodeCounters | null {
  const stats = result?.data.stats ?? null;
  const history = result?.historyConflicts ?? null;
  if (!result || (!stats && !history)) return null;
  const byOrigin = new Map((stats ?? []).map((s) => [nodeKey(s.origin), s]));
  const origins = new Set([...byOrigin.keys(), ...(history?.keys() ?? [])]);
  let conflicts = 0;
  let applyErrors = 0;
  for (const key of origins) {
    const s = byOrigin.get(key) ?? null;
    const catalog = result.catalogConflicts?.get(key) ?? 0;
    conflicts += conflictCount(s, history ? history.get(key) ?? 0 : null, catalog) ?? 0;
    applyErrors += s?.rollbacks ?? 0;
  }
  return { conflicts, applyErrors: stats ? applyErrors : null };
}

/** Library version without the build suffix (`2.1.9-2026-11-24-` -> `2.1.9`). */
export function shortVersion(v: string | null): string | null {
  if (v === null) return null;
  const m = /^(\d+(?:\.\d+)*)/.exec(v.trim());
  return m ? m[1]! : v.trim();
}

function worstLink(inbound: readonly DerivedLink[]): DerivedLink | null {
  let worst: DerivedLink | null = null;
  for (const d of inbound) {
    if (worst === null) {
      worst = d;
      continue;
    }
    const a = [d.link.lag_seconds ?? -1, d.link.lag_bytes ?? -1];
    const b = [worst.link.lag_seconds ?? -1, worst.link.lag_bytes ?? -1];
    if (a[0]! > b[0]! || (a[0] === b[0] && a[1]! > b[1]!)) worst = d;
  }
  return worst;
}

function maxOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}

/** Inputs of summarizeNode. */
export interface NodeMetricsInput {
  readonly result: NodeProbeResult | null;
  readonly inbound: readonly DerivedLink[];
  readonly counters: NodeCounters | null;
  readonly conflictsPerMinute: number | null;
  /** pgactive_nodes status of this node as any reachable node sees it. */
  readonly nodeStatus: string | null;
  readonly identity: NodeId | null;
}

/** Builds the node's metrics. */
export function summarizeNode(input: NodeMetricsInput): NodeMetrics {
  const { result, inbound } = input;
  const worst = worstLink(inbound);
  const actives = inbound.map((d) => d.link.active);
  const walsenderActive = actives.length === 0
    ? null
    : actives.includes(false)
    ? false
    : actives.every((a) => a === true)
    ? true
    : null;
  const data = result?.data ?? null;
  const retained = data
    ? maxOf(
      data.slots.map((s) => s.restartLsn === null ? null : Number(data.currentLsn - s.restartLsn)),
    )
    : null;
  return {
    lag_xid: maxOf(inbound.map((d) => d.link.lag_xid)),
    lag_seconds: maxOf(inbound.map((d) => d.link.lag_seconds)),
    walsender_active: walsenderActive,
    sent_lsn: worst?.link.sent_lsn ?? null,
    write_lsn: worst?.link.write_lsn ?? null,
    flush_lsn: worst?.link.flush_lsn ?? null,
    replay_lsn: worst?.link.replay_lsn ?? null,
    conflict_count: input.counters?.conflicts ?? null,
    lag_bytes: maxOf(inbound.map((d) => d.link.lag_bytes)),
    conflicts_per_minute: input.conflictsPerMinute === null
      ? null
      : round(input.conflictsPerMinute, 3),
    apply_errors: input.counters?.applyErrors ?? null,
    retained_wal_bytes: retained === null ? null : Math.max(0, retained),
    pgactive_version: shortVersion(data?.libraryVersion ?? null),
    extension_version: result?.capabilities.extensionVersion ?? null,
    node_status: input.nodeStatus,
    probe_ms: result ? round(result.probeMs, 1) : null,
    apply_paused: data?.applyPaused ?? null,
    wal_lsn: data ? formatLsn(data.currentLsn) : null,
  };
}
