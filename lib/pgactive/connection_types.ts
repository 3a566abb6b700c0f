/**
 * The public shapes of a NodeConnection: its options, a probe's result, and the error of a node
 * whose first connection is still being set up.
 */
import type { Capabilities } from "./capabilities.ts";
import type { ProbeData } from "./probe_query.ts";

/** Options of a NodeConnection. */
export interface NodeConnectionOptions {
  /** Deadline of one probe (connect + queries), ms. */
  timeoutMs: number;
  /** Extra strings to redact from error messages (the DSN's own password is always redacted). */
  secrets?: Iterable<string>;
  /** Reconnect backoff after consecutive failures: base and cap in ms (default 1000 / 10000). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Deadline of setting up a connection (TCP, auth, capabilities), ms; default max(10 s, timeoutMs). */
  connectTimeoutMs?: number;
  /** Clock (epoch ms), for the backoff. */
  now?: () => number;
}

/** The node's first connection is still being set up (within its connect deadline): not DOWN. */
export class NodeConnectingError extends Error {
  override name = "NodeConnectingError";
  readonly node: string;
  constructor(node: string, elapsedMs: number, deadlineMs: number) {
    super(
      `connecting to node "${node}" (${
        Math.round(elapsedMs)
      } ms of the ${deadlineMs} ms connect deadline)`,
    );
    this.node = node;
  }
}

/** The outcome of one successful probe. */
export interface NodeProbeResult {
  readonly data: ProbeData;
  readonly capabilities: Capabilities;
  /** Wall time of the probe, ms. */
  readonly probeMs: number;
  /** Join-time conflicts on schema pgactive per origin (nodeKey), when conflict_history is readable. */
  readonly catalogConflicts: ReadonlyMap<string, number> | null;
  /** Every conflict_history row per origin (nodeKey), join-time ones included, when readable. */
  readonly historyConflicts: ReadonlyMap<string, number> | null;
  /** Statements sent during this probe (1 on a warm connection). */
  readonly statements: number;
  /**
   * `data.localCommits` covers the local commits after this time of the node's clock: the
   * previous successful probe's (or, on a first probe, the oldest commit scanned); null when
   * this probe did not scan.
   */
  readonly localCommitsAfterMs: number | null;
}
