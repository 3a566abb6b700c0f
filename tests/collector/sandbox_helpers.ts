/** Helpers shared by the collector's sandbox tests (not a test file). */
import type { Collector } from "../../lib/collector/mod.ts";
import type { ResolvedConfig } from "../../lib/config/types.ts";
import type { Sandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";

/** A resolved config with short intervals and thresholds for tests. */
export function testConfig(
  nodes: readonly { name: string; dsn: string }[],
  over: { intervalMs?: number; probeTimeoutMs?: number; conflictsWarnPerMinute?: number } = {},
): ResolvedConfig {
  return {
    collector: {
      intervalMs: over.intervalMs ?? 500,
      probeTimeoutMs: over.probeTimeoutMs ?? 1000,
      nodes: nodes.map((n) => ({ name: n.name, dsn: n.dsn })),
      conflictWindowMs: 60_000,
    },
    thresholds: {
      lagSecondsWarn: 1,
      lagSecondsCrit: 3,
      conflictsWarnPerMinute: over.conflictsWarnPerMinute ?? 3,
      walsenderInactiveCritMs: 2000,
    },
    server: { host: "127.0.0.1", port: 0, authToken: null, metricsRequireAuth: false, tls: null },
    database: { path: ":memory:", retentionMs: 86_400_000, storeConflictTuples: false },
    log: { level: "info", access: "sampled" },
  };
}

/** One line per node: name, status, reasons (for assertion messages). */
export function describe(s: Snapshot): string {
  return Object.values(s.nodes).map((n) => `${n.name}=${n.status} ${JSON.stringify(n.reasons)}`)
    .join("; ");
}

/**
 * Runs cycles (one every `everyMs`) until `pred` holds; returns every snapshot seen, the last one
 * satisfying `pred`. Throws with the last snapshot's statuses after `timeoutMs`.
 */
export async function cycleUntil(
  c: Collector,
  what: string,
  pred: (s: Snapshot) => boolean,
  opts: { timeoutMs?: number; everyMs?: number } = {},
): Promise<Snapshot[]> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const seen: Snapshot[] = [];
  while (true) {
    const started = Date.now();
    const { snapshot } = await c.runCycle();
    seen.push(snapshot);
    if (pred(snapshot)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}; last: ${describe(snapshot)}`);
    }
    const wait = (opts.everyMs ?? 200) - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** The link from -> to of a snapshot (throws when missing). */
export function linkOf(s: Snapshot, from: string, to: string) {
  const l = s.links.find((x) => x.from === from && x.to === to);
  if (!l) throw new Error(`no link ${from} -> ${to} in snapshot ${s.version}`);
  return l;
}

/** Every link caught up with every lag 0, and every node HEALTHY. */
export function allCaughtUp(s: Snapshot): boolean {
  return s.status === "HEALTHY" &&
    s.links.every((l) =>
      l.caught_up === true && l.lag_seconds === 0 && l.lag_bytes === 0 && l.lag_xid === 0
    );
}

/**
 * Writes about `segments` WAL segments of changes on `node` (into its sandbox table), switching
 * to a new segment after each: enough to push a slot past a 1 MB max_slot_wal_keep_size.
 */
export async function writeWalSegments(sb: Sandbox, node: string, segments: number) {
  for (let i = 0; i < segments; i++) {
    await sb.query(
      node,
      `INSERT INTO sandbox_${node} (payload) SELECT repeat('x', 2000) FROM generate_series(1, 4000)`,
    );
    await sb.query(node, "SELECT pg_switch_wal()");
  }
}

/**
 * Whether `origin` committed a local (origin 0) transaction at or after `sinceMs` (its clock): the
 * evidence that a link out of it was really behind (autovacuum's transactions are such commits on
 * "idle" nodes). Scans the last 5,000 transaction ids.
 */
export async function localCommitSince(
  sb: Sandbox,
  origin: string,
  sinceMs: number,
): Promise<boolean> {
  const rows = await sb.query(
    origin,
    `SELECT count(*)::int AS n FROM generate_series(
       greatest(3, pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 5000),
       pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1) AS x,
     LATERAL pg_xact_commit_timestamp_origin(x::text::xid) AS c
     WHERE c.roident = 0 AND c.timestamp >= to_timestamp($1::float8 / 1000)`,
    [sinceMs],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
