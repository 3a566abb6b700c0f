/**
 * Prometheus metrics: a private prom-client Registry refreshed from the latest snapshot at each
 * scrape (series of nodes and links that disappeared vanish with it), plus collector self-metrics.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { statusCode, WAL_STATUSES } from "../snapshot/mod.ts";
import type { Link, NodeState, Snapshot } from "../snapshot/mod.ts";
import type { Hub } from "./hub.ts";
import type { CollectorStatsLike, StoreLike } from "./deps.ts";
import type { DoctorSource } from "./doctor.ts";
import { SEVERITIES } from "../doctor/mod.ts";

/** What {@link createMetrics} needs. */
export interface MetricsDeps {
  hub: Hub;
  /** Configured node names: their error counters start at 0 before any error. */
  nodeNames: readonly string[];
  collectorStats?: (() => CollectorStatsLike) | undefined;
  store?: StoreLike | null | undefined;
  /** The server's doctor: pgactive_doctor_findings{severity} from its latest run. */
  doctor?: DoctorSource | null | undefined;
}

/** The server's metrics: render() refreshes every series and returns the exposition text. */
export interface ServerMetrics {
  readonly registry: Registry;
  render(): Promise<string>;
  /** Stops observing the hub. */
  close(): void;
}

type Value = number | boolean | null;
/** [name, help, value]: one series per node (label `node`) or per link (labels `from`, `to`). */
type Spec<T> = readonly [string, string, (x: T) => Value];
type Built<M, T> = [M, (x: T) => Value][];

const NODE_GAUGES: Spec<NodeState>[] = [
  [
    "pgactive_replication_lag_xid",
    "Worst inbound approximate transaction-id lag of the node",
    (n) => n.metrics.lag_xid,
  ],
  [
    "pgactive_replication_lag_seconds",
    "Worst inbound replication lag of the node in seconds",
    (n) => n.metrics.lag_seconds,
  ],
  [
    "pgactive_replication_lag_bytes",
    "Worst inbound origin WAL bytes not yet applied on the node",
    (n) => n.metrics.lag_bytes,
  ],
  [
    "pgactive_node_status",
    "Node status: 0 Unknown, 1 Healthy, 2 Degraded, 3 Critical, 4 Down",
    (n) => statusCode(n.status),
  ],
  [
    "pgactive_node_up",
    "1 when the node's probe succeeded this cycle",
    (n) => n.status !== "DOWN" && n.status !== "UNKNOWN",
  ],
  [
    "pgactive_node_conflicts_per_minute",
    "Conflict rate on the node over the sliding window",
    (n) => n.metrics.conflicts_per_minute,
  ],
  [
    "pgactive_node_retained_wal_bytes",
    "Most WAL one of the node's slots retains for a peer",
    (n) => n.metrics.retained_wal_bytes,
  ],
  [
    "pgactive_node_apply_paused",
    "1 when apply is paused on the node",
    (n) => n.metrics.apply_paused,
  ],
  [
    "pgactive_collector_probe_duration_seconds",
    "Wall time of the node's last probe",
    (n) => seconds(n.metrics.probe_ms),
  ],
];
const NODE_COUNTERS: Spec<NodeState>[] = [
  [
    "pgactive_node_conflicts_total",
    "Conflicts detected on the node (sum over origins)",
    (n) => n.metrics.conflict_count,
  ],
  [
    "pgactive_node_apply_errors_total",
    "Apply transactions that failed on the node",
    (n) => n.metrics.apply_errors,
  ],
];
const LINK_GAUGES: Spec<Link>[] = [
  ["pgactive_link_lag_seconds", "Replication lag of the link in seconds", (l) => l.lag_seconds],
  [
    "pgactive_link_lag_bytes",
    "Origin WAL bytes not yet confirmed applied by the target",
    (l) => l.lag_bytes,
  ],
  ["pgactive_link_lag_xid", "Approximate transaction-id lag of the link", (l) => l.lag_xid],
  [
    "pgactive_link_walsender_active",
    "1 when the origin's walsender for the target is active",
    (l) => l.active,
  ],
  [
    "pgactive_link_retained_wal_bytes",
    "WAL the origin's slot retains for the target",
    (l) => l.retained_wal_bytes,
  ],
  [
    "pgactive_link_pending_send_bytes",
    "Origin WAL bytes not yet sent to the target",
    (l) => l.pending_send_bytes,
  ],
  [
    "pgactive_link_catch_up_seconds",
    "Estimated time for the target to catch up",
    (l) => l.catch_up_seconds,
  ],
];
const LINK_COUNTERS: Spec<Link>[] = [
  [
    "pgactive_link_conflicts_total",
    "Conflicts on the target for changes from the origin",
    (l) => l.conflicts,
  ],
  [
    "pgactive_link_apply_errors_total",
    "Apply failures on the target for changes from the origin",
    (l) => l.apply_errors,
  ],
];

/** Builds the registry and subscribes the cycle-duration histogram to the hub. */
export function createMetrics(deps: MetricsDeps): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  const build = <M, T>(
    specs: Spec<T>[],
    make: (n: string, h: string, l: string[]) => M,
    labels: string[],
  ): Built<M, T> => specs.map(([name, help, get]) => [make(name, help, labels), get]);

  const nodeGauges = build(NODE_GAUGES, gauge, ["node"]);
  const nodeCounters = build(NODE_COUNTERS, counter, ["node"]);
  const linkGauges = build(LINK_GAUGES, gauge, ["from", "to"]);
  const linkCounters = build(LINK_COUNTERS, counter, ["from", "to"]);
  const slotWalStatus = gauge(
    "pgactive_link_slot_wal_status",
    "1 for the current wal_status of the origin's slot for the target, 0 for the other states",
    ["from", "to", "wal_status"],
  );
  const version = gauge(
    "pgactive_snapshot_version",
    "Version of the latest snapshot (+1 per collection cycle)",
  );
  const collectedAt = gauge(
    "pgactive_snapshot_timestamp_seconds",
    "Unix time the latest snapshot's cycle started",
  );
  const clusterStatus = gauge(
    "pgactive_cluster_status",
    "Worst node status: 0 Unknown, 1 Healthy, 2 Degraded, 3 Critical, 4 Down",
  );
  const probeErrors = counter(
    "pgactive_collector_errors_total",
    "Failed probes of the node since the server started",
    ["node"],
  );
  const cycles = counter(
    "pgactive_collector_cycles_total",
    "Completed collection cycles since the server started",
  );
  const skipped = counter(
    "pgactive_collector_skipped_cycles_total",
    "Cycles skipped because the previous one ran late",
  );
  const storeErrors = counter(
    "pgactive_store_write_errors_total",
    "Snapshots the history store failed to write",
  );
  const watchers = gauge("pgactive_server_watchers", "Open /watch streams");
  const doctorFindings = gauge(
    "pgactive_doctor_findings",
    "Findings of the latest doctor run by severity (OK, WARN, FAIL); absent before the first run",
    ["severity"],
  );
  const doctorRunAt = gauge(
    "pgactive_doctor_run_timestamp_seconds",
    "Unix time the latest doctor run started",
  );
  const rss = gauge("process_resident_memory_bytes", "Resident memory size in bytes");
  const cycleDuration = new Histogram({
    name: "pgactive_collector_cycle_duration_seconds",
    help: "Wall time of a collection cycle",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  let published = 0;
  const unsubscribe = deps.hub.onPublish((entry) => {
    published++;
    cycleDuration.observe(entry.snapshot.cluster.cycle_ms / 1000);
  });

  function refresh(snapshot: Snapshot | null): void {
    for (const [metric] of [...nodeGauges, ...nodeCounters, ...linkGauges, ...linkCounters]) {
      metric.reset();
    }
    slotWalStatus.reset();
    if (snapshot) {
      for (const node of Object.values(snapshot.nodes)) {
        const labels = { node: node.name };
        for (const [g, get] of nodeGauges) setGauge(g, labels, get(node));
        for (const [c, get] of nodeCounters) setCounter(c, labels, get(node));
      }
      for (const link of snapshot.links) {
        const labels = { from: link.from, to: link.to };
        for (const [g, get] of linkGauges) setGauge(g, labels, get(link));
        for (const [c, get] of linkCounters) setCounter(c, labels, get(link));
        const wal = link.wal_status;
        if (wal === null) continue;
        for (const state of new Set<string>([...WAL_STATUSES, wal])) {
          slotWalStatus.set({ ...labels, wal_status: state }, state === wal ? 1 : 0);
        }
      }
      version.set(snapshot.version);
      collectedAt.set(Date.parse(snapshot.collected_at) / 1000);
      clusterStatus.set(statusCode(snapshot.status));
    } else {
      version.reset();
      collectedAt.reset();
      clusterStatus.set(statusCode("UNKNOWN"));
    }
    const stats = deps.collectorStats?.();
    probeErrors.reset();
    for (const name of deps.nodeNames) {
      probeErrors.inc({ node: name }, stats?.probeErrors[name] ?? 0);
    }
    setTotal(cycles, stats?.cycles ?? published);
    setTotal(skipped, stats?.skippedCycles ?? 0);
    setTotal(storeErrors, deps.store?.writeErrors ?? 0);
    watchers.set(deps.hub.subscriberCount);
    doctorFindings.reset();
    doctorRunAt.reset();
    const report = deps.doctor?.latest ?? null;
    if (report) {
      for (const severity of SEVERITIES) {
        doctorFindings.set(
          { severity },
          report.findings.filter((f) => f.severity === severity).length,
        );
      }
      doctorRunAt.set(Date.parse(report.checked_at) / 1000);
    }
    rss.set(Deno.memoryUsage().rss);
  }

  return {
    registry,
    async render() {
      refresh(deps.hub.latest?.snapshot ?? null);
      return await registry.metrics();
    },
    close: unsubscribe,
  };
}

function toNumber(value: Value): number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value !== null && Number.isFinite(value) ? value : null;
}

/** Sets a gauge series, or leaves it absent when the value is unknown (null). */
function setGauge(g: Gauge, labels: Record<string, string>, value: Value): void {
  const v = toNumber(value);
  if (v !== null) g.set(labels, v);
}

/** Exposes an absolute cumulative value through a (freshly reset) labelled Counter. */
function setCounter(c: Counter, labels: Record<string, string>, value: Value): void {
  const v = toNumber(value);
  if (v !== null && v >= 0) c.inc(labels, v);
}

/** Sets an unlabelled Counter to an absolute cumulative value. */
function setTotal(c: Counter, value: number): void {
  c.reset();
  c.inc(Math.max(0, value));
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
