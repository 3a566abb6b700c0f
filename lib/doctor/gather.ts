/**
 * Reads one node for the doctor over its own short-lived connection (never the collector's):
 * grants, facts, schema and clock samples, in four statements plus the samples, under one deadline.
 * Errors are redacted NodeProbeErrors (lib/pgactive), so no DSN password reaches a finding.
 */
import postgres from "postgres";
import { classifyError, NodeProbeError, parseDsn } from "../pgactive/mod.ts";
import { CLOCK_SQL, type ClockSample } from "./clock.ts";
import { buildFactsSql, decodeFacts, type NodeFacts } from "./facts_query.ts";
import type { RawRow } from "./fields.ts";
import { decodeGrantRows, GRANTS_SQL, type NodeGrants } from "./grants.ts";
import { decodeSchema, MAX_TABLES, SCHEMA_SQL, type SchemaFacts } from "./schema_query.ts";

/** What was read from one node. */
export interface NodeRead {
  readonly name: string;
  readonly grants: NodeGrants;
  readonly facts: NodeFacts;
  readonly schema: SchemaFacts;
  readonly clock: readonly ClockSample[];
  /** Wall time of the read, ms. */
  readonly readMs: number;
}

/** Options of {@link readNode}. */
export interface ReadNodeOptions {
  /** Deadline of the whole read (connect + statements), ms. */
  timeoutMs: number;
  /** Extra strings to redact from errors. */
  secrets?: readonly string[];
  /** Clock samples to take (default 3). */
  clockSamples?: number;
  /** Tables read at most (default MAX_TABLES). */
  maxTables?: number;
  /** Collector clock, epoch ms with sub-ms precision (default performance.timeOrigin + now()). */
  now?: () => number;
}

/** Reads one node; throws a redacted NodeProbeError. */
export async function readNode(
  node: { name: string; dsn: string },
  opts: ReadNodeOptions,
): Promise<NodeRead> {
  const now = opts.now ?? (() => performance.timeOrigin + performance.now());
  const secrets = [...(opts.secrets ?? [])];
  let parsed;
  try {
    parsed = parseDsn(node.dsn);
  } catch (err) {
    throw new NodeProbeError(node.name, "CONNECT_REFUSED", (err as Error).message);
  }
  if (parsed.password) secrets.push(parsed.password);
  const options = {
    max: 1,
    prepare: false,
    fetch_types: false,
    idle_timeout: 1,
    connect_timeout: Math.max(opts.timeoutMs / 1000, 0.05),
    onnotice: () => {},
    connection: {
      application_name: "pgactive-tools doctor",
      statement_timeout: Math.max(Math.floor(opts.timeoutMs), 1),
    },
  };
  // deno-lint-ignore no-explicit-any
  const sql = parsed.url ? postgres(parsed.url, options as any) : postgres({
    ...parsed.options,
    ...options,
    // deno-lint-ignore no-explicit-any
  } as any);
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NodeProbeError(node.name, "PROBE_TIMEOUT", `no answer within ${opts.timeoutMs} ms`),
        ),
      opts.timeoutMs,
    );
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (err) {
    throw classifyError(node.name, err, { secrets, connectTimeoutMs: opts.timeoutMs });
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 0 }).catch(() => {});
  }

  async function work(): Promise<NodeRead> {
    const grants = decodeGrantRows(await sql.unsafe(GRANTS_SQL) as unknown as RawRow[]);
    const [factsRow] = await sql.unsafe(buildFactsSql(grants)) as unknown as RawRow[];
    const facts = decodeFacts(json(factsRow?.facts, "facts"));
    const maxTables = opts.maxTables ?? MAX_TABLES;
    const [schemaRow] = await sql.unsafe(SCHEMA_SQL, [maxTables]) as unknown as RawRow[];
    const schema = decodeSchema(json(schemaRow?.schema, "schema"), maxTables);
    const clock: ClockSample[] = [];
    for (let i = 0; i < (opts.clockSamples ?? 3); i++) {
      const sentMs = now();
      const [row] = await sql.unsafe(CLOCK_SQL) as unknown as RawRow[];
      const receivedMs = now();
      clock.push({ sentMs, serverMs: Number(row?.ms), receivedMs });
    }
    return {
      name: node.name,
      grants,
      facts,
      schema,
      clock,
      readMs: performance.now() - started,
    };
  }
}

function json(v: unknown, field: string): RawRow {
  const doc = typeof v === "string" ? JSON.parse(v) : v;
  if (doc === null || typeof doc !== "object") throw new TypeError(`${field}: expected a document`);
  return doc as RawRow;
}
