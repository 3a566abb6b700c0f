/**
 * Field decoders for doctor rows: a TypeError naming the field on anything unexpected. Text,
 * boolean and object decoders are pgactive's; the ones below are what doctor rows add.
 */
import { badField, type RawRow } from "../pgactive/mod.ts";

export { optBool, optObject, optText, text } from "../pgactive/mod.ts";
export type { RawRow } from "../pgactive/mod.ts";

/** A finite number (JSON number or numeric string) or null. */
export function optNum(row: RawRow, field: string): number | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw badField(field, "number", v);
  return n;
}

/** A bigint (JSON number or integer string) or null. */
export function optBig(row: RawRow, field: string): bigint | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  throw badField(field, "integer", v);
}

/** An array (JSON) or [] for null; its elements are not checked here. */
export function list(row: RawRow, field: string): RawRow[] {
  const v = row[field];
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v as RawRow[];
  throw badField(field, "array", v);
}

/** An array of text (JSON) or [] for null; `label` names the field in the error. */
export function texts(row: RawRow, field: string, label = field): string[] {
  return list(row, field).map((v, i) => {
    if (typeof v !== "string") throw new TypeError(`${label}[${i}]: expected text`);
    return v;
  });
}
