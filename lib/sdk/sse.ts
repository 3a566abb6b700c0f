/**
 * Server-Sent Events parsing (the WHATWG event-stream format): an incremental parser that accepts
 * arbitrary chunk boundaries, LF / CR / CRLF line ends, multi-line `data:` and comments, and a reader
 * over a response body with an idle timeout and clean cancellation.
 */

/** One dispatched event. */
export interface SseEvent {
  /** `event:` field, "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** Last event ID in effect for this event ("" when none was ever set). */
  id: string;
  /** `retry:` value in ms if this event block carried one. */
  retry: number | null;
}

/** Incremental event-stream parser: feed decoded text with {@link push}, get complete events. */
export class SseParser {
  #buffer = "";
  #data: string[] = [];
  #event = "";
  #lastId = "";
  #retry: number | null = null;
  #started = false;
  /** Comment lines seen (keep-alives), for liveness tracking. */
  comments = 0;

  /** Parses `text` (any fragment of the stream) and returns the events it completed. */
  push(text: string): SseEvent[] {
    let buf = this.#buffer + text;
    if (!this.#started && buf.length > 0) {
      this.#started = true;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (c === 13 && i === buf.length - 1) break;
      this.#line(buf.slice(start, i), events);
      if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.#buffer = buf.slice(start);
    return events;
  }

  /** Ends the stream: a trailing incomplete event is discarded, as the format requires. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#buffer.endsWith("\r")) this.#line(this.#buffer.slice(0, -1), events);
    this.#buffer = "";
    this.#data = [];
    this.#event = "";
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.#data.length > 0) {
        events.push({
          event: this.#event || "message",
          data: this.#data.join("\n"),
          id: this.#lastId,
          retry: this.#retry,
        });
      }
      this.#data = [];
      this.#event = "";
      this.#retry = null;
      return;
    }
    if (line.startsWith(":")) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.#lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
    }
  }
}

/** Options of {@link readSse}. */
export interface ReadSseOptions {
  /** Give up (throw {@link SseIdleError}) when no byte arrives for this long. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** No byte (not even a keep-alive comment) arrived within the idle timeout. */
export class SseIdleError extends Error {
  override name = "SseIdleError";
}

/**
 * Yields the events of an event-stream body. The reader is always released: on end, on error, on
 * abort and when the consumer stops iterating early.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const { signal, idleTimeoutMs } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle = false;
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    while (true) {
      signal?.throwIfAborted();
      if (idleTimeoutMs !== undefined) {
        timer = setTimeout(() => {
          idle = true;
          cancel();
        }, idleTimeoutMs);
      }
      const { done, value } = await reader.read();
      clearTimeout(timer);
      if (idle) throw new SseIdleError(`no data for ${idleTimeoutMs} ms`);
      signal?.throwIfAborted();
      if (done) {
        yield* parser.end();
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", cancel);
    cancel();
    reader.releaseLock();
  }
}
