/**
 * The one place exit codes are decided (Nagios plugin conventions plus 64 for usage errors).
 *
 * | code | meaning                                                                        |
 * |------|--------------------------------------------------------------------------------|
 * | 0    | OK: healthy, caught up, or a display command without --fail-on-*               |
 * | 1    | WARNING: a node is DEGRADED                                                    |
 * | 2    | CRITICAL: a node is CRITICAL or DOWN; `wait` timed out with lag remaining      |
 * | 3    | UNKNOWN: server unreachable or failing, no node readable, no data              |
 * | 64   | usage or configuration error                                                  |
 * | 130  | interrupted (Ctrl-C) before a result; `watch` ends with 0 instead             |
 */
import type { Status } from "../snapshot/mod.ts";

/** Exit codes by name. */
export const EXIT = {
  OK: 0,
  WARNING: 1,
  CRITICAL: 2,
  UNKNOWN: 3,
  USAGE: 64,
  INTERRUPTED: 130,
} as const;

/** An exit code. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Nagios label of codes 0-3. */
export const LABELS = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;

/** What a command found, before flags turn it into an exit code. */
export type Outcome =
  /** lag, conflicts, status: the (filtered) cluster status. */
  | { kind: "display"; status: Status; readable: boolean }
  /** check: always mapped to a code. */
  | { kind: "check"; status: Status; readable: boolean }
  /** wait: caught up, timed out with lag remaining, or the cluster could not be read. */
  | { kind: "wait"; result: "caught_up" | "timeout" | "unreadable" | "interrupted" }
  /** help, version, watch ended by the user. */
  | { kind: "done" };

/** --fail-on-warn / --fail-on-crit. */
export interface FailPolicy {
  failOnWarn: boolean;
  failOnCrit: boolean;
}

/** Wrong command line or configuration: exit 64 with this one-line message. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The Nagios code of a cluster status; 3 when no node could be read. */
export function statusExit(status: Status, readable: boolean): 0 | 1 | 2 | 3 {
  if (!readable) return EXIT.UNKNOWN;
  switch (status) {
    case "HEALTHY":
      return EXIT.OK;
    case "DEGRADED":
      return EXIT.WARNING;
    case "CRITICAL":
    case "DOWN":
      return EXIT.CRITICAL;
    case "UNKNOWN":
      return EXIT.UNKNOWN;
  }
}

/** The exit code of a finished command. */
export function exitCode(outcome: Outcome, policy: FailPolicy): ExitCode {
  switch (outcome.kind) {
    case "done":
      return EXIT.OK;
    case "check":
      return statusExit(outcome.status, outcome.readable);
    case "display": {
      const code = statusExit(outcome.status, outcome.readable);
      if (policy.failOnWarn) return code;
      if (policy.failOnCrit) return code >= EXIT.CRITICAL ? code : EXIT.OK;
      return EXIT.OK;
    }
    case "wait":
      switch (outcome.result) {
        case "caught_up":
          return EXIT.OK;
        case "timeout":
          return EXIT.CRITICAL;
        case "unreadable":
          return EXIT.UNKNOWN;
        case "interrupted":
          return EXIT.INTERRUPTED;
      }
  }
}

/**
 * The exit code of a failed command: 64 for usage/config errors, 130 when the user interrupted it,
 * else 3 (cannot tell).
 */
export function errorExit(err: unknown, options: { interrupted?: boolean } = {}): ExitCode {
  if (err instanceof UsageError) return EXIT.USAGE;
  if (options.interrupted) return EXIT.INTERRUPTED;
  if (err instanceof Error && err.name === "ConfigError") return EXIT.USAGE;
  return EXIT.UNKNOWN;
}

/** Whether any node of the snapshot was actually read (not DOWN, not UNKNOWN). */
export function anyReadable(statuses: Iterable<Status>): boolean {
  for (const s of statuses) if (s !== "DOWN" && s !== "UNKNOWN") return true;
  return false;
}
