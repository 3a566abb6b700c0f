/**
 * Assembles one Snapshot from the cycle's probe outcomes and the collector's memory (identities,
 * link states, counter windows). Pure apart from mutating the state object it is given.
 */
import {
  type AppliedInfo,
  type MemberInfo,
  MISSING_GRANT,
  type NodeId,
  nodeKey,
  type NodeProbeResult,
  type OriginStats,
  type ProbeData,
  type SlotInfo,
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
import { CommitHistory } from "./commit_history.ts";
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
  /** Why the node was not probed yet (its first connection is being set up): UNKNOWN. */
  readonly pending?: string;
}

/** What the collector remembers between cycles. */
export interface CollectorState {
  readonly identities: Map<string, NodeId>;
  readonly links: Map<string, LinkState>;
  readonly conflictWindows: Map<string, CounterWindow>;
  readonly errorWindows: Map<string, CounterWindow>;
  /** Last workers list read per node (read on every 10th probe only). */
  readonly workers: Map<string, readonly WorkerInfo[]>;
  /** Per node as an origin: WAL positions and local commits over recent probes. */
  readonly histories: Map<string, CommitHistory>;
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
    histories: new Map(),
  };
}

/** Cycle facts the builder needs. */
export interface BuildContext {
  readonly version: number;
  /** Collector clock at the cycle start (epoch ms). */
  readonly nowMs: number;
  readonly cycleMs: number;
  readonly thresholds: StatusThresholds;
}

/** One outcome's lists keyed by nodeKey, built once per cycle instead of once per pair. */
interface ProbeIndex {
  readonly data: ProbeData | null;
  readonly slots: ReadonlyMap<string, SlotInfo>;
  readonly applied: ReadonlyMap<string, AppliedInfo>;
  readonly stats: ReadonlyMap<string, OriginStats>;
  /** Members that pgactive_nodes lists as not detached. */
  readonly members: ReadonlySet<string>;
  /** pgactive_nodes rows by member key (the first row per key). */
  readonly memberRows: ReadonlyMap<string, MemberInfo>;
}

/** The first item per key (what `Array.find` by key would return). */
function byKey<T>(items: readonly T[] | null | undefined, key: (t: T) => NodeId) {
  const map = new Map<string, T>();
  for (const t of items ?? []) {
    const k = nodeKey(key(t));
    if (!map.has(k)) map.set(k, t);
  }
  return map;
}

function indexProbe(data: ProbeData | null): ProbeIndex {
  const members = new Set<string>();
  for (const m of data?.members ?? []) if (m.status !== "k") members.add(nodeKey(m.id));
  return {
    data,
    memberRows: byKey(data?.members, (m) => m.id),
    slots: byKey(data?.slots, (s) => s.peer),
    applied: byKey(data?.applied, (a) => a.peer),
    stats: byKey(data?.stats, (s) => s.origin),
    members,
  };
}

function windowFor(map: Map<string, CounterWindow>, name: string, windowMs: number) {
  let w = map.get(name);
  if (!w) map.set(name, w = new CounterWindow(windowMs));
  return w;
}

/** Keeps of each origin's history what its least advanced link still needs. */
function pruneHistories(state: CollectorState, derived: readonly DerivedLink[]): void {
  const least = new Map<string, number | null>();
  for (const d of derived) {
    const cur = least.get(d.link.from);
    const t = d.appliedUpToMs;
    least.set(
      d.link.from,
      cur === undefined ? t : cur === null || t === null ? null : Math.min(cur, t),
    );
  }
  for (const [name, t] of least) if (t !== null) state.histories.get(name)?.prune(t);
}

/** Builds the snapshot and the new conflict rows of this cycle. */
export function buildSnapshot(
  outcomes: readonly NodeOutcome[],
  ctx: BuildContext,
  state: CollectorState,
): { snapshot: Snapshot; conflicts: ConflictRecord[] } {
  const now = ctx.nowMs;
  const ids = resolveIdentities(
    outcomes.map((o) => ({
      name: o.name,
      data: o.result?.data ?? null,
      dbOid: o.result?.capabilities.dbOid ?? null,
    })),
    state.identities,
  );
  for (const [n, id] of ids.byName) state.identities.set(n, id);
  // pgactive_nodes rows by node key: of the node's own view, else the first any node reports
  // (one map, not a search of every node's member list per node: n^2 entries).
  const anyMemberRows = byKey(outcomes.flatMap((o) => o.result?.data.members ?? []), (m) => m.id);

  const index = new Map(outcomes.map((o) => [o, indexProbe(o.result?.data ?? null)]));
  for (const o of outcomes) {
    const r = o.result;
    if (!r) continue;
    let h = state.histories.get(o.name);
    if (!h) state.histories.set(o.name, h = new CommitHistory());
    h.add(r.data.localCommits, r.localCommitsAfterMs, r.data.serverNowMs, r.data.currentLsn);
  }
  const keys = new Map<string, string>();
  for (const [name, id] of ids.byName) keys.set(name, nodeKey(id));
  const derived: DerivedLink[] = [];
  const inboundOf = new Map<string, DerivedLink[]>();
  for (const o of outcomes) {
    const oIdx = index.get(o)!;
    const oData = oIdx.data;
    const keyO = keys.get(o.name);
    for (const t of outcomes) {
      if (o === t) continue;
      const tIdx = index.get(t)!;
      const tData = tIdx.data;
      const keyT = keys.get(t.name);
      const slot = keyT === undefined ? null : oIdx.slots.get(keyT) ?? null;
      const applied = keyO === undefined ? null : tIdx.applied.get(keyO) ?? null;
      const stats = keyO === undefined ? null : tIdx.stats.get(keyO) ?? null;
      // A link exists when either side says so: a slot, apply progress or counters for the
      // other, or membership of the same pgactive group (then a missing slot is a finding).
      const grouped = keyO !== undefined && keyT !== undefined &&
        (oIdx.members.has(keyT) || tIdx.members.has(keyO));
      if (!slot && !applied && !stats && !grouped) continue;
      const key = `${o.name}->${t.name}`;
      const d = deriveLink({
        from: o.name,
        to: t.name,
        nowMs: now,
        origin: oData
          ? {
            currentLsn: oData.currentLsn,
            nextXid: oData.nextXid,
            serverNowMs: oData.serverNowMs,
            slot,
            history: state.histories.get(o.name) ?? null,
          }
          : null,
        target: tData
          ? {
            serverNowMs: tData.serverNowMs,
            applied,
            stats,
            catalogConflicts: keyO ? t.result?.catalogConflicts?.get(keyO) ?? 0 : 0,
            historyConflicts: keyO && t.result?.historyConflicts
              ? t.result.historyConflicts.get(keyO) ?? 0
              : null,
            applyPaused: tData.applyPaused,
          }
          : null,
      }, state.links.get(key) ?? NEW_LINK_STATE);
      state.links.set(key, d.state);
      derived.push(d);
      let inbound = inboundOf.get(t.name);
      if (!inbound) inboundOf.set(t.name, inbound = []);
      inbound.push(d);
    }
  }

  pruneHistories(state, derived);

  const nodes: Record<string, NodeState> = {};
  const conflicts: ConflictRecord[] = [];
  const pending = new Set(outcomes.filter((o) => o.pending !== undefined).map((o) => o.name));
  const windowMs = ctx.thresholds.conflictWindowMs;
  for (const o of outcomes) {
    const result = o.result;
    const id = ids.byName.get(o.name);
    const inbound = inboundOf.get(o.name) ?? [];
    const counters = nodeCounters(result);
    const cw = windowFor(state.conflictWindows, o.name, windowMs);
    const ew = windowFor(state.errorWindows, o.name, windowMs);
    if (counters) {
      cw.add(now, counters.conflicts);
      if (counters.applyErrors !== null) ew.add(now, counters.applyErrors);
    }
    const ownKey = keys.get(o.name);
    const ownStatus = ownKey === undefined
      ? null
      : result
      ? index.get(o)!.memberRows.get(ownKey)?.status ?? null
      : anyMemberRows.get(ownKey)?.status ?? null;
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
      probed: o.pending === undefined,
      probeError: o.error,
      // While an origin is still connecting its links' lag is not known yet: no finding.
      inbound: pending.size ? inbound.filter((d) => !pending.has(d.link.from)) : inbound,
      ...(o.pending === undefined ? {} : { notProbedReason: o.pending }),
      nodeStatus: ownStatus,
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
        nodeStatus: ownStatus,
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
