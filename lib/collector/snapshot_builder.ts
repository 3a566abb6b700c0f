/**
 * Assembles one Snapshot from the cycle's probe outcomes and the collector's memory (identities,
 * link states, counter windows). Pure apart from mutating the state object it is given.
 */
import {
  MISSING_GRANT,
  type NodeId,
  nodeKey,
  type NodeProbeResult,
  type ProbeData,
  type WorkerInfo,
} from "../pgactive/mod.ts";
import {
  type ConflictRecord,
  type ConflictSample,
  type Link,
  type NodeState,
  type Snapshot,
  worstStatus,
} from "../snapshot/mod.ts";
import { CounterWindow } from "./counter_window.ts";
import { resolveIdentities } from "./identity.ts";
import { type DerivedLink, deriveLink, type LinkState, NEW_LINK_STATE } from "./links.ts";
import { nodeCounters, summarizeNode } from "./node_metrics.ts";
import { evaluateNode, type StatusThresholds } from "./status_rules.ts";

/** One node's probe outcome this cycle. */
export interface NodeOutcome {
  readonly name: string;
  readonly result: NodeProbeResult | null;
  /** Redacted error message when the probe failed. */
  readonly error: string | null;
}

/** What the collector remembers between cycles. */
export interface CollectorState {
  readonly identities: Map<string, NodeId>;
  readonly links: Map<string, LinkState>;
  readonly conflictWindows: Map<string, CounterWindow>;
  readonly errorWindows: Map<string, CounterWindow>;
  /** Last workers list read per node (read on every 10th probe only). */
  readonly workers: Map<string, readonly WorkerInfo[]>;
}

/** Fresh state, optionally seeded with stored conflict samples (after a restart). */
export function newCollectorState(
  windowMs: number,
  samples: readonly ConflictSample[] = [],
): CollectorState {
  const conflictWindows = new Map<string, CounterWindow>();
  for (const s of samples) {
    let w = conflictWindows.get(s.node);
    if (!w) conflictWindows.set(s.node, w = new CounterWindow(windowMs));
    w.add(s.at_ms, s.conflict_count);
  }
  return {
    identities: new Map(),
    links: new Map(),
    conflictWindows,
    errorWindows: new Map(),
    workers: new Map(),
  };
}

/** Cycle facts the builder needs. */
export interface BuildContext {
  readonly version: number;
  /** Collector clock at the cycle start (epoch ms). */
  readonly nowMs: number;
  readonly cycleMs: number;
  readonly thresholds: StatusThresholds;
  readonly noiseBytes?: number;
}

function find<T>(
  items: readonly T[] | null | undefined,
  id: NodeId | undefined,
  key: (t: T) => NodeId,
) {
  if (!items || !id) return null;
  const k = nodeKey(id);
  return items.find((t) => nodeKey(key(t)) === k) ?? null;
}

/** Whether `data`'s pgactive_nodes lists `id` as a member that is not detached. */
function isMember(data: ProbeData | null, id: NodeId): boolean {
  const k = nodeKey(id);
  return data?.members?.some((m) => m.status !== "k" && nodeKey(m.id) === k) ?? false;
}

function windowFor(map: Map<string, CounterWindow>, name: string, windowMs: number) {
  let w = map.get(name);
  if (!w) map.set(name, w = new CounterWindow(windowMs));
  return w;
}

/** Builds the snapshot and the new conflict rows of this cycle. */
export function buildSnapshot(
  outcomes: readonly NodeOutcome[],
  ctx: BuildContext,
  state: CollectorState,
): { snapshot: Snapshot; conflicts: ConflictRecord[] } {
  const now = ctx.nowMs;
  const byName = new Map(outcomes.map((o) => [o.name, o]));
  const data = (name: string): ProbeData | null => byName.get(name)?.result?.data ?? null;
  const ids = resolveIdentities(
    outcomes.map((o) => ({
      name: o.name,
      data: o.result?.data ?? null,
      dbOid: o.result?.capabilities.dbOid ?? null,
    })),
    state.identities,
  );
  for (const [n, id] of ids.byName) state.identities.set(n, id);
  const allMembers = outcomes.flatMap((o) => o.result?.data.members ?? []);

  const derived: DerivedLink[] = [];
  for (const o of outcomes) {
    for (const t of outcomes) {
      if (o === t) continue;
      const oData = data(o.name);
      const tData = data(t.name);
      const idO = ids.byName.get(o.name);
      const idT = ids.byName.get(t.name);
      const slot = find(oData?.slots, idT, (s) => s.peer);
      const applied = find(tData?.applied, idO, (a) => a.peer);
      const stats = find(tData?.stats, idO, (s) => s.origin);
      // A link exists when either side says so: a slot, apply progress or counters for the
      // other, or membership of the same pgactive group (then a missing slot is a finding).
      const grouped = idO !== undefined && idT !== undefined &&
        (isMember(oData, idT) || isMember(tData, idO));
      if (!slot && !applied && !stats && !grouped) continue;
      const key = `${o.name}->${t.name}`;
      const d = deriveLink({
        from: o.name,
        to: t.name,
        nowMs: now,
        origin: oData ? { currentLsn: oData.currentLsn, nextXid: oData.nextXid, slot } : null,
        target: tData
          ? {
            serverNowMs: tData.serverNowMs,
            applied,
            stats,
            catalogConflicts: idO ? t.result?.catalogConflicts?.get(nodeKey(idO)) ?? 0 : 0,
          }
          : null,
        ...(ctx.noiseBytes === undefined ? {} : { noiseBytes: ctx.noiseBytes }),
      }, state.links.get(key) ?? NEW_LINK_STATE);
      state.links.set(key, d.state);
      derived.push(d);
    }
  }

  const nodes: Record<string, NodeState> = {};
  const conflicts: ConflictRecord[] = [];
  const windowMs = ctx.thresholds.conflictWindowMs;
  for (const o of outcomes) {
    const result = o.result;
    const id = ids.byName.get(o.name);
    const inbound = derived.filter((d) => d.link.to === o.name);
    const counters = nodeCounters(result);
    const cw = windowFor(state.conflictWindows, o.name, windowMs);
    const ew = windowFor(state.errorWindows, o.name, windowMs);
    if (counters) {
      cw.add(now, counters.conflicts);
      ew.add(now, counters.applyErrors);
    }
    const own = id
      ? (result?.data.members ?? allMembers).find((m) => nodeKey(m.id) === nodeKey(id))
      : null;
    const privilegeReasons: string[] = [];
    if (result) {
      const caps = result.capabilities;
      if (!caps.canReadNodes) privilegeReasons.push(MISSING_GRANT.nodes);
      for (const obj of caps.denied) privilegeReasons.push(MISSING_GRANT[obj]);
      if (!id) {
        privilegeReasons.push(
          `cannot tell which pgactive node ${o.name} is: its links are not reported`,
        );
      }
    }
    const unmonitored = (result?.data.members ?? [])
      .filter((m) => m.status === "r" && !ids.byKey.has(nodeKey(m.id)))
      .map((m) => m.name || m.id.sysid);
    const conflictsPerMinute = counters ? cw.perMinute(now) : null;
    if (result?.data.workers) state.workers.set(o.name, result.data.workers);
    const applyWorkerErrors = new Map<string, string>();
    for (const w of result ? state.workers.get(o.name) ?? [] : []) {
      const origin = w.peer ? ids.byKey.get(nodeKey(w.peer)) : undefined;
      if (w.type === "apply" && w.pid === 0 && w.lastError && origin) {
        applyWorkerErrors.set(origin, w.lastError);
      }
    }
    const verdict = evaluateNode({
      name: o.name,
      probed: true,
      probeError: o.error,
      inbound,
      nodeStatus: own?.status ?? null,
      applyPaused: result?.data.applyPaused ?? null,
      conflictsPerMinute,
      applyErrorsIncrease: counters ? ew.increase(now) : 0,
      privilegeReasons,
      unmonitored,
      applyWorkerErrors,
    }, ctx.thresholds);
    nodes[o.name] = {
      name: o.name,
      status: verdict.status,
      reasons: verdict.reasons,
      error: o.error,
      metrics: summarizeNode({
        result,
        inbound,
        counters,
        conflictsPerMinute,
        nodeStatus: own?.status ?? null,
        identity: id ?? null,
      }),
    };
    for (const c of result?.data.conflicts ?? []) {
      conflicts.push({
        node: o.name,
        conflict_id: c.conflictId,
        local_conflict_time: new Date(c.timeMs).toISOString(),
        object_schema: c.objectSchema,
        object_name: c.objectName,
        remote_node: c.remote ? ids.bySysid.get(c.remote.sysid) ?? c.remote.sysid : null,
        conflict_type: c.type,
        conflict_resolution: c.resolution,
        error_sqlstate: c.sqlstate,
        error_message: c.message,
      });
    }
  }
  const links: Link[] = derived.map((d) => d.link);
  const states = Object.values(nodes);
  const sum = (f: (n: NodeState) => number | null) =>
    states.reduce((acc, n) => acc + (f(n) ?? 0), 0);
  const snapshot: Snapshot = {
    version: ctx.version,
    collected_at: new Date(now).toISOString(),
    status: worstStatus(states.map((n) => n.status)),
    nodes,
    links,
    cluster: {
      conflict_count: sum((n) => n.metrics.conflict_count),
      conflicts_per_minute: Math.round(sum((n) => n.metrics.conflicts_per_minute) * 1000) / 1000,
      apply_errors: sum((n) => n.metrics.apply_errors),
      cycle_ms: Math.round(ctx.cycleMs * 10) / 10,
    },
  };
  return { snapshot, conflicts };
}
