/** Command-line parsing (node:util parseArgs' strict rules): every mistake is a one-line UsageError. */
import { parseArgv } from "./argv.ts";
import { UsageError } from "./exit.ts";
import { durationMs } from "./light.ts";

/** The commands, in help order. */
export const COMMANDS = [
  "lag",
  "conflicts",
  "status",
  "check",
  "watch",
  "wait",
  "doctor",
  "version",
  "help",
] as const;

/** A command name. */
export type Command = (typeof COMMANDS)[number];

/** Parsed, validated flags. */
export interface Flags {
  format: "table" | "json";
  failOnWarn: boolean;
  failOnCrit: boolean;
  config: string | undefined;
  server: string | undefined;
  direct: boolean;
  node: string | undefined;
  token: string | undefined;
  help: boolean;
  /** wait: largest acceptable link lag in seconds. */
  maxLagSeconds: number;
  /** wait: give up after this many ms. */
  timeoutMs: number;
  /** wait: origin positions to wait for (node -> LSN), instead of those at the start. */
  barrier: Record<string, string> | undefined;
  /** watch: stop after this many snapshots (null = until interrupted). */
  count: number | null;
}

/** A parsed command line. */
export interface ParsedArgs {
  command: Command;
  /** `help <command>`: the command to describe. */
  topic: Command | null;
  flags: Flags;
}

const OPTIONS = {
  format: { type: "string" },
  "fail-on-warn": { type: "boolean" },
  "fail-on-crit": { type: "boolean" },
  config: { type: "string" },
  server: { type: "string" },
  direct: { type: "boolean" },
  node: { type: "string" },
  token: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  "max-lag": { type: "string" },
  timeout: { type: "string" },
  count: { type: "string" },
  barrier: { type: "string" },
} as const;

/** Flags only some commands take. */
const ONLY: Record<string, readonly Command[]> = {
  "max-lag": ["wait"],
  timeout: ["wait"],
  barrier: ["wait"],
  count: ["watch"],
};

/** Default `wait --timeout`. */
export const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;

/** Longest --timeout / --max-lag: 24 days, below the 2^31-1 ms a timer can wait. */
export const MAX_FLAG_DURATION_MS = 24 * 86_400_000;

/** Parses argv (without the program name). Throws {@link UsageError}. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgv(attachDashValues(argv), OPTIONS);
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = first === undefined ? (values.version ? "version" : "help") : asCommand(first);
  let topic: Command | null = null;
  if (command === "help" && rest.length > 0) topic = asCommand(rest.shift()!);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" after ${command}`);
  for (const [flag, commands] of Object.entries(ONLY)) {
    if (values[flag as keyof typeof values] !== undefined && !commands.includes(command)) {
      throw new UsageError(`flag --${flag} is only valid for: ${commands.join(", ")}`);
    }
  }
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") {
    throw new UsageError(`invalid value "${format}" for --format: use table or json`);
  }
  for (const name of ["config", "server", "node", "token"] as const) {
    if (values[name] === "") throw new UsageError(`flag --${name} needs a non-empty value`);
  }
  return {
    command,
    topic,
    flags: {
      format,
      failOnWarn: values["fail-on-warn"] ?? false,
      failOnCrit: values["fail-on-crit"] ?? false,
      config: values.config,
      server: values.server,
      direct: values.direct ?? false,
      node: values.node,
      token: values.token,
      help: values.help ?? false,
      maxLagSeconds: duration("max-lag", values["max-lag"], 0) / 1000,
      timeoutMs: duration("timeout", values.timeout, DEFAULT_WAIT_TIMEOUT_MS),
      count: values.count === undefined ? null : positiveInt("count", values.count),
      barrier: values.barrier === undefined ? undefined : barrierPositions(values.barrier),
    },
  };
}

function asCommand(word: string): Command {
  if ((COMMANDS as readonly string[]).includes(word)) return word as Command;
  if (word.startsWith("-")) throw new UsageError(`unknown flag ${word}`);
  throw new UsageError(`unknown command "${word}": use one of ${COMMANDS.join(", ")}`);
}

function duration(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = durationMs(value);
  if (ms === null) {
    throw new UsageError(
      `invalid value "${value}" for --${flag}: use a duration such as 0s, 500ms, 30s or 5m`,
    );
  }
  if (ms > MAX_FLAG_DURATION_MS) {
    throw new UsageError(`invalid value "${value}" for --${flag}: must be between 0s and 24d`);
  }
  return ms;
}

/**
 * `--timeout -1s` as `--timeout=-1s`: a value that starts with "-" after a flag that takes one
 * (and is not itself a flag) is that flag's value, so the message is about the value.
 */
function attachDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const option = OPTIONS[arg.slice(2) as keyof typeof OPTIONS];
    const takesValue = arg.startsWith("--") && option?.type === "string";
    if (takesValue && next !== undefined && next.startsWith("-") && !isFlag(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function isFlag(word: string): boolean {
  if (word === "--" || word === "-h") return true;
  return word.startsWith("--") && word.slice(2).split("=")[0]! in OPTIONS;
}

const LSN_RE = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

/** `node1=0/3000060,node2=0/1E2D620` into a map; one UsageError naming the bad part. */
function barrierPositions(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    const [node, lsn, extra] = part.split("=").map((s) => s.trim());
    if (!node || !lsn || extra !== undefined || !LSN_RE.test(lsn)) {
      throw new UsageError(
        `invalid value "${part}" for --barrier: use NODE=LSN[,NODE=LSN...], e.g. node1=0/3000060`,
      );
    }
    out[node] = lsn.toUpperCase();
  }
  return out;
}

function positiveInt(flag: string, value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) {
    throw new UsageError(`invalid value "${value}" for --${flag}: use a positive integer`);
  }
  return Number(value);
}

/** One line from parseArgs' errors, naming the flag. */
function describeParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = String(e.message ?? err);
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${flag ?? message}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing|ambiguous/.test(message)
        ? `flag ${flag ?? ""} needs a value`.replace("  ", " ")
        : `flag ${flag ?? ""} does not take a value`;
    default:
      return message.split("\n")[0] ?? "invalid command line";
  }
}
