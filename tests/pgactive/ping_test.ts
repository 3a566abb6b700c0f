/** pingPostgres against a real PostgreSQL, a refused port and a listener that never answers. */
import assert from "node:assert/strict";
import { pingPostgres } from "../../lib/pgactive/ping.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { refusedPort } from "../sdk/targets.ts";

Deno.test("a ping is answered by PostgreSQL, refused by a closed port, unanswered by a silent one", async () => {
  await using sb = await startSandbox({ nodes: 1 });
  await pingPostgres({ host: "127.0.0.1", port: sb.node("node1").port }, 2_000);

  await assert.rejects(
    pingPostgres({ host: "127.0.0.1", port: refusedPort() }, 2_000),
    (err: Error & { code?: string }) => err.code === "ECONNREFUSED",
  );

  // Accepts (as a SIGSTOPped postmaster's kernel backlog does) but never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })().catch(() => {});
  try {
    const started = performance.now();
    await assert.rejects(
      pingPostgres({ host: "127.0.0.1", port: (silent.addr as Deno.NetAddr).port }, 300),
      (err: Error & { code?: string }) => err.code === "CONNECT_TIMEOUT",
    );
    const took = performance.now() - started;
    assert.ok(took >= 290 && took < 2_000, `${took} ms`);
  } finally {
    silent.close();
    await accepting;
    for (const conn of held) conn.close();
  }
});
