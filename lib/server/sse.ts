/**
 * The /watch event stream: a pull-driven ReadableStream over one hub subscription.
 *
 * Nothing is queued ahead of the socket (highWaterMark 0): a frame is enqueued only when the HTTP
 * server asks for the next chunk, so a client that reads slowly keeps exactly one pending entry in
 * the hub (the newest) and skips the versions it had no time for.
 */
import type { Hub, Subscription } from "./hub.ts";

/** Options of {@link openWatch}. */
export interface WatchOptions {
  /** The client's Last-Event-ID (null: send the current snapshot first). */
  afterVersion: number | null;
  /** Idle time after which a `: keep-alive` comment is sent. */
  keepAliveMs: number;
  /** Reconnection delay suggested to the client (`retry:` field). */
  retryMs: number;
  /** Called once when the stream ends, with the number of snapshot events sent. */
  onEnd?: (info: { reason: "closed" | "stalled" | "cancelled"; events: number }) => void;
}

/** An open watch: the response body and the subscription behind it (close it to end the stream). */
export interface Watch {
  readonly stream: ReadableStream<Uint8Array>;
  readonly subscription: Subscription;
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(": keep-alive\n\n");

/** Opens a watch on `hub`: the retry hint, the current snapshot (or newer than the resume point), then one event per new version. */
export function openWatch(hub: Hub, options: WatchOptions): Watch {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pulling = false;
  let finished = false;
  let started = false;
  let events = 0;

  const finish = (reason: "closed" | "stalled" | "cancelled") => {
    if (finished) return;
    finished = true;
    try {
      if (reason === "stalled") controller.error(new Error("Watcher dropped: socket stalled"));
      else if (reason === "closed") controller.close();
    } catch {
      // already closed or errored by the other side
    }
    options.onEnd?.({ reason, events });
  };

  const subscription = hub.subscribe({
    afterVersion: options.afterVersion,
    onClose: (reason) => {
      // While a pull is waiting it sees "closed" and finishes itself, after enqueueing nothing.
      if (reason === "stalled" || !pulling) finish(reason);
    },
  });

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (subscription.closed) finish("closed");
    },
    async pull(c) {
      if (finished) return;
      if (!started) {
        started = true;
        c.enqueue(encoder.encode(`retry: ${options.retryMs}\n\n`));
        const first = subscription.take();
        if (first) {
          c.enqueue(first.frame);
          events++;
        }
        return;
      }
      pulling = true;
      const outcome = await subscription.wait(options.keepAliveMs);
      pulling = false;
      if (finished) return;
      if (outcome === "closed") return finish("closed");
      const entry = outcome === "ready" ? subscription.take() : null;
      if (entry) {
        c.enqueue(entry.frame);
        events++;
      } else {
        c.enqueue(KEEP_ALIVE);
      }
    },
    cancel() {
      finish("cancelled");
      subscription.close();
    },
  }, { highWaterMark: 0 });

  return { stream, subscription };
}
