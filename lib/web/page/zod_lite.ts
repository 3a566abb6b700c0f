/**
 * What the browser bundle resolves `zod` to (see import_map.json): the classic builders
 * lib/snapshot/schema.ts chains (`z.number().int().nonnegative()`, `.nullable()`, `.default()`...)
 * rebuilt on zod's mini front end, which shares zod's validation core but tree-shakes: the page
 * carries about 25 KB of zod instead of about 90 KB (classic keeps its JSON Schema tools) or 450 KB
 * (with every locale). Each chain method maps to what zod's classic method does (read
 * zod/v4/classic/schemas.js). tests/web/zod_lite_test.ts validates the same inputs with
 * schema.ts on real zod and on this, and wants the same results; build_test.ts wants every
 * builder schema.ts uses to be here. `jitless`: zod would otherwise probe `new Function`, which
 * the page's Content-Security-Policy refuses (and reports as a violation).
 */
import * as m from "npm:zod@4.6.7/mini";
import { en } from "npm:zod@4.6.7/v4/locales";

m.config({ ...en(), jitless: true });

/** A mini schema with the classic chain methods schema.ts uses. */
export type Chained = m.ZodMiniType & {
  nullable(): Chained;
  default(value: unknown): Chained;
  finite(): Chained;
  int(): Chained;
  nonnegative(): Chained;
  regex(re: RegExp): Chained;
  min(length: number): Chained;
};

function chain(s: m.ZodMiniType): Chained {
  const c = s as Chained;
  // Checks are typed per schema kind in zod; here each is applied where schema.ts applies it.
  const check = (k: unknown) =>
    chain((s as unknown as { check(k: unknown): m.ZodMiniType }).check(k));
  c.nullable = () => chain(m.nullable(s));
  c.default = (value) => chain(m._default(s, value as never));
  c.finite = () => c; // classic: numbers are finite already
  c.int = () => check(m.int());
  c.nonnegative = () => check(m.gte(0));
  c.regex = (re) => check(m.regex(re));
  c.min = (length) => check(m.minLength(length));
  return c;
}

/** The subset of zod's `z` namespace the Snapshot schemas are built with. */
export const z = {
  array: (item: m.ZodMiniType) => chain(m.array(item)),
  boolean: () => chain(m.boolean()),
  enum: (values: readonly [string, ...string[]]) => chain(m.enum(values)),
  iso: { datetime: (params?: { offset?: boolean }) => chain(m.iso.datetime(params)) },
  looseObject: (shape: Record<string, m.ZodMiniType>) => chain(m.looseObject(shape)),
  number: () => chain(m.number()),
  object: (shape: Record<string, m.ZodMiniType>) => chain(m.object(shape)),
  record: (key: m.ZodMiniString, value: m.ZodMiniType) => chain(m.record(key, value)),
  string: () => chain(m.string()),
};
