/**
 * The HTTP side of pgactive-server: the hub (latest snapshot, serialised once, fanned out to
 * watchers), the hono app (/snapshot /watch /health /metrics /history /conflicts) and serving it.
 * @module
 */
/** Latest snapshot + bounded fan-out to watchers. */
export { Hub, Subscription } from "./hub.ts";
export type { HubEntry, HubOptions, OnClose, WaitOutcome } from "./hub.ts";
/** The hono application over a hub. */
export { API_PATHS, createApp, RUN_HEADER } from "./app.ts";
export type { AppDeps, ServerApp } from "./app.ts";
/** Deno.serve wrapper with TLS and graceful shutdown. */
export { startServer } from "./serve.ts";
export type { RunningServer, ServeOptions } from "./serve.ts";
/** Structural views of the store and collector. */
export type {
  CollectorStatsLike,
  ConflictQuery,
  LinkHistoryQuery,
  NodeHistoryQuery,
  StoreLike,
} from "./deps.ts";
/** `--healthcheck`: one bounded GET /health of the local server. */
export { HEALTH_PROBE_TIMEOUT_MS, probeHealth } from "./health_probe.ts";
export type { HealthProbeOptions, HealthProbeResult } from "./health_probe.ts";
/** /health report. */
export { STALE_INTERVALS } from "./health.ts";
export type { HealthReport } from "./health.ts";
/** Constant-time token comparison (exported for tests and reuse). */
export { tokensEqual } from "./auth.ts";
