/**
 * SDK behaviour checked against a live server, written once and run both by Deno (client_test.ts)
 * and by Node 20 on the bundled SDK (node_test.ts). Imports only the SDK and plain assertions.
 */
import {
  caughtUp,
  Client,
  HttpError,
  ServerUnavailableError,
  SnapshotFormatError,
  TimeoutError,
} from "../../lib/sdk/mod.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "./assert.ts";

/** Where the scenarios find their servers. */
export interface ScenarioTargets {
  /** The real API (bearer token required), publishing a new version every few ms. */
  url: string;
  token: string;
  /** A port nothing listens on. */
  refusedUrl: string;
  /** A stub answering /500/snapshot, /bad-json/snapshot, /bad-schema/snapshot. */
  stubUrl: string;
}

/** Every scenario, by name. */
export const SCENARIOS: Record<string, (t: ScenarioTargets) => Promise<void>> = {
  async "getSnapshot returns a validated snapshot"(t) {
    const snapshot = await new Client(t.url, { token: t.token }).getSnapshot();
    assert(snapshot.version >= 1, "version");
    assertEquals(Object.keys(snapshot.nodes).sort(), ["node1", "node2", "node3"]);
    assertEquals(snapshot.links.length, 6, "links");
  },
  async "a missing token is an HttpError 401 whose message has no token"(t) {
    const err = await assertRejects(() => new Client(t.url).getSnapshot(), HttpError);
    assertEquals(err.status, 401);
    assertMatch(err.message, /answered 401 Unauthorized for \/snapshot: .*Bearer/);
    const wrong = await assertRejects(
      () => new Client(t.url, { token: "wrong-token-xyz" }).getSnapshot(),
      HttpError,
    );
    assert(!wrong.message.includes("wrong-token-xyz"), "token leaked into the message");
    assert(!wrong.message.includes("\n"), "one line");
  },
  async "a refused port is a ServerUnavailableError naming the URL"(t) {
    const err = await assertRejects(
      () => new Client(t.refusedUrl, { token: t.token }).getSnapshot(),
      ServerUnavailableError,
    );
    assertEquals(
      err.message,
      `cannot reach pgactive-server at ${t.refusedUrl}: connection refused`,
    );
  },
  async "a server that does not answer in time is a ServerUnavailableError"(t) {
    const started = Date.now();
    const err = await assertRejects(
      () => new Client(`${t.stubUrl}/hang`, { timeoutMs: 200 }).getSnapshot(),
      ServerUnavailableError,
    );
    assertEquals(err.reason, "timed out after 200 ms");
    assert(Date.now() - started < 2_000, "gave up on time");
  },
  async "a 500 is an HttpError carrying the server's error text"(t) {
    const err = await assertRejects(
      () => new Client(`${t.stubUrl}/500`).getSnapshot(),
      HttpError,
    );
    assertEquals(err.status, 500);
    assertEquals(err.serverMessage, "store exploded");
  },
  async "malformed JSON and a wrong shape are SnapshotFormatErrors in one line"(t) {
    const bad = await assertRejects(
      () => new Client(`${t.stubUrl}/bad-json`).getSnapshot(),
      SnapshotFormatError,
    );
    assertMatch(bad.message, /^invalid snapshot: not valid JSON/);
    const shape = await assertRejects(
      () => new Client(`${t.stubUrl}/bad-schema`).getSnapshot(),
      SnapshotFormatError,
    );
    assertMatch(shape.message, /^invalid snapshot: version: .*; /);
    assert(!shape.message.includes("\n"), "one line");
  },
  async "getConflicts and health read their endpoints"(t) {
    const client = new Client(t.url, { token: t.token });
    const rows = await client.getConflicts({ node: "node2", limit: 2 });
    assertEquals(rows.map((r) => r.conflict_id), [3, 2]);
    const health = await client.health();
    assertEquals(health.status, "ok");
  },
  async "watchSnapshots yields increasing versions and ends on abort"(t) {
    const client = new Client(t.url, { token: t.token });
    const stop = new AbortController();
    const seen: number[] = [];
    for await (const s of client.watchSnapshots({ signal: stop.signal })) {
      seen.push(s.version);
      if (seen.length === 3) stop.abort();
    }
    assertEquals(seen.length, 3, "three versions");
    assert(seen[0]! < seen[1]! && seen[1]! < seen[2]!, `not increasing: ${seen}`);
  },
  async "watchSnapshots follows a server restart: reported, in order within each run"(t) {
    const client = new Client(t.url, { token: t.token });
    const stop = new AbortController();
    const seen: number[] = [];
    const cuts: number[] = [];
    let retries = 0;
    let before = -1;
    const watch = client.watchSnapshots({
      signal: stop.signal,
      initialDelayMs: 20,
      maxDelayMs: 200,
      onRetry: () => retries++,
      onServerRestart: () => cuts.push(seen.length),
    });
    for await (const s of watch) {
      seen.push(s.version);
      if (seen.length === 2) {
        before = s.version;
        const r = await fetch(`${t.stubUrl}/control/restart`);
        await r.body?.cancel();
      }
      if (cuts.length > 0 && seen.length >= cuts[0]! + 3) stop.abort();
    }
    assert(retries >= 1, "reconnected at least once");
    assertEquals(cuts.length, 1, "the new server run was reported once");
    const increasing = (run: number[]) => run.every((v, i) => i === 0 || v > run[i - 1]!);
    // The restarted fixture's history is one version behind: what it shows first is not dropped.
    assert(increasing(seen.slice(0, cuts[0])), `first run in order: ${seen}`);
    assert(increasing(seen.slice(cuts[0])), `second run in order: ${seen}`);
    assert(seen[cuts[0]!]! >= before - 1, `the new run's current snapshot first: ${seen}`);
  },
  async "waitFor resolves on a match and times out with the last snapshot"(t) {
    const client = new Client(t.url, { token: t.token });
    const now = (await client.getSnapshot()).version;
    const later = await client.waitFor((s) => s.version >= now + 2, { timeout: 5_000 });
    assert(later.version >= now + 2, "matched version");
    assert(caughtUp(later).caughtUp, "fixture snapshots are caught up");
    const err = await assertRejects(
      () => client.waitFor(() => false, { timeout: 150 }),
      TimeoutError,
    );
    assert(err.lastSnapshot !== null && err.lastSnapshot.version >= now, "last snapshot");
    const down = await assertRejects(
      () => new Client(t.refusedUrl).waitFor(() => true, { timeout: 300 }),
      TimeoutError,
    );
    assertEquals(down.lastSnapshot, null);
    assertMatch(
      down.message,
      /^timed out after 300 ms .*\(no snapshot received; cannot reach .*: connection refused\)$/,
    );
  },
};

/** Runs every scenario in order; returns the names that passed, throws on the first failure. */
export async function runScenarios(t: ScenarioTargets): Promise<string[]> {
  const passed: string[] = [];
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    try {
      await scenario(t);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
    passed.push(name);
  }
  return passed;
}
