/**
 * The Collector: probes every configured node in parallel each cycle (each under its own
 * deadline), builds a Snapshot with a version that never goes backwards, and runs an interval
 * loop whose cycles never overlap (a late cycle skips ticks and counts them).
 */
import { configSecrets, redactSecrets, type ResolvedConfig } from "../config/mod.ts";
import { NodeConnectingError, NodeConnection, NodeProbeError } from "../pgactive/mod.ts";
import type { ConflictSample, CycleResult, Status } from "../snapshot/mod.ts";
import { type Logger, silentLogger, type SpanScope, tracing } from "../telemetry/mod.ts";
import {
  buildSnapshot,
  type CollectorState,
  newCollectorState,
  type NodeOutcome,
} from "./snapshot_builder.ts";

/** Options of a Collector. */
export interface CollectorOptions {
  logger?: Logger;
  /** Last stored version; the next snapshot is +1. */
  initialVersion?: number;
  /** node -> highest conflict_id already stored. */
  conflictHighWater?: Record<string, number>;
  /** Stored conflict counter samples, to seed conflicts_per_minute after a restart. */
  conflictSamples?: ConflictSample[];
  onCycle?: (r: CycleResult) => void | Promise<void>;
  /** Clock (epoch ms) used for snapshot times and rates. */
  now?: () => number;
  /** Reconnect backoff after consecutive failures (default 1000 ms doubling, capped at 10 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** Counters about the collector itself. */
export interface CollectorStats {
  cycles: number;
  skippedCycles: number;
  /** Per node, cumulative. */
  probeErrors: Record<string, number>;
  lastCycleMs: number | null;
  /** Epoch ms. */
  lastCycleEndedAt: number | null;
}

/** Collects Snapshots from the configured pgactive nodes. */
export class Collector implements AsyncDisposable {
  #config: ResolvedConfig;
  #logger: Logger;
  #now: () => number;
  #onCycle: CollectorOptions["onCycle"];
  #connections: NodeConnection[];
  #secrets: string[];
  #state: CollectorState;
  #version: number;
  #highWater: Record<string, number>;
  #latest: CycleResult | null = null;
  #current: Promise<CycleResult> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #nextTickAt = 0;
  #lastStatus = new Map<string, Status>();
  #stats: CollectorStats;

  constructor(config: ResolvedConfig, options: CollectorOptions = {}) {
    this.#config = config;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#onCycle = options.onCycle;
    this.#secrets = configSecrets(config);
    this.#version = Math.max(0, Math.floor(options.initialVersion ?? 0));
    this.#highWater = { ...options.conflictHighWater };
    this.#state = newCollectorState(config.collector.conflictWindowMs, options.conflictSamples);
    this.#connections = config.collector.nodes.map((n) =>
      new NodeConnection(n.name, n.dsn, {
        timeoutMs: config.collector.probeTimeoutMs,
        secrets: this.#secrets,
        ...(options.backoffBaseMs === undefined ? {} : { backoffBaseMs: options.backoffBaseMs }),
        ...(options.backoffMaxMs === undefined ? {} : { backoffMaxMs: options.backoffMaxMs }),
      })
    );
    this.#stats = {
      cycles: 0,
      skippedCycles: 0,
      probeErrors: Object.fromEntries(config.collector.nodes.map((n) => [n.name, 0])),
      lastCycleMs: null,
      lastCycleEndedAt: null,
    };
  }

  /** The last cycle's result (null before the first). */
  get latest(): CycleResult | null {
    return this.#latest;
  }

  /** Counters about the collector (a live object: read, don't keep). */
  get stats(): CollectorStats {
    return this.#stats;
  }

  /** Statements sent to each node so far (round trips; for benchmarks). */
  statementsSent(): Record<string, number> {
    return Object.fromEntries(this.#connections.map((c) => [c.name, c.statementsSent]));
  }

  /** Runs one cycle; a call while a cycle is running joins that cycle. */
  runCycle(): Promise<CycleResult> {
    if (this.#current) return this.#current;
    // One span per cycle (a no-op unless OpenTelemetry is on); each probe is a child span.
    const cycle = tracing().span(CYCLE_SPAN, {}, (span) => this.#cycle(span));
    const p = cycle.finally(() => {
      this.#current = null;
    });
    this.#current = p;
    return p;
  }

  async #cycle(span: SpanScope): Promise<CycleResult> {
    const nowMs = this.#now();
    const started = performance.now();
    const outcomes: NodeOutcome[] = await Promise.all(
      this.#connections.map((c) =>
        tracing().span(
          PROBE_SPAN,
          { attributes: { "pgactive.node.name": c.name } },
          async (probe) => {
            const probeStarted = performance.now();
            const done = (status: string) =>
              probe.setAttributes({
                "pgactive.probe.status": status,
                "pgactive.probe.duration": (performance.now() - probeStarted) / 1000,
              });
            try {
              const result = await c.probe({ conflictHighWater: this.#highWater[c.name] ?? 0 });
              done("ok");
              return { name: c.name, result, error: null };
            } catch (e) {
              if (e instanceof NodeConnectingError) {
                // Connecting is not the probe: UNKNOWN until the connect deadline passes.
                done("connecting");
                return { name: c.name, result: null, error: null, pending: e.message };
              }
              this.#stats.probeErrors[c.name] = (this.#stats.probeErrors[c.name] ?? 0) + 1;
              done("error");
              probe.fail(
                e instanceof NodeProbeError ? e.code : e instanceof Error ? e.name : "Error",
              );
              const msg = e instanceof NodeProbeError
                ? e.message
                : `Cannot probe node "${c.name}": ${e instanceof Error ? e.message : String(e)}`;
              return { name: c.name, result: null, error: redactSecrets(msg, this.#secrets) };
            }
          },
        )
      ),
    );
    const cycleMs = performance.now() - started;
    const t = this.#config.thresholds;
    const { snapshot, conflicts } = buildSnapshot(outcomes, {
      version: this.#version + 1,
      nowMs,
      cycleMs,
      thresholds: {
        lagSecondsWarn: t.lagSecondsWarn,
        lagSecondsCrit: t.lagSecondsCrit,
        conflictsWarnPerMinute: t.conflictsWarnPerMinute,
        walsenderInactiveCritMs: t.walsenderInactiveCritMs,
        conflictWindowMs: this.#config.collector.conflictWindowMs,
      },
    }, this.#state);
    this.#version = snapshot.version;
    for (const c of conflicts) {
      this.#highWater[c.node] = Math.max(this.#highWater[c.node] ?? 0, c.conflict_id);
    }
    const result: CycleResult = { snapshot, conflicts };
    this.#latest = result;
    this.#stats.cycles++;
    this.#stats.lastCycleMs = cycleMs;
    this.#stats.lastCycleEndedAt = Date.now();
    span.setAttributes({
      "pgactive.snapshot.version": snapshot.version,
      "pgactive.cluster.status": snapshot.status,
      "pgactive.cycle.nodes_failed": outcomes.filter((o) => o.error !== null).length,
    });
    this.#log(result);
    if (this.#onCycle) {
      try {
        await this.#onCycle(result);
      } catch (e) {
        this.#logger.error("onCycle handler failed", {
          error: redactSecrets(e instanceof Error ? e.message : String(e), this.#secrets),
        });
      }
    }
    return result;
  }

  #log({ snapshot }: CycleResult): void {
    this.#logger.debug("cycle", {
      version: snapshot.version,
      status: snapshot.status,
      cycle_ms: snapshot.cluster.cycle_ms,
    });
    for (const n of Object.values(snapshot.nodes)) {
      const before = this.#lastStatus.get(n.name) ?? "UNKNOWN";
      if (before !== n.status) {
        this.#logger.info("node status changed", {
          node: n.name,
          from: before,
          to: n.status,
          reasons: n.reasons,
        });
      }
      this.#lastStatus.set(n.name, n.status);
    }
  }

  /** Starts the interval loop (first cycle at once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#nextTickAt = performance.now();
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, delayMs));
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    if (!this.#running) return;
    try {
      await this.runCycle();
    } catch (e) {
      this.#logger.error("cycle failed", {
        error: redactSecrets(e instanceof Error ? e.message : String(e), this.#secrets),
      });
    }
    if (!this.#running) return;
    const interval = this.#config.collector.intervalMs;
    const end = performance.now();
    let next = this.#nextTickAt + interval;
    while (next <= end) {
      this.#stats.skippedCycles++;
      next += interval;
    }
    this.#nextTickAt = next;
    this.#schedule(next - end);
  }

  /** Stops the loop, waits for a running cycle, closes connections (bounded wait). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#current) await this.#current.catch(() => {});
    await Promise.all(this.#connections.map((c) => c.close(1000)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** One cycle, then close the connections (the CLI's --direct mode). */
export async function collectOnce(
  config: ResolvedConfig,
  options: { logger?: Logger } = {},
): Promise<CycleResult> {
  const collector = new Collector(config, options);
  try {
    // Two probes: a link counts as lagging only when behind in consecutive cycles (a transaction
    // in flight at one probe is not lag), and the second bounds the first one's commits.
    const first = await collector.runCycle();
    await new Promise((r) => setTimeout(r, Math.min(config.collector.intervalMs, ONE_SHOT_GAP_MS)));
    const second = await collector.runCycle();
    return { snapshot: second.snapshot, conflicts: [...first.conflicts, ...second.conflicts] };
  } finally {
    await collector.stop();
  }
}

/** Span names (docs-pending/opentelemetry.md lists them). */
const CYCLE_SPAN = "pgactive.collector.cycle";
const PROBE_SPAN = "pgactive.collector.probe";

/** Most time between the two cycles of collectOnce. */
const ONE_SHOT_GAP_MS = 1000;
