/**
 * What the monitoring role should be allowed to read, as data: the catalog-only statement that
 * checks each grant (to_regclass/to_regprocedure + has_*_privilege, so it never fails and a missing
 * object reads NULL), its decoder, and the GRANT that fixes each gap.
 */
import type { RawRow } from "./fields.ts";
import { ident, lit } from "./checks/check.ts";
import { optBool, text } from "./fields.ts";

/** One privilege the tools use. */
export interface Grantable {
  /** Stable key. */
  readonly key: string;
  /** Object as PostgreSQL names it (with argument types for functions). */
  readonly object: string;
  readonly kind: "table" | "function" | "role";
  /** What is lost without it (one phrase). */
  readonly usedFor: string;
  /** Not in config/monitoring_role.sql: its absence is no finding, only noted where it is used. */
  readonly optional?: boolean;
}

/**
 * The monitoring role's privileges (config/monitoring_role.sql, pgactive-surface.md section 6) plus
 * the one doctor reads free WAL disk space with. pgactive_get_replication_lag_info() is left out on
 * purpose: it connects to every peer as the stored DSN user.
 */
export const GRANTABLES: readonly Grantable[] = [
  g("pg_monitor", "pg_monitor", "role", "walsender positions and superuser-only settings"),
  g(
    "nodes",
    "pgactive.pgactive_nodes",
    "table",
    "membership: peer names, orphan slots, node count",
  ),
  g("local_nodeid", "pgactive.pgactive_get_local_nodeid()", "function", "local node identity"),
  g("stats", "pgactive.pgactive_get_stats()", "function", "conflict and apply-error counters"),
  g("stats_view", "pgactive.pgactive_stats", "table", "conflict and apply-error counters (view)"),
  g("workers", "pgactive.pgactive_get_workers_info()", "function", "apply worker errors"),
  g("conflict_history", "pgactive.pgactive_conflict_history", "table", "recent conflicts"),
  g("version", "pgactive.pgactive_version()", "function", "library version"),
  g("apply_paused", "pgactive.pgactive_is_apply_paused()", "function", "paused apply"),
  g("active_in_db", "pgactive.pgactive_is_active_in_db()", "function", "join state"),
  g(
    "last_applied",
    "pgactive.pgactive_get_last_applied_xact_info(text,oid,oid)",
    "function",
    "lag in seconds",
  ),
  g(
    "commit_ts",
    "pg_catalog.pg_xact_commit_timestamp_origin(xid)",
    "function",
    "exact lag in seconds",
  ),
  g(
    "free_disk",
    "pgactive._pgactive_get_free_disk_space(text)",
    "function",
    "free WAL disk space next to retained WAL",
    true,
  ),
];

function g(
  key: string,
  object: string,
  kind: Grantable["kind"],
  usedFor: string,
  optional = false,
): Grantable {
  return optional ? { key, object, kind, usedFor, optional } : { key, object, kind, usedFor };
}

/** One row per grantable: key, granted (NULL when the object does not exist), role, superuser. */
export const GRANTS_SQL = `
SELECT o.key,
  CASE o.kind
    WHEN 'table' THEN CASE WHEN to_regclass(o.object) IS NOT NULL
      THEN has_table_privilege(to_regclass(o.object), 'SELECT') END
    WHEN 'function' THEN CASE WHEN to_regprocedure(o.object) IS NOT NULL
      THEN has_function_privilege(to_regprocedure(o.object), 'EXECUTE') END
    WHEN 'role' THEN CASE WHEN to_regrole(o.object) IS NOT NULL
      THEN pg_has_role(current_user, o.object, 'USAGE') END
  END AS granted,
  current_user::text AS role,
  (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser
FROM (VALUES ${
  GRANTABLES.map((x) => `(${lit(x.key)}, ${lit(x.object)}, ${lit(x.kind)})`)
    .join(",\n  ")
}) AS o(key, object, kind)`;

/** The decoded grants of one connection. */
export interface NodeGrants {
  readonly role: string;
  readonly superuser: boolean;
  /** key -> granted; absent = the object does not exist here. */
  readonly granted: ReadonlyMap<string, boolean>;
}

/** Decodes the GRANTS_SQL rows. */
export function decodeGrantRows(rows: readonly RawRow[]): NodeGrants {
  const granted = new Map<string, boolean>();
  let role = "";
  let superuser = false;
  for (const row of rows) {
    role = text(row, "role");
    superuser = optBool(row, "superuser") === true;
    const v = optBool(row, "granted");
    if (v !== null) granted.set(text(row, "key"), v);
  }
  return { role, superuser, granted };
}

/** Whether `key` is granted (false when missing or the object does not exist). */
export function can(grants: NodeGrants, key: string): boolean {
  return grants.granted.get(key) === true;
}

/** The statement that grants the grantable `key` (one of GRANTABLES) to `role`. */
export function grantFix(key: string, role: string): string {
  const x = GRANTABLES.find((g) => g.key === key);
  if (!x) throw new Error(`no grantable ${key}`);
  return grantSql(x, role);
}

/** The statement that grants `x` to `role`. */
export function grantSql(x: Grantable, role: string): string {
  const r = ident(role);
  switch (x.kind) {
    case "role":
      return `GRANT ${x.object} TO ${r};`;
    case "table":
      return `GRANT SELECT ON ${x.object} TO ${r};`;
    case "function":
      return `GRANT EXECUTE ON FUNCTION ${x.object} TO ${r};`;
  }
}
