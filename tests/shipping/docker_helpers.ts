/**
 * Helpers of the container test: the docker CLI, a TCP forwarder that lets containers on Docker's
 * bridge reach the sandbox (whose nodes listen on 127.0.0.1 only), and polling.
 */

/** The repository root (the build context). */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** Result of one docker command. */
export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker ARGS` and returns its exit code and output (never throws on a non-zero exit). */
export async function docker(
  args: string[],
  options: { cwd?: string } = {},
): Promise<DockerResult> {
  const out = await new Deno.Command("docker", {
    args,
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs `docker ARGS`, throws with its stderr unless it exits 0; returns trimmed stdout. */
export async function dockerOk(args: string[]): Promise<string> {
  const r = await docker(args);
  if (r.code !== 0) {
    throw new Error(`docker ${args.slice(0, 3).join(" ")} failed (${r.code}): ${r.stderr.trim()}`);
  }
  return r.stdout.trim();
}

/** `docker inspect -f FORMAT OBJECT`. */
export function inspect(object: string, format: string): Promise<string> {
  return dockerOk(["inspect", "-f", format, object]);
}

/** Why the engine cannot be used (null when `docker info` answers and the base image exists). */
export async function engineProblem(baseImage: string): Promise<string | null> {
  try {
    const info = await docker(["info", "--format", "{{.ServerVersion}}"]);
    if (info.code !== 0) return `no Docker engine answers: ${info.stderr.trim().split("\n")[0]}`;
    const base = await docker(["image", "inspect", baseImage]);
    if (base.code !== 0) return `base image ${baseImage} is missing`;
    return null;
  } catch (err) {
    return `cannot run docker: ${(err as Error).message}`;
  }
}

/**
 * The host's address on Docker's default bridge, which containers on it can reach: the network's
 * IPAM gateway, or (engines that leave it unset, like 20.10) the address of the bridge interface.
 */
export async function bridgeGateway(): Promise<string> {
  const ipam = await dockerOk(["network", "inspect", "bridge", "-f", "{{json .IPAM.Config}}"]);
  const configured = (JSON.parse(ipam) as { Gateway?: string }[]).find((c) => c.Gateway)?.Gateway;
  if (configured) return configured;
  const options = await dockerOk(["network", "inspect", "bridge", "-f", "{{json .Options}}"]);
  const name = (JSON.parse(options) as Record<string, string> | null)?.[
    "com.docker.network.bridge.name"
  ] ?? "docker0";
  const address = Deno.networkInterfaces().find((i) => i.name === name && i.family === "IPv4");
  if (!address) throw new Error(`no IPv4 address on the bridge interface ${name}`);
  return address.address;
}

/** Polls `check` every 250 ms until it returns true; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = ` (last error: ${(err as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
}

/** GET a URL; resolves with the status and the parsed JSON body (null when not JSON). */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, body };
}

/** A TCP forwarder: `hostname:port` -> `127.0.0.1:target`. */
export interface Forwarder extends AsyncDisposable {
  readonly port: number;
  /** Stops listening and cuts every forwarded connection. Idempotent. */
  close(): Promise<void>;
}

/** Listens on `hostname` (e.g. the bridge gateway) and pipes each connection to 127.0.0.1:target. */
export function forward(hostname: string, target: number): Forwarder {
  const listener = Deno.listen({ hostname, port: 0 });
  const conns = new Set<Deno.Conn>();
  const pipes = new Set<Promise<void>>();
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch { /* the other side closed */ }
  };
  const serve = async (client: Deno.Conn) => {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: target });
    } catch {
      client.close();
      return;
    }
    conns.add(client).add(upstream);
    await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
    for (const c of [client, upstream]) {
      conns.delete(c);
      try {
        c.close();
      } catch { /* already closed by pipeTo */ }
    }
  };
  const accepting = (async () => {
    for await (const client of listener) {
      const p = serve(client);
      pipes.add(p);
      p.finally(() => pipes.delete(p));
    }
  })().catch(() => {});
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      listener.close();
      await accepting;
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await Promise.all(pipes);
    })();
    return closing;
  };
  return { port: (listener.addr as Deno.NetAddr).port, close, [Symbol.asyncDispose]: close };
}

/**
 * The distinct numeric uids of the processes running in a container (`docker top`, ps on the
 * host), sorted: a HEALTHCHECK run may be among the processes.
 */
export async function containerUids(container: string): Promise<number[]> {
  const table = await dockerOk(["top", container, "-o", "uid,pid"]);
  const uids = table.split("\n").slice(1).filter((line) => line.trim() !== "")
    .map((line) => Number(line.trim().split(/\s+/)[0]));
  return [...new Set(uids)].sort((a, b) => a - b);
}
