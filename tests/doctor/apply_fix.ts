/** Applies a printed fix as an operator would: psql on the node it names (every node when null). */
import type { Finding } from "../../lib/doctor/mod.ts";
import type { Sandbox } from "../../lib/sandbox/mod.ts";
import { assert } from "../sdk/assert.ts";

const PSQL = `${Deno.env.get("PGACTIVE_SANDBOX_PG_BIN") ?? "/usr/lib/postgresql/15/bin"}/psql`;

/** Feeds `text` to psql (statements split as psql splits them) as the superuser on `node`. */
export async function psql(sb: Sandbox, node: string, text: string): Promise<void> {
  const n = sb.node(node);
  const child = new Deno.Command(PSQL, {
    args: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(n.port)],
    env: { PGUSER: "postgres", PGDATABASE: sb.database },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text + "\n"));
  await writer.close();
  const out = await child.output();
  const err = new TextDecoder().decode(out.stderr);
  assert(out.code === 0, `psql on ${node} failed (${out.code}): ${err}`);
}

/** Runs a finding's fix where it says, restarting the node when the fix asks for it. */
export async function applyFix(
  sb: Sandbox,
  f: Pick<Finding, "node" | "fix">,
  nodes: readonly string[],
): Promise<void> {
  assert(f.fix !== null, `no fix for ${f.node ?? "cluster"}`);
  for (const node of f.node === null ? nodes : [f.node]) {
    await psql(sb, node, f.fix);
    if (f.fix.includes("then restart PostgreSQL")) await sb.restartNode(node, { mode: "fast" });
  }
}
