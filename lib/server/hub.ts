/**
 * The hub: the latest snapshot, serialised once per version, and a bounded fan-out to watchers.
 *
 * Each subscriber holds at most one pending entry (the newest wins), so a slow or stalled watcher
 * costs one pointer and never slows the publisher or the other watchers. Versions delivered to one
 * subscriber strictly increase.
 */
import type { CycleResult, Snapshot } from "../snapshot/mod.ts";

/** One published version: the snapshot plus its pre-serialised forms (shared by every reader). */
export interface HubEntry {
  readonly version: number;
  readonly snapshot: Snapshot;
  /** UTF-8 JSON of the snapshot (the /snapshot body). */
  readonly body: Uint8Array<ArrayBuffer>;
  /** `id: <v>\nevent: snapshot\ndata: <json>\n\n` (one /watch event). */
  readonly frame: Uint8Array<ArrayBuffer>;
  /** Epoch ms of publication (hub clock). */
  readonly publishedAt: number;
}

/** Options of {@link Hub}. */
export interface HubOptions {
  /** Clock (epoch ms), for tests. */
  now?: () => number;
  /**
   * A subscriber whose pending entry has not been taken for this long is dropped at the next
   * publish (its socket has accepted nothing meanwhile). Default 60 s.
   */
  stallTimeoutMs?: number;
}

/** Why {@link Subscription.wait} returned. */
export type WaitOutcome = "ready" | "timeout" | "closed";

const encoder = new TextEncoder();

/** Latest snapshot + bounded fan-out. */
export class Hub {
  #latest: HubEntry | null = null;
  #subs = new Set<Subscription>();
  #listeners = new Set<(entry: HubEntry) => void>();
  #now: () => number;
  #stallTimeoutMs: number;
  #closed = false;
  /** Epoch ms the hub was created (health: "no cycle yet" is measured from here). */
  readonly createdAt: number;

  constructor(options: HubOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
    this.createdAt = this.#now();
  }

  /** The latest published entry, or null before the first cycle. */
  get latest(): HubEntry | null {
    return this.#latest;
  }

  /** Number of live subscribers. */
  get subscriberCount(): number {
    return this.#subs.size;
  }

  /**
   * Publishes a cycle's snapshot: serialises it once, keeps it as the latest and offers it to every
   * subscriber. Returns false (and changes nothing) when its version is not above the latest one.
   */
  publish(result: CycleResult): boolean {
    const snapshot = result.snapshot;
    if (this.#closed || (this.#latest && snapshot.version <= this.#latest.version)) return false;
    const json = JSON.stringify(snapshot);
    const entry: HubEntry = {
      version: snapshot.version,
      snapshot,
      body: encoder.encode(json),
      frame: encoder.encode(`id: ${snapshot.version}\nevent: snapshot\ndata: ${json}\n\n`),
      publishedAt: this.#now(),
    };
    this.#latest = entry;
    for (const sub of this.#subs) {
      if (sub.stalledFor(entry.publishedAt) > this.#stallTimeoutMs) sub.close("stalled");
      else sub.offer(entry);
    }
    for (const listener of this.#listeners) listener(entry);
    return true;
  }

  /**
   * Subscribes to new versions. With `afterVersion` (the client's Last-Event-ID) only versions
   * above it are delivered; an id above the latest version is not from this hub's history and is
   * ignored. Without it, the latest entry (if any) is delivered first.
   */
  subscribe(options: { afterVersion?: number | null; onClose?: OnClose } = {}): Subscription {
    const latest = this.#latest;
    let after = options.afterVersion ?? 0;
    if (latest && after > latest.version) after = 0;
    const sub = new Subscription(after, this.#now, (s) => this.#subs.delete(s), options.onClose);
    if (this.#closed) {
      sub.close("closed");
      return sub;
    }
    this.#subs.add(sub);
    if (latest) sub.offer(latest);
    return sub;
  }

  /** Calls `listener` synchronously after each publish; returns the unsubscribe function. */
  onPublish(listener: (entry: HubEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ends every subscription; later publishes are ignored. */
  close(): void {
    this.#closed = true;
    for (const sub of [...this.#subs]) sub.close("closed");
  }
}

/** Called once when a subscription ends: "closed" (by either side) or "stalled" (dropped). */
export type OnClose = (reason: "closed" | "stalled") => void;

/** One watcher's view of the hub: at most one pending entry, newest wins. */
export class Subscription implements Disposable {
  #pending: HubEntry | null = null;
  #pendingSince: number | null = null;
  #delivered: number;
  #wake: ((outcome: WaitOutcome) => void) | null = null;
  #closed = false;
  #now: () => number;
  #detach: (s: Subscription) => void;
  #onClose: OnClose | undefined;

  constructor(
    after: number,
    now: () => number,
    detach: (s: Subscription) => void,
    onClose?: OnClose,
  ) {
    this.#delivered = after;
    this.#now = now;
    this.#detach = detach;
    this.#onClose = onClose;
  }

  /** Version of the last entry taken (or the resume point). */
  get deliveredVersion(): number {
    return this.#delivered;
  }

  /** Whether the subscription has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether an entry is waiting to be taken. */
  get hasPending(): boolean {
    return this.#pending !== null;
  }

  /** @internal Replaces the pending entry if `entry` is newer than what was delivered. */
  offer(entry: HubEntry): void {
    if (this.#closed || entry.version <= this.#delivered) return;
    this.#pending = entry;
    this.#pendingSince ??= this.#now();
    this.#resolve("ready");
  }

  /** @internal How long the pending entry has waited (0 when none). */
  stalledFor(now: number): number {
    return this.#pendingSince === null ? 0 : now - this.#pendingSince;
  }

  /** Takes the pending entry (null when none). */
  take(): HubEntry | null {
    const entry = this.#pending;
    if (!entry) return null;
    this.#pending = null;
    this.#pendingSince = null;
    this.#delivered = entry.version;
    return entry;
  }

  /** Resolves when an entry is pending, the subscription closes, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<WaitOutcome> {
    if (this.#closed) return Promise.resolve("closed");
    if (this.#pending) return Promise.resolve("ready");
    this.#resolve("timeout"); // at most one waiter: a newer wait supersedes an older one
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#resolve("timeout"), timeoutMs);
      this.#wake = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
  }

  /** Ends the subscription and releases its pending entry and timer. Idempotent. */
  close(reason: "closed" | "stalled" = "closed"): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = null;
    this.#pendingSince = null;
    this.#detach(this);
    this.#resolve("closed");
    this.#onClose?.(reason);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #resolve(outcome: WaitOutcome): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.(outcome);
  }
}
