/** The script of `Sandbox.createMonitoringRole`: the grants of pgactive-observed.md section 6b. */
import { ident, literal } from "./compat_schema.ts";

const TABLES = `pgactive.pgactive_nodes, pgactive.pgactive_connections,
  pgactive.pgactive_conflict_history, pgactive.pgactive_stats,
  pgactive.pgactive_global_locks_info, pgactive.pgactive_global_locks`;
const FUNCTIONS = `pgactive.pgactive_version_num(), pgactive.pgactive_min_remote_version_num(),
  pgactive.pgactive_variant(), pgactive.pgactive_get_local_nodeid(),
  pgactive.pgactive_get_stats(), pgactive.pgactive_get_workers_info(),
  pgactive.pgactive_node_status_from_char("char"), pgactive.pgactive_parse_slot_name(name),
  pgactive.pgactive_parse_replident_name(text), pgactive.pgactive_get_global_locks_info()`;

/** Creates the LOGIN role if missing, grants pg_monitor, then grants (`full`) or revokes the set. */
export function monitoringRoleSql(role: string, grants: "full" | "none"): string {
  const r = ident(role);
  const full = grants === "full";
  const verb = full ? "GRANT" : "REVOKE";
  const to = full ? "TO" : "FROM";
  return `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN
        CREATE ROLE ${r} LOGIN;
      END IF;
    END $$;
    GRANT pg_monitor TO ${r};
    ${verb} SELECT ON ${TABLES} ${to} ${r};
    ${verb} EXECUTE ON FUNCTION ${FUNCTIONS} ${to} ${r};
    ${verb} SELECT ON pg_catalog.pg_replication_origin_status ${to} ${r};
    ${verb} EXECUTE ON FUNCTION pg_catalog.pg_show_replication_origin_status() ${to} ${r};`;
}
