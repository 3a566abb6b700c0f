/** The one place defaults live (values in resolved units: milliseconds, per minute). */

/** Every default of the configuration; `collector.nodes` has none (at least one node is required). */
export const DEFAULTS = deepFreeze(
  {
    /** Config file read when no path is given. */
    path: "./config/tools.yaml",
    collector: {
      intervalMs: 2_000,
      /** Probe timeout default: min(probeTimeoutMaxMs, probeTimeoutFraction x interval). */
      probeTimeoutMaxMs: 5_000,
      probeTimeoutFraction: 0.8,
      conflictWindowMs: 5 * 60_000,
      /** Shortest accepted interval (keeps a typo like "2ms" from becoming a busy loop). */
      minIntervalMs: 10,
    },
    thresholds: {
      lagSecondsWarn: 5,
      lagSecondsCrit: 15,
      conflictsWarnPerMinute: 3,
      walsenderInactiveCritMs: 30_000,
    },
    server: {
      listen: ":8080",
      authToken: null,
      metricsRequireAuth: false,
      tls: null,
    },
    database: {
      path: "./data/replication_state.db",
      retentionMs: 7 * 86_400_000,
      storeConflictTuples: false,
    },
    log: { level: "info", access: "sampled" },
  } as const,
);

const DAY_MS = 86_400_000;

/**
 * Accepted range (ms) of each duration key, reported in the message when a value is outside it.
 * Timers stay far below setTimeout's limit (2^31-1 ms, about 24.8 days); the others are windows.
 */
export const DURATION_BOUNDS = deepFreeze(
  {
    "collector.interval": [DEFAULTS.collector.minIntervalMs, DAY_MS],
    "collector.probe_timeout": [1, DAY_MS],
    "collector.conflict_window": [1, DAY_MS],
    "thresholds.walsender_inactive_crit": [1, 30 * DAY_MS],
    "database.retention": [1, 3650 * DAY_MS],
  } as const,
);

/** Default probe timeout for an interval: min(5s, 80% of the interval), always below it. */
export function defaultProbeTimeoutMs(intervalMs: number): number {
  const { probeTimeoutMaxMs, probeTimeoutFraction } = DEFAULTS.collector;
  return Math.max(1, Math.min(probeTimeoutMaxMs, Math.floor(intervalMs * probeTimeoutFraction)));
}

/**
 * Environment overrides (precedence: flags > these > file > defaults); each names the YAML key it
 * replaces. An empty value counts as unset.
 */
export const ENV_OVERRIDES = deepFreeze(
  {
    PGACTIVE_TOOLS_INTERVAL: "collector.interval",
    PGACTIVE_TOOLS_PROBE_TIMEOUT: "collector.probe_timeout",
    PGACTIVE_TOOLS_LISTEN: "server.listen",
    PGACTIVE_TOOLS_DB_PATH: "database.path",
    PGACTIVE_TOOLS_LOG_LEVEL: "log.level",
    PGACTIVE_TOOLS_AUTH_TOKEN: "server.auth_token",
    PGACTIVE_TOOLS_ACCESS_LOG: "log.access",
  } as const,
);

/** Recursively freezes a plain object or array and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
