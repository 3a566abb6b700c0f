/** Versions: PostgreSQL and pgactive library versions across nodes; extension behind the library. */
import { grantFix } from "../grants.ts";
import { type Check, compareVersions, lit, majority, type Problem } from "./check.ts";

/** The newest of `versions` (by number). */
function newest(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareVersions).at(-1);
}

/** `2.1.9-2026-11-24-abc` -> `2.1.9`. */
export function libraryRelease(version: string): string {
  return version.split("-")[0] ?? version;
}

const postgresVersion: Check = {
  id: "postgres_version",
  group: "versions",
  title: "every node runs the same PostgreSQL version",
  needs: "none",
  run(c) {
    const all = c.nodes.map((n) => ({ n, v: n.facts.serverVersion.split(" ")[0] ?? "" }));
    const top = newest(all.map((x) => x.v));
    const problems: Problem[] = all.filter((x) => x.v !== top).map(({ n, v }) => ({
      severity: "WARN",
      node: n.name,
      seen: `PostgreSQL ${v}, newest in the cluster ${top}`,
      fix: `upgrade PostgreSQL on ${n.name} to ${top}`,
    }));
    return { problems, ok: `PostgreSQL ${top ?? "unknown"} on ${c.nodes.length} node(s)` };
  },
};

const pgactiveVersion: Check = {
  id: "pgactive_version",
  group: "versions",
  title: "every node runs the same pgactive library version",
  needs: "EXECUTE on pgactive.pgactive_version() (PUBLIC by default)",
  run(c) {
    const known = c.nodes.filter((n) => n.facts.libraryVersion !== null);
    const all = known.map((n) => ({ n, v: libraryRelease(n.facts.libraryVersion!) }));
    const top = newest(all.map((x) => x.v));
    const problems: Problem[] = all.filter((x) => x.v !== top).map(({ n, v }) => ({
      severity: "WARN",
      node: n.name,
      seen: `pgactive library ${v}, newest in the cluster ${top}`,
      fix: `install pgactive ${top} on ${n.name} and restart PostgreSQL`,
    }));
    for (const n of c.nodes.filter((n) => n.facts.libraryVersion === null)) {
      problems.push({
        severity: "WARN",
        node: n.name,
        seen: `cannot call pgactive.pgactive_version() as ${n.grants.role}`,
        fix: grantFix("version", n.grants.role),
      });
    }
    return { problems, ok: `pgactive library ${top ?? "unknown"} on ${known.length} node(s)` };
  },
};

const extensionVersion: Check = {
  id: "extension_version",
  group: "versions",
  title: "the pgactive extension (SQL objects) is not behind the library or its default version",
  needs: "none (pg_extension, pg_available_extension_versions)",
  run(c) {
    const problems: Problem[] = [];
    const seen: string[] = [];
    for (const n of c.nodes) {
      const f = n.facts;
      if (f.extensionVersion === null) continue;
      seen.push(f.extensionVersion);
      const candidates = [f.extensionDefault, f.libraryVersion && libraryRelease(f.libraryVersion)]
        .filter((v): v is string => !!v && f.extensionAvailable.includes(v));
      const target = newest(candidates);
      if (!target || compareVersions(f.extensionVersion, target) >= 0) continue;
      problems.push({
        severity: "WARN",
        node: n.name,
        seen: `extension pgactive ${f.extensionVersion}, library ${
          f.libraryVersion ? libraryRelease(f.libraryVersion) : "unknown"
        }, default_version ${f.extensionDefault ?? "unknown"}`,
        fix: `ALTER EXTENSION pgactive UPDATE TO ${lit(target)};`,
      });
    }
    const v = majority(seen);
    return {
      problems,
      ok: v === undefined
        ? "no pgactive extension row (schema without CREATE EXTENSION)"
        : `extension pgactive ${v} on ${seen.length} node(s)`,
    };
  },
};

/** The version checks. */
export const VERSION_CHECKS: readonly Check[] = [
  postgresVersion,
  pgactiveVersion,
  extensionVersion,
];
