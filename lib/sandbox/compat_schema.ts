/**
 * The `pgactive` compatibility schema: the same names, argument names/types and column names/types
 * as pgactive 2.1.4+ for everything a monitor reads, answered from real PostgreSQL replication
 * state (slots, walsenders, subscriptions, replication origins, commit timestamps). Sandbox
 * internals live in schema `pgactive_sandbox`, which PUBLIC cannot use. The script is assembled
 * from schema_internal.ts, schema_tables.ts and schema_functions.ts.
 */
import { SCHEMA_FUNCTIONS_SQL } from "./schema_functions.ts";
import { SCHEMA_INTERNAL_SQL } from "./schema_internal.ts";
import { SCHEMA_TABLES_SQL } from "./schema_tables.ts";

/** Library version string reported by `pgactive_version()`. */
export const SANDBOX_PGACTIVE_VERSION = "2.1.9-sandbox";
/** `pgactive_version_num()`. */
export const SANDBOX_PGACTIVE_VERSION_NUM = 20109;

/** Marker written to `error_context` of every simulated conflict row. */
export const SIMULATED_MARKER = "simulated by pgactive-tools sandbox";

/** The install script, run once per database (in the template database before copying). */
export const COMPAT_SCHEMA_SQL = [
  "SET client_min_messages = warning;",
  SCHEMA_INTERNAL_SQL,
  SCHEMA_TABLES_SQL,
  String.raw`
-- versions and identity ------------------------------------------------------------------------
CREATE FUNCTION pgactive.pgactive_version() RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT '${SANDBOX_PGACTIVE_VERSION}'::text $f$;
CREATE FUNCTION pgactive.pgactive_version_num() RETURNS integer
LANGUAGE sql IMMUTABLE AS $f$ SELECT ${SANDBOX_PGACTIVE_VERSION_NUM} $f$;
CREATE FUNCTION pgactive.pgactive_min_remote_version_num() RETURNS integer
LANGUAGE sql IMMUTABLE AS $f$ SELECT 20100 $f$;
CREATE FUNCTION pgactive.pgactive_variant() RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT 'pgactive'::text $f$;
`,
  SCHEMA_FUNCTIONS_SQL,
  String.raw`
-- privileges as in pgactive 2.1.4+: nearly everything revoked from PUBLIC ----------------------
REVOKE ALL ON ALL TABLES IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgactive FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgactive_sandbox FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgactive.pgactive_version(), pgactive.pgactive_is_active_in_db(),
  pgactive.pgactive_is_apply_paused(), pgactive.pgactive_get_local_node_name(),
  pgactive.pgactive_get_last_applied_xact_info(text, oid, oid),
  pgactive.pgactive_get_replication_lag_info(),
  pgactive._pgactive_sandbox_lag_info_of(text, oid, oid) TO PUBLIC;
`,
].join("\n");

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** DDL for one node's replicated table (created for every node in the template). */
export function nodeTableSql(node: string): string {
  const t = `public.${ident(`sandbox_${node}`)}`;
  return `
CREATE TABLE ${t} (
  id bigserial PRIMARY KEY,
  payload text,
  origin_xid bigint DEFAULT pg_current_xact_id()::text::bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER pgactive_sandbox_stamp BEFORE UPDATE ON ${t}
  FOR EACH ROW EXECUTE FUNCTION pgactive_sandbox.stamp_origin_xid();
`;
}
