/**
 * What the browser bundle resolves `zod` to (see import_map.json): the same zod release as
 * deno.json, but only the builders lib/snapshot/schema.ts uses, imported by name so the bundler
 * drops zod's locales and JSON Schema tools (456 KB of a 470 KB bundle otherwise). Validation
 * in the browser is zod's own, unchanged. tests/web/build_test.ts fails when schema.ts uses a
 * builder missing here. `jitless`: zod would otherwise probe `new Function` (its faster parser),
 * which the page's Content-Security-Policy refuses and reports as a violation.
 */
import {
  array,
  boolean,
  config,
  enum as enumOf,
  iso,
  looseObject,
  number,
  object,
  record,
  string,
} from "npm:zod@4.6.7/v4";

config({ jitless: true });

/** The subset of zod's `z` namespace the Snapshot schemas are built with. */
export const z = {
  array,
  boolean,
  enum: enumOf,
  iso: { datetime: iso.datetime },
  looseObject,
  number,
  object,
  record,
  string,
};
