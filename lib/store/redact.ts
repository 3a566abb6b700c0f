/**
 * Defence in depth for the SQLite file: Snapshots and conflict rows never carry DSNs by design, but
 * any string that happens to contain a URL password or a `password=...` pair is masked before it is
 * stored. Local on purpose: the store does not depend on lib/config.
 */

const MASK = "****";

/** `scheme://user:PASSWORD@` (the password runs to the last `@` before whitespace or a quote). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]*:)[^\s'"]*@/gi;

/** `password=VALUE`, `passwd=...`, `pwd=...`, quoted ('...' with \' escapes) or bare. */
const KV_PASSWORD = /(password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'"&;,]+)/gi;

/** Masks URL passwords and `password=` values in a string; other text is unchanged. */
export function redactText(text: string): string {
  if (!text.includes("://") && !text.includes("=")) return text;
  return text
    .replace(URL_PASSWORD, `$1${MASK}@`)
    .replace(KV_PASSWORD, `$1$2${MASK}`);
}

/** A deep copy of JSON-like data with every string (keys excepted) passed through redactText. */
export function redactDeep<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out;
  }
  return value;
}
