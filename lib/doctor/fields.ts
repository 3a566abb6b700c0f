/** Field decoders for doctor rows: a TypeError naming the field on anything unexpected. */

/** A row as the driver (or JSON.parse of a json column) returns it. */
export type RawRow = Record<string, unknown>;

function bad(field: string, what: string, v: unknown): TypeError {
  return new TypeError(`${field}: expected ${what}, got ${JSON.stringify(v) ?? String(v)}`);
}

/** Text or null. */
export function optText(row: RawRow, field: string): string | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  throw bad(field, "text", v);
}

/** Non-null text. */
export function text(row: RawRow, field: string): string {
  const v = optText(row, field);
  if (v === null) throw bad(field, "text", null);
  return v;
}

/** A finite number (JSON number or numeric string) or null. */
export function optNum(row: RawRow, field: string): number | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw bad(field, "number", v);
  return n;
}

/** A bigint (JSON number or integer string) or null. */
export function optBig(row: RawRow, field: string): bigint | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  throw bad(field, "integer", v);
}

/** Boolean (or t/f) or null. */
export function optBool(row: RawRow, field: string): boolean | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v;
  if (v === "t" || v === "true") return true;
  if (v === "f" || v === "false") return false;
  throw bad(field, "boolean", v);
}

/** An array (JSON) or [] for null. */
export function list(row: RawRow, field: string): RawRow[] {
  const v = row[field];
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v as RawRow[];
  throw bad(field, "array", v);
}

/** A nested object or null. */
export function optObject(row: RawRow, field: string): RawRow | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  if (typeof v === "object" && !Array.isArray(v)) return v as RawRow;
  throw bad(field, "object", v);
}
