/**
 * The subset of node:util `parseArgs({ strict: true, allowPositionals: true })` the CLI uses, with
 * the same error codes and wording (args.ts turns them into one line). Loading node:util costs
 * about 9 ms of start-up, a fifth of `psql -c 'select 1'`.
 */

/** An option: a string value or a boolean switch, with an optional one-letter alias. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
}

/** Parsed values (last occurrence wins; absent ones undefined) and positionals. */
export interface ParsedArgv<O extends Readonly<Record<string, OptionSpec>>> {
  values: { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };
  positionals: string[];
}

/** A parse error with node:util's code and message. */
export class ArgvError extends TypeError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Parses `args` strictly: unknown options and missing or extra values throw an ArgvError. */
export function parseArgv<O extends Readonly<Record<string, OptionSpec>>>(
  args: readonly string[],
  options: O,
): ParsedArgv<O> {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(options).filter(([, o]) => o.short).map(([name, o]) => [o.short!, name]),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const name = long ? arg.slice(2, eq < 0 ? undefined : eq) : byShort.get(arg.slice(1));
    const spec: OptionSpec | undefined = name === undefined ? undefined : options[name];
    if (name === undefined || !spec || (!long && arg.length !== 2)) {
      throw new ArgvError(
        "ERR_PARSE_ARGS_UNKNOWN_OPTION",
        `Unknown option '${long ? arg.split("=")[0] : arg}'`,
      );
    }
    const shown = long ? `--${name}` : arg;
    if (spec.type === "boolean") {
      if (eq >= 0) {
        throw new ArgvError(
          "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
          `Option '${shown}' does not take an argument`,
        );
      }
      values[name] = true;
      continue;
    }
    if (eq >= 0) {
      values[name] = arg.slice(eq + 1);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined) {
      throw new ArgvError(
        "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
        `Option '${shown} <value>' argument missing`,
      );
    }
    if (next.startsWith("-")) {
      throw new ArgvError(
        "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
        `Option '${shown}' argument is ambiguous`,
      );
    }
    values[name] = next;
    i++;
  }
  return { values: values as ParsedArgv<O>["values"], positionals };
}
