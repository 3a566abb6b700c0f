/**
 * The Debian `prometheus` package's binaries (promtool, prometheus) for the example tests: found
 * on PATH or under /usr/bin; a missing binary FAILS the test with the command that installs it.
 */

/** Path of an executable on PATH or in /usr/bin; throws naming the package when missing. */
export async function findTool(name: string): Promise<string> {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== ""), "/usr/bin"];
  for (const dir of dirs) {
    try {
      const path = `${dir}/${name}`;
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${name} not found on PATH: install Debian's prometheus package (apt-get install prometheus; .ci/run does)`,
  );
}

/** promtool's path (throws when missing). */
export function promtool(): Promise<string> {
  return findTool("promtool");
}

/** Runs a command to completion; `text` is stdout then stderr. */
export async function runTool(
  cmd: string,
  args: string[],
): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}
