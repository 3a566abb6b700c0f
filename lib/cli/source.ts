/**
 * Where snapshots come from: pgactive-server (one-shot reads through ./server_read.ts, `follow`
 * through the SDK), or (--direct) the collector run in-process. The SDK and the collector are
 * imported dynamically so that a one-shot command loads neither.
 */
import type { ResolvedConfig } from "../config/mod.ts";
import type { DoctorReport } from "../doctor/mod.ts";
import type { ConflictRecord, Snapshot } from "../snapshot/mod.ts";
import { checkConflicts, checkSnapshot, getJson, HttpError, serverTarget } from "./server_read.ts";

/** The header naming a server run (lib/server's RUN_HEADER; the CLI imports nothing from it). */
const RUN_HEADER = "pgactive-run-id";

/** Recent conflicts, or why they are not available. */
export type RecentConflicts = { rows: ConflictRecord[] } | { unavailable: string };

/** A place to read snapshots from. */
export interface Source {
  /** For messages: the server URL or "direct". */
  readonly label: string;
  /** The current snapshot. */
  snapshot(signal?: AbortSignal): Promise<Snapshot>;
  /** Recent conflicts (after {@link snapshot} in direct mode: that cycle's rows). */
  recentConflicts(query: { node?: string | undefined; limit: number }): Promise<RecentConflicts>;
  /**
   * Every new snapshot until `signal` aborts. `onRestart` is called when the server restarted:
   * the next snapshot may then have a lower version (a server that lost its history).
   */
  follow(
    signal: AbortSignal,
    onRetry?: (info: { delayMs: number; error: Error }) => void,
    onRestart?: () => void,
  ): AsyncIterable<Snapshot>;
  /** The doctor's findings: the server's latest run (GET /doctor), or a run now (--direct). */
  doctor?(signal?: AbortSignal): Promise<DoctorReport>;
}

/** A Source backed by pgactive-server. */
export function serverSource(
  url: string,
  options: {
    token: string | null;
    fetch?: typeof fetch | undefined;
    timeoutMs?: number;
    /** A proxy is configured in the environment (then fetch, which honours it, is used). */
    proxy?: boolean;
  },
): Source {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const target = serverTarget(url, {
    token: options.token,
    timeoutMs,
    fetch: options.fetch,
    proxy: options.proxy ?? false,
  });
  /** The server run (`Pgactive-Run-Id`) of the last snapshot read. */
  let run: string | null = null;
  return {
    label: target.display,
    snapshot: async (signal) => {
      const onHeaders = (header: (name: string) => string | null) => {
        run = header(RUN_HEADER) ?? run;
      };
      return checkSnapshot(await getJson(target, "/snapshot", { signal, onHeaders }));
    },
    async recentConflicts(query) {
      try {
        const params = { node: query.node, limit: String(query.limit) };
        return { rows: checkConflicts(await getJson(target, "/conflicts", { query: params })) };
      } catch (err) {
        if (err instanceof HttpError && (err.status === 503 || err.status === 404)) {
          return { unavailable: err.serverMessage || `HTTP ${err.status}` };
        }
        throw err;
      }
    },
    async doctor(signal) {
      const { parseDoctorReport } = await import("../doctor/mod.ts");
      return parseDoctorReport(await getJson(target, "/doctor", { signal }));
    },
    async *follow(signal, onRetry, onRestart) {
      const { Client } = await import("../sdk/mod.ts");
      const client = new Client(url, {
        token: options.token,
        timeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      yield* client.watchSnapshots({
        signal,
        ...(onRetry ? { onRetry } : {}),
        ...(onRestart ? { onServerRestart: () => onRestart() } : {}),
        // The run our last read came from: a restart before the watch connects is seen as one.
        ...(run !== null ? { sinceRun: run } : {}),
        initialDelayMs: 200,
      });
    },
  };
}

/** A Source that runs the collector against the configured nodes (--direct). */
export function directSource(config: ResolvedConfig): Source {
  let lastConflicts: ConflictRecord[] | null = null;
  const load = () => import("../collector/mod.ts");
  return {
    label: "direct",
    async doctor() {
      const { runDoctor } = await import("../doctor/mod.ts");
      return await runDoctor(config);
    },
    async snapshot() {
      const { collectOnce } = await load();
      const result = await collectOnce(config);
      lastConflicts = result.conflicts;
      return result.snapshot;
    },
    recentConflicts(query) {
      if (lastConflicts === null) {
        return Promise.resolve({ unavailable: "no collection cycle has run" });
      }
      const rows = lastConflicts
        .filter((r) => query.node === undefined || r.node === query.node)
        .sort((a, b) => b.local_conflict_time.localeCompare(a.local_conflict_time))
        .slice(0, query.limit);
      return Promise.resolve({ rows });
    },
    async *follow(signal) {
      const { Collector } = await load();
      const collector = new Collector(config);
      try {
        while (!signal.aborted) {
          const started = Date.now();
          const result = await collector.runCycle();
          if (signal.aborted) return;
          yield result.snapshot;
          const rest = config.collector.intervalMs - (Date.now() - started);
          if (rest > 0 && !(await sleep(rest, signal))) return;
        }
      } finally {
        await collector.stop();
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
