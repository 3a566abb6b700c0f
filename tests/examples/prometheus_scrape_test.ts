/**
 * A real Prometheus (Debian package) scrapes a real pgactive-server (subprocess) on the sandbox's
 * real PostgreSQL mesh, every second, with examples/prometheus/alerts.yaml loaded. Through its
 * HTTP API: every rule is loaded and healthy, every alert expression evaluates and its metrics
 * have series (a healthy cluster still proves the metric exists), every dashboard query returns
 * series, nothing fires on a healthy cluster; pausing apply on node2 while node1 writes makes the
 * lag (warning, then critical), apply-paused and node-critical alerts go pending for that link/node
 * only; stopping node2 while node1's slot for it passes max_slot_wal_keep_size makes the node-down,
 * walsender-inactive and slot WAL unreserved, then lost, alerts go pending; recorded conflicts and
 * an apply error make the conflict-rate and apply-errors alerts go pending; stopping the server
 * makes PgactiveServerAbsent go pending. Pending, not firing:
 * the shipped `for:` durations are kept.
 */
import { parse } from "yaml";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { writeWalSegments } from "../collector/sandbox_helpers.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { startServerProcess } from "../web/server_process.ts";
import { loadDashboard, panelQueries, substitute } from "./grafana_dashboard.ts";
import { type ActiveAlert, type PrometheusProcess, startPrometheus } from "./prometheus_process.ts";
import { until } from "./until.ts";

const ALERTS = new URL("../../examples/prometheus/alerts.yaml", import.meta.url).pathname;

/**
 * What an alert expression is made of, each part evaluable on a healthy cluster: split at
 * `and`/`or`/`unless`, comparisons with a number stripped, `absent(x)` replaced by `x`.
 * E.g. `increase(a[10m]) > 3 unless b == 0` -> [`increase(a[10m])`, `b`].
 */
function expressionParts(expr: string): string[] {
  return expr.split(/\b(?:and|or|unless)\b/).map((part) =>
    part.replace(/\s*(?:==|!=|>=|<=|>|<)\s*(?:bool\s+)?-?[\d.]+/g, "")
      .replace(/^\s*absent\((.*)\)\s*$/, "$1").trim()
  );
}

function describe(alerts: ActiveAlert[]): string {
  return JSON.stringify(alerts.map((a) => ({ state: a.state, ...a.labels })));
}

async function checkAlertExpressions(prom: PrometheusProcess): Promise<void> {
  const doc = parse(await Deno.readTextFile(ALERTS));
  const rules: { alert: string; expr: string }[] = doc.groups.flatMap((g: { rules: [] }) =>
    g.rules
  );
  for (const rule of rules) {
    await prom.query(rule.expr); // throws on a refused expression
    for (const part of expressionParts(rule.expr)) {
      const series = await prom.query(part);
      assert(series.length > 0, `${rule.alert}: "${part}" returns no series`);
    }
  }
}

async function checkPanels(prom: PrometheusProcess, instance: string): Promise<void> {
  const dashboard = await loadDashboard();
  const node = dashboard.templating.list.find((v: { name: string }) => v.name === "node");
  // The node variable's label_values(selector, node), asked the way Grafana asks Prometheus.
  const selector = /^label_values\((.*), node\)$/.exec(substitute(node.query.query, { instance }))!;
  const names = (await prom.query(selector[1]!)).map((s) => s.metric.node).sort();
  assertEquals(names, ["node1", "node2"], "node variable values");
  for (const values of [{ node: node.allValue }, { node: "node2" }]) {
    for (const q of panelQueries(dashboard)) {
      const expr = substitute(q.expr, { instance, __rate_interval: "4s", ...values });
      const series = await prom.query(expr);
      assert(series.length > 0, `panel ${q.panelId} "${q.panelTitle}" ${q.refId}: no series`);
    }
  }
}

Deno.test({
  name:
    "a real Prometheus scraping pgactive-server: every alert and panel query has series, and real faults make their alerts pending",

  async fn(t) {
    await using sb = await startSandbox({ nodes: 2 });
    await using server = await startServerProcess(sb, { interval: "500ms", warn: 5, crit: 15 });
    const instance = new URL(server.url).host;
    await using prom = await startPrometheus({ target: instance, ruleFiles: [ALERTS] });

    // Enough scrapes for rate()/increase() (two samples) and a few rule evaluations.
    await until("4 scrapes of pgactive-server", async () => {
      const r = await prom.query(`count_over_time(pgactive_collector_cycles_total[1m]) >= 4`);
      return r.length === 1 && r[0]!.metric.instance === instance ? true : null;
    });

    await t.step("every rule of alerts.yaml is loaded and evaluates without error", async () => {
      const rules = await until("rules evaluated", async () => {
        const r = await prom.rules();
        return r.every((x) => x.health === "ok") ? r : null;
      }, 10_000);
      const file = parse(await Deno.readTextFile(ALERTS));
      assertEquals(rules.length, file.groups[0].rules.length, "rules loaded");
      assertEquals(rules.filter((r) => r.type !== "alerting"), [], "only alerting rules");
    });

    await t.step("every alert expression evaluates and its metrics have series", async () => {
      await checkAlertExpressions(prom);
    });

    await t.step(
      "every dashboard panel query returns series (node=All and node=node2)",
      async () => {
        await checkPanels(prom, instance);
      },
    );

    await t.step("nothing is pending or firing on the healthy cluster", async () => {
      await until("no active alert", async () => {
        const active = await prom.alerts();
        return active.length === 0 ? true : null;
      }, 10_000).catch(async (err) => {
        throw new Error(`${err.message}: ${describe(await prom.alerts())}`);
      });
    });

    await t.step(
      "apply paused on node2 + writes on node1: lag warning, then lag critical, pending for that link",
      async () => {
        await sb.pauseApply("node2");
        try {
          await sb.write("node1", 5);
          const alerts = await until("PgactiveReplicationLagWarning pending", async () => {
            const active = await prom.alerts();
            const lag = active.find((a) => a.labels.alertname === "PgactiveReplicationLagWarning");
            const paused = active.find((a) => a.labels.alertname === "PgactiveApplyPaused");
            return lag && paused ? active : null;
          }, 45_000);
          const lag = alerts.filter((a) =>
            (a.labels.alertname ?? "").startsWith("PgactiveReplicationLag")
          );
          assertEquals(
            lag.map((a) => [a.labels.alertname, a.state, a.labels.from, a.labels.to]),
            [["PgactiveReplicationLagWarning", "pending", "node1", "node2"]],
            describe(alerts),
          );
          assert(Number(lag[0]!.value) >= 5, `lag value ${lag[0]!.value}`);
          assertEquals(lag[0]!.labels.severity, "warning");
          assertEquals(
            lag[0]!.annotations.summary,
            `Replication node1 -> node2 lags ${humanizeDuration(Number(lag[0]!.value))}`,
          );
          const paused = alerts.filter((a) => a.labels.alertname === "PgactiveApplyPaused");
          assertEquals(paused.map((a) => [a.state, a.labels.node]), [["pending", "node2"]]);
          // The dashboard's per-node lag panel shows it too.
          const panel = await prom.query(
            `max by (node) (pgactive_replication_lag_seconds{instance=~"${instance}", node=~"node2"})`,
          );
          assert(Number(panel[0]?.value[1]) >= 5, `panel lag ${JSON.stringify(panel)}`);

          // Past 15 s the link's alert turns critical (and the server calls node2 CRITICAL).
          const later = await until("PgactiveReplicationLagCritical pending", async () => {
            const active = await prom.alerts();
            const names = active.map((a) => a.labels.alertname);
            return names.includes("PgactiveReplicationLagCritical") &&
                names.includes("PgactiveNodeCritical")
              ? active
              : null;
          }, 30_000);
          assertEquals(
            later.filter((a) => (a.labels.alertname ?? "").startsWith("PgactiveReplicationLag"))
              .map((a) => [a.labels.alertname, a.state, a.labels.from, a.labels.to]),
            [["PgactiveReplicationLagCritical", "pending", "node1", "node2"]],
            describe(later),
          );
          const critical = later.filter((a) => a.labels.alertname === "PgactiveNodeCritical");
          assertEquals(critical.map((a) => [a.state, a.labels.node]), [["pending", "node2"]]);
        } finally {
          await sb.resumeApply("node2");
        }
      },
    );

    await t.step(
      "conflicts and an apply error on node1: conflict rate and apply errors alerts pending",
      async () => {
        // 20 within the collector's 5-minute window: 4 per minute, over conflicts_warn (3/min).
        await sb.recordConflict("node1", { type: "update_update", from: "node2", count: 20 });
        await sb.recordConflict("node1", { type: "unhandled_tx_abort", from: "node2" });
        const alerts = await until("PgactiveConflictRateHigh and PgactiveApplyErrors", async () => {
          const active = await prom.alerts();
          const names = active.map((a) => a.labels.alertname);
          return names.includes("PgactiveConflictRateHigh") && names.includes("PgactiveApplyErrors")
            ? active
            : null;
        }).catch(async (err) => {
          const values = await Promise.all([
            "pgactive_node_conflicts_per_minute",
            "pgactive_node_apply_errors_total",
            "pgactive_node_conflicts_total",
          ].map(async (q) => `${q} ${JSON.stringify(await prom.query(q))}`));
          throw new Error(`${err.message}; ${values.join("; ")}; ${describe(await prom.alerts())}`);
        });
        for (const name of ["PgactiveConflictRateHigh", "PgactiveApplyErrors"]) {
          assertEquals(
            alerts.filter((a) => a.labels.alertname === name).map((a) => [a.state, a.labels.node]),
            [["pending", "node1"]],
            `${name}: ${describe(alerts)}`,
          );
        }
      },
    );

    await t.step(
      "node2 stopped while node1's slot for it passes max_slot_wal_keep_size: node down, walsender inactive, slot WAL unreserved, then lost",
      async () => {
        await sb.query("node1", "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
        await sb.query("node1", "SELECT pg_reload_conf()");
        await sb.stopNode("node2");
        // ~3 WAL segments node2 will not receive; the slot keeps them past the limit until a
        // checkpoint removes them (as in tests/collector/slot_wal_test.ts).
        await writeWalSegments(sb, "node1", 3);
        const pending = (name: string) => async () => {
          const active = await prom.alerts();
          return active.some((a) => a.labels.alertname === name) ? active : null;
        };
        const before = await until(
          "PgactiveSlotWalUnreserved",
          pending("PgactiveSlotWalUnreserved"),
        );
        await sb.query("node1", "CHECKPOINT");
        const after = await until("PgactiveSlotWalLost", pending("PgactiveSlotWalLost"));
        const show = (alerts: ActiveAlert[], name: string) =>
          alerts.filter((a) => a.labels.alertname === name)
            .map((a) => [a.state, a.labels.node ?? `${a.labels.from} -> ${a.labels.to}`]);
        assertEquals(show(before, "PgactiveSlotWalUnreserved"), [["pending", "node1 -> node2"]]);
        assertEquals(show(after, "PgactiveSlotWalLost"), [["pending", "node1 -> node2"]]);
        assertEquals(show(after, "PgactiveSlotWalUnreserved"), [], describe(after));
        assertEquals(show(after, "PgactiveNodeDown"), [["pending", "node2"]], describe(after));
        assertEquals(
          show(after, "PgactiveWalsenderInactive"),
          [["pending", "node1 -> node2"]],
          describe(after),
        );
      },
    );

    await t.step("pgactive-server stopped: PgactiveServerAbsent pending", async () => {
      await server.stop();
      // A failed scrape marks the target's series stale at once: absent() is true.
      const alerts = await until("PgactiveServerAbsent", async () => {
        const active = await prom.alerts();
        return active.some((a) => a.labels.alertname === "PgactiveServerAbsent") ? active : null;
      });
      const absent = alerts.filter((a) => a.labels.alertname === "PgactiveServerAbsent");
      assertEquals(absent.map((a) => [a.state, a.labels.severity]), [["pending", "critical"]]);
    });
  },
});

/** Prometheus's humanizeDuration for 1 s <= v < 60 s: "12.34s" with up to 4 significant digits. */
function humanizeDuration(v: number): string {
  return `${Number(v.toPrecision(4))}s`;
}
