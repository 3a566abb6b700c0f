/**
 * Sequences that will collide: a sequence feeding a replicated table's column hands out the same
 * values on every node unless each node has its own offset (same increment >= node count, distinct
 * start modulo the increment). Columns on pgactive.pgactive_snowflake_id_nextval() are fine.
 */
import type { NodeRead } from "../gather.ts";
import type { SequenceFact } from "../schema_query.ts";
import { type Check, ident, type Problem, qname } from "./check.ts";

/** Increment for per-node offsets: 10 up to 10 nodes, then the next power of ten. */
export function offsetStep(nodes: number): bigint {
  let step = 10n;
  while (step < BigInt(nodes)) step *= 10n;
  return step;
}

function mod(a: bigint, m: bigint): bigint {
  return ((a % m) + m) % m;
}

/** Whether the nodes' sequences hand out disjoint values. */
export function disjoint(seqs: readonly SequenceFact[]): boolean {
  if (seqs.length < 2) return true;
  const inc = seqs[0]!.increment;
  const step = inc < 0n ? -inc : inc;
  if (step < BigInt(seqs.length) || seqs.some((s) => s.increment !== inc)) return false;
  return new Set(seqs.map((s) => mod(s.start, step))).size === seqs.length;
}

/** The sequences used by replicated columns (not snowflake defaults): key -> table.column. */
function usedSequences(n: NodeRead): Map<string, { table: string; column: string }> {
  const out = new Map<string, { table: string; column: string }>();
  for (const t of n.schema.tables) {
    for (const c of t.columns) {
      if (!c.sequence || c.default?.includes("pgactive_snowflake_id_nextval")) continue;
      const [schema, ...rest] = c.sequence.split(".");
      out.set(qname(schema!, rest.join(".")), { table: qname(t.schema, t.name), column: c.name });
    }
  }
  return out;
}

const sequenceCollision: Check = {
  id: "sequence_collision",
  group: "schema",
  title: "sequences of replicated columns give each node its own values (offsets or snowflake ids)",
  needs: "none (catalogs)",
  run(c) {
    const problems: Problem[] = [];
    const used = new Map<string, { table: string; column: string }>();
    for (const n of c.nodes) for (const [k, v] of usedSequences(n)) used.set(k, v);
    const step = offsetStep(c.configured.length);
    const byNode = c.nodes.map((n) =>
      [n, new Map(n.schema.sequences.map((s) => [qname(s.schema, s.name), s]))] as const
    );
    for (const [key, { table, column }] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
      const per = byNode.flatMap(([n, seqs]) => {
        const s = seqs.get(key);
        return s ? [{ n, s }] : [];
      });
      if (per.length < 2 || disjoint(per.map((p) => p.s))) continue;
      per.forEach(({ n, s }, i) => {
        const offset = BigInt(c.configured.indexOf(n.name) + 1 || i + 1);
        // Restart above every value already in the table (rows from every node are replicated).
        const fix =
          `DO $$ DECLARE next bigint; BEGIN SELECT (COALESCE(max(${
            ident(column)
          }), 0) / ${step} + 1) * ${step} + ${offset} INTO next FROM ${table}; EXECUTE format(` +
          `'ALTER SEQUENCE ${key} INCREMENT BY ${step} START WITH %s RESTART WITH %s', next, next);` +
          ` END $$;`;
        // WARN, not FAIL: values collide only once two nodes insert (write routing is unknown).
        problems.push({
          severity: "WARN",
          node: n.name,
          seen: `sequence ${key} (${table}.${column}) starts at ${s.start} by ${s.increment}` +
            ` as on ${per.length - 1} other node(s): inserts on two nodes collide`,
          fix,
        });
      });
    }
    return { problems, ok: `${used.size} sequence(s) of replicated columns, no overlap` };
  },
};

/** The sequence check. */
export const SEQUENCE_CHECKS: readonly Check[] = [sequenceCollision];
