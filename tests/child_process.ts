/** Child-process helpers shared by the suites that run real programs (servers, peers, the CLI). */

/**
 * Collects the lines of a child's pipe into `into` as they arrive (empty lines dropped, a line
 * split across chunks kept whole); `onLine` is called after each chunk. Resolves when the pipe
 * closes.
 */
export function collectLines(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  into: string[],
  onLine?: () => void,
): Promise<void> {
  return (async () => {
    let rest = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + text).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) if (line !== "") into.push(line);
      onLine?.();
    }
    if (rest !== "") into.push(rest);
  })();
}

/** What a finished run printed, its exit code and how long it took. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `command` (stdout and stderr piped) to its end. */
export async function runToEnd(command: Deno.Command): Promise<RunResult> {
  const started = performance.now();
  const out = await command.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    ms: performance.now() - started,
  };
}
