/**
 * The resolver: YAML text -> env expansion (on string values) -> env and flag overrides -> zod
 * validation + cross-field checks (every problem at once) -> ResolvedConfig with defaults.
 */
import { crossChecks } from "./checks.ts";
import { deepFreeze, defaultProbeTimeoutMs, DEFAULTS, ENV_OVERRIDES } from "./defaults.ts";
import { type Env, expandTree, type ExpansionProblem } from "./env.ts";
import { ConfigError } from "./errors.ts";
import { parseListen } from "./listen.ts";
import { issueProblems, type Problem } from "./problems.ts";
import { dsnPasswords, redactDsn, redactSecrets } from "./redact.ts";
import { configSchema, type ParsedConfig } from "./schema.ts";
import type { ResolvedConfig } from "./types.ts";
import { parseYamlText, readConfigText } from "./yaml_input.ts";

/** Values from command-line flags; they win over the environment and the file. Same syntax as YAML. */
export interface ConfigOverrides {
  interval?: string | undefined;
  probeTimeout?: string | undefined;
  listen?: string | undefined;
  dbPath?: string | undefined;
  logLevel?: string | undefined;
  authToken?: string | undefined;
}

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Environment for `${VAR}` and PGACTIVE_TOOLS_* overrides; default: none (`{}`). */
  env?: Env | undefined;
  /** Name of the file in messages; default `"<config>"`. */
  source?: string | undefined;
  overrides?: ConfigOverrides | undefined;
}

const FLAG_PATHS: Record<keyof ConfigOverrides, [string, string]> = {
  interval: ["collector.interval", "--interval"],
  probeTimeout: ["collector.probe_timeout", "--probe-timeout"],
  listen: ["server.listen", "--listen"],
  dbPath: ["database.path", "--db-path"],
  logLevel: ["log.level", "--log-level"],
  authToken: ["server.auth_token", "--auth-token"],
};

/** Reads and resolves the config file (default `./config/tools.yaml`). Throws {@link ConfigError}. */
export async function loadConfig(
  opts: {
    path?: string | undefined;
    env?: Env | undefined;
    overrides?: ConfigOverrides | undefined;
  } = {},
): Promise<ResolvedConfig> {
  const path = opts.path ?? DEFAULTS.path;
  const text = await readConfigText(path);
  return parseConfig(text, {
    env: opts.env ?? Deno.env.toObject(),
    source: path,
    overrides: opts.overrides,
  });
}

/** Parses, validates and resolves config text. Throws {@link ConfigError} listing every problem. */
export function parseConfig(text: string, opts: ParseConfigOptions = {}): ResolvedConfig {
  const source = opts.source ?? "<config>";
  const env = opts.env ?? {};
  let textSecrets: string[] | null = null;
  const raw = parseYamlText(text, source, (line) => {
    textSecrets ??= dsnPasswords(text);
    return redactSecrets(redactDsn(line), textSecrets);
  });
  const report = { problems: [] as ExpansionProblem[], unset: new Map<string, Set<string>>() };
  const tree = expandTree(raw ?? {}, env, report);
  const sources = applyOverrides(tree, env, opts.overrides ?? {});
  const label = (path: string) => sources.has(path) ? `${path} (from ${sources.get(path)})` : path;

  const parsed = configSchema.safeParse(tree);
  const failed = new Set(report.problems.map((p) => p.path));
  const problems: Problem[] = [
    ...report.problems,
    ...(parsed.success ? [] : issueProblems(parsed.error.issues)).filter((p) =>
      !failed.has(p.path)
    ),
    ...crossChecks(tree, (path) => sources.get(path)),
  ].sort(byPath);
  if (problems.length > 0 || !parsed.success) {
    const secrets = treeSecrets(raw, tree);
    const lines = problems.map((p) => {
      const unset = report.unset.get(p.path);
      const hint = unset
        ? ` (environment variable ${[...unset].map((n) => `"${n}"`).join(", ")} not set)`
        : "";
      return redactSecrets(
        redactDsn(`${label(p.path) || "(top level)"}: ${p.message}${hint}`),
        secrets,
      );
    });
    throw new ConfigError("CONFIG_INVALID", lines, { source });
  }
  return resolve(parsed.data);
}

const SECTIONS = ["collector", "thresholds", "server", "database", "log"];

/** File order of sections, then path (numeric-aware: nodes[2] before nodes[10]). */
function byPath(a: Problem, b: Problem): number {
  const rank = (p: Problem) => {
    const i = SECTIONS.indexOf(p.path.split(/[.[]/)[0] ?? "");
    return i < 0 ? SECTIONS.length : i;
  };
  return rank(a) - rank(b) || a.path.localeCompare(b.path, "en", { numeric: true });
}

/** Sets PGACTIVE_TOOLS_* then flag values into the tree; returns path -> where the value came from. */
function applyOverrides(tree: unknown, env: Env, overrides: ConfigOverrides): Map<string, string> {
  const sources = new Map<string, string>();
  const set = (path: string, value: string, from: string) => {
    const [section, key] = path.split(".") as [string, string];
    if (tree === null || typeof tree !== "object" || Array.isArray(tree)) return;
    const root = tree as Record<string, unknown>;
    if (root[section] === undefined || root[section] === null) root[section] = {};
    const target = root[section];
    if (target === null || typeof target !== "object" || Array.isArray(target)) return;
    (target as Record<string, unknown>)[key] = value;
    sources.set(path, from);
  };
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value !== undefined && value !== "") set(path, value, name);
  }
  for (const [field, [path, flag]] of Object.entries(FLAG_PATHS)) {
    const value = overrides[field as keyof ConfigOverrides];
    if (value !== undefined) set(path, value, flag);
  }
  return sources;
}

/** Passwords and tokens in the raw and expanded trees, to scrub from problem lines. */
function treeSecrets(...trees: unknown[]): string[] {
  const secrets: string[] = [];
  for (const tree of trees) {
    const t = tree as { collector?: { nodes?: unknown }; server?: { auth_token?: unknown } } | null;
    const nodes = Array.isArray(t?.collector?.nodes) ? t.collector.nodes : [];
    for (const node of nodes) {
      const dsn = (node as { dsn?: unknown } | null)?.dsn;
      if (typeof dsn === "string") secrets.push(...dsnPasswords(dsn));
    }
    if (typeof t?.server?.auth_token === "string") secrets.push(t.server.auth_token);
  }
  return secrets;
}

function resolve(p: ParsedConfig): ResolvedConfig {
  const d = DEFAULTS;
  const intervalMs = p.collector.interval ?? d.collector.intervalMs;
  const { host, port } = parseListen(p.server?.listen ?? d.server.listen);
  const tls = p.server?.tls;
  return deepFreeze({
    collector: {
      intervalMs,
      probeTimeoutMs: p.collector.probe_timeout ?? defaultProbeTimeoutMs(intervalMs),
      nodes: p.collector.nodes.map((n) => ({ name: n.name, dsn: n.dsn })),
      conflictWindowMs: p.collector.conflict_window ?? d.collector.conflictWindowMs,
    },
    thresholds: {
      lagSecondsWarn: p.thresholds?.lag_seconds_warn ?? d.thresholds.lagSecondsWarn,
      lagSecondsCrit: p.thresholds?.lag_seconds_crit ?? d.thresholds.lagSecondsCrit,
      conflictsWarnPerMinute: p.thresholds?.conflicts_warn ?? d.thresholds.conflictsWarnPerMinute,
      walsenderInactiveCritMs: p.thresholds?.walsender_inactive_crit ??
        d.thresholds.walsenderInactiveCritMs,
    },
    server: {
      host,
      port,
      authToken: p.server?.auth_token ?? d.server.authToken,
      metricsRequireAuth: p.server?.metrics_auth ?? d.server.metricsRequireAuth,
      tls: tls ? { certFile: tls.cert, keyFile: tls.key } : null,
    },
    database: {
      path: p.database?.path ?? d.database.path,
      retentionMs: p.database?.retention ?? d.database.retentionMs,
      storeConflictTuples: p.database?.store_conflict_tuples ?? d.database.storeConflictTuples,
    },
    log: { level: p.log?.level ?? d.log.level, access: p.log?.access ?? d.log.access },
  });
}
