/**
 * The pgactive-tools SDK: a runtime-neutral client of pgactive-server (fetch and web streams only;
 * runs in Deno, Node 18+ and browsers).
 *
 * @example
 * ```ts
 * import { Client, ServerUnavailableError } from "./mod.ts";
 * const client = new Client("http://127.0.0.1:9", {
 *   timeoutMs: 1000,
 *   fetch: () => Promise.reject(new TypeError("tcp connect error: Connection refused")),
 * });
 * try {
 *   await client.getSnapshot();
 * } catch (err) {
 *   if (!(err instanceof ServerUnavailableError)) throw err;
 *   // err.message: "cannot reach pgactive-server at http://127.0.0.1:9: connection refused"
 * }
 * ```
 * @module
 */

/** HTTP client: getSnapshot, getConflicts, health, watchSnapshots, waitFor. */
export { Client } from "./client.ts";
/** Options and result types of {@link Client}. */
export type { ClientOptions, ConflictQuery, SdkLogger, ServerHealth } from "./client.ts";
/** Options of {@link Client.watchSnapshots}. */
export type { WatchOptions } from "./watch.ts";
/** Following snapshots until a predicate matches. */
export { waitForSnapshot } from "./wait.ts";
/** Longest timeout the SDK accepts (2^31-1 ms); longer ones are a RangeError, never a timer that fires at once. */
export { MAX_TIMEOUT_MS } from "./request.ts";
/** Options of waiting. */
export type { SnapshotSource, WaitForOptions } from "./wait.ts";
/** "Caught up": the per-snapshot predicate and the barrier that `wait` is built on. */
export { caughtUp, CaughtUpBarrier } from "./barrier.ts";
/** Options and results of the caught-up checks. */
export type { BarrierOptions, CaughtUp, CaughtUpOptions } from "./barrier.ts";
/** Typed errors: base class, unreachable server, HTTP status, bad payload, wait timeout. */
export {
  HttpError,
  SdkError,
  ServerUnavailableError,
  SnapshotFormatError,
  TimeoutError,
} from "./errors.ts";
/** Stable codes of the typed errors. */
export type { SdkErrorCode } from "./errors.ts";
/** Incremental Server-Sent Events parser (for custom transports). */
export { SseParser } from "./sse.ts";
/** One parsed Server-Sent Event. */
export type { SseEvent } from "./sse.ts";
/** The Snapshot types the SDK returns. */
export type {
  ClusterSummary,
  ConflictRecord,
  LagMethod,
  Link,
  NodeMetrics,
  NodeState,
  Snapshot,
  Status,
} from "../snapshot/mod.ts";
