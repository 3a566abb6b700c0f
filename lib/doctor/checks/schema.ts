/**
 * Schema drift between nodes (pgactive does not replicate DDL by default, so a column added on one
 * node breaks apply later), replicated tables without a primary key. The majority shape (ties: config
 * order) is taken as intended; fixes bring the other nodes to it and run on the node named.
 */
import type { NodeRead } from "../gather.ts";
import type { TableFact } from "../schema_query.ts";
import { type Check, ident, majority, type Problem, qname } from "./check.ts";

function tablesOf(n: NodeRead): Map<string, TableFact> {
  return new Map(n.schema.tables.map((t) => [qname(t.schema, t.name), t]));
}

const cols = (xs: readonly string[]) => xs.map(ident).join(", ");

function createTable(key: string, t: TableFact): string {
  const parts = t.columns.map((c) => `${ident(c.name)} ${c.type}${c.notNull ? " NOT NULL" : ""}`);
  if (t.pk) parts.push(`PRIMARY KEY (${cols(t.pk.columns)})`);
  for (const u of t.uniques) parts.push(`UNIQUE (${cols(u.columns)})`);
  return `CREATE TABLE ${key} (${parts.join(", ")});`;
}

/** Problems of one table across the nodes that have it. */
function tableDrift(key: string, have: readonly (readonly [NodeRead, TableFact])[]): Problem[] {
  const out: Problem[] = [];
  const names = new Set(have.flatMap(([, t]) => t.columns.map((c) => c.name)));
  for (const col of names) {
    const withCol = have.filter(([, t]) => t.columns.some((c) => c.name === col));
    const column = (t: TableFact) => t.columns.find((c) => c.name === col)!;
    if (withCol.length !== have.length) {
      const ref = column(withCol[0]![1]);
      for (const [n] of have.filter((h) => !withCol.includes(h))) {
        out.push({
          severity: "FAIL",
          node: n.name,
          seen: `${key}.${col} (${ref.type}) is missing here, present on ${
            withCol.map(([m]) => m.name).join(", ")
          }`,
          fix: `ALTER TABLE ${key} ADD COLUMN ${ident(col)} ${ref.type};`,
        });
      }
    }
    const type = majority(withCol.map(([, t]) => column(t).type))!;
    for (const [n, t] of withCol) {
      const c = column(t);
      if (c.type !== type) {
        out.push({
          severity: "FAIL",
          node: n.name,
          seen: `${key}.${col} is ${c.type}, ${type} elsewhere`,
          fix: `ALTER TABLE ${key} ALTER COLUMN ${ident(col)} TYPE ${type} USING ${
            ident(col)
          }::${type};`,
        });
      }
    }
    const notNull = majority(withCol.map(([, t]) => column(t).notNull))!;
    for (const [n, t] of withCol) {
      if (column(t).notNull === notNull) continue;
      out.push({
        severity: "WARN",
        node: n.name,
        seen: `${key}.${col} is ${notNull ? "nullable" : "NOT NULL"} here only`,
        fix: `ALTER TABLE ${key} ALTER COLUMN ${ident(col)} ${notNull ? "SET" : "DROP"} NOT NULL;`,
      });
    }
  }
  const pkKey = (t: TableFact) => t.pk ? t.pk.columns.join(",") : "";
  const pkRef = majority(have.map(([, t]) => t), pkKey)!;
  for (const [n, t] of have) {
    if (pkKey(t) === pkKey(pkRef)) continue;
    const add = pkRef.pk ? `ADD PRIMARY KEY (${cols(pkRef.pk.columns)})` : null;
    const drop = t.pk ? `DROP CONSTRAINT ${ident(t.pk.name)}` : null;
    out.push({
      severity: "FAIL",
      node: n.name,
      seen: `${key} primary key (${t.pk ? t.pk.columns.join(", ") : "none"}), (${
        pkRef.pk ? pkRef.pk.columns.join(", ") : "none"
      }) elsewhere`,
      fix: `ALTER TABLE ${key} ${[drop, add].filter(Boolean).join(", ")};`,
    });
  }
  const uniqueKeys = new Set(have.flatMap(([, t]) => t.uniques.map((u) => u.columns.join(","))));
  for (const uk of uniqueKeys) {
    const withU = have.filter(([, t]) => t.uniques.some((u) => u.columns.join(",") === uk));
    if (withU.length === have.length) continue;
    const columns = uk.split(",");
    if (withU.length * 2 >= have.length) {
      for (const [n] of have.filter((h) => !withU.includes(h))) {
        out.push({
          severity: "WARN",
          node: n.name,
          seen: `${key} has no unique key (${columns.join(", ")}) here, present on ${
            withU.map(([m]) => m.name).join(", ")
          }`,
          fix: `ALTER TABLE ${key} ADD UNIQUE (${cols(columns)});`,
        });
      }
    } else {
      for (const [n, t] of withU) {
        const u = t.uniques.find((x) => x.columns.join(",") === uk)!;
        out.push({
          severity: "WARN",
          node: n.name,
          seen: `${key} has unique key (${columns.join(", ")}) here only: apply can fail on it`,
          fix: u.constraint
            ? `ALTER TABLE ${key} DROP CONSTRAINT ${ident(u.constraint)};`
            : `DROP INDEX ${qname(t.schema, u.index)};`,
        });
      }
    }
  }
  return out;
}

const schemaDrift: Check = {
  id: "schema_drift",
  group: "schema",
  title: "replicated tables, columns, types, keys and sequences are the same on every node",
  needs: "none (catalogs)",
  run(c) {
    const problems: Problem[] = [];
    const maps = c.nodes.map((n) => [n, tablesOf(n)] as const);
    const keys = new Set(maps.flatMap(([, m]) => [...m.keys()]));
    for (const key of [...keys].sort()) {
      const have = maps.filter(([, m]) => m.has(key)).map(([n, m]) => [n, m.get(key)!] as const);
      const ref = have[0]![1];
      for (const [n] of maps.filter(([, m]) => !m.has(key))) {
        problems.push({
          severity: "FAIL",
          node: n.name,
          seen: `table ${key} is missing here, present on ${have.map(([m]) => m.name).join(", ")}`,
          fix: createTable(key, ref),
        });
      }
      if (have.length > 1) problems.push(...tableDrift(key, have));
    }
    const seqs = c.nodes.map((n) =>
      [n, new Set(n.schema.sequences.map((s) => qname(s.schema, s.name)))] as const
    );
    const seqKeys = new Set(seqs.flatMap(([, s]) => [...s]));
    for (const key of [...seqKeys].sort()) {
      const withS = seqs.filter(([, s]) => s.has(key));
      for (const [n] of seqs.filter(([, s]) => !s.has(key))) {
        problems.push({
          severity: "WARN",
          node: n.name,
          seen: `sequence ${key} is missing here, present on ${
            withS.map(([m]) => m.name).join(", ")
          }`,
          fix: `CREATE SEQUENCE ${key};`,
        });
      }
    }
    for (const n of c.nodes.filter((n) => n.schema.truncated)) {
      problems.push({
        severity: "WARN",
        node: n.name,
        seen: `more than ${n.schema.tables.length} tables: only the first were compared`,
        fix: null,
      });
    }
    return {
      problems,
      ok:
        `${keys.size} table(s), ${seqKeys.size} sequence(s) the same on ${c.nodes.length} node(s)`,
    };
  },
};

/** A unique index whose columns are all NOT NULL: the primary key the table can have. */
function pkCandidate(t: TableFact): readonly string[] | null {
  const notNull = new Set(t.columns.filter((c) => c.notNull).map((c) => c.name));
  return t.uniques.find((u) => u.columns.every((c) => notNull.has(c)))?.columns ?? null;
}

const primaryKey: Check = {
  id: "primary_key",
  group: "schema",
  title: "every replicated table has a primary key (pgactive rejects UPDATE/DELETE without one)",
  needs: "none (catalogs)",
  run(c) {
    const problems: Problem[] = [];
    const byTable = new Map<string, { t: TableFact; nodes: string[] }>();
    let total = 0;
    for (const n of c.nodes) {
      for (const t of n.schema.tables) {
        total++;
        if (t.pk || t.replicaIndex) continue;
        const key = qname(t.schema, t.name);
        const e = byTable.get(key) ?? { t, nodes: [] };
        e.nodes.push(n.name);
        byTable.set(key, e);
      }
    }
    for (const [key, { t, nodes }] of byTable) {
      const cand = pkCandidate(t);
      const fix = cand
        ? `ALTER TABLE ${key} ADD PRIMARY KEY (${cols(cand)});`
        : `ALTER TABLE ${key} ADD PRIMARY KEY (<key columns>); -- no unique NOT NULL columns yet`;
      const everywhere = nodes.length === c.nodes.length && c.nodes.length > 1;
      for (const node of everywhere ? [null] : nodes) {
        problems.push({
          severity: "FAIL",
          node,
          seen: `table ${key} has no primary key${
            everywhere ? " on any node" : ""
          }: UPDATE and DELETE on it fail under pgactive`,
          fix: everywhere ? `${fix} -- on every node` : fix,
        });
      }
    }
    return { problems, ok: `${total} table(s) checked, all with a primary key` };
  },
};

/** The schema checks (sequence collisions are in sequences.ts). */
export const SCHEMA_CHECKS: readonly Check[] = [schemaDrift, primaryKey];
