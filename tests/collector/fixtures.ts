/** Plain-data probe results modelled on pgactive-observed.md (3 nodes, dboid 16385). */
import { decodeCapabilitiesRow } from "../../lib/pgactive/capabilities.ts";
import type { NodeProbeResult } from "../../lib/pgactive/node_connection.ts";
import type { ProbeData } from "../../lib/pgactive/probe_query.ts";
import type { LocalCommits } from "../../lib/pgactive/local_commits.ts";
import type { NodeId } from "../../lib/pgactive/slot_name.ts";
import type { StatusThresholds } from "../../lib/collector/status_rules.ts";
import { SUPERUSER } from "../pgactive/fixtures.ts";

export const IDS: Record<string, NodeId> = {
  node1: { sysid: "7711616456357975405", timeline: 0, dboid: 16385 },
  node2: { sysid: "7711616478256711032", timeline: 0, dboid: 16385 },
  node3: { sysid: "7711616502476629437", timeline: 0, dboid: 16385 },
};

export const THRESHOLDS: StatusThresholds = {
  lagSecondsWarn: 1,
  lagSecondsCrit: 3,
  conflictsWarnPerMinute: 3,
  walsenderInactiveCritMs: 2000,
  conflictWindowMs: 60_000,
};

export const FULL_CAPS = decodeCapabilitiesRow(SUPERUSER);

/** Per-peer overrides of one node's view. */
export interface PeerView {
  /** Slot for that peer: active with walsender replayed up to `replay` (default = current). */
  active?: boolean;
  replay?: bigint;
  confirmed?: bigint;
  restart?: bigint;
  /** Last applied from that peer (commit ms), null = unknown. */
  appliedCommitMs?: number | null;
  appliedXid?: number | null;
  conflicts?: number;
  rollbacks?: number;
}

/** A healthy node's probe result; `peers` tweak what it sees for each peer. */
export function probe(
  name: string,
  opts: {
    nowMs?: number;
    current?: bigint;
    peers?: Record<string, PeerView>;
    members?: { name: string; status: string }[];
    applyPaused?: boolean;
    catalog?: Record<string, number>;
    /** Conflict history rows per origin (default: not readable). */
    history?: Record<string, number>;
    /** Local commits since the previous probe (default: not scanned). */
    localCommits?: LocalCommits | null;
    /** The clock the scan started after (default: none). */
    localCommitsAfterMs?: number | null;
  } = {},
): NodeProbeResult {
  const current = opts.current ?? 0x1E2D620n;
  const nowMs = opts.nowMs ?? Date.parse("2026-11-24T06:11:29Z");
  const peers = Object.keys(IDS).filter((n) => n !== name);
  const view = (p: string): PeerView => opts.peers?.[p] ?? {};
  const data: ProbeData = {
    serverNowMs: nowMs,
    libraryVersion: "2.1.9-2026-11-24-",
    currentLsn: current,
    nextXid: 1092,
    xmin: 1092n,
    localCommits: opts.localCommits ?? null,
    lastCommit: { xid: 1091, tsMs: nowMs - 1000, roident: 0 },
    applyPaused: opts.applyPaused ?? false,
    local: IDS[name]!,
    localSysidHint: null,
    members: (opts.members ?? Object.keys(IDS).map((n) => ({ name: n, status: "r" }))).map((m) => ({
      id: IDS[m.name] ?? { sysid: "999", timeline: 0, dboid: 16385 },
      status: m.status,
      name: m.name,
    })),
    slots: peers.map((p) => {
      const v = view(p);
      const active = v.active ?? true;
      const replay = v.replay ?? current;
      return {
        slotName: `pgactive_16385_${IDS[p]!.sysid}_0_16385__`,
        peer: IDS[p]!,
        active,
        activePid: active ? 1000 : null,
        restartLsn: v.restart ?? current - 56n,
        confirmedFlushLsn: v.confirmed ?? replay,
        walStatus: "reserved",
        walsender: active
          ? {
            state: "streaming",
            sentLsn: current,
            writeLsn: replay,
            flushLsn: replay,
            replayLsn: replay,
          }
          : null,
      };
    }),
    applied: peers.map((p) => ({
      peer: IDS[p]!,
      xid: view(p).appliedXid === undefined ? 1091 : view(p).appliedXid!,
      commitTsMs: view(p).appliedCommitMs === undefined ? nowMs - 50_000 : view(p).appliedCommitMs!,
      appliedAtMs: nowMs - 50_000,
    })),
    stats: peers.map((p) => ({
      origin: IDS[p]!,
      localDboid: 16385,
      commits: 3,
      rollbacks: view(p).rollbacks ?? 0,
      conflicts: view(p).conflicts ?? 0,
    })),
    workers: [],
    conflicts: [],
  };
  const catalog = new Map<string, number>();
  for (const [p, n] of Object.entries(opts.catalog ?? {})) {
    const id = IDS[p]!;
    catalog.set(`${id.sysid}/${id.timeline}/${id.dboid}`, n);
  }
  return {
    data,
    capabilities: FULL_CAPS,
    probeMs: 3.2,
    catalogConflicts: catalog,
    historyConflicts: opts.history
      ? new Map(
        Object.entries(opts.history).map(([p, n]) => {
          const id = IDS[p]!;
          return [`${id.sysid}/${id.timeline}/${id.dboid}`, n];
        }),
      )
      : null,
    statements: 1,
    localCommitsAfterMs: opts.localCommitsAfterMs ?? null,
  };
}
