/** PostgreSQL LSNs (`X/Y` hex text) as bigint byte positions: never floats. */

const LSN_RE = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `16/B374D848` into a bigint; throws a TypeError naming `field` when malformed. */
export function parseLsn(text: string, field = "lsn"): bigint {
  const m = LSN_RE.exec(text);
  if (!m) throw new TypeError(`${field}: not a pg_lsn: ${JSON.stringify(text)}`);
  return (BigInt("0x" + m[1]) << 32n) | BigInt("0x" + m[2]);
}

/** Formats a bigint position as PostgreSQL does (`16/B374D848`, upper-case hex). */
export function formatLsn(lsn: bigint): string {
  if (lsn < 0n) throw new RangeError(`negative LSN ${lsn}`);
  const hi = lsn >> 32n;
  const lo = lsn & 0xffffffffn;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/**
 * The smallest WAL a commit can occupy: a PostgreSQL commit record is at least 34 bytes (24-byte
 * record header, 2-byte data header, 8-byte commit time). Fewer bytes past a confirmed position
 * cannot hold an unconfirmed commit.
 */
export const MIN_COMMIT_RECORD_BYTES = 34;

/** `a - b` in bytes as a number, floored at 0 (LSN differences fit easily in 2^53). */
export function lsnDiff(a: bigint, b: bigint): number {
  return a > b ? Number(a - b) : 0;
}
