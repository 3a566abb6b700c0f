/**
 * Checks across fields, run on the raw (expanded, overridden) tree so they are reported together
 * with every field-level problem. A field that is itself invalid is skipped here (already reported).
 */
import { DEFAULTS, DURATION_BOUNDS } from "./defaults.ts";
import { formatDuration } from "./duration.ts";
import * as f from "./fields.ts";
import type { Problem } from "./problems.ts";

const SKIP = Symbol("invalid");

function get(tree: unknown, path: string): unknown {
  let node = tree;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function value<T>(
  tree: unknown,
  path: string,
  parse: (v: unknown) => T,
): T | undefined | typeof SKIP {
  const raw = get(tree, path);
  if (raw === undefined || raw === null) return undefined;
  try {
    return parse(raw);
  } catch {
    return SKIP;
  }
}

/** Cross-field problems; `origin(path)` names where an overridden value came from. */
export function crossChecks(
  tree: unknown,
  origin: (path: string) => string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const nodes = get(tree, "collector.nodes");
  if (Array.isArray(nodes)) {
    const seen = new Map<string, number>();
    nodes.forEach((node, i) => {
      const name = value(node, "name", f.nodeName);
      if (typeof name !== "string") return;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else {
        problems.push({
          path: `collector.nodes[${i}].name`,
          message: `duplicate node name "${name}" (also collector.nodes[${first}].name)`,
        });
      }
    });
  }

  const warn = value(tree, "thresholds.lag_seconds_warn", f.seconds);
  const crit = value(tree, "thresholds.lag_seconds_crit", f.seconds);
  if (warn !== SKIP && crit !== SKIP) {
    const w = warn ?? DEFAULTS.thresholds.lagSecondsWarn;
    const c = crit ?? DEFAULTS.thresholds.lagSecondsCrit;
    if (w >= c) {
      problems.push({
        path: warn === undefined ? "thresholds.lag_seconds_crit" : "thresholds.lag_seconds_warn",
        message: warn === undefined
          ? `must be greater than thresholds.lag_seconds_warn (${w}, the default)`
          : `must be less than thresholds.lag_seconds_crit (${c}${
            crit === undefined ? ", the default" : ""
          })`,
      });
    }
  }

  const interval = value(
    tree,
    "collector.interval",
    f.duration(DURATION_BOUNDS["collector.interval"]),
  );
  const timeout = value(
    tree,
    "collector.probe_timeout",
    f.duration(DURATION_BOUNDS["collector.probe_timeout"]),
  );
  if (interval !== SKIP && typeof timeout === "number") {
    const i = interval ?? DEFAULTS.collector.intervalMs;
    if (timeout >= i) {
      const from = origin("collector.interval");
      const note = interval === undefined ? ", the default" : from ? `, from ${from}` : "";
      problems.push({
        path: "collector.probe_timeout",
        message: `must be shorter than collector.interval (${formatDuration(i)}${note}): ` +
          "an interval shorter than the probe timeout would let cycles overlap",
      });
    }
  }

  if (value(tree, "server.metrics_auth", f.boolean) === true) {
    const token = value(tree, "server.auth_token", f.authToken);
    if (token === undefined || token === null) {
      problems.push({
        path: "server.metrics_auth",
        message: "requires server.auth_token (or PGACTIVE_TOOLS_AUTH_TOKEN)",
      });
    }
  }
  return problems;
}
