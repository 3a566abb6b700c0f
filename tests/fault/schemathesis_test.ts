/**
 * docs/openapi.yaml against a real pgactive-server on a 2-node sandbox: every endpoint's real answer
 * (real PostgreSQL, real SQLite, a recorded conflict) holds to the document, then schemathesis
 * fuzzes the API from the document (positive and negative data, all checks): 0 server errors, 0
 * responses that break the schema. schemathesis comes from PyPI through .ci/schemathesis.sh, which
 * prints the path exported as SCHEMATHESIS (SCHEMATHESIS_MAX_EXAMPLES: cases per operation, default
 * 40). /watch is checked here, not fuzzed: its body never ends.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { readSse } from "../../lib/sdk/sse.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { checkResponse, componentSchema, loadOpenApi } from "../server/openapi_doc.ts";
import { getJson, sandboxServer, until, versionOf } from "./processes.ts";

const DOC = new URL("../../docs/openapi.yaml", import.meta.url).pathname;
const HOOKS = new URL("./schemathesis_hooks.py", import.meta.url).pathname;

function schemathesis(): string {
  const hint =
    "install it with `bash .ci/schemathesis.sh` and export SCHEMATHESIS=<the path it prints>";
  const path = Deno.env.get("SCHEMATHESIS");
  if (!path) throw new Error(`SCHEMATHESIS is not set: ${hint}`);
  try {
    Deno.statSync(path);
  } catch {
    throw new Error(`SCHEMATHESIS=${path} does not exist: ${hint}`);
  }
  return path;
}

Deno.test("fault: the API against docs/openapi.yaml on the sandbox, fuzzed by schemathesis", async (t) => {
  const st = schemathesis();
  await using sb = await startSandbox({ nodes: 2 });
  const work = await Deno.makeTempDir({ prefix: "pgactive-fault-openapi-" });
  try {
    await sb.recordConflict("node1", { from: "node2", type: "update_update" });
    await using server = await sandboxServer(sb, work, { name: "api", interval: "500ms" });
    await server.start();
    await until("a stored conflict and 6 versions", async () => {
      const body = await getJson(server.url, "/conflicts");
      return (body.conflicts as unknown[]).length > 0 && await versionOf(server.url) >= 6;
    });
    const doc = loadOpenApi();

    await t.step("every endpoint's real answer holds to the document", async () => {
      for (const path of ["/", "/snapshot", "/health", "/metrics", "/history", "/conflicts"]) {
        await checkResponse(doc, path, await fetch(`${server.url}${path}`));
      }
      const links = await fetch(`${server.url}/history/links?from=node1&to=node2&limit=5`);
      const body = await checkResponse(doc, "/history/links", links) as { points: unknown[] };
      assertEquals(body.points.length, 5);
      const watch = await fetch(`${server.url}/watch`);
      // status, media type and headers only: the body never ends
      await checkResponse(doc, "/watch", new Response(null, watch));
      const snapshot = componentSchema(doc, "Snapshot");
      for await (const event of readSse(watch.body!)) {
        snapshot.parse(JSON.parse(event.data));
        break;
      }
    });

    await t.step("schemathesis: 0 server errors, 0 responses breaking the schema", async () => {
      const started = performance.now();
      const out = await new Deno.Command(st, {
        args: [
          "run",
          DOC,
          "--url",
          server.url,
          "--checks",
          "all",
          "--exclude-path",
          "/watch",
          "--max-examples",
          Deno.env.get("SCHEMATHESIS_MAX_EXAMPLES") ?? "40",
          "--workers",
          "2",
          "--request-timeout",
          "10",
          "--seed",
          "12",
          "--no-color",
          "--generation-database",
          "none",
        ],
        cwd: work,
        env: { NO_COLOR: "1", SCHEMATHESIS_HOOKS: HOOKS },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      const summary = text.split("\n").filter((l) =>
        /passed|failed|error|Test cases|SUMMARY/i.test(l)
      );
      console.log(
        `schemathesis ${((performance.now() - started) / 1000).toFixed(0)} s:\n${
          summary.join("\n")
        }`,
      );
      assert(out.code === 0, text.slice(-6000));
      assert(!/\d+ failed/.test(text) || /\b0 failed/.test(text), text.slice(-3000));
    });
    await server.signal("SIGTERM");
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
