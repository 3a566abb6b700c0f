/**
 * A detached shell watchdog per sandbox: if this Deno process dies without closing the sandbox
 * (SIGKILL, crash, Ctrl-C in a test run), it stops the sandbox's PostgreSQL instances
 * (SIGCONT + immediate shutdown, then SIGKILL) and removes the temporary directory.
 */

const SCRIPT = `
parent="$1"; tmp="$2"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
pids=""
for f in "$tmp"/*/postmaster.pid; do
  [ -f "$f" ] || continue
  pid=$(head -n 1 "$f")
  [ -n "$pid" ] || continue
  pids="$pids $pid"
  for s in /proc/[0-9]*/stat; do
    ppid=$(sed -e 's/^.*) [A-Za-z] \\([0-9]*\\) .*$/\\1/' "$s" 2>/dev/null)
    if [ "$ppid" = "$pid" ]; then c=\${s#/proc/}; kill -CONT "\${c%/stat}" 2>/dev/null; fi
  done
  kill -CONT "$pid" 2>/dev/null
  kill -QUIT "$pid" 2>/dev/null
done
sleep 2
for pid in $pids; do kill -KILL "$pid" 2>/dev/null; done
rm -rf "$tmp"
`;

/** Handle to a running watchdog. */
export interface Watchdog {
  /** Stops the watchdog (after a normal teardown). */
  disarm(): void;
}

/** Starts the watchdog for `tmpDir`, watching this process. */
export async function startWatchdog(tmpDir: string): Promise<Watchdog> {
  const out = await new Deno.Command("sh", {
    args: [
      "-c",
      'setsid sh -c "$0" pgactive-sandbox-watchdog "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!',
      SCRIPT,
      String(Deno.pid),
      tmpDir,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  const pid = Number(new TextDecoder().decode(out.stdout).trim());
  return {
    disarm() {
      if (!Number.isInteger(pid) || pid <= 0) return;
      try {
        Deno.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}
