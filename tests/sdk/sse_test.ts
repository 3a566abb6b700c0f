/** The event-stream parser: chunk boundaries, line endings, multi-line data, comments. */
import { SseParser } from "../../lib/sdk/mod.ts";
import { assertEquals } from "./assert.ts";

const STREAM =
  '\uFEFFretry: 2000\n\n: keep-alive\n\nid: 7\nevent: snapshot\ndata: {"a":\ndata: 1}\n\n' +
  "data: plain\n\nid: 8\nevent: snapshot\ndata: x\n\n";

function parseAll(chunks: string[]) {
  const p = new SseParser();
  const events = chunks.flatMap((c) => p.push(c));
  return { events: [...events, ...p.end()], comments: p.comments };
}

Deno.test("events split at every possible chunk boundary parse the same", () => {
  const whole = parseAll([STREAM]);
  assertEquals(whole.events.map((e) => [e.event, e.id, e.data]), [
    ["snapshot", "7", '{"a":\n1}'],
    ["message", "7", "plain"],
    ["snapshot", "8", "x"],
  ]);
  assertEquals(whole.comments, 1);
  for (let i = 1; i < STREAM.length; i++) {
    assertEquals(parseAll([STREAM.slice(0, i), STREAM.slice(i)]), whole, `split at ${i}`);
  }
  assertEquals(parseAll([...STREAM]), whole, "one character per chunk");
});

Deno.test("CRLF and lone CR line endings are accepted, even when CRLF is split", () => {
  for (const eol of ["\r\n", "\r"]) {
    const text = STREAM.replaceAll("\n", eol);
    const expected = parseAll([STREAM]).events;
    assertEquals(parseAll([text]).events, expected, JSON.stringify(eol));
    assertEquals(parseAll([...text]).events, expected, `${JSON.stringify(eol)} char by char`);
  }
});

Deno.test("a trailing event without its blank line is discarded at end of stream", () => {
  const { events } = parseAll([
    "id: 1\nevent: snapshot\ndata: a\n\nid: 2\nevent: snapshot\ndata: b",
  ]);
  assertEquals(events.map((e) => e.data), ["a"]);
});

Deno.test("fields without a value, unknown fields and a space-less colon", () => {
  const { events } = parseAll(["data\nfoo: bar\ndata:x\nretry: soon\n\n"]);
  assertEquals(events.map((e) => [e.data, e.retry]), [["\nx", null]]);
});
