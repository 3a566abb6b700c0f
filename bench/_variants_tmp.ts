import { Hono } from "hono";
import { Hub } from "../lib/server/mod.ts";
import { createApp } from "../lib/server/mod.ts";
import { cycle, testConfig } from "../tests/server/fixtures.ts";
const hub = new Hub();
hub.publish(cycle(1));
const bytes = hub.latest!.body;
const which = Deno.args[0];
let handler: (r: Request) => Response | Promise<Response>;
if (which === "raw") {
  handler = () =>
    new Response(bytes, {
      headers: { "content-type": "application/json", etag: '"1"', "cache-control": "no-cache" },
    });
} else if (which === "hono") {
  const a = new Hono();
  a.get("/snapshot", (c) => {
    c.header("ETag", '"1"');
    c.header("Cache-Control", "no-cache");
    return c.body(bytes, 200, { "Content-Type": "application/json" });
  });
  handler = a.fetch;
} else handler = createApp({ config: testConfig(), hub }).fetch;
Deno.serve(
  { port: 18080 + Number(Deno.args[1] ?? 0), hostname: "127.0.0.1", onListen() {} },
  handler,
);
