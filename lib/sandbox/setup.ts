/**
 * Builds the sandbox on disk: one initdb'd template (databases, pgactive schema, node tables)
 * copied per node, then per node identity rows, publication, pgactive-named slots, and one
 * subscription per peer (a full mesh).
 */
import postgres from "postgres";
import { COMPAT_SCHEMA_SQL, ident, literal, nodeTableSql } from "./compat_schema.ts";
import { appendConf, initdb, PgInstance, serverSettings } from "./instance.ts";
import { exists, type RunAs, runOk, shell } from "./process.ts";

/** Name of the template database (pgactive schema, no node identity) used by createDatabase. */
export const TEMPLATE_DB = "pgactive_sandbox_template";
/** Publication each node creates for its own table. */
export const PUBLICATION = "pgactive_sandbox_pub";

/** Opens a small postgres.js pool. */
export function openPool(dsn: string, max = 4): postgres.Sql {
  return postgres(dsn, {
    max,
    connect_timeout: 10,
    idle_timeout: 20,
    onnotice: () => {},
    connection: { application_name: "pgactive-tools sandbox" },
  });
}

/** Superuser DSN of a node's database. */
export function superDsn(port: number, database: string, user = "postgres"): string {
  return `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** libpq key=value DSN as stored in pgactive_nodes.node_dsn (like the observed cluster). */
export function nodeDsn(port: number, database: string): string {
  return `host=127.0.0.1 port=${port} dbname=${database} user=postgres`;
}

/** Subscription on a node that receives `upstream`'s changes. */
export function subscriptionName(upstream: string): string {
  return `sandbox_from_${upstream}`;
}

/** The slot name pgactive uses on the origin for one consumer. */
export function slotName(
  originDboid: number,
  consumerSysid: string,
  consumerDboid: number,
): string {
  return `pgactive_${originDboid}_${consumerSysid}_0_${consumerDboid}__`;
}

/** A random pgactive-style 64-bit node identifier in [2^62, 2^63), as decimal text. */
export function newSysid(): string {
  const buf = new BigUint64Array(1);
  crypto.getRandomValues(buf);
  const v = (buf[0]! & ((1n << 62n) - 1n)) | (1n << 62n);
  return v.toString();
}

/** Where pgoutput.so lives for this server build. */
async function pkgLibDir(pgBin: string): Promise<string> {
  const guess = `${pgBin}/../lib`;
  if (await exists(`${guess}/pgoutput.so`)) return guess;
  const r = await new Deno.Command(`${pgBin}/pg_config`, { args: ["--pkglibdir"], stdin: "null" })
    .output().catch(() => null);
  const dir = r && r.code === 0 ? new TextDecoder().decode(r.stdout).trim() : "";
  if (dir && await exists(`${dir}/pgoutput.so`)) return dir;
  throw new Error(`Cannot find pgoutput.so for the PostgreSQL binaries in "${pgBin}"`);
}

/**
 * Creates `<tmp>/template`: initdb, settings, databases `pgactive_sandbox_template` (schema only)
 * and `database` (schema + one table per node), cleanly stopped so it can be copied.
 */
export async function buildTemplate(opts: {
  tmp: string;
  pgBin: string;
  runAs: RunAs;
  nodeNames: readonly string[];
  database: string;
  /** Searched for libraries after the sandbox's own folder, before `$libdir`. */
  extraLibraryDirs: readonly string[];
}): Promise<string> {
  const { tmp, pgBin, runAs } = opts;
  const libDir = `${tmp}/lib`;
  const sockDir = `${tmp}/sock`;
  await shell(
    `mkdir "$1" "$2" && cp "$3" "$1/pgactive.so" && if [ -n "$4" ]; then chown -R "$4" "$1" "$2"; fi`,
    [
      libDir,
      sockDir,
      `${await pkgLibDir(pgBin)}/pgoutput.so`,
      runAs.wrapped ? `${runAs.uid}:${runAs.gid}` : "",
    ],
  );
  const dataDir = `${tmp}/template`;
  await initdb(pgBin, runAs, dataDir);
  await appendConf(
    `${dataDir}/postgresql.conf`,
    serverSettings(opts.nodeNames.length, {
      sockDir,
      libDirs: [libDir, ...opts.extraLibraryDirs],
    }),
  );
  const inst = new PgInstance({
    name: "template",
    pgBin,
    runAs,
    dataDir,
    logFile: `${tmp}/template.log`,
  });
  await inst.start();
  try {
    const admin = openPool(superDsn(inst.port, "postgres"), 1);
    try {
      await admin.unsafe(`CREATE DATABASE ${ident(TEMPLATE_DB)}`);
    } finally {
      await admin.end({ timeout: 2 });
    }
    const tpl = openPool(superDsn(inst.port, TEMPLATE_DB), 1);
    try {
      await tpl.unsafe(COMPAT_SCHEMA_SQL);
    } finally {
      await tpl.end({ timeout: 2 });
    }
    const admin2 = openPool(superDsn(inst.port, "postgres"), 1);
    try {
      await admin2.unsafe(
        `CREATE DATABASE ${ident(opts.database)} TEMPLATE ${ident(TEMPLATE_DB)} STRATEGY FILE_COPY`,
      );
    } finally {
      await admin2.end({ timeout: 2 });
    }
    const app = openPool(superDsn(inst.port, opts.database), 1);
    try {
      await app.unsafe(opts.nodeNames.map(nodeTableSql).join("\n"));
    } finally {
      await app.end({ timeout: 2 });
    }
  } finally {
    await inst.stop("fast");
  }
  return dataDir;
}

/** Copies the template data directory for one node (as the instance's OS user). */
export async function copyTemplate(runAs: RunAs, from: string, to: string): Promise<void> {
  await runOk(runAs, "cp", ["-a", from, to], { timeoutMs: 60_000 });
}

/** What setup needs to know about each node. */
export interface MeshNode {
  name: string;
  port: number;
  sysid: string;
  dboid: number;
  sql: postgres.Sql;
}

/** Per node: identity, pgactive_nodes/connections rows, apply triggers, publication, slots. */
export async function configureNode(
  self: MeshNode,
  all: readonly MeshNode[],
  database: string,
): Promise<void> {
  const peers = all.filter((n) => n !== self);
  const stmts: string[] = [
    `INSERT INTO pgactive_sandbox.local_node (sysid, node_name) VALUES (${literal(self.sysid)}, ${
      literal(self.name)
    })`,
  ];
  all.forEach((n, i) => {
    const dsn = nodeDsn(n.port, database);
    const initFrom = i === 0 ? "NULL" : literal(nodeDsn(all[0]!.port, database));
    stmts.push(
      `INSERT INTO pgactive.pgactive_nodes (node_sysid, node_timeline, node_dboid, node_status,
         node_name, node_dsn, node_init_from_dsn, node_read_only, node_seq_id)
       VALUES (${literal(n.sysid)}, 0, ${n.dboid}, 'r', ${literal(n.name)}, ${literal(dsn)},
         ${initFrom}, false, ${i + 1})`,
      `INSERT INTO pgactive.pgactive_connections (conn_sysid, conn_timeline, conn_dboid, conn_dsn)
       VALUES (${literal(n.sysid)}, 0, ${n.dboid}, ${literal(dsn)})`,
    );
  });
  for (const p of peers) {
    const table = `public.${ident(`sandbox_${p.name}`)}`;
    stmts.push(
      `INSERT INTO pgactive_sandbox.apply_state (origin_sysid, origin_timeline, origin_dboid, sub_name)
       VALUES (${literal(p.sysid)}, 0, ${p.dboid}, ${literal(subscriptionName(p.name))})`,
      `CREATE TRIGGER pgactive_sandbox_apply AFTER INSERT OR UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION pgactive_sandbox.on_apply(${literal(p.sysid)})`,
      `ALTER TABLE ${table} ENABLE REPLICA TRIGGER pgactive_sandbox_apply`,
    );
  }
  stmts.push(
    `CREATE PUBLICATION ${ident(PUBLICATION)} FOR TABLE public.${ident(`sandbox_${self.name}`)}`,
  );
  await self.sql.begin((tx) => tx.unsafe(stmts.join(";\n")));
  for (const p of peers) {
    await self.sql.unsafe(
      `SELECT pg_create_logical_replication_slot($1, 'pgactive')`,
      [slotName(self.dboid, p.sysid, p.dboid)],
    );
  }
}

/** A standalone pgactive identity for the current database (one node, no replication). */
export function standaloneIdentitySql(sysid: string, name: string, dsn: string): string {
  return `
    INSERT INTO pgactive_sandbox.local_node (sysid, node_name)
    VALUES (${literal(sysid)}, ${literal(name)});
    INSERT INTO pgactive.pgactive_nodes (node_sysid, node_timeline, node_dboid, node_status,
      node_name, node_dsn, node_read_only, node_seq_id)
    SELECT ${literal(sysid)}, 0, oid, 'r', ${literal(name)}, ${literal(dsn)}, false, 1
    FROM pg_database WHERE datname = current_database();
    INSERT INTO pgactive.pgactive_connections (conn_sysid, conn_timeline, conn_dboid, conn_dsn)
    SELECT ${literal(sysid)}, 0, oid, ${literal(dsn)}
    FROM pg_database WHERE datname = current_database();`;
}

/** Per node: one subscription per peer, reusing the slot created on the peer. */
export async function subscribeNode(
  self: MeshNode,
  all: readonly MeshNode[],
  database: string,
): Promise<void> {
  for (const p of all) {
    if (p === self) continue;
    const conn = `${nodeDsn(p.port, database)} application_name=pgactive:${self.sysid}:send`;
    await self.sql.unsafe(
      `CREATE SUBSCRIPTION ${ident(subscriptionName(p.name))} CONNECTION ${literal(conn)}
       PUBLICATION ${ident(PUBLICATION)}
       WITH (create_slot = false, slot_name = ${
        literal(slotName(p.dboid, self.sysid, self.dboid))
      }, copy_data = false, enabled = true)`,
    );
  }
}
