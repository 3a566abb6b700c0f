/**
 * The once-per-connection statement after the capabilities: facts that do not change while
 * connected (library version) and the baseline of join-time conflicts.
 */
import type { Capabilities } from "./capabilities.ts";
import {
  CATALOG_CONFLICTS_SQL,
  type CatalogConflicts,
  decodeCatalogConflicts,
} from "./conflict_rows.ts";
import { optObject, optText, type RawRow } from "./fields.ts";

/** The statement for this connection, or null when there is nothing to read. */
export function buildConnectSql(caps: Capabilities): string | null {
  const parts: string[] = [];
  if (caps.readable.has("version")) parts.push(`'library_version', pgactive.pgactive_version()`);
  if (caps.readable.has("conflict_history")) {
    parts.push(`'catalog_conflicts', ${CATALOG_CONFLICTS_SQL}`);
  }
  return parts.length ? `SELECT json_build_object(\n  ${parts.join(",\n  ")}\n) AS doc` : null;
}

/** What the connect statement returned. */
export interface ConnectFacts {
  /** pgactive_version(), e.g. `2.1.9-2026-11-24-`; null when not callable. */
  readonly libraryVersion: string | null;
  /** Null when pgactive_conflict_history is not readable. */
  readonly catalogConflicts: CatalogConflicts | null;
}

/** Decodes the connect document (null document: nothing was read). */
export function decodeConnectDocument(doc: RawRow | null): ConnectFacts {
  if (doc === null) return { libraryVersion: null, catalogConflicts: null };
  const cat = optObject(doc, "catalog_conflicts");
  return {
    libraryVersion: optText(doc, "library_version"),
    catalogConflicts: cat === null ? null : decodeCatalogConflicts(cat),
  };
}
