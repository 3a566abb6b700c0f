/** The config part's one error class. */

/** Problems listed in the message (all of them stay in `problems`). */
const MAX_SHOWN = 20;

/** Stable codes: a missing file vs. anything wrong with its content (or an unreadable file). */
export type ConfigErrorCode = "CONFIG_INVALID" | "CONFIG_NOT_FOUND";

/**
 * A configuration that cannot be used. `problems` holds every problem found, each
 * `path: problem` (`collector.nodes[1].dsn: must be a postgres:// URL or key=value DSN`); the
 * message is a summary line followed by one problem per line. Never contains a DSN password.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly problems: readonly string[];
  /** The file (or label) the configuration came from. */
  readonly source: string;

  constructor(
    code: ConfigErrorCode,
    problems: readonly string[],
    options: { source: string; cause?: unknown },
  ) {
    const head = code === "CONFIG_NOT_FOUND"
      ? `Configuration file "${options.source}" not found`
      : `Invalid configuration "${options.source}" (${problems.length} ${
        problems.length === 1 ? "problem" : "problems"
      })`;
    const shown = problems.slice(0, MAX_SHOWN).map((p) => `  ${p}`);
    if (problems.length > MAX_SHOWN) shown.push(`  ... and ${problems.length - MAX_SHOWN} more`);
    const body = code === "CONFIG_NOT_FOUND" ? [] : shown;
    super([head, ...body].join("\n"), options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.problems = Object.freeze([...problems]);
    this.source = options.source;
  }
}
