/** Plain-data NodeReads for the checks' tests (the shapes real pgactive 2.1.9 returned in the lab). */
import type { NodeRead } from "../../lib/doctor/mod.ts";
import type { NodeFacts, SchemaFacts } from "../../lib/doctor/mod.ts";

type Setting = { setting: string; unit: string | null; context: string };

const SETTINGS: Record<string, Setting> = {
  wal_level: { setting: "logical", unit: null, context: "postmaster" },
  track_commit_timestamp: { setting: "on", unit: null, context: "postmaster" },
  shared_preload_libraries: { setting: "pgactive", unit: null, context: "postmaster" },
  output_plugin_libraries: {
    setting: "pgoutput, test_decoding, pgactive",
    unit: null,
    context: "superuser",
  },
  max_replication_slots: { setting: "10", unit: null, context: "postmaster" },
  max_wal_senders: { setting: "10", unit: null, context: "postmaster" },
  max_worker_processes: { setting: "16", unit: null, context: "postmaster" },
  max_slot_wal_keep_size: { setting: "10240", unit: "MB", context: "sighup" },
  "pgactive.max_nodes": { setting: "4", unit: null, context: "postmaster" },
  "pgactive.log_conflicts_to_table": { setting: "on", unit: null, context: "sighup" },
};

/** The three lab nodes' ids. */
export const SYSIDS = ["7714058530240352411", "7714058552383332662", "7714058575326192218"];
const NAMES = ["node1", "node2", "node3"];

/** A healthy node `i` (0-based) of a 3-node cluster; `patch` replaces parts. */
export function node(
  i: number,
  patch: {
    settings?: Record<string, Setting | null>;
    facts?: Partial<NodeFacts>;
    schema?: Partial<SchemaFacts>;
    granted?: Record<string, boolean>;
  } = {},
): NodeRead {
  const settings = new Map(Object.entries(SETTINGS));
  for (const [k, v] of Object.entries(patch.settings ?? {})) {
    if (v === null) settings.delete(k);
    else settings.set(k, v);
  }
  const slots = SYSIDS.filter((_, j) => j !== i).map((sysid) => ({
    name: `pgactive_16385_${sysid}_0_16385__`,
    plugin: "pgactive",
    database: "app",
    active: true,
    walStatus: "reserved",
    retainedBytes: 56n,
  }));
  const facts: NodeFacts = {
    serverVersionNum: 150020,
    serverVersion: "15.20 (Debian 15.20-0+deb12u1)",
    dbOid: 16385,
    settings,
    extensionVersion: "2.1.9",
    extensionDefault: "2.1.8",
    extensionAvailable: ["2.1.8", "2.1.9"],
    libraryVersion: "2.1.9-2026-11-30-de3f9b7",
    localSysid: SYSIDS[i]!,
    members: NAMES.map((name, j) => ({
      name,
      sysid: SYSIDS[j]!,
      timeline: 0,
      dboid: 16385,
      status: "r",
    })),
    slots,
    otherWalsenders: 0,
    freeWalBytes: null,
    ...patch.facts,
  };
  const schema: SchemaFacts = {
    tables: [{
      schema: "public",
      name: "kv",
      columns: [
        { name: "k", type: "integer", notNull: true, sequence: null, default: null },
        { name: "v", type: "text", notNull: false, sequence: null, default: null },
      ],
      pk: { name: "kv_pkey", columns: ["k"] },
      replicaIndex: false,
      uniques: [],
    }],
    sequences: [],
    truncated: false,
    ...patch.schema,
  };
  return {
    name: NAMES[i]!,
    grants: {
      role: "pgactive_monitor",
      superuser: false,
      granted: new Map(Object.entries({ nodes: true, stats: true, ...patch.granted })),
    },
    facts,
    schema,
    clock: [{ sentMs: 1000, serverMs: 1000.5, receivedMs: 1001 }],
    readMs: 5,
  };
}

/** Three healthy nodes, node `i` replaced by `replace` when given. */
export function cluster(replace: Record<number, NodeRead> = {}): NodeRead[] {
  return [0, 1, 2].map((i) => replace[i] ?? node(i));
}
