/**
 * The example worker (examples/temporal/main_worker.ts) as a child process: under Node 20 from a
 * `deno bundle` (Temporal packages left external, resolved from the repo's node_modules), or under
 * Deno directly.
 */
const ROOT = new URL("../../../", import.meta.url).pathname;
const ENTRY = `${ROOT}examples/temporal/main_worker.ts`;
/** Inside node_modules so that Node resolves `@temporalio/*` from the repo's node_modules. */
const BUNDLE = `${ROOT}node_modules/.cache/pgactive-tools/runbook_worker.mjs`;

/** Where the worker runs. */
export type Runtime = "node" | "deno";

/** A running worker process. */
export interface WorkerProcess extends AsyncDisposable {
  pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

let bundled: Promise<string> | null = null;

/** Bundles the worker for Node once per test process. */
function nodeBundle(): Promise<string> {
  bundled ??= (async () => {
    await Deno.mkdir(BUNDLE.slice(0, BUNDLE.lastIndexOf("/")), { recursive: true });
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--external", "@temporalio/*", "-o", BUNDLE, ENTRY],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`deno bundle of the worker failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    return BUNDLE;
  })();
  return bundled;
}

/** Starts the worker and waits until it polls its task queue. */
export async function startWorker(
  runtime: Runtime,
  env: Record<string, string>,
  readyTimeoutMs = 90_000,
): Promise<WorkerProcess> {
  const [cmd, args] = runtime === "node" ? ["node", [await nodeBundle()]] : [Deno.execPath(), [
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-ffi",
    "--allow-sys",
    ENTRY,
  ]];
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { ...env, RUNBOOK_WORKFLOWS_PATH: `${ROOT}examples/temporal/workflows.ts`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    if (!exited) {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    }
    const s = await status;
    await pumps;
    return s;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!text.includes("worker ready")) {
    if (exited || Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`the ${runtime} worker did not start:\n${text.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid,
    output: () => text,
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}
