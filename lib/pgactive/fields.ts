/**
 * Field decoders shared by the row decoders: driver values (NULLs, bigint strings, pg_lsn text,
 * timestamptz text) into typed values, or a TypeError naming the field.
 */
import { parseLsn } from "./lsn.ts";

/** A JSON-ish row as returned by the driver (or parsed from json_build_object output). */
export type RawRow = Record<string, unknown>;

/** The TypeError every decoder throws: `<field>: expected <what>, got <value>`. */
export function badField(field: string, what: string, v: unknown): TypeError {
  return new TypeError(`${field}: expected ${what}, got ${JSON.stringify(v) ?? String(v)}`);
}

/** Text or null. */
export function optText(row: RawRow, field: string): string | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  throw badField(field, "text", v);
}

/** Non-null text. */
export function text(row: RawRow, field: string): string {
  const v = optText(row, field);
  if (v === null) throw badField(field, "text", null);
  return v;
}

/** Integer (number or numeric string, as int8/oid/xid arrive) or null; must be a safe integer. */
export function optInt(row: RawRow, field: string): number | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  const n = typeof v === "number"
    ? v
    : typeof v === "string" && /^-?\d+$/.test(v)
    ? Number(v)
    : NaN;
  if (!Number.isSafeInteger(n)) throw badField(field, "integer", v);
  return n;
}

/** Non-null integer. */
export function int(row: RawRow, field: string): number {
  const v = optInt(row, field);
  if (v === null) throw badField(field, "integer", null);
  return v;
}

/** Boolean or null (accepts t/f as psql prints them). */
export function optBool(row: RawRow, field: string): boolean | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v;
  if (v === "t" || v === "true") return true;
  if (v === "f" || v === "false") return false;
  throw badField(field, "boolean", v);
}

/** pg_lsn text into bigint, or null. */
export function optLsn(row: RawRow, field: string): bigint | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") throw badField(field, "pg_lsn", v);
  return parseLsn(v, field);
}

/** Non-null pg_lsn. */
export function lsn(row: RawRow, field: string): bigint {
  const v = optLsn(row, field);
  if (v === null) throw badField(field, "pg_lsn", null);
  return v;
}

const TS_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * timestamptz (json `2026-11-24T06:10:41.882765+00:00`, psql `2026-11-24 06:10:41.882765+00`,
 * a Date, or epoch ms) into epoch milliseconds, or null.
 */
export function optTimestamp(row: RawRow, field: string): number | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") {
    const m = TS_RE.exec(v);
    if (m) {
      const frac = m[3] ? m[3].slice(0, 4) : "";
      let zone = m[4] ?? "Z";
      if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
      else if (/^[+-]\d{4}$/.test(zone)) zone = zone.slice(0, 3) + ":" + zone.slice(3);
      const ms = Date.parse(`${m[1]}T${m[2]}${frac}${zone}`);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  throw badField(field, "timestamptz", v);
}

/** A JSON array (json_agg over no rows gives NULL: that is an empty list). */
export function rows(doc: RawRow, field: string): RawRow[] {
  const v = doc[field];
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw badField(field, "array", v);
  return v.map((r, i) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw badField(`${field}[${i}]`, "object", r);
    }
    return r as RawRow;
  });
}

/** A nested JSON object or null. */
export function optObject(doc: RawRow, field: string): RawRow | null {
  const v = doc[field];
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw badField(field, "object", v);
  return v as RawRow;
}

/** Prefixes the field named in a TypeError with its parent (e.g. `slots[1].restart_lsn`). */
export function within<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError) throw new TypeError(`${prefix}.${e.message}`);
    throw e;
  }
}
