/**
 * The server's doctor: runs every check on its own timer and its own connections (never on the
 * collector's per-cycle probe path) and keeps the latest report for GET /doctor and /metrics.
 */
import type { ResolvedConfig } from "../config/mod.ts";
import { runDoctor, type RunDoctorOptions } from "./run.ts";
import type { DoctorReport } from "./types.ts";

/** Time between the starts of two server doctor runs (5 minutes; not configurable). */
export const DOCTOR_INTERVAL_MS = 5 * 60_000;

/** Options of {@link DoctorRunner}. */
export interface DoctorRunnerOptions extends RunDoctorOptions {
  /** Time between runs (default {@link DOCTOR_INTERVAL_MS}). */
  intervalMs?: number;
  /** Called after every run (logging). */
  onReport?: (report: DoctorReport) => void;
  /** Called when a run fails as a whole (a bug: unreadable nodes are findings). */
  onError?: (err: unknown) => void;
}

/** Runs the doctor now and then every interval until stopped. */
export class DoctorRunner {
  #config: ResolvedConfig;
  #opts: DoctorRunnerOptions;
  #latest: DoctorReport | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(config: ResolvedConfig, opts: DoctorRunnerOptions = {}) {
    this.#config = config;
    this.#opts = opts;
  }

  /** The latest report (null before the first run completes). */
  get latest(): DoctorReport | null {
    return this.#latest;
  }

  /** Interval between runs, ms. */
  get intervalMs(): number {
    return this.#opts.intervalMs ?? DOCTOR_INTERVAL_MS;
  }

  /** Starts the first run at once and schedules the next ones. */
  start(): void {
    if (this.#stopped || this.#running || this.#timer) return;
    this.#tick();
  }

  /** Runs once now (unless a run is in flight: then waits for it) and returns the report. */
  async runNow(): Promise<DoctorReport | null> {
    if (!this.#running) this.#running = this.#runOnce();
    await this.#running;
    return this.#latest;
  }

  /** Stops the timer and waits for a run in flight, at most `waitMs` (default 2 s). */
  async stop(waitMs = 2_000): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#running,
      new Promise<void>((resolve) => timer = setTimeout(resolve, waitMs)),
    ]);
    clearTimeout(timer);
  }

  #tick(): void {
    this.#timer = null;
    if (this.#stopped) return;
    const started = Date.now();
    this.#running ??= this.#runOnce();
    void this.#running.then(() => {
      if (this.#stopped) return;
      const wait = Math.max(0, this.intervalMs - (Date.now() - started));
      this.#timer = setTimeout(() => this.#tick(), wait);
    });
  }

  async #runOnce(): Promise<void> {
    try {
      const report = await runDoctor(this.#config, this.#opts);
      this.#latest = report;
      this.#opts.onReport?.(report);
    } catch (err) {
      this.#opts.onError?.(err);
    } finally {
      this.#running = null;
    }
  }
}
