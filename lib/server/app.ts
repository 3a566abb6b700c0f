/** The hono application: routes, authentication, access log, and the one place errors become JSON. */
import { Hono } from "hono";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Registry } from "prom-client";
import type { ResolvedConfig } from "../config/types.ts";
import { silentLogger, traceRequests } from "../telemetry/mod.ts";
import { dashboardResponse } from "../web/mod.ts";
import type { Logger } from "../telemetry/mod.ts";
import { withAccessLog } from "./access_log.ts";
import { doctorRoutes, type DoctorSource } from "./doctor.ts";
import { bearerAuth } from "./auth.ts";
import type { CollectorStatsLike, StoreLike } from "./deps.ts";
import { healthReport } from "./health.ts";
import { historyRoutes } from "./history.ts";
import type { Hub, Subscription } from "./hub.ts";
import { createMetrics } from "./metrics.ts";
import { parseVersion } from "./params.ts";
import { openWatch } from "./sse.ts";

/** What {@link createApp} needs. */
export interface AppDeps {
  config: ResolvedConfig;
  hub: Hub;
  /** History store for /history and /conflicts (503 there when absent). */
  store?: StoreLike | null;
  /** Collector statistics for /health and /metrics. */
  collectorStats?: () => CollectorStatsLike;
  logger?: Logger;
  /** Clock (epoch ms) for /health; pass the hub's clock. */
  now?: () => number;
  /** Idle time before a `: keep-alive` comment on /watch (default 15 s). */
  keepAliveMs?: number;
  /**
   * This server run's id (default: a random UUID), sent as `Pgactive-Run-Id` on /snapshot, /watch
   * and /health and as `run_id` in /health: a client that sees it change knows the server restarted.
   */
  runId?: string;
  /** The server's doctor (GET /doctor and pgactive_doctor_findings); absent: no /doctor. */
  doctor?: DoctorSource | null;
}

/** Response header carrying the server run's id; a client sends it back on /watch to resume. */
export const RUN_HEADER = "Pgactive-Run-Id";

/** The application and what belongs to it. */
export interface ServerApp {
  readonly app: Hono;
  /** The app's private Prometheus registry. */
  readonly registry: Registry;
  /** Handles one request and logs it (for Deno.serve; `app.request()` in tests skips the log). */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** Number of open /watch streams. */
  readonly watchCount: number;
  /** Ends every open /watch stream and stops observing the hub. */
  close(): void;
}

/** Paths the API serves (GET and HEAD only); docs/openapi.yaml documents each. */
export const API_PATHS: ReadonlySet<string> = new Set([
  "/",
  "/snapshot",
  "/watch",
  "/health",
  "/metrics",
  "/history",
  "/history/links",
  "/conflicts",
  "/doctor",
]);

const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
};

/** Builds the API over `deps.hub` (see DESIGN.md section 6). */
export function createApp(deps: AppDeps): ServerApp {
  const { config, hub } = deps;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const store = deps.store ?? null;
  const runId = deps.runId ?? crypto.randomUUID();
  const intervalMs = config.collector.intervalMs;
  const keepAliveMs = deps.keepAliveMs ?? 15_000;
  const retryMs = Math.min(30_000, Math.max(1_000, intervalMs));
  const retryAfter = String(Math.max(1, Math.ceil(intervalMs / 1000)));
  const metrics = createMetrics({
    hub,
    nodeNames: config.collector.nodes.map((n) => n.name),
    collectorStats: deps.collectorStats,
    store,
    doctor: deps.doctor ?? null,
  });
  const watches = new Set<Subscription>();

  const app = new Hono();
  if (config.server.authToken !== null) {
    app.use(bearerAuth({
      token: config.server.authToken,
      // The page at / holds no data: it asks for the token and sends it with its requests.
      openPaths: config.server.metricsRequireAuth ? ["/", "/health"] : ["/", "/health", "/metrics"],
    }));
  }

  app.get("/", (c) => dashboardResponse(c.req.raw));

  app.get("/snapshot", (c) => {
    const latest = hub.latest;
    if (!latest) {
      c.header("Retry-After", retryAfter);
      throw new HTTPException(503, {
        message: "No snapshot yet: the first collection cycle has not completed",
      });
    }
    const etag = `"${latest.version}"`;
    c.header("ETag", etag);
    c.header(RUN_HEADER, runId);
    c.header("Cache-Control", "no-cache");
    if (etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.body(latest.body, 200, { "Content-Type": "application/json" });
  });

  app.get("/watch", (c) => {
    const resumed = parseVersion("Last-Event-ID", c.req.header("last-event-id")) ??
      parseVersion("last_event_id", c.req.query("last_event_id")) ??
      parseVersion("since", c.req.query("since"));
    // An id from another run of the server (it names its run) says nothing about this run's versions.
    const clientRun = c.req.header(RUN_HEADER);
    const after = clientRun !== undefined && clientRun !== runId ? null : resumed;
    c.header(RUN_HEADER, runId);
    // hono answers HEAD with this handler and drops the body uncancelled: open nothing for it.
    if (c.req.method === "HEAD") return c.body(null, 200, SSE_HEADERS);
    let sub: Subscription | null = null;
    const started = now();
    const watch = openWatch(hub, {
      afterVersion: after,
      keepAliveMs,
      retryMs,
      onEnd: ({ reason, events }) => {
        if (sub) watches.delete(sub);
        logger.debug("watch ended", { reason, events, duration_ms: now() - started });
      },
    });
    sub = watch.subscription;
    if (!sub.closed) watches.add(sub);
    return c.body(watch.stream, 200, SSE_HEADERS);
  });

  app.get("/health", (c) => {
    const { httpStatus, report } = healthReport({
      hub,
      intervalMs,
      now,
      collectorStats: deps.collectorStats,
      store,
      runId,
    });
    c.header("Cache-Control", "no-store");
    c.header(RUN_HEADER, runId);
    return c.json(report, httpStatus);
  });

  app.get("/metrics", async (c) => {
    const text = await metrics.render();
    return c.body(text, 200, { "Content-Type": metrics.registry.contentType });
  });

  app.route("/", historyRoutes(store));
  app.route("/", doctorRoutes(deps.doctor ?? null));

  app.notFound((c) => {
    const { method, path } = c.req;
    if (!API_PATHS.has(path)) return errorResponse(c, 404, `No such endpoint: ${method} ${path}`);
    c.header("Allow", "GET, HEAD");
    return errorResponse(c, 405, `Method ${method} is not allowed on ${path}`);
  });
  app.onError((err, c) => {
    if (err instanceof HTTPException) return errorResponse(c, err.status, err.message);
    logger.error("request failed", { method: c.req.method, path: c.req.path, error: err.message });
    return errorResponse(c, 500, "Internal server error");
  });

  return {
    app,
    registry: metrics.registry,
    // The HTTP span wraps the access log, so its line carries the span's trace_id.
    fetch: traceRequests(
      withAccessLog((request) => app.fetch(request), logger, { mode: config.log.access }),
      { route: (path) => API_PATHS.has(path) ? path : undefined },
    ),
    get watchCount() {
      return watches.size;
    },
    close() {
      for (const sub of [...watches]) sub.close();
      metrics.close();
    },
  };
}

/** The single JSON error shape: `{"error": "<one sentence>"}`. */
function errorResponse(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json({ error: message || "Request failed" }, status);
}

/** Whether an If-None-Match header (a list, weak validators, or `*`) matches `etag`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}
