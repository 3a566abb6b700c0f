/**
 * Configuration: `config/tools.yaml` (or `--config PATH`) + environment + flags -> a readonly
 * {@link ResolvedConfig}. Only this part reads the environment or the file; everything downstream
 * takes a `ResolvedConfig`. Precedence: flags (`overrides`) > PGACTIVE_TOOLS_* env > file > DEFAULTS.
 *
 * Environment overrides: PGACTIVE_TOOLS_INTERVAL, PGACTIVE_TOOLS_PROBE_TIMEOUT, PGACTIVE_TOOLS_LISTEN,
 * PGACTIVE_TOOLS_DB_PATH, PGACTIVE_TOOLS_LOG_LEVEL, PGACTIVE_TOOLS_AUTH_TOKEN, PGACTIVE_TOOLS_ACCESS_LOG
 * (empty = unset).
 * @module
 */

/** Load and resolve the config file; parse config text; flag overrides. */
export { loadConfig, parseConfig } from "./load.ts";
export type { ConfigOverrides, ParseConfigOptions } from "./load.ts";
/** Error listing every problem (`code` CONFIG_INVALID or CONFIG_NOT_FOUND). */
export { ConfigError } from "./errors.ts";
export type { ConfigErrorCode } from "./errors.ts";
/** Defaults (resolved units), the env override names, the default probe timeout rule. */
export { defaultProbeTimeoutMs, DEFAULTS, DURATION_BOUNDS, ENV_OVERRIDES } from "./defaults.ts";
/** Size and alias limits of config text. */
export { MAX_ALIAS_USES, MAX_CONFIG_BYTES } from "./yaml_input.ts";
/** `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?msg}`, `$$` expansion of one string. */
export { expandEnv } from "./env.ts";
export type { Env } from "./env.ts";
/** "2s" -> 2000 (ms), "3/min" -> 3 (per minute), 2000 -> "2s". */
export { formatDuration, parseDuration, parseRate } from "./duration.ts";
/** Listen address parsing and the local URL of the configured server. */
export { formatHostPort, parseListen, serverUrlFromListen } from "./listen.ts";
export type { ListenAddress } from "./listen.ts";
/** Keeping passwords out of output: DSN masking, secret scrubbing, printable config. */
export { configSecrets, describeConfig, redactDsn, redactSecrets } from "./redact.ts";
/** libpq key=value DSN -> parameters (for drivers that take options, not a URL). */
export { parseKeyValueDsn } from "./fields.ts";
/** The YAML shape (user's config, before defaults). */
export type { Config } from "./schema.ts";
export type { AccessLogMode, LogLevel, NodeConfig, ResolvedConfig } from "./types.ts";
