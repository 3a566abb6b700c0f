/**
 * Compact codes of the history rows (migration v4): statuses, lag methods and slot WAL statuses
 * stored as small integers / one letter. Lists are append-only: a stored code never changes.
 */
import { LAG_METHODS, type LagMethod, type Status, STATUSES } from "../snapshot/mod.ts";

/** Status codes: the index (lib/snapshot's STATUSES, as its statusCode and the Prometheus gauge). */
export const STATUS_CODES: readonly Status[] = STATUSES;

/** Lag method codes: the index (lib/snapshot's LAG_METHODS, append only). */
export const METHOD_CODES: readonly LagMethod[] = LAG_METHODS;

const WAL_CODES: Readonly<Record<string, string>> = {
  reserved: "r",
  extended: "e",
  unreserved: "u",
  lost: "l",
};
const WAL_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(WAL_CODES).map(([name, code]) => [code, name]),
);

/** The code of a status. */
export function statusCode(status: Status): number {
  const i = STATUS_CODES.indexOf(status);
  if (i < 0) throw new TypeError(`Unknown status "${status}"`);
  return i;
}

/** The status of a code (UNKNOWN for a code this build does not know). */
export function statusOf(code: unknown): Status {
  return STATUS_CODES[code as number] ?? "UNKNOWN";
}

/** The code of a lag method. */
export function methodCode(method: LagMethod): number {
  const i = METHOD_CODES.indexOf(method);
  return i < 0 ? METHOD_CODES.indexOf("unknown") : i;
}

/** The lag method of a code. */
export function methodOf(code: unknown): LagMethod {
  return METHOD_CODES[code as number] ?? "unknown";
}

/** A slot's wal_status as stored: one letter for PostgreSQL's four values, else verbatim. */
export function walStatusCode(status: string | null): string | null {
  return status === null ? null : WAL_CODES[status] ?? status;
}

/** The wal_status of a stored value. */
export function walStatusOf(stored: unknown): string | null {
  return typeof stored === "string" ? WAL_NAMES[stored] ?? stored : null;
}
