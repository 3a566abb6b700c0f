/**
 * The CLI as a function: parse, resolve config and source, run the command, map the outcome or the
 * error to an exit code. Prints one line on stderr per failure, never a stack trace or a secret.
 */
import type { ResolvedConfig } from "../config/mod.ts";
// Static: main_cli.ts loads lib/version at start-up anyway (the OTLP trace's service version).
import { buildInfo, versionLine } from "../version/mod.ts";
import { type Command, type Flags, parseCliArgs } from "./args.ts";
import type { CommandContext, CommandFn } from "./context.ts";
import { errorExit, EXIT, exitCode, UsageError } from "./exit.ts";
import { colorEnabled } from "./format.ts";
import { commandHelp, overview } from "./help.ts";
import { DEFAULT_CONFIG_PATH, DEFAULT_THRESHOLDS, maskSecrets } from "./light.ts";
import { HttpError, ServerUnavailableError } from "./server_read.ts";
import { serverSource } from "./source.ts";

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

/** Each command is imported when it runs: start-up loads only what one command needs. */
const RUNNERS: Record<Exclude<Command, "help" | "version">, () => Promise<CommandFn>> = {
  lag: async () => (await import("./commands/lag.ts")).lag,
  conflicts: async () => (await import("./commands/conflicts.ts")).conflicts,
  status: async () => (await import("./commands/status.ts")).status,
  check: async () => (await import("./commands/check.ts")).check,
  watch: async () => (await import("./commands/watch.ts")).watch,
  wait: async () => (await import("./commands/wait.ts")).wait,
  doctor: async () => (await import("./commands/doctor.ts")).doctor,
};

/** lib/config, imported only when a config is read (it carries the YAML parser and zod). */
type ConfigModule = typeof import("../config/mod.ts");

/** Proxy variables fetch honours (then the CLI uses fetch, not its one-shot TCP GET). */
const PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

/** Default server when neither a flag, the environment nor a config names one. */
export const DEFAULT_SERVER = "http://127.0.0.1:8080";

/** Runs the CLI with `argv` (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: RunIO): Promise<number> {
  const secrets: string[] = [];
  let direct = false;
  let configModule: ConfigModule | null = null;
  const redact = (text: string) =>
    configModule
      ? configModule.redactSecrets(configModule.redactDsn(text), secrets)
      : maskSecrets(text, secrets);
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
    configModule = await configNeeded(flags) ? await import("../config/mod.ts") : null;
    const config = configModule
      ? await configModule.loadConfig({ path: flags.config, env: io.env })
      : null;
    if (config && configModule) secrets.push(...configModule.configSecrets(config));
    const source = flags.direct
      ? (await import("./source.ts")).directSource(requireConfig(config))
      : serverSource(serverUrl(flags, io.env, config, configModule), {
        token: flags.token ?? (io.env.PGACTIVE_TOOLS_TOKEN || config?.server.authToken || null),
        fetch: io.fetch,
        proxy: PROXY_VARS.some((v) => io.env[v] || io.env[v.toLowerCase()]),
      });
    const ctx: CommandContext = {
      flags,
      source,
      thresholds: config?.thresholds ?? DEFAULT_THRESHOLDS,
      out: (text) => io.stdout(redact(text)),
      err: (text) => io.stderr(redact(text)),
      color: colorEnabled(io.isTTY, io.env),
      isTTY: io.isTTY,
      now: io.now ?? Date.now,
      signal: io.signal ?? new AbortController().signal,
    };
    const outcome = await (await RUNNERS[command]())(ctx);
    return exitCode(outcome, flags);
  } catch (err) {
    const interrupted = io.signal?.aborted === true;
    const text = interrupted ? "interrupted" : describe(err, direct);
    io.stderr(`pgactive-tools: ${redact(text)}\n`);
    return errorExit(err, { interrupted });
  }
}

/** Whether a config is read: one is named, --direct, or the default file exists. */
async function configNeeded(flags: Flags): Promise<boolean> {
  return flags.config !== undefined || flags.direct || await exists(DEFAULT_CONFIG_PATH);
}

function requireConfig(config: ResolvedConfig | null): ResolvedConfig {
  if (!config) throw new UsageError("--direct needs a configuration (--config PATH)");
  return config;
}

function serverUrl(
  flags: Flags,
  env: Record<string, string | undefined>,
  config: ResolvedConfig | null,
  configModule: ConfigModule | null,
): string {
  const [text, from] = flags.server !== undefined
    ? [flags.server, "--server"]
    : env.PGACTIVE_TOOLS_SERVER
    ? [env.PGACTIVE_TOOLS_SERVER, "PGACTIVE_TOOLS_SERVER"]
    : [
      config && configModule ? configModule.serverUrlFromListen(config) : DEFAULT_SERVER,
      "server.listen",
    ];
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
  // The one-shot reader (./server_read.ts) and the SDK (watch, wait) share lib/sdk/errors.ts.
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
