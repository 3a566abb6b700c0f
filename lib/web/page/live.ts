/**
 * Freshness of what the page shows: live while snapshots arrive, stale when none arrived for
 * {@link STALE_INTERVALS} collector intervals or the connection to /watch is lost. Pure: the
 * caller passes the clock (monotonic ms).
 */

/** No snapshot for this many intervals makes the page stale (the server's /health uses 3 too). */
export const STALE_INTERVALS = 3;

/** What the banner shows about the connection. */
export type LiveState = "connecting" | "live" | "stale" | "lost";

/** A state and the sentence that explains it. */
export interface LiveView {
  state: LiveState;
  /** True for "stale" and "lost": the data may be out of date. */
  stale: boolean;
  text: string;
}

/** Tracks when snapshots arrive and whether the watch is connected. */
export class Freshness {
  #intervalMs: number;
  #lastAt: number | null = null;
  #lost: { since: number; error: string; retryMs: number | null } | null = null;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** The collector interval in ms (from /health, or observed). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  set intervalMs(ms: number) {
    if (Number.isFinite(ms) && ms > 0) this.#intervalMs = ms;
  }

  /** A snapshot arrived at `now`: connected again. */
  received(now: number): void {
    this.#lastAt = now;
    this.#lost = null;
  }

  /**
   * The watch lost its connection at `now` (`error` is the SDK's one-line message); it retries
   * within `retryMs`, or not at all (null: it waits for the user, e.g. for a token).
   */
  lost(now: number, error: string, retryMs: number | null): void {
    if (this.#lost === null) this.#lost = { since: now, error, retryMs };
    else this.#lost = { ...this.#lost, error, retryMs };
  }

  /** The state at `now`. */
  view(now: number): LiveView {
    const limit = STALE_INTERVALS * this.#intervalMs;
    if (this.#lost !== null) {
      const { since, error, retryMs } = this.#lost;
      const secs = Math.round((now - since) / 1000);
      const text = retryMs === null
        ? `Not connected: ${error}`
        : `Connection lost ${secs} s ago (${error}); retrying within ${
          Math.max(1, Math.round(retryMs / 1000))
        } s`;
      return { state: "lost", stale: true, text };
    }
    if (this.#lastAt === null) {
      return { state: "connecting", stale: false, text: "Connecting to pgactive-server" };
    }
    const age = now - this.#lastAt;
    if (age > limit) {
      return {
        state: "stale",
        stale: true,
        text: `Stale: no snapshot for ${Math.round(age / 1000)} s (${STALE_INTERVALS} intervals` +
          ` of ${this.#intervalMs / 1000} s)`,
      };
    }
    return {
      state: "live",
      stale: false,
      text: `Live: a snapshot every ${this.#intervalMs / 1000} s from /watch`,
    };
  }
}
