/**
 * SDK errors as Temporal `ApplicationFailure`s with stable types: non-retryable for what a retry
 * cannot fix, retryable for an unreachable or failing server.
 */
import { ApplicationFailure } from "@temporalio/activity";
import { HttpError, SdkError, ServerUnavailableError, SnapshotFormatError } from "../errors.ts";

/** The stable `type`s of the `ApplicationFailure`s the activities throw. */
export const FAILURE_TYPES = {
  /** Non-retryable: an activity argument is invalid (e.g. a negative `maxLagSeconds`). */
  invalidArgument: "PgactiveInvalidArgument",
  /** Non-retryable: another 4xx (404, 405, 400...): the URL is not a pgactive-server's. */
  badUrl: "PgactiveBadUrl",
  /** Non-retryable: 401/403: the token is missing or wrong. */
  unauthorized: "PgactiveUnauthorized",
  /** Non-retryable: a node named in `nodes` is not in the cluster. */
  unknownNode: "PgactiveUnknownNode",
  /** Non-retryable: the answer is not a Snapshot (not a pgactive-server, or an incompatible one). */
  badResponse: "PgactiveBadResponse",
  /** Retryable: the server cannot be reached, timed out, or answered 5xx / 429. */
  serverUnavailable: "PgactiveServerUnavailable",
  /**
   * Non-retryable: the wait's own `timeoutMs` passed before the mesh caught up; `details[0]` is
   * the last {@link CaughtUpProgress} (its `blocking` names the links).
   */
  notCaughtUp: "PgactiveNotCaughtUp",
} as const;

/** One of {@link FAILURE_TYPES}. */
export type ReplicationFailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** The Temporal failure for an error thrown by the SDK; other errors are returned unchanged. */
export function toFailure(err: unknown): unknown {
  if (!(err instanceof SdkError)) return err;
  if (err instanceof ServerUnavailableError) {
    return failure(FAILURE_TYPES.serverUnavailable, err, false, {
      url: err.url,
      reason: err.reason,
    });
  }
  if (err instanceof HttpError) {
    const details = { status: err.status, path: err.path, serverMessage: err.serverMessage };
    if (err.status === 401 || err.status === 403) {
      return failure(FAILURE_TYPES.unauthorized, err, true, details);
    }
    if (err.status >= 500 || err.status === 429 || err.status === 408) {
      return failure(FAILURE_TYPES.serverUnavailable, err, false, details);
    }
    return failure(FAILURE_TYPES.badUrl, err, true, details);
  }
  if (err instanceof SnapshotFormatError) {
    return failure(FAILURE_TYPES.badResponse, err, true, { problems: [...err.problems] });
  }
  return failure(FAILURE_TYPES.serverUnavailable, err, false, {});
}

/** A non-retryable failure for an invalid activity argument. */
export function invalidArgument(message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: FAILURE_TYPES.invalidArgument,
    nonRetryable: true,
  });
}

/** A non-retryable failure naming the nodes the cluster does not have. */
export function unknownNodes(unknown: string[], known: string[]): ApplicationFailure {
  const list = unknown.map((n) => JSON.stringify(n)).join(", ");
  return ApplicationFailure.create({
    message: `Unknown node ${list}: the cluster has ${known.join(", ") || "no nodes"}`,
    type: FAILURE_TYPES.unknownNode,
    nonRetryable: true,
    details: [{ unknown, known }],
  });
}

/**
 * No `cause`: Temporal keeps a retried activity's last failure only while it is at most 4 KB
 * (`limit.mutableStateActivityFailureSize.error`), and the SDK error's cause chain with its stack
 * traces alone exceeds that; its message already says why (one line, no secrets).
 */
function failure(
  type: ReplicationFailureType,
  err: SdkError,
  nonRetryable: boolean,
  details: Record<string, unknown>,
): ApplicationFailure {
  return ApplicationFailure.create({
    message: err.message,
    type,
    nonRetryable,
    details: [{ code: err.code, ...details }],
  });
}
