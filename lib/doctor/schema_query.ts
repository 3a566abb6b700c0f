/**
 * The replicated schema of one node, from the catalogs only (readable by any role): permanent
 * user tables (pgactive replicates every one by default; temp and unlogged ones never), their
 * columns, primary key, replica identity index, unique indexes and the sequences feeding their
 * columns, plus every user sequence. One json statement, capped at {@link MAX_TABLES} tables.
 */
import type { RawRow } from "./fields.ts";
import { list, optBool, optObject, optText, text, texts } from "./fields.ts";

/** Tables read per node at most (the rest is reported as not checked). */
export const MAX_TABLES = 5000;

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgactive')
    AND n.nspname NOT LIKE 'pg\\_%'`;

/** The schema statement ($1 = table cap). */
export const SCHEMA_SQL = `
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p' AND NOT c.relispartition
    AND ${USER_SCHEMA}
  ORDER BY n.nspname, c.relname
  LIMIT $1::int + 1
)
SELECT json_build_object(
  'tables', COALESCE((SELECT json_agg(json_build_object(
    'schema', r.nspname, 'name', r.relname,
    'columns', (SELECT json_agg(json_build_object('name', a.attname,
        'type', pg_catalog.format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull,
        'sequence', (SELECT sn.nspname || '.' || s.relname
           FROM pg_catalog.pg_depend d
           JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
           JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
           WHERE d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = r.oid
             AND d.refobjsubid = a.attnum AND d.classid = 'pg_catalog.pg_class'::regclass
             AND d.deptype IN ('a', 'i')
           UNION ALL
           SELECT sn.nspname || '.' || s.relname
           FROM pg_catalog.pg_attrdef ad
           JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass
             AND d.objid = ad.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
           JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
           JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
           WHERE ad.adrelid = r.oid AND ad.adnum = a.attnum
           LIMIT 1),
        'default', (SELECT pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) FROM pg_catalog.pg_attrdef ad
           WHERE ad.adrelid = r.oid AND ad.adnum = a.attnum))
        ORDER BY a.attnum)
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
    'pk', (SELECT json_build_object('name', con.conname, 'columns',
        (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.num))
      FROM pg_catalog.pg_constraint con WHERE con.conrelid = r.oid AND con.contype = 'p'),
    'replica_index', EXISTS (SELECT 1 FROM pg_catalog.pg_index i
      WHERE i.indrelid = r.oid AND i.indisreplident),
    'uniques', (SELECT json_agg(json_build_object('index', ic.relname, 'constraint',
        (SELECT con.conname FROM pg_catalog.pg_constraint con WHERE con.conrelid = r.oid
          AND con.conindid = i.indexrelid AND con.contype = 'u'),
        'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.num))
        ORDER BY ic.relname)
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = r.oid AND i.indisunique AND NOT i.indisprimary
        AND i.indpred IS NULL AND i.indexprs IS NULL)
  ) ORDER BY r.nspname, r.relname) FROM rels r), '[]'::json),
  'sequences', COALESCE((SELECT json_agg(json_build_object('schema', n.nspname, 'name', c.relname,
      'type', pg_catalog.format_type(s.seqtypid, NULL), 'start', s.seqstart::text,
      'increment', s.seqincrement::text) ORDER BY n.nspname, c.relname)
    FROM pg_catalog.pg_sequence s
    JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relpersistence = 'p' AND ${USER_SCHEMA}), '[]'::json)
) AS schema`;

/** One column. */
export interface ColumnFact {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  /** `schema.sequence` feeding it (serial, identity or a nextval default), or null. */
  readonly sequence: string | null;
  /** Default expression text, or null. */
  readonly default: string | null;
}

/** One unique index (not the primary key; no partial or expression index). */
export interface UniqueFact {
  readonly index: string;
  /** The constraint it backs, or null for a plain unique index. */
  readonly constraint: string | null;
  readonly columns: readonly string[];
}

/** One replicated table. */
export interface TableFact {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnFact[];
  readonly pk: { readonly name: string; readonly columns: readonly string[] } | null;
  /** REPLICA IDENTITY USING INDEX (pgactive accepts it in place of a primary key). */
  readonly replicaIndex: boolean;
  readonly uniques: readonly UniqueFact[];
}

/** One sequence. */
export interface SequenceFact {
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly start: bigint;
  readonly increment: bigint;
}

/** A node's replicated schema. */
export interface SchemaFacts {
  readonly tables: readonly TableFact[];
  readonly sequences: readonly SequenceFact[];
  /** More than {@link MAX_TABLES} tables: only the first were read. */
  readonly truncated: boolean;
}

/** Decodes the schema document. */
export function decodeSchema(doc: RawRow, maxTables = MAX_TABLES): SchemaFacts {
  const tables = list(doc, "tables").map((t): TableFact => {
    const pk = optObject(t, "pk");
    return {
      schema: text(t, "schema"),
      name: text(t, "name"),
      columns: list(t, "columns").map((c) => ({
        name: text(c, "name"),
        type: text(c, "type"),
        notNull: optBool(c, "not_null") === true,
        sequence: optText(c, "sequence"),
        default: optText(c, "default"),
      })),
      pk: pk ? { name: text(pk, "name"), columns: texts(pk, "columns") } : null,
      replicaIndex: optBool(t, "replica_index") === true,
      uniques: list(t, "uniques").map((u) => ({
        index: text(u, "index"),
        constraint: optText(u, "constraint"),
        columns: texts(u, "columns"),
      })),
    };
  });
  return {
    tables: tables.slice(0, maxTables),
    truncated: tables.length > maxTables,
    sequences: list(doc, "sequences").map((s) => ({
      schema: text(s, "schema"),
      name: text(s, "name"),
      type: text(s, "type"),
      start: BigInt(text(s, "start")),
      increment: BigInt(text(s, "increment")),
    })),
  };
}
