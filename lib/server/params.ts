/** Query-parameter parsing for the API: every bad value is a 400 naming the parameter. */
import { HTTPException } from "hono/http-exception";

/** Largest `limit` accepted by the history endpoints. */
export const MAX_LIMIT = 10_000;

/** A 400 whose message names the parameter (rendered as `{"error": message}` by app.onError). */
export function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}

/**
 * ISO 8601 with a date: what docs/openapi.yaml's `Time` pattern accepts, no more (every string it
 * matches is a date Date.parse reads; day 31 of any month rolls over, as Date.parse does).
 */
const ISO_TIME = new RegExp(
  "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" +
    "([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?" +
    "([Zz]|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$",
);

/**
 * Epoch ms from an ISO 8601 time (with a date) or a non-negative integer of epoch milliseconds;
 * undefined when absent (an empty value is an error, as docs/openapi.yaml says).
 */
export function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9]{1,15}$/.test(value)) return Number(value);
  const ms = ISO_TIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `Parameter "${name}" must be an ISO 8601 time or epoch milliseconds, got "${clip(value)}"`,
    );
  }
  return ms;
}

/** A `limit` between 1 and {@link MAX_LIMIT}, or undefined when absent (empty is an error). */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw badRequest(
      `Parameter "limit" must be an integer from 1 to ${MAX_LIMIT}, got "${clip(value)}"`,
    );
  }
  return n;
}

/** A snapshot version (Last-Event-ID and friends): a non-negative integer, or null when absent. */
export function parseVersion(name: string, value: string | undefined): number | null {
  if (value === undefined || value === "") return null;
  const v = value; // a header's surrounding whitespace is gone already; a query's is an error
  if (!/^[0-9]{1,15}$/.test(v)) {
    throw badRequest(
      `Parameter "${name}" must be a non-negative integer snapshot version, got "${clip(v)}"`,
    );
  }
  return Number(v);
}

/** A non-empty name parameter (node names, at most 200 characters), or undefined when absent. */
export function parseName(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Characters as JSON Schema counts them (code points), not UTF-16 units.
  if (value === "" || value.length > 200 && [...value].length > 200) {
    throw badRequest(`Parameter "${name}" must be a non-empty name of at most 200 characters`);
  }
  return value;
}

/** Rejects a range whose start is after its end. */
export function checkRange(
  startName: string,
  start: number | undefined,
  endName: string,
  end: number | undefined,
): void {
  if (start !== undefined && end !== undefined && start > end) {
    throw badRequest(`Parameter "${startName}" must not be after "${endName}"`);
  }
}

/** Echoes at most 40 characters of a bad value back to the client. */
function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}...` : value;
}
