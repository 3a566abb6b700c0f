/**
 * The CLI as a function: parse, resolve config and source, run the command, map the outcome or the
 * error to an exit code. Prints one line on stderr per failure, never a stack trace or a secret.
 */
import {
  configSecrets,
  DEFAULTS,
  loadConfig,
  redactDsn,
  redactSecrets,
  type ResolvedConfig,
  serverUrlFromListen,
} from "../config/mod.ts";
import { HttpError, ServerUnavailableError } from "../sdk/mod.ts";
import { buildInfo, versionLine } from "../version/mod.ts";
import { type Command, type Flags, parseCliArgs } from "./args.ts";
import { check } from "./commands/check.ts";
import { conflicts } from "./commands/conflicts.ts";
import { lag } from "./commands/lag.ts";
import { status } from "./commands/status.ts";
import { wait } from "./commands/wait.ts";
import { watch } from "./commands/watch.ts";
import type { CommandContext, CommandFn } from "./context.ts";
import { errorExit, EXIT, exitCode, UsageError } from "./exit.ts";
import { colorEnabled } from "./format.ts";
import { commandHelp, overview } from "./help.ts";
import { directSource, serverSource } from "./source.ts";

/** The process around the CLI (main_cli.ts passes the real one; tests pass their own). */
export interface RunIO {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colours, in-place redraw). */
  isTTY: boolean;
  /** fetch for the SDK (tests). */
  fetch?: typeof fetch;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  now?: () => number;
}

const RUNNERS: Record<Exclude<Command, "help" | "version">, CommandFn> = {
  lag,
  conflicts,
  status,
  check,
  watch,
  wait,
};

/** Default server when neither a flag, the environment nor a config names one. */
export const DEFAULT_SERVER = "http://127.0.0.1:8080";

/** Runs the CLI with `argv` (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: RunIO): Promise<number> {
  const secrets: string[] = [];
  let direct = false;
  try {
    const { command, topic, flags } = parseCliArgs(argv);
    direct = flags.direct;
    if (flags.token) secrets.push(flags.token);
    if (io.env.PGACTIVE_TOOLS_TOKEN) secrets.push(io.env.PGACTIVE_TOOLS_TOKEN);
    if (command === "help" || flags.help) {
      io.stdout(command === "help" && topic === null ? overview() : commandHelp(topic ?? command));
      return EXIT.OK;
    }
    if (command === "version") {
      const info = buildInfo();
      io.stdout(
        flags.format === "json"
          ? `${JSON.stringify(info)}\n`
          : `${versionLine("pgactive-tools", info)}\n`,
      );
      return EXIT.OK;
    }
    const config = await resolveConfig(flags, io.env);
    if (config) secrets.push(...configSecrets(config));
    const source = flags.direct
      ? directSource(requireConfig(config))
      : serverSource(serverUrl(flags, io.env, config), {
        token: flags.token ?? (io.env.PGACTIVE_TOOLS_TOKEN || config?.server.authToken || null),
        fetch: io.fetch,
      });
    const ctx: CommandContext = {
      flags,
      source,
      thresholds: config?.thresholds ?? DEFAULTS.thresholds,
      out: (text) => io.stdout(redactSecrets(text, secrets)),
      err: (text) => io.stderr(redactSecrets(text, secrets)),
      color: colorEnabled(io.isTTY, io.env),
      isTTY: io.isTTY,
      now: io.now ?? Date.now,
      signal: io.signal ?? new AbortController().signal,
    };
    const outcome = await RUNNERS[command](ctx);
    return exitCode(outcome, flags);
  } catch (err) {
    const interrupted = io.signal?.aborted === true;
    const text = interrupted ? "interrupted" : describe(err, direct);
    io.stderr(`pgactive-tools: ${redactSecrets(redactDsn(text), secrets)}\n`);
    return errorExit(err, { interrupted });
  }
}

/** The config when one is named or the default file exists; null otherwise (server mode only). */
async function resolveConfig(
  flags: Flags,
  env: Record<string, string | undefined>,
): Promise<ResolvedConfig | null> {
  if (flags.config === undefined && !flags.direct && !(await exists(DEFAULTS.path))) return null;
  return await loadConfig({ path: flags.config, env });
}

function requireConfig(config: ResolvedConfig | null): ResolvedConfig {
  if (!config) throw new UsageError("--direct needs a configuration (--config PATH)");
  return config;
}

function serverUrl(
  flags: Flags,
  env: Record<string, string | undefined>,
  config: ResolvedConfig | null,
): string {
  const [text, from] = flags.server !== undefined
    ? [flags.server, "--server"]
    : env.PGACTIVE_TOOLS_SERVER
    ? [env.PGACTIVE_TOOLS_SERVER, "PGACTIVE_TOOLS_SERVER"]
    : [config ? serverUrlFromListen(config) : DEFAULT_SERVER, "server.listen"];
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`invalid value "${text}" for ${from}: use an http:// or https:// URL`);
  }
  return text;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** One line for any failure, with a hint where one helps. */
function describe(err: unknown, direct: boolean): string {
  if (err instanceof ServerUnavailableError) {
    return `${err.message}${direct ? "" : "; start it or use --direct"}`;
  }
  if (err instanceof HttpError && err.status === 401) {
    return `${err.message}; pass --token or set PGACTIVE_TOOLS_TOKEN`;
  }
  if (err instanceof UsageError) {
    return /^unknown (flag|command)/.test(err.message)
      ? `${err.message} (see pgactive-tools help)`
      : err.message;
  }
  if (err instanceof Error) {
    const text = err.message.split("\n").map((l) => l.trim()).filter(Boolean).join("; ");
    return err.name === "ConfigError" || err.name.endsWith("Error") && err.name !== "Error"
      ? text
      : `${err.name}: ${text}`;
  }
  return String(err);
}
