/**
 * The YAML file's shape (zod). Sections and nodes are strict: an unknown key (a typo such as
 * `thresholds.lag_second_warn`) is an error, never silently ignored. Leaves are parsed by fields.ts;
 * an absent or null leaf means "use the default".
 */
import { z } from "zod";
import { DURATION_BOUNDS } from "./defaults.ts";
import * as f from "./fields.ts";

function parseWith<T>(parse: (v: unknown) => T, required: boolean) {
  return z.unknown().transform((v, ctx): T | undefined => {
    if (v === undefined || v === null) {
      if (!required) return undefined;
      ctx.addIssue({ code: "custom", message: "required" });
      return z.NEVER;
    }
    try {
      return parse(v);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });
}

/** An optional leaf: absent or null = default. */
function leaf<T>(parse: (v: unknown) => T) {
  return parseWith(parse, false).optional();
}

/** A required leaf. */
function must<T>(parse: (v: unknown) => T) {
  return parseWith(parse, true) as unknown as z.ZodType<T, unknown>;
}

const bounded = (key: keyof typeof DURATION_BOUNDS) => leaf(f.duration(DURATION_BOUNDS[key]));

const nodeShape = { name: must(f.nodeName), dsn: must(f.dsn) };
const collectorShape = {
  interval: bounded("collector.interval"),
  probe_timeout: bounded("collector.probe_timeout"),
  conflict_window: bounded("collector.conflict_window"),
  nodes: z
    .array(z.strictObject(nodeShape, { error: "must be a mapping with name and dsn" }), {
      error: (i) =>
        i.input === undefined || i.input === null
          ? "required: list at least one node"
          : "must be a list of nodes",
    })
    .min(1, { error: "must list at least one node" }),
};
const thresholdsShape = {
  lag_seconds_warn: leaf(f.seconds),
  lag_seconds_crit: leaf(f.seconds),
  conflicts_warn: leaf(f.positiveRate),
  walsender_inactive_crit: bounded("thresholds.walsender_inactive_crit"),
};
const tlsShape = { cert: must(f.nonEmptyString), key: must(f.nonEmptyString) };
const serverShape = {
  listen: leaf(f.listen),
  auth_token: leaf(f.authToken),
  metrics_auth: leaf(f.boolean),
  tls: z.strictObject(tlsShape, { error: "must be a mapping with cert and key" }).nullish(),
};
const databaseShape = {
  path: leaf(f.nonEmptyString),
  retention: bounded("database.retention"),
  store_conflict_tuples: leaf(f.boolean),
};
const logShape = { level: leaf(f.logLevel), access: leaf(f.accessLog) };

function section<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: "must be a mapping" }).nullish();
}

/** The whole file, after env expansion. `collector` is required (for its node list). */
export const configSchema = z.strictObject({
  collector: z.strictObject(collectorShape, {
    error: (i) => i.input === undefined || i.input === null ? "required" : "must be a mapping",
  }),
  thresholds: section(thresholdsShape),
  server: section(serverShape),
  database: section(databaseShape),
  log: section(logShape),
}, { error: "the top level must be a mapping of sections (collector, thresholds, server, ...)" });

/** The user's configuration as written in YAML (before defaults). */
export type Config = z.input<typeof configSchema>;
/** The file after validation: every present value parsed, absent ones `undefined`. */
export type ParsedConfig = z.output<typeof configSchema>;

/** Known keys by (index-free) path: "" for the top level, "collector.nodes[]" for a node. */
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(configSchema.shape),
  collector: Object.keys(collectorShape),
  "collector.nodes[]": Object.keys(nodeShape),
  thresholds: Object.keys(thresholdsShape),
  server: Object.keys(serverShape),
  "server.tls": Object.keys(tlsShape),
  database: Object.keys(databaseShape),
  log: Object.keys(logShape),
};
