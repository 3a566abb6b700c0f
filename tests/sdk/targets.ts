/** Starts what the SDK scenarios need: the real API (token, steady publisher) and an error stub. */
import { makeSnapshot, startApi } from "./fixtures.ts";
import type { ScenarioTargets } from "./scenarios.ts";

/** The bearer token of the scenario API. */
export const TOKEN = "t0ken-for-sdk-tests";

/** Running targets; close() stops everything (publisher timer, both servers). */
export interface Targets extends AsyncDisposable {
  targets: ScenarioTargets;
  close(): Promise<void>;
}

/** A port that refuses connections (bound, then released). */
export function refusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts the API (publishing a version every `everyMs`) and the stub. */
export async function startTargets(everyMs = 40): Promise<Targets> {
  let api = await startApi({ token: TOKEN });
  const port = api.port;
  let version = 1;
  api.publish(makeSnapshot(version));
  const timer = setInterval(() => api.publish(makeSnapshot(++version)), everyMs);
  /** Stops the API and starts a new one on the same port whose history is one version behind. */
  const restart = async () => {
    await api.shutdown();
    api = await startApi({ token: TOKEN, port });
    api.publish(makeSnapshot(version - 1));
  };
  const hanging: (() => void)[] = [];
  const stub = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/control/restart") {
      await restart();
      return Response.json({ restarted: true });
    }
    if (path === "/hang/snapshot") {
      // never answers while the test runs; released by close()
      await new Promise<void>((resolve) => hanging.push(resolve));
      return new Response(null, { status: 204 });
    }
    if (path === "/500/snapshot") {
      return Response.json({ error: "store exploded" }, { status: 500 });
    }
    if (path === "/bad-json/snapshot") return new Response("{not json", { status: 200 });
    if (path === "/bad-schema/snapshot") {
      return Response.json({ version: "seven", status: "FINE", nodes: {}, links: [] });
    }
    return Response.json({ error: "No such endpoint" }, { status: 404 });
  });
  const close = async () => {
    clearInterval(timer);
    await api.shutdown();
    for (const release of hanging) release();
    await stub.shutdown();
  };
  return {
    targets: {
      url: api.url,
      token: TOKEN,
      refusedUrl: `http://127.0.0.1:${refusedPort()}`,
      stubUrl: `http://127.0.0.1:${stub.addr.port}`,
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
