/** `createReplicationActivities`: plain async activity functions on a pgactive-server client. */
import { Context } from "@temporalio/activity";
import { Client } from "../client.ts";
import type { Snapshot } from "../../snapshot/mod.ts";
import { toFailure, unknownNodes } from "./failures.ts";
import { type HealthCheckInput, type HealthVerdict, healthVerdict } from "./health_verdict.ts";
import { type CaughtUpResult, missingNodes, type WaitForCaughtUpInput } from "./progress.ts";
import { waitCaughtUp } from "./wait_caught_up.ts";

/** Options of {@link createReplicationActivities}: a `client`, or a `url` (and `token`). */
export interface ReplicationActivitiesOptions {
  /** A ready client (its token, fetch and timeouts are used as they are). */
  client?: Client;
  /** Base URL of pgactive-server, when no `client` is given. */
  url?: string | URL;
  /** Bearer token for a server with `server.auth_token` (with `url`). */
  token?: string | null;
  /** Deadline of one HTTP request (with `url`; default 10 s). */
  requestTimeoutMs?: number;
  /**
   * Heartbeat at least this often during the wait (default: half the activity's heartbeat
   * timeout, between 100 ms and 5 s). Temporal's worker throttles what it sends to the server.
   */
  heartbeatIntervalMs?: number;
  /**
   * During the wait, fail with the retryable `PgactiveServerUnavailable` once the server has been
   * unreachable this long (default 30 s); the retry resumes from the heartbeat details.
   */
  maxUnreachableMs?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

/** The activities, by the names a Worker registers them under. */
export interface ReplicationActivities {
  /** The latest Snapshot, exactly as `GET /snapshot` validated by the SDK (plain JSON). */
  getReplicationSnapshot(): Promise<Snapshot>;
  /**
   * Waits until everything committed before the first attempt began (or before `barrier`) is
   * applied on every node; heartbeats {@link CaughtUpProgress}; resumes from it on a retry.
   */
  waitForReplicationCaughtUp(input?: WaitForCaughtUpInput): Promise<CaughtUpResult>;
  /** The `check` verdict as data; never throws for an unhealthy cluster. */
  checkReplicationHealth(input?: HealthCheckInput): Promise<HealthVerdict>;
}

/**
 * Activity functions on one pgactive-server, to register on a Temporal Worker. Throws a TypeError
 * at once when neither a client nor a valid http(s) URL is given.
 *
 * @example
 * ```ts ignore
 * import { Worker } from "@temporalio/worker";
 * import { createReplicationActivities } from "@pgactive-tools/pgactive-tools/temporal";
 * const worker = await Worker.create({
 *   taskQueue: "upgrades",
 *   workflowsPath: new URL("./workflows.ts", import.meta.url).pathname,
 *   activities: createReplicationActivities({ url: "http://127.0.0.1:8080" }),
 * });
 * await worker.run();
 * ```
 */
export function createReplicationActivities(
  options: ReplicationActivitiesOptions,
): ReplicationActivities {
  const client = clientOf(options);
  const deps = {
    client,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    maxUnreachableMs: options.maxUnreachableMs ?? 30_000,
    now: options.now ?? Date.now,
  };
  const snapshot = async (): Promise<Snapshot> => {
    try {
      return await client.getSnapshot({ signal: Context.current().cancellationSignal });
    } catch (err) {
      throw toFailure(err);
    }
  };
  return {
    getReplicationSnapshot: () => snapshot(),
    waitForReplicationCaughtUp: (input = {}) => waitCaughtUp(deps, input),
    async checkReplicationHealth(input = {}) {
      const s = await snapshot();
      const unknown = missingNodes(s, input.nodes);
      if (unknown.length > 0) throw unknownNodes(unknown, Object.keys(s.nodes).sort());
      return healthVerdict(s, input);
    },
  };
}

function clientOf(options: ReplicationActivitiesOptions): Client {
  if (options.client && options.url !== undefined) {
    throw new TypeError("Pass either client or url to createReplicationActivities, not both");
  }
  if (options.client) return options.client;
  if (options.url === undefined) {
    throw new TypeError("createReplicationActivities needs a client or the server's url");
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`Invalid pgactive-server URL ${JSON.stringify(String(options.url))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`pgactive-server URL must be http or https, got "${url.protocol}"`);
  }
  return new Client(url, {
    token: options.token ?? null,
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
  });
}
