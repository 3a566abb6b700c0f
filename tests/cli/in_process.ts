/** Runs the CLI in-process (lib/cli's run) and collects its exit code and output. */
import { run } from "../../lib/cli/mod.ts";

/** What one CLI run produced. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pgactive-tools ARGV` in-process (not a TTY unless asked, empty env unless given). */
export async function cli(
  argv: string[],
  opts: { env?: Record<string, string>; isTTY?: boolean } = {},
): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    env: opts.env ?? {},
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: opts.isTTY ?? false,
  });
  return { code, stdout, stderr };
}
