/**
 * pgactive-server: polls the pgactive nodes, keeps history in SQLite, serves the HTTP API.
 *
 *   pgactive-server [--config PATH] [--listen HOST:PORT] [--log-level debug|info|warn|error]
 *   pgactive-server --healthcheck [--config PATH] [--listen HOST:PORT]
 *   pgactive-server --version
 *
 * Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when startup fails at run time (store,
 * port, TLS files) or shutdown overruns, 64 on a usage or configuration error (one line on stderr).
 * `--healthcheck` asks the running server's /health and exits 0 (200) or 1 (anything else, also
 * an unreadable config): the container HEALTHCHECK, with no shell or curl.
 * Only wiring lives here.
 */
import { parseArgs } from "node:util";
import { Collector } from "./lib/collector/mod.ts";
import { ConfigError, configSecrets, loadConfig, redactSecrets } from "./lib/config/mod.ts";
import { DoctorRunner } from "./lib/doctor/mod.ts";
import type { ResolvedConfig } from "./lib/config/mod.ts";
import { Hub, probeHealth, startServer } from "./lib/server/mod.ts";
import { leasePath, Store, VersionLease } from "./lib/store/mod.ts";
import {
  createLogger,
  OtelConfigError,
  startTelemetry,
  type Telemetry,
  tracing,
} from "./lib/telemetry/mod.ts";
import { VERSION, versionLine } from "./lib/version/mod.ts";

const USAGE = `Usage: pgactive-server [--config PATH] [--listen HOST:PORT] [--log-level LEVEL]
       pgactive-server --healthcheck [--config PATH] [--listen HOST:PORT]
       pgactive-server --version`;
/** Hard limit for the whole shutdown before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 8_000;

function fail(message: string, code: number): number {
  console.error(`pgactive-server: ${message}`);
  return code;
}

async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args,
      options: {
        config: { type: "string" },
        listen: { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
        healthcheck: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail(usageProblem(err), 64);
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.version) {
    console.log(versionLine("pgactive-server"));
    return 0;
  }
  if (flags.healthcheck) return await healthcheck(flags.config, flags.listen);

  let config: ResolvedConfig;
  try {
    config = await loadConfig({
      path: flags.config,
      overrides: { listen: flags.listen, logLevel: flags["log-level"] },
    });
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message.replaceAll("\n", "; "), 64);
    throw err;
  }
  const secrets = configSecrets(config);
  const logger = createLogger({ level: config.log.level, base: { service: "pgactive-server" } });
  // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT (+ OTEL_SERVICE_NAME) ask for it; the SDK is
  // loaded only then (docs-pending/opentelemetry.md).
  let telemetry: Telemetry;
  try {
    telemetry = await startTelemetry({
      env: Deno.env.toObject(),
      serviceName: "pgactive-server",
      serviceVersion: VERSION,
      logger,
    });
  } catch (err) {
    if (err instanceof OtelConfigError) return fail(err.message, 64);
    throw err;
  }

  let store: Store | null = null;
  let lease: VersionLease | null = null;
  let collector: Collector | null = null;
  let doctor: DoctorRunner | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    store = Store.open(config.database.path, {
      logger,
      retentionMs: config.database.retentionMs,
      storeConflictTuples: config.database.storeConflictTuples,
    });
    // Versions continue above both the history and the lease: the lease is written even when
    // the history cannot be (full disk), so no version is ever published twice.
    lease = VersionLease.open(leasePath(config.database.path));
    const history = store;
    const versions = lease;
    const hub = new Hub();
    const lastVersion = Math.max(history.lastVersion(), versions.floor);
    const runId = crypto.randomUUID();
    collector = new Collector(config, {
      logger,
      initialVersion: lastVersion,
      conflictHighWater: history.conflictHighWater(),
      conflictSamples: history.recentConflictSamples(
        Date.now() - config.collector.conflictWindowMs,
      ),
      onCycle: (result) => {
        try {
          versions.publish(result.snapshot.version); // recorded before anyone sees it
        } catch (err) {
          logger.error("Version lease write failed", {
            version: result.snapshot.version,
            error: (err as Error).message,
          });
        }
        hub.publish(result); // watchers first: the store's write must not delay them
        tracing().span("pgactive.store.write", {
          attributes: { "pgactive.snapshot.version": result.snapshot.version },
        }, () => history.write(result));
        history.prune();
      },
    });
    const stats = collector;
    telemetry.observe({
      snapshot: () => hub.latest?.snapshot ?? null,
      collector: () => stats.stats,
      storeWriteErrors: () => history.writeErrors,
    });
    // Its own timer and connections: a doctor run never delays a collection cycle.
    doctor = new DoctorRunner(config, {
      onReport: (r) =>
        logger.info("doctor run", {
          status: r.status,
          fail: r.findings.filter((f) => f.severity === "FAIL").length,
          warn: r.findings.filter((f) => f.severity === "WARN").length,
          duration_ms: r.duration_ms,
        }),
      onError: (err) => logger.error("doctor run failed", { error: (err as Error).message }),
    });
    server = await startServer({
      config,
      hub,
      store,
      doctor,
      collectorStats: () => stats.stats,
      logger,
      runId,
    });
    collector.start();
    doctor.start();
    logger.info("pgactive-server listening", {
      url: server.url,
      nodes: config.collector.nodes.length,
      interval_ms: config.collector.intervalMs,
      last_version: lastVersion,
      run_id: runId,
      auth: config.server.authToken !== null,
    });
  } catch (err) {
    const message = redactSecrets((err as Error).message ?? String(err), secrets);
    await server?.shutdown();
    await collector?.stop();
    await doctor?.stop();
    lease?.close();
    store?.close();
    await telemetry.shutdown();
    return fail(`cannot start: ${message}`, 1);
  }

  const signal = await waitForSignal();
  logger.info("shutting down", { signal });
  const deadline = setTimeout(() => {
    logger.error("shutdown overran its deadline, exiting", { deadline_ms: SHUTDOWN_DEADLINE_MS });
    Deno.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  Deno.unrefTimer(deadline);
  await server.shutdown(); // stop accepting, end /watch streams
  await collector.stop(); // let the running cycle finish, close node connections
  await doctor.stop(); // no new run; a run in flight gets at most 2 s
  lease.close(); // syncs the last version: the next run continues at +1
  store.close();
  clearTimeout(deadline);
  logger.info("stopped");
  await telemetry.shutdown(); // flushes what is left, waiting at most the export timeout
  return 0;
}

/** One line naming the flag (node:util's messages span lines and say "ambiguous" for `--listen -1`). */
function usageProblem(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? "";
  if (/ambiguous|argument missing/.test(message)) {
    return `flag ${flag} needs a value (write ${flag}=VALUE for one that starts with "-"); see --help`;
  }
  return `${message.split("\n")[0]}; see --help`;
}

/** `--healthcheck`: 0 when the server's /health answers 200, else 1 (Docker reserves 2). */
async function healthcheck(path: string | undefined, listen: string | undefined): Promise<number> {
  let config: ResolvedConfig;
  try {
    config = await loadConfig({ path, overrides: { listen } });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`pgactive-server: unhealthy: ${err.message.replaceAll("\n", "; ")}`);
    return 1;
  }
  const result = await probeHealth(config);
  (result.healthy ? console.log : console.error)(
    `pgactive-server: ${result.healthy ? "healthy" : "unhealthy"}: ${result.detail}`,
  );
  return result.healthy ? 0 : 1;
}

/** Resolves with the first SIGINT or SIGTERM (SIGBREAK on Windows); a second one exits at once. */
function waitForSignal(): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    const handler = (signal: Deno.Signal) => () => {
      for (const s of signals) Deno.removeSignalListener(s, handlers.get(s)!);
      // Added after this dispatch is over, or the same signal would reach them too.
      setTimeout(() => {
        for (const s of signals) Deno.addSignalListener(s, () => Deno.exit(130));
      }, 0);
      resolve(signal);
    };
    const handlers = new Map(signals.map((s) => [s, handler(s)]));
    for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
