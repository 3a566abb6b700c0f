/**
 * The source of examples/grafana/pgactive-tools.json: the dashboard typed with Grafana's own schema
 * types (@grafana/schema 13.2.3: the dashboard, variables, value mappings, thresholds, and the
 * options and field configs of the stat, state timeline, status history, table and time series
 * panels), so `deno check` rejects a misspelt or misplaced field, then written as JSON.
 *
 *   deno run --allow-read --allow-write examples/grafana/build.ts
 *
 * tests/examples/grafana_dashboard_test.ts checks that the JSON file is this script's output and
 * validates its structure; tests/examples/prometheus_scrape_test.ts runs every query against a
 * real Prometheus scraping a real pgactive-server.
 */
import {
  BigValueColorMode,
  BigValueTextMode,
  type Dashboard,
  DashboardCursorSync,
  GraphThresholdsStyleMode,
  type Panel,
  TableCellDisplayMode,
  VariableHide,
  VariableRefresh,
} from "@grafana/schema";
import {
  history,
  I,
  LAG,
  series,
  stat,
  STATUS,
  table,
  thresholds,
  timeline,
  variable,
  WALSENDER,
} from "./panels.ts";

const node = `node=~"$node"`;
const link = `to=~"$node"`;

/** The dashboard (panel ids in order). */
export function dashboard(): Dashboard {
  const panels: Panel[] = [
    stat({
      title: "Cluster status",
      description: "Worst node status (pgactive_cluster_status).",
      at: [0, 0, 6, 4],
      queries: [{ expr: `max(pgactive_cluster_status{${I}})`, legend: "cluster" }],
      mappings: STATUS,
      thresholds: thresholds("green"),
    }, { textMode: BigValueTextMode.Value }),
    stat({
      title: "Nodes up",
      description: "Nodes whose last probe succeeded, out of the configured nodes.",
      at: [6, 0, 6, 4],
      queries: [
        { expr: `sum(pgactive_node_up{${I}})`, legend: "up" },
        { expr: `count(pgactive_node_status{${I}})`, legend: "configured" },
      ],
      thresholds: thresholds("blue"),
    }, { colorMode: BigValueColorMode.Value }),
    stat({
      title: "Snapshot age",
      description:
        "Time since the latest collection cycle started; PgactiveCollectorStale fires after 60 s for 1 minute.",
      at: [12, 0, 6, 4],
      queries: [{
        expr: `time() - max(pgactive_snapshot_timestamp_seconds{${I}})`,
        legend: "age",
      }],
      unit: "s",
      thresholds: thresholds("green", 30, "yellow", 60, "red"),
    }),
    stat({
      title: "Conflicts per minute",
      description: "Sum of the nodes' conflict rate over the collector's sliding window.",
      at: [18, 0, 6, 4],
      queries: [{
        expr: `sum(pgactive_node_conflicts_per_minute{${I}})`,
        legend: "conflicts/min",
      }],
      thresholds: thresholds("green", 3, "yellow"),
    }),
    timeline({
      title: "Node status over time",
      description: "pgactive_node_status per node.",
      at: [0, 4, 12, 8],
      queries: [{
        expr: `max by (node) (pgactive_node_status{${I}, ${node}})`,
        legend: "{{node}}",
      }],
      mappings: STATUS,
      thresholds: thresholds("green"),
    }),
    series({
      title: "Replication lag per node",
      description:
        "Worst inbound lag of each node (pgactive_replication_lag_seconds); dashed lines at the alert thresholds 5 s and 15 s.",
      at: [12, 4, 12, 8],
      queries: [{
        expr: `max by (node) (pgactive_replication_lag_seconds{${I}, ${node}})`,
        legend: "{{node}}",
      }],
      unit: "s",
      thresholds: LAG,
    }, { thresholdsStyle: { mode: GraphThresholdsStyleMode.Dashed } }),
    table({
      title: "Link matrix: lag in seconds (row: origin, column: target)",
      description: "pgactive_link_lag_seconds of every link into the selected nodes, now.",
      at: [0, 12, 12, 8],
      queries: [{ expr: `max by (from, to) (pgactive_link_lag_seconds{${I}, ${link}})` }],
      unit: "s",
      thresholds: LAG,
      transformations: [{
        id: "groupingToMatrix",
        options: { rowField: "from", columnField: "to", valueField: "Value", emptyValue: "null" },
      }],
    }, {
      align: "center",
      inspect: false,
      cellOptions: { type: TableCellDisplayMode.ColorBackground },
    }),
    history({
      title: "Link lag over time",
      description: "pgactive_link_lag_seconds per link, coloured at the alert thresholds.",
      at: [12, 12, 12, 8],
      queries: [{
        expr: `max by (from, to) (pgactive_link_lag_seconds{${I}, ${link}})`,
        legend: "{{from}} -> {{to}}",
      }],
      unit: "s",
      thresholds: LAG,
    }),
    history({
      title: "Walsender per link",
      description: "pgactive_link_walsender_active: the origin's walsender for the target.",
      at: [0, 20, 12, 8],
      queries: [{
        expr: `max by (from, to) (pgactive_link_walsender_active{${I}, ${link}})`,
        legend: "{{from}} -> {{to}}",
      }],
      mappings: WALSENDER,
      thresholds: thresholds("green"),
    }),
    series({
      title: "Conflicts rate",
      description:
        "Conflicts detected per minute on each node (rate of pgactive_node_conflicts_total).",
      at: [12, 20, 12, 8],
      queries: [{
        expr:
          `sum by (node) (rate(pgactive_node_conflicts_total{${I}, ${node}}[$__rate_interval])) * 60`,
        legend: "{{node}}",
      }],
      unit: "short",
    }),
    series({
      title: "WAL retained per slot",
      description:
        "WAL each origin's slot retains for its target (pgactive_link_retained_wal_bytes).",
      at: [0, 28, 12, 8],
      queries: [{
        expr: `max by (from, to) (pgactive_link_retained_wal_bytes{${I}, ${link}})`,
        legend: "slot on {{from}} for {{to}}",
      }],
      unit: "bytes",
    }),
    table({
      title: "Slot WAL status",
      description:
        "pg_replication_slots.wal_status of each link's slot; lost and unreserved alert.",
      at: [12, 28, 12, 8],
      queries: [{
        expr: `max by (from, to, wal_status) (pgactive_link_slot_wal_status{${I}, ${link}}) == 1`,
      }],
      transformations: [{
        id: "organize",
        options: {
          excludeByName: { Time: true, Value: true },
          indexByName: { from: 0, to: 1, wal_status: 2 },
        },
      }],
    }, { align: "auto", inspect: false, cellOptions: { type: TableCellDisplayMode.Auto } }),
    series({
      title: "Collector cycle and probe duration",
      description:
        "95th percentile of the collection cycle's wall time, and each node's last probe time.",
      at: [0, 36, 12, 8],
      queries: [
        {
          expr:
            `histogram_quantile(0.95, sum by (le) (rate(pgactive_collector_cycle_duration_seconds_bucket{${I}}[$__rate_interval])))`,
          legend: "cycle p95",
        },
        {
          expr: `max by (node) (pgactive_collector_probe_duration_seconds{${I}, ${node}})`,
          legend: "probe {{node}}",
        },
      ],
      unit: "s",
    }, { fillOpacity: 0 }),
    series({
      title: "Collector and store errors",
      description:
        "Failed probes per node, skipped cycles and failed history writes per interval; any of them alerts when it persists.",
      at: [12, 36, 12, 8],
      queries: [
        {
          expr:
            `sum by (node) (increase(pgactive_collector_errors_total{${I}, ${node}}[$__rate_interval]))`,
          legend: "failed probes {{node}}",
        },
        {
          expr: `sum(increase(pgactive_collector_skipped_cycles_total{${I}}[$__rate_interval]))`,
          legend: "skipped cycles",
        },
        {
          expr: `sum(increase(pgactive_store_write_errors_total{${I}}[$__rate_interval]))`,
          legend: "store write errors",
        },
        {
          expr: `sum(rate(pgactive_collector_cycles_total{${I}}[$__rate_interval]))`,
          legend: "cycles/s",
        },
      ],
      unit: "short",
    }, { fillOpacity: 0 }),
  ];
  return {
    uid: "pgactive-tools",
    title: "pgactive-tools",
    description:
      "pgactive active-active cluster as pgactive-server's /metrics report it (examples/grafana/pgactive-tools.json).",
    tags: ["pgactive", "postgresql", "replication"],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: DashboardCursorSync.Crosshair,
    time: { from: "now-1h", to: "now" },
    refresh: "10s",
    timezone: "",
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        {
          type: "datasource",
          name: "datasource",
          label: "Prometheus",
          query: "prometheus",
          hide: VariableHide.dontHide,
          refresh: VariableRefresh.onDashboardLoad,
          regex: "",
          options: [],
        },
        variable(
          "instance",
          "pgactive-server",
          "label_values(pgactive_cluster_status, instance)",
          { includeAll: false, multi: false },
        ),
        variable(
          "node",
          "Node",
          'label_values(pgactive_node_status{instance=~"$instance"}, node)',
          { includeAll: true, multi: true, allValue: ".*" },
        ),
      ],
    },
    panels: panels.map((p, i) => ({ id: i + 1, ...p })),
  };
}

/** The file's text. */
export function render(): string {
  return JSON.stringify(dashboard(), null, 2) + "\n";
}

if (import.meta.main) {
  const file = new URL("./pgactive-tools.json", import.meta.url);
  await Deno.writeTextFile(file, render());
  console.log(`wrote ${file.pathname}`);
}
