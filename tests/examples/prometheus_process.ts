/**
 * A real Prometheus (Debian's /usr/bin/prometheus) as a child process: its own temp storage, a
 * free port, 1 s scrape and rule evaluation, one static scrape target and the given rule files;
 * plus the few HTTP API calls the tests make.
 */
import { stringify } from "yaml";
import { refusedPort } from "../sdk/targets.ts";
import { findTool } from "./prometheus_tools.ts";
import { collectLines } from "../child_process.ts";

/** One series of an instant query. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An alert as /api/v1/alerts lists it. */
export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
  value: string;
}

/** A rule as /api/v1/rules lists it. */
export interface LoadedRule {
  name: string;
  query: string;
  health: string;
  lastError?: string;
  type: string;
}

/** A running Prometheus; dispose stops it and removes its storage. */
export interface PrometheusProcess extends AsyncDisposable {
  readonly url: string;
  /** Everything it logged (stderr). */
  readonly logs: string[];
  /** GET /api/v1/query; throws with Prometheus's error when the expression is refused. */
  query(expr: string): Promise<Sample[]>;
  alerts(): Promise<ActiveAlert[]>;
  rules(): Promise<LoadedRule[]>;
}

/** Starts Prometheus scraping `target` (`host:port`, job `pgactive`) and waits until it is ready. */
export async function startPrometheus(
  opts: { target: string; ruleFiles: string[] },
): Promise<PrometheusProcess> {
  const binary = await findTool("prometheus");
  const dir = await Deno.makeTempDir({ prefix: "pgactive-prometheus-" });
  const port = refusedPort();
  const url = `http://127.0.0.1:${port}`;
  await Deno.writeTextFile(
    `${dir}/prometheus.yml`,
    stringify({
      global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
      rule_files: opts.ruleFiles,
      scrape_configs: [{ job_name: "pgactive", static_configs: [{ targets: [opts.target] }] }],
    }),
  );
  const child = new Deno.Command(binary, {
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const drained = collectLines(child.stderr, logs);
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await drained;
    await Deno.remove(dir, { recursive: true });
  };

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${url}${path}`);
    const body = await res.json();
    if (body.status !== "success") {
      throw new Error(`Prometheus ${path}: ${body.errorType}: ${body.error}`);
    }
    return body.data as T;
  }

  const deadline = Date.now() + 30_000;
  while (true) {
    const exited = await Promise.race([child.status, new Promise((r) => setTimeout(r, 100))]);
    if (exited) {
      await stop();
      throw new Error(`prometheus exited at start: ${logs.join("\n")}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`).then(async (r) => (await r.body?.cancel(), r))).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready at ${url} within 30 s: ${logs.join("\n")}`);
    }
  }
  return {
    url,
    logs,
    async query(expr) {
      const data = await api<{ result: Sample[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result;
    },
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>("/api/v1/alerts")).alerts;
    },
    async rules() {
      const data = await api<{ groups: { rules: LoadedRule[] }[] }>("/api/v1/rules");
      return data.groups.flatMap((g) => g.rules);
    },
    [Symbol.asyncDispose]: stop,
  };
}
