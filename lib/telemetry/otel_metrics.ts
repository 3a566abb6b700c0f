/**
 * OpenTelemetry metrics: the facts of /metrics (lag, status, conflicts, collector health) read from
 * the latest snapshot at each collection through observable instruments. Names follow the OTel
 * conventions (dotted, units in base units: s, By); `process.memory.usage` is the semconv one.
 * Loaded only by otel_sdk.ts, itself imported only when telemetry is on.
 */
import type { Attributes, Meter, Observable } from "@opentelemetry/api";
import type { Link, NodeState, Snapshot } from "../snapshot/mod.ts";
import { statusCode, WAL_STATUSES } from "../snapshot/mod.ts";

/** Collector counters, as `Collector.stats` has them. */
export interface CollectorCounters {
  cycles: number;
  skippedCycles: number;
  probeErrors: Record<string, number>;
  lastCycleMs: number | null;
}

/** Where the metrics are read from at each collection. */
export interface MetricSource {
  /** The latest snapshot, or null before the first cycle. */
  snapshot(): Snapshot | null;
  /** The collector's counters (absent: not exported). */
  collector?: () => CollectorCounters;
  /** Snapshots the store failed to write (absent: not exported). */
  storeWriteErrors?: () => number;
}

type Value = number | boolean | null;
type Kind = "gauge" | "counter";
/** [name (below `pgactive.`), kind, unit, description, value]. */
type Spec<T> = readonly [string, Kind, string, string, (x: T) => Value];

const STATUS_HELP = "0 unknown, 1 healthy, 2 degraded, 3 critical, 4 down";

/** The keys of `T` whose values are exported as they are (numbers, booleans, null). */
type ValueKey<T> = { [K in keyof T]: T[K] extends Value ? K : never }[keyof T];

/** Reads one field of the node's metrics. */
const metric = (key: ValueKey<NodeState["metrics"]>) => (n: NodeState): Value => n.metrics[key];
const rate = (n: NodeState) => perUnit(n.metrics.conflicts_per_minute, 60);
const probeSeconds = (n: NodeState) => perUnit(n.metrics.probe_ms, 1000);

/** Per node, attribute `pgactive.node.name`; names are below `pgactive.`. */
export const NODE_METRICS: readonly Spec<NodeState>[] = [
  ["node.lag", "gauge", "s", "Worst inbound replication lag", metric("lag_seconds")],
  ["node.lag.bytes", "gauge", "By", "Worst inbound WAL not applied", metric("lag_bytes")],
  ["node.lag.xid", "gauge", "{transaction}", "Worst inbound xid lag", metric("lag_xid")],
  ["node.status", "gauge", "1", `Node status: ${STATUS_HELP}`, (n) => statusCode(n.status)],
  ["node.up", "gauge", "1", "1 when the probe succeeded", (n) => up(n)],
  ["node.conflict.rate", "gauge", "{conflict}/s", "Conflict rate over the sliding window", rate],
  ["node.conflicts", "counter", "{conflict}", "Conflicts detected", metric("conflict_count")],
  ["node.apply.errors", "counter", "{error}", "Failed apply transactions", metric("apply_errors")],
  ["node.apply.paused", "gauge", "1", "1 when apply is paused", metric("apply_paused")],
  ["node.wal.retained", "gauge", "By", "Most WAL a slot retains", metric("retained_wal_bytes")],
  ["collector.probe.duration", "gauge", "s", "Wall time of the node's last probe", probeSeconds],
];

/** Per link, attributes `pgactive.link.from` and `pgactive.link.to`; names are below `pgactive.`. */
export const LINK_METRICS: readonly Spec<Link>[] = [
  ["link.lag", "gauge", "s", "Replication lag of the link", (l) => l.lag_seconds],
  ["link.lag.bytes", "gauge", "By", "Origin WAL not confirmed applied", (l) => l.lag_bytes],
  ["link.lag.xid", "gauge", "{transaction}", "Approximate xid lag", (l) => l.lag_xid],
  ["link.walsender.active", "gauge", "1", "1 when the walsender is active", (l) => l.active],
  ["link.wal.retained", "gauge", "By", "WAL the slot retains", (l) => l.retained_wal_bytes],
  ["link.pending_send", "gauge", "By", "WAL not yet sent", (l) => l.pending_send_bytes],
  ["link.catch_up", "gauge", "s", "Estimated catch-up time", (l) => l.catch_up_seconds],
  ["link.conflicts", "counter", "{conflict}", "Conflicts from the origin", (l) => l.conflicts],
  ["link.apply.errors", "counter", "{error}", "Apply failures", (l) => l.apply_errors],
];

/** Registers every instrument on `meter`; values are read from `source` at each collection. */
export function registerMetrics(meter: Meter, source: MetricSource): void {
  const make = (name: string, kind: Kind, unit: string, description: string) =>
    kind === "counter"
      ? meter.createObservableCounter(name, { unit, description })
      : meter.createObservableGauge(name, { unit, description });
  const table = <T>(specs: readonly Spec<T>[]) =>
    specs.map(([name, kind, unit, help, get]) =>
      [make(`pgactive.${name}`, kind, unit, help), get] as const
    );
  const nodes = table(NODE_METRICS);
  const links = table(LINK_METRICS);
  const walStatus = make(
    "pgactive.link.slot.wal_status",
    "gauge",
    "1",
    "1 for the slot's wal_status",
  );
  const clusterStatus = make(
    "pgactive.cluster.status",
    "gauge",
    "1",
    `Worst status: ${STATUS_HELP}`,
  );
  const version = make("pgactive.snapshot.version", "gauge", "1", "Latest snapshot version");
  const cycles = make("pgactive.collector.cycles", "counter", "{cycle}", "Completed cycles");
  const skipped = make("pgactive.collector.cycles.skipped", "counter", "{cycle}", "Skipped cycles");
  const errors = make("pgactive.collector.errors", "counter", "{error}", "Failed probes per node");
  const cycleTime = make("pgactive.collector.cycle.duration", "gauge", "s", "Last cycle wall time");
  const storeErrors = make("pgactive.store.write.errors", "counter", "{error}", "Failed writes");
  const memory = make("process.memory.usage", "gauge", "By", "Resident memory");
  const all: Observable[] = [
    ...nodes.map(([i]) => i),
    ...links.map(([i]) => i),
    walStatus,
    clusterStatus,
    version,
    cycles,
    skipped,
    errors,
    cycleTime,
    storeErrors,
    memory,
  ];

  meter.addBatchObservableCallback((result) => {
    const put = (o: Observable, value: Value, attributes?: Attributes) => {
      const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
      if (v !== null && Number.isFinite(v)) result.observe(o, v, attributes);
    };
    const snapshot = source.snapshot();
    put(clusterStatus, statusCode(snapshot?.status ?? "UNKNOWN"));
    if (snapshot) {
      put(version, snapshot.version);
      for (const node of Object.values(snapshot.nodes)) {
        const a = { "pgactive.node.name": node.name };
        for (const [i, get] of nodes) put(i, get(node), a);
      }
      for (const link of snapshot.links) {
        const a = { "pgactive.link.from": link.from, "pgactive.link.to": link.to };
        for (const [i, get] of links) put(i, get(link), a);
        if (link.wal_status === null) continue;
        for (const state of new Set<string>([...WAL_STATUSES, link.wal_status])) {
          put(walStatus, state === link.wal_status, { ...a, "pgactive.slot.wal_status": state });
        }
      }
    }
    const stats = source.collector?.();
    if (stats) {
      put(cycles, stats.cycles);
      put(skipped, stats.skippedCycles);
      put(cycleTime, stats.lastCycleMs === null ? null : stats.lastCycleMs / 1000);
      for (const [node, n] of Object.entries(stats.probeErrors)) {
        put(errors, n, { "pgactive.node.name": node });
      }
    }
    if (source.storeWriteErrors) put(storeErrors, source.storeWriteErrors());
    put(memory, Deno.memoryUsage().rss);
  }, all);
}

function perUnit(value: number | null, unit: number): number | null {
  return value === null ? null : value / unit;
}

function up(n: NodeState): boolean {
  return n.status !== "DOWN" && n.status !== "UNKNOWN";
}
