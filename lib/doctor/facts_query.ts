/**
 * Per-node facts for the settings, versions, membership and slot checks: one json statement,
 * assembled from the parts this role may read (EXECUTE is checked when a plan starts, so a CASE
 * cannot guard a call: unreadable parts are left out and read as null).
 */
import type { RawRow } from "./fields.ts";
import { list, optBig, optBool, optNum, optObject, optText, text, texts } from "./fields.ts";
import { can, type NodeGrants } from "./grants.ts";

/** Server settings the checks read (plus every `pgactive.%`). */
export const SETTING_NAMES = [
  "wal_level",
  "track_commit_timestamp",
  "shared_preload_libraries",
  "output_plugin_libraries",
  "max_replication_slots",
  "max_wal_senders",
  "max_worker_processes",
  "max_slot_wal_keep_size",
] as const;

/** One pg_settings row. */
export interface Setting {
  readonly setting: string;
  readonly unit: string | null;
  /** postmaster (restart), sighup (reload), superuser, user, ... */
  readonly context: string;
}

/** One replication slot of the instance. */
export interface SlotFact {
  readonly name: string;
  readonly plugin: string | null;
  readonly database: string | null;
  readonly active: boolean;
  /** reserved, extended, unreserved, lost (null before PG 13 or for a slot never used). */
  readonly walStatus: string | null;
  /** WAL between the current position and the slot's restart_lsn. */
  readonly retainedBytes: bigint | null;
}

/** One pgactive_nodes row (never node_dsn: it may carry a password). */
export interface MemberFact {
  readonly name: string;
  readonly sysid: string;
  readonly timeline: number;
  readonly dboid: number;
  readonly status: string;
}

/** What one node told the doctor (besides schema and clock). */
export interface NodeFacts {
  readonly serverVersionNum: number;
  readonly serverVersion: string;
  readonly dbOid: number;
  /** name -> setting; absent = not visible to this role (or not on this server). */
  readonly settings: ReadonlyMap<string, Setting>;
  /** pg_extension.extversion; null when not installed. */
  readonly extensionVersion: string | null;
  /** pg_available_extensions.default_version; null when the control file is not there. */
  readonly extensionDefault: string | null;
  /** Versions with an install or update script. */
  readonly extensionAvailable: readonly string[];
  /** pgactive_version() (`2.1.9-<date>-<hash>`); null when not callable. */
  readonly libraryVersion: string | null;
  /** null when pgactive_get_local_nodeid() is not callable. */
  readonly localSysid: string | null;
  /** null when pgactive_nodes is not readable. */
  readonly members: readonly MemberFact[] | null;
  readonly slots: readonly SlotFact[];
  /** Connected walsenders that are not pgactive's (other replicas, tools). */
  readonly otherWalsenders: number;
  /** Free bytes on the WAL directory's file system; null when not readable. */
  readonly freeWalBytes: bigint | null;
}

/** The facts statement for a connection with `grants`. */
export function buildFactsSql(grants: NodeGrants): string {
  const names = SETTING_NAMES.map((n) => `'${n}'`).join(", ");
  const parts = [
    `'server_version_num', current_setting('server_version_num')`,
    `'server_version', current_setting('server_version')`,
    `'db_oid', (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`,
    `'settings', (SELECT json_agg(json_build_object('name', name, 'setting', setting,
        'unit', unit, 'context', context)) FROM pg_catalog.pg_settings
      WHERE name IN (${names}) OR name LIKE 'pgactive.%')`,
    `'extension', (SELECT json_build_object('installed',
        (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pgactive'),
        'default_version', (SELECT default_version FROM pg_catalog.pg_available_extensions
          WHERE name = 'pgactive'),
        'available', (SELECT json_agg(version) FROM pg_catalog.pg_available_extension_versions
          WHERE name = 'pgactive')))`,
    `'slots', (SELECT json_agg(json_build_object('name', slot_name, 'plugin', plugin,
        'database', database, 'active', active, 'wal_status', wal_status,
        'retained_bytes', pg_catalog.pg_wal_lsn_diff(CASE WHEN pg_catalog.pg_is_in_recovery()
          THEN pg_catalog.pg_last_wal_receive_lsn() ELSE pg_catalog.pg_current_wal_lsn() END,
          restart_lsn)::text)) FROM pg_catalog.pg_replication_slots)`,
    `'other_walsenders', (SELECT count(*) FROM pg_catalog.pg_stat_replication
      WHERE application_name NOT LIKE 'pgactive:%')`,
  ];
  if (can(grants, "version")) parts.push(`'library_version', pgactive.pgactive_version()`);
  if (can(grants, "local_nodeid")) {
    parts.push(`'local_sysid', (SELECT sysid FROM pgactive.pgactive_get_local_nodeid())`);
  }
  if (can(grants, "nodes")) {
    parts.push(`'members', COALESCE((SELECT json_agg(json_build_object('name', node_name,
        'sysid', node_sysid, 'timeline', node_timeline, 'dboid', node_dboid,
        'status', node_status::text)) FROM pgactive.pgactive_nodes), '[]'::json)`);
  }
  // data_directory is readable with pg_read_all_settings (pg_monitor) only.
  if (can(grants, "free_disk") && (can(grants, "pg_monitor") || grants.superuser)) {
    parts.push(`'free_wal_bytes', (SELECT free_disk_space::text FROM
      pgactive._pgactive_get_free_disk_space(current_setting('data_directory') || '/pg_wal'))`);
  }
  return `SELECT json_build_object(\n  ${parts.join(",\n  ")}\n) AS facts`;
}

/** Decodes the facts document. */
export function decodeFacts(doc: RawRow): NodeFacts {
  const settings = new Map<string, Setting>();
  for (const s of list(doc, "settings")) {
    settings.set(text(s, "name"), {
      setting: optText(s, "setting") ?? "",
      unit: optText(s, "unit"),
      context: text(s, "context"),
    });
  }
  const ext = optObject(doc, "extension") ?? {};
  const available = texts(ext, "available", "extension.available");
  const members = doc.members === undefined ? null : list(doc, "members").map((m) => ({
    name: text(m, "name"),
    sysid: text(m, "sysid"),
    timeline: optNum(m, "timeline") ?? 0,
    dboid: optNum(m, "dboid") ?? 0,
    status: text(m, "status"),
  }));
  return {
    serverVersionNum: optNum(doc, "server_version_num") ?? 0,
    serverVersion: optText(doc, "server_version") ?? "",
    dbOid: optNum(doc, "db_oid") ?? 0,
    settings,
    extensionVersion: optText(ext, "installed"),
    extensionDefault: optText(ext, "default_version"),
    extensionAvailable: available,
    libraryVersion: optText(doc, "library_version"),
    localSysid: optText(doc, "local_sysid"),
    members,
    slots: list(doc, "slots").map((s) => ({
      name: text(s, "name"),
      plugin: optText(s, "plugin"),
      database: optText(s, "database"),
      active: optBool(s, "active") === true,
      walStatus: optText(s, "wal_status"),
      retainedBytes: optBig(s, "retained_bytes"),
    })),
    otherWalsenders: optNum(doc, "other_walsenders") ?? 0,
    freeWalBytes: optBig(doc, "free_wal_bytes"),
  };
}
