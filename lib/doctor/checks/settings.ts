/** Settings per node: what pgactive needs, headroom for the node count, WAL limits, drift. */
import { parseSlotName } from "../../pgactive/mod.ts";
import type { Setting } from "../facts_query.ts";
import type { NodeRead } from "../gather.ts";
import { grantFix } from "../grants.ts";
import {
  type Check,
  type CheckResult,
  type ClusterFacts,
  formatBytes,
  majority,
  type Problem,
  setFix,
} from "./check.ts";

const SETTINGS_NEED = "pg_settings (any role; shared_preload_libraries needs pg_monitor)";

function unreadable(n: NodeRead, name: string): Problem {
  return {
    severity: "WARN",
    node: n.name,
    seen: `cannot read ${name} (not visible to role ${n.grants.role})`,
    fix: grantFix("pg_monitor", n.grants.role),
  };
}

/**
 * Calls `each` with every node's row of setting `id`, in node order; a node that cannot read it
 * adds an `unreadable` problem instead (unless the setting is `optional`).
 */
function eachSetting(
  c: ClusterFacts,
  id: string,
  problems: Problem[],
  each: (n: NodeRead, s: Setting) => void,
  optional = false,
): void {
  for (const n of c.nodes) {
    const s = n.facts.settings.get(id);
    if (s) each(n, s);
    else if (!optional) problems.push(unreadable(n, id));
  }
}

/** A check in the settings group: `body` adds its problems and returns the line shown when none. */
function settingCheck(
  id: string,
  title: string,
  body: (c: ClusterFacts, problems: Problem[]) => string,
): Check {
  return {
    id,
    group: "settings",
    title,
    needs: SETTINGS_NEED,
    run(c): CheckResult {
      const problems: Problem[] = [];
      const ok = body(c, problems);
      return { problems, ok };
    },
  };
}

/** A check that a setting has a required value on every node. */
function required(
  id: string,
  title: string,
  test: (value: string) => boolean,
  want: (value: string) => string,
  opts: { optional?: boolean } = {},
): Check {
  return settingCheck(id, title, (c, problems) => {
    const seen = new Set<string>();
    eachSetting(c, id, problems, (n, s) => {
      seen.add(s.setting);
      if (!test(s.setting)) {
        problems.push({
          severity: "FAIL",
          node: n.name,
          seen: `${id} = '${s.setting}'`,
          fix: setFix(id, want(s.setting), s.context),
        });
      }
    }, opts.optional);
    return seen.size === 0
      ? `${id} not on this server version`
      : `${id} = '${[...seen].join("' / '")}' on ${c.nodes.length} node(s)`;
  });
}

function libs(value: string): string[] {
  return value.split(",").map((s) => s.trim().replace(/^"|"$/g, "")).filter(Boolean);
}

function withPgactive(value: string): string {
  return [...libs(value), "pgactive"].join(", ");
}

/** A check of one capacity setting against what `need` says the node count requires. */
function headroom(
  id: string,
  title: string,
  need: (n: NodeRead, c: ClusterFacts) => { needed: number; spare: number; why: string },
): Check {
  return settingCheck(id, title, (c, problems) => {
    const values: string[] = [];
    eachSetting(c, id, problems, (n, s) => {
      const have = Number(s.setting);
      const { needed, spare, why } = need(n, c);
      values.push(`${n.name} ${have}/${needed}`);
      if (have >= needed + spare) return;
      const severity = have < needed ? "FAIL" : "WARN";
      problems.push({
        severity,
        node: n.name,
        seen: `${id} = ${have}: ${why} need ${needed}${
          severity === "WARN" ? ", no room for one more node" : ""
        }`,
        fix: setFix(id, String(needed + spare), s.context),
      });
    });
    return `${id} (have/need): ${values.join(", ")}`;
  });
}

function pgactiveSlotsHere(n: NodeRead): number {
  return n.facts.slots.filter((s) =>
    s.plugin === "pgactive" && parseSlotName(s.name)?.localDboid === n.facts.dbOid
  ).length;
}

const KEEP_DEFAULT_MB = 10 * 1024;

const maxSlotWalKeepSize = settingCheck(
  "max_slot_wal_keep_size",
  "max_slot_wal_keep_size bounds the WAL a slot of a down peer can hold",
  (c, problems) => {
    const values: string[] = [];
    eachSetting(c, "max_slot_wal_keep_size", problems, (n, s) => {
      values.push(`${n.name} ${s.setting === "-1" ? "-1" : `${s.setting}${s.unit ?? ""}`}`);
      if (s.setting !== "-1") return;
      const free = n.facts.freeWalBytes;
      // Half the WAL disk's free space when readable (a full disk stops the node; an invalidated
      // slot only costs that peer a rejoin); 10 GB otherwise.
      const mb = free !== null && free > 0n
        ? Math.max(1024, Math.floor(Number(free / 2n) / 1048576 / 1024) * 1024)
        : KEEP_DEFAULT_MB;
      problems.push({
        severity: "WARN",
        node: n.name,
        seen: `max_slot_wal_keep_size = -1: WAL kept for a down peer grows without bound${
          free !== null ? ` (${formatBytes(free)} free)` : ""
        }`,
        fix: setFix("max_slot_wal_keep_size", `${mb}MB`, s.context),
      });
    });
    return `max_slot_wal_keep_size set: ${values.join(", ")}`;
  },
);

/** Settings whose values may hold credentials (libpq options). */
const SECRET_SETTING = /password|connection_options|conninfo|dsn/i;

/** pgactive.* settings that differ between nodes; max_nodes must match (FAIL), others WARN. */
const pgactiveSettings: Check = {
  id: "pgactive_settings",
  group: "settings",
  title: "pgactive.* settings are the same on every node",
  needs: SETTINGS_NEED,
  run(c) {
    const problems: Problem[] = [];
    const names = new Set<string>();
    for (const n of c.nodes) {
      for (const k of n.facts.settings.keys()) if (k.startsWith("pgactive.")) names.add(k);
    }
    for (const name of [...names].sort()) {
      const have = c.nodes.filter((n) => n.facts.settings.has(name));
      const value = majority(have.map((n) => n.facts.settings.get(name)!.setting))!;
      for (const n of have) {
        const s = n.facts.settings.get(name)!;
        if (s.setting === value) continue;
        const others = have.filter((m) => m.facts.settings.get(name)!.setting === value)
          .map((m) => m.name).join(", ");
        // Connection options may carry a password: never echo their values.
        const secret = SECRET_SETTING.test(name);
        problems.push({
          severity: name === "pgactive.max_nodes" ? "FAIL" : "WARN",
          node: n.name,
          seen: secret
            ? `${name} differs from ${others} (values not shown: they may hold credentials)`
            : `${name} = '${s.setting}', '${value}' on ${others}`,
          fix: secret
            ? `ALTER SYSTEM SET ${name} = '<the value on ${others}>'; ` +
              `SELECT pg_catalog.pg_reload_conf();`
            : setFix(name, value, s.context),
        });
      }
    }
    return {
      problems,
      ok: names.size === 0
        ? "no pgactive.* settings visible"
        : `${names.size} pgactive.* settings equal on ${c.nodes.length} node(s)`,
    };
  },
};

/** pgactive.max_nodes leaves room for one more node. */
const maxNodes: Check = {
  id: "max_nodes",
  group: "settings",
  title: "pgactive.max_nodes leaves room to join one more node",
  needs: SETTINGS_NEED,
  run(c) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    for (const n of c.nodes) {
      const s = n.facts.settings.get("pgactive.max_nodes");
      if (!s) continue;
      seen.add(s.setting);
      if (Number(s.setting) > c.nodeCount) continue;
      problems.push({
        severity: "WARN",
        node: n.name,
        seen: `pgactive.max_nodes = ${s.setting} with ${c.nodeCount} nodes: no node can join`,
        fix: `${setFix("pgactive.max_nodes", String(c.nodeCount + 1), s.context)} (on every node)`,
      });
    }
    return {
      problems,
      ok: seen.size === 0
        ? "pgactive.max_nodes not visible"
        : `pgactive.max_nodes = ${[...seen].join("/")} for ${c.nodeCount} nodes`,
    };
  },
};

/** The settings checks, in report order. */
export const SETTINGS_CHECKS: readonly Check[] = [
  required("wal_level", "wal_level is logical", (v) => v === "logical", () => "logical"),
  required(
    "track_commit_timestamp",
    "track_commit_timestamp is on (last-update-wins and lag in seconds)",
    (v) => v === "on",
    () => "on",
  ),
  required(
    "shared_preload_libraries",
    "shared_preload_libraries loads pgactive",
    (v) => libs(v).includes("pgactive"),
    withPgactive,
  ),
  required(
    "output_plugin_libraries",
    "output_plugin_libraries allows pgactive (PostgreSQL 15.19+ and other new minors)",
    (v) => libs(v).includes("pgactive"),
    withPgactive,
    { optional: true },
  ),
  headroom(
    "max_replication_slots",
    "max_replication_slots has a slot per peer, the other slots, and one spare",
    (n, c) => {
      const missing = Math.max(0, c.nodeCount - 1 - pgactiveSlotsHere(n));
      const used = n.facts.slots.length;
      return {
        needed: used + missing,
        spare: 1,
        why: `${used} slot(s) in use${missing ? ` + ${missing} missing peer slot(s)` : ""},`,
      };
    },
  ),
  headroom(
    "max_wal_senders",
    "max_wal_senders has a walsender per peer, the other walsenders, and one spare",
    (n, c) => ({
      needed: c.nodeCount - 1 + n.facts.otherWalsenders,
      spare: 1,
      why: `${c.nodeCount - 1} peer(s) + ${n.facts.otherWalsenders} other walsender(s),`,
    }),
  ),
  headroom(
    "max_worker_processes",
    "max_worker_processes covers supervisor, per-db worker and an apply worker per peer",
    (_n, c) => ({
      needed: c.nodeCount + 1,
      spare: 2,
      why: `supervisor + per-db worker + ${c.nodeCount - 1} apply worker(s),`,
    }),
  ),
  maxSlotWalKeepSize,
  pgactiveSettings,
  maxNodes,
];
