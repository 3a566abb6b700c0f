/**
 * Local commits since the previous probe, read on the ORIGIN from its commit timestamps
 * (pgactive requires track_commit_timestamp). pgactive sends a peer only the transactions whose
 * replication origin is 0 (made on this node, not applied from a peer), so "has the target
 * applied everything?" reduces to "is any local commit newer than what the target applied?".
 *
 * Each probe scans the transaction ids that can have committed since the previous probe: from
 * the previous probe's snapshot xmin (every transaction still running then has an id at or
 * above it; every later one gets a higher id) up to the current next xid, keeping the commits
 * with roident 0 and a commit time after the previous probe's clock. It returns their count and
 * oldest and newest commit times. A connection's first probe scans the last
 * LOCAL_COMMIT_BOOTSTRAP ids instead and also returns the oldest commit time among them (any
 * origin): the scan covers the commits after it. The scan is skipped (null: unknown) when more
 * than LOCAL_COMMIT_SCAN_MAX ids were burnt since the previous probe.
 */
import { int, optTimestamp, type RawRow } from "./fields.ts";

/**
 * Most transaction ids one probe examines; above it the scan is skipped (measured on pgactive
 * 2.1.9: 50,000 ids in 55 ms, so at most about 22 ms per probe).
 */
export const LOCAL_COMMIT_SCAN_MAX = 20_000;

/**
 * A transaction's commit time is taken before its commit becomes visible (WAL flush, commit
 * log): a commit stamped up to this long before a probe may not be seen by it. Scans and
 * "applied up to" times reach back this far; a commit is at worst reported twice, never missed.
 */
export const COMMIT_VISIBILITY_MARGIN_MS = 1000;

/** Ids a connection's first probe examines. */
export const LOCAL_COMMIT_BOOTSTRAP = 10_000;

/** 2^32: transaction ids in pg_xact_commit_timestamp_origin are 32-bit. */
const XID_SPACE = "4294967296";

const NEXT_XID8 = "pg_snapshot_xmax(pg_current_snapshot())::text::bigint";

/** The commits of the full (64-bit) xids from `first` to the next xid, with their origin. */
function commitsFrom(first: string): string {
  return `generate_series(${first}, ${NEXT_XID8} - 1) x
  CROSS JOIN LATERAL pg_catalog.pg_xact_commit_timestamp_origin(((x % ${XID_SPACE})::text)::xid) c
  WHERE x % ${XID_SPACE} >= 3 AND c."timestamp" IS NOT NULL`;
}

/**
 * Sub-select of the probe: $3 = first full xid to scan, -1 for a first probe; $4 = the previous
 * probe's clock (commits at or before it were reported then). Ids 0-2 are special (never
 * committed transactions) and are skipped, so wraparound cannot raise an error.
 */
export const LOCAL_COMMITS_SQL = `(CASE
  WHEN $3::bigint < 0 THEN (
    SELECT json_build_object('n', count(*) FILTER (WHERE c.roident = 0),
      'oldest', min(c."timestamp") FILTER (WHERE c.roident = 0),
      'newest', max(c."timestamp") FILTER (WHERE c.roident = 0),
      'since', coalesce(min(c."timestamp"), '-infinity'))
    FROM ${commitsFrom(`greatest(${NEXT_XID8} - ${LOCAL_COMMIT_BOOTSTRAP}, 0)`)})
  WHEN ${NEXT_XID8} - $3::bigint <= ${LOCAL_COMMIT_SCAN_MAX} THEN (
    SELECT json_build_object('n', count(*), 'oldest', min(c."timestamp"),
      'newest', max(c."timestamp"))
    FROM ${commitsFrom("$3::bigint")} AND c.roident = 0 AND c."timestamp" > $4::timestamptz)
  END)`;

/** Snapshot xmin of the probe as a full xid (where the next probe's scan starts). */
export const SNAPSHOT_XMIN_SQL = `pg_snapshot_xmin(pg_current_snapshot())::text`;

/** Local commits found by one scan. */
export interface LocalCommits {
  /** Commits with origin 0 after the previous probe. */
  readonly count: number;
  /** Oldest and newest of their commit times (origin clock, epoch ms); null when count is 0. */
  readonly oldestMs: number | null;
  readonly newestMs: number | null;
  /**
   * First probe only: the scan covers the commits after this time (the oldest commit of any
   * origin it saw; -Infinity when it reached the first xid); undefined for a regular scan.
   */
  readonly sinceMs?: number;
}

/** Decodes the LOCAL_COMMITS_SQL object; null stays null (not scanned). */
export function decodeLocalCommits(row: RawRow | null): LocalCommits | null {
  if (row === null) return null;
  const count = int(row, "n");
  const since = row["since"];
  return {
    count,
    oldestMs: count > 0 ? optTimestamp(row, "oldest") : null,
    newestMs: count > 0 ? optTimestamp(row, "newest") : null,
    ...(since === undefined
      ? {}
      : { sinceMs: since === "-infinity" ? -Infinity : optTimestamp(row, "since") ?? -Infinity }),
  };
}
