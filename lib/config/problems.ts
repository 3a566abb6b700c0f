/** Turning zod issues and YAML errors into `path: problem` lines. */
import type { z } from "zod";
import { KNOWN_KEYS } from "./schema.ts";

/** A problem before formatting: dotted path ("" = the whole file) and message. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** ["collector", "nodes", 1, "dsn"] -> "collector.nodes[1].dsn". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One problem per zod issue; one per key for unknown keys, with a "did you mean" hint. */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = formatPath(issue.path);
    if (issue.code !== "unrecognized_keys") return [{ path, message: issue.message }];
    return issue.keys.map((key) => ({
      path: path === "" ? key : `${path}.${key}`,
      message: `unknown key${suggest(path, key)}`,
    }));
  });
}

function suggest(parent: string, key: string): string {
  const here = KNOWN_KEYS[parent.replace(/\[\d+\]/g, "[]")] ?? [];
  for (const [where, keys] of Object.entries(KNOWN_KEYS)) {
    if (where !== parent && keys.includes(key) && !where.includes("[]")) {
      return ` (did you mean "${where === "" ? key : `${where}.${key}`}"?)`;
    }
  }
  const best = here
    .map((k) => ({ k, d: distance(k, key) }))
    .sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 4))) {
    return ` (did you mean "${best.k}"?)`;
  }
  return here.length > 0 ? ` (expected one of: ${here.join(", ")})` : "";
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}
