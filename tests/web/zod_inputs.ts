/** Valid and invalid snapshots and conflict rows, for the zod_lite comparison. */
import { makeSnapshot } from "../server/fixtures.ts";

type Json = Record<string, unknown>;

const base = (): Json => JSON.parse(JSON.stringify(makeSnapshot(42)));
const edit = (f: (s: Json & { nodes: Json; links: Json[] }) => void): Json => {
  const s = base() as Json & { nodes: Json; links: Json[] };
  f(s);
  return s;
};
const node1 = (s: { nodes: Json }) => s.nodes.node1 as Json & { metrics: Json };

const conflict: Json = {
  node: "node2",
  conflict_id: 7,
  local_conflict_time: "2026-11-24T06:00:00.000+01:00",
  object_schema: "public",
  object_name: "t",
  remote_node: "node1",
  conflict_type: "update_delete",
  conflict_resolution: "skip_change",
  error_sqlstate: null,
  error_message: null,
};

/** [what, schema, input]. */
export const INPUTS: [string, "snapshot" | "conflict", unknown][] = [
  ["a valid snapshot", "snapshot", base()],
  ["extra fields are kept", "snapshot", { ...base(), server: { build: "x" } }],
  [
    "older snapshot: defaults filled",
    "snapshot",
    edit((s) => {
      delete node1(s).metrics.wal_lsn;
      for (const l of s.links) {
        for (const k of ["caught_up", "confirmed_lsn", "apply_paused"]) delete l[k];
      }
    }),
  ],
  ["negative version", "snapshot", { ...base(), version: -1 }],
  ["fractional version", "snapshot", { ...base(), version: 1.5 }],
  ["bad timestamp", "snapshot", { ...base(), collected_at: "yesterday" }],
  ["bad status", "snapshot", { ...base(), status: "FINE" }],
  ["bad LSN", "snapshot", edit((s) => node1(s).metrics.sent_lsn = "0/XYZ")],
  ["empty node name", "snapshot", edit((s) => node1(s).name = "")],
  ["infinite lag", "snapshot", edit((s) => node1(s).metrics.lag_seconds = Infinity)],
  ["string lag", "snapshot", edit((s) => node1(s).metrics.lag_seconds = "3")],
  ["bad lag method", "snapshot", edit((s) => s.links[0]!.lag_method = "guess")],
  ["links not an array", "snapshot", { ...base(), links: {} }],
  ["not an object", "snapshot", "snapshot"],
  ["a valid conflict (offset time)", "conflict", conflict],
  ["conflict id not an integer", "conflict", { ...conflict, conflict_id: 1.5 }],
  ["conflict time without a zone", "conflict", { ...conflict, local_conflict_time: "2026-11-24" }],
];
