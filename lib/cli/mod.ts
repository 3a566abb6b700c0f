/**
 * The `pgactive-tools` command line as a library: {@link run} parses argv, reads the server (or the
 * nodes with --direct), prints tables or JSON and returns the Nagios exit code. Only main_cli.ts
 * reads Deno.args and calls Deno.exit.
 * @module
 */

/** Runs the CLI in-process and returns its exit code. */
export { DEFAULT_SERVER, run } from "./run.ts";
/** The process around the CLI: env, stdout/stderr writers, TTY, fetch, signal, clock. */
export type { RunIO } from "./run.ts";
/** Exit codes by name, the outcome -> code mapping and the usage error class. */
export { errorExit, EXIT, exitCode, statusExit, UsageError } from "./exit.ts";
/** Outcome of a command and the --fail-on-* policy. */
export type { ExitCode, FailPolicy, Outcome } from "./exit.ts";
/** Command-line parsing. */
export { COMMANDS, parseCliArgs } from "./args.ts";
/** Parsed command line. */
export type { Command, Flags, ParsedArgs } from "./args.ts";
/** The CLI version. */
export { CLI_VERSION } from "./help.ts";
