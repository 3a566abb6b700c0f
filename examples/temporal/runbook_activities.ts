/**
 * The runbook's own steps. Placeholders: they only log. Replace them with your load balancer,
 * connection pooler or DNS calls (they must be idempotent: Temporal may retry them).
 */
import { log } from "@temporalio/activity";

/** The runbook's own activities, by the names the workflow calls. */
export interface RunbookActivities {
  /** Stop sending writes to `node` (e.g. take it out of the pooler's write pool). */
  drainWrites(input: { node: string }): Promise<void>;
  /** Send the traffic of `from` to `to`. */
  switchTraffic(input: { from: string; to: string }): Promise<void>;
  /** Undo drainWrites (compensation when a later step fails). */
  restoreWrites(input: { node: string }): Promise<void>;
}

/** Logging placeholders of {@link RunbookActivities}. */
export const runbookActivities: RunbookActivities = {
  drainWrites({ node }) {
    log.info("drain writes (placeholder)", { node });
    return Promise.resolve();
  },
  switchTraffic({ from, to }) {
    log.info("switch traffic (placeholder)", { from, to });
    return Promise.resolve();
  },
  restoreWrites({ node }) {
    log.info("restore writes (placeholder)", { node });
    return Promise.resolve();
  },
};
