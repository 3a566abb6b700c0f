/**
 * The user's configuration (YAML, all optional but the node list) and the fully resolved,
 * readonly configuration every other part consumes. Only the resolver reads env or files.
 */

/** Log levels, least to most severe. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * Access log: `all` (a line per request), `sampled` (the default: successful /health and /metrics
 * requests at most one line per path per minute, with a count; every other request a line) or
 * `errors` (only answers of 400 and above).
 */
export type AccessLogMode = "all" | "sampled" | "errors";

/** One monitored pgactive node. */
export interface NodeConfig {
  /** Unique name, as in pgactive_nodes.node_name ideally. */
  readonly name: string;
  /** postgres:// URL or libpq key=value string (may hold a password: never print it). */
  readonly dsn: string;
}

/** Fully resolved configuration: every field filled in, durations in milliseconds. */
export interface ResolvedConfig {
  readonly collector: {
    /** Time between cycle starts. */
    readonly intervalMs: number;
    /** Per-node deadline for one probe (connect + query); must be < intervalMs. */
    readonly probeTimeoutMs: number;
    readonly nodes: readonly NodeConfig[];
    /** Sliding window for conflicts_per_minute. */
    readonly conflictWindowMs: number;
  };
  readonly thresholds: {
    readonly lagSecondsWarn: number;
    readonly lagSecondsCrit: number;
    /** Conflicts per minute at or above which a node is DEGRADED. */
    readonly conflictsWarnPerMinute: number;
    /** How long an inbound walsender may be inactive (origin reachable) before CRITICAL. */
    readonly walsenderInactiveCritMs: number;
  };
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Bearer token required by the API (null = no auth). */
    readonly authToken: string | null;
    /** Whether /metrics also requires the token. */
    readonly metricsRequireAuth: boolean;
    readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  };
  readonly database: {
    readonly path: string;
    readonly retentionMs: number;
    /** Copy local_tuple/remote_tuple of conflicts into SQLite (off by default: personal data). */
    readonly storeConflictTuples: boolean;
  };
  readonly log: {
    readonly level: LogLevel;
    /** Which requests get an access-log line (see {@link AccessLogMode}). */
    readonly access: AccessLogMode;
  };
}
