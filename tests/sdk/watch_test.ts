/** watchSnapshots over a real port: restart and resume, abort, fatal errors, chunked CRLF frames. */
import { Client, HttpError, SnapshotFormatError } from "../../lib/sdk/mod.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "./assert.ts";
import { makeSnapshot, startApi, until } from "./fixtures.ts";
import { refusedPort } from "./targets.ts";

Deno.test("watch resumes across a server restart with Last-Event-ID and no duplicates", async () => {
  let api = await startApi({ runId: "run-a" });
  const port = api.port;
  const sentIds: (string | null)[] = [];
  const client = new Client(api.url, {
    fetch: (input, init) => {
      sentIds.push(new Headers(init?.headers).get("last-event-id"));
      return fetch(input, init);
    },
  });
  const stop = new AbortController();
  const seen: number[] = [];
  let retries = 0;
  const consumer = (async () => {
    const watch = client.watchSnapshots({
      signal: stop.signal,
      initialDelayMs: 20,
      maxDelayMs: 100,
      onRetry: () => retries++,
    });
    for await (const s of watch) {
      seen.push(s.version);
      if (s.version === 5) stop.abort();
    }
  })();
  try {
    for (const v of [1, 2, 3]) api.publish(makeSnapshot(v));
    await until("versions 1-3", () => seen.includes(3));
    await api.shutdown();
    await until("a failed reconnection", () => retries >= 2);
    // The same run behind the same id (a proxy's reconnect): version 2 is a repeat, skipped.
    api = await startApi({ port, runId: "run-a" });
    api.publish(makeSnapshot(2));
    await until("the client to reconnect", () => api.hub.subscriberCount > 0);
    api.publish(makeSnapshot(4));
    api.publish(makeSnapshot(5));
    await consumer;
  } finally {
    stop.abort();
    await api.shutdown();
  }
  assertEquals(seen.filter((v, i) => seen.indexOf(v) === i), seen, "no duplicates");
  assert(seen.every((v, i) => i === 0 || v > seen[i - 1]!), `in order: ${seen}`);
  assertEquals(seen.at(-1), 5);
  assert(seen.includes(4) || seen.includes(5), "resumed after restart");
  assertEquals(sentIds[0], null, "first connection has no Last-Event-ID");
  assertEquals(sentIds.at(-1), "3", "reconnection resumes after version 3");
});

Deno.test("a new server run that lost its history is followed, reported, never muted", async () => {
  let api = await startApi({ runId: "run-a" });
  const port = api.port;
  const client = new Client(api.url);
  const stop = new AbortController();
  const seen: number[] = [];
  const restarts: { previousRun: string; run: string; lastVersion: number }[] = [];
  const consumer = (async () => {
    const watch = client.watchSnapshots({
      signal: stop.signal,
      initialDelayMs: 20,
      maxDelayMs: 100,
      onServerRestart: (info) => restarts.push(info),
    });
    for await (const s of watch) {
      seen.push(s.version);
      if (seen.length === 6) stop.abort();
    }
  })();
  const step = async (v: number) => {
    api.publish(makeSnapshot(v));
    await until(`version ${v}`, () => seen.includes(v));
  };
  try {
    await until("the client to connect", () => api.hub.subscriberCount > 0);
    for (const v of [41, 42, 43]) await step(v);
    await api.shutdown();
    api = await startApi({ port, runId: "run-b" });
    api.publish(makeSnapshot(7)); // its history is gone: it counts from lower versions
    await until("version 7", () => seen.includes(7));
    for (const v of [8, 9]) await step(v);
    await consumer;
  } finally {
    stop.abort();
    await api.shutdown();
  }
  assertEquals(seen, [41, 42, 43, 7, 8, 9]);
  assertEquals(restarts, [{ previousRun: "run-a", run: "run-b", lastVersion: 43 }]);
});

Deno.test("aborting ends the watch promptly, while connected and while backing off", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1));
  const client = new Client(api.url);
  const stop = new AbortController();
  const seen: number[] = [];
  const started = Date.now();
  for await (const s of client.watchSnapshots({ signal: stop.signal })) {
    seen.push(s.version);
    setTimeout(() => stop.abort(), 20); // abort while the stream is idle
  }
  assertEquals(seen, [1]);
  assert(Date.now() - started < 2_000, "ended promptly");

  const down = new Client(`http://127.0.0.1:${refusedPort()}`);
  const stop2 = new AbortController();
  let retries = 0;
  const watch = down.watchSnapshots({
    signal: stop2.signal,
    initialDelayMs: 10_000,
    onRetry: () => {
      retries++;
      setTimeout(() => stop2.abort(), 10); // abort during a 5-15 s backoff sleep
    },
  });
  const t0 = Date.now();
  for await (const _ of watch) throw new Error("no snapshot expected");
  assertEquals(retries, 1);
  assert(Date.now() - t0 < 2_000, "backoff sleep was cut short");
});

Deno.test("breaking out of the loop releases the connection", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1));
  for await (const s of new Client(api.url).watchSnapshots()) {
    assertEquals(s.version, 1);
    break;
  }
  await until("the server to drop the watcher", () => api.hub.subscriberCount === 0);
});

Deno.test("an authentication failure is thrown, not retried", async () => {
  await using api = await startApi({ token: "secret-token-1" });
  api.publish(makeSnapshot(1));
  const err = await assertRejects(async () => {
    for await (const _ of new Client(api.url, { token: "nope" }).watchSnapshots()) break;
  }, HttpError);
  assertEquals(err.status, 401);
});

Deno.test("frames split into small CRLF chunks with keep-alives are parsed", async () => {
  const frames = [1, 2].map((v) =>
    `: keep-alive\r\n\r\nid: ${v}\r\nevent: snapshot\r\ndata: ${
      JSON.stringify(makeSnapshot(v))
    }\r\n\r\n`
  ).join("");
  const bytes = new TextEncoder().encode(frames);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (offset >= bytes.length) return c.close();
        // a real socket turn now and then, so chunks really arrive separately
        if (offset % (7 * 64) === 0) await new Promise((r) => setTimeout(r, 0));
        c.enqueue(bytes.slice(offset, offset + 7));
        offset += 7;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const seen: number[] = [];
    const stop = new AbortController();
    const client = new Client(`http://127.0.0.1:${server.addr.port}`);
    for await (const s of client.watchSnapshots({ signal: stop.signal, initialDelayMs: 5 })) {
      seen.push(s.version);
      if (s.version === 2) stop.abort();
    }
    assertEquals(seen, [1, 2]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("sinceVersion skips what the caller already has", async () => {
  await using api = await startApi();
  for (const v of [1, 2, 3]) api.publish(makeSnapshot(v));
  const stop = new AbortController();
  const seen: number[] = [];
  const consumer = (async () => {
    for await (
      const s of new Client(api.url).watchSnapshots({ signal: stop.signal, sinceVersion: 3 })
    ) {
      seen.push(s.version);
      stop.abort();
    }
  })();
  await until("the watcher to subscribe", () => api.hub.subscriberCount > 0);
  api.publish(makeSnapshot(4));
  await consumer;
  assertEquals(seen, [4]);
});

Deno.test("a silent connection is dropped after the idle timeout and reopened", async () => {
  let connections = 0;
  const frame = `id: 1\nevent: snapshot\ndata: ${JSON.stringify(makeSnapshot(1))}\n\n`;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    const first = ++connections === 1;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        if (!first) c.enqueue(new TextEncoder().encode(frame));
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const errors: string[] = [];
    const stop = new AbortController();
    const client = new Client(`http://127.0.0.1:${server.addr.port}`);
    const watch = client.watchSnapshots({
      signal: stop.signal,
      idleTimeoutMs: 100,
      initialDelayMs: 5,
      onRetry: ({ error }) => errors.push(error.message),
    });
    for await (const s of watch) {
      assertEquals(s.version, 1);
      stop.abort();
    }
    assertEquals(connections, 2);
    assertMatch(errors[0] ?? "", /: no data for 100 ms$/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a /watch answer that is not an event stream is a SnapshotFormatError", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("<html></html>", { headers: { "content-type": "text/html" } }),
  );
  try {
    const client = new Client(`http://127.0.0.1:${server.addr.port}`);
    const err = await assertRejects(async () => {
      for await (const _ of client.watchSnapshots()) break;
    }, SnapshotFormatError);
    assertEquals(
      err.message,
      'invalid watch response: content-type: expected text/event-stream, got "text/html"',
    );
  } finally {
    await server.shutdown();
  }
});
