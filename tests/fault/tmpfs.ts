/** A small tmpfs mounted for one test (a disk that fills up), where `mount` is allowed (root). */

/** A mounted tmpfs; dispose unmounts it and removes the mount point. */
export interface Tmpfs extends AsyncDisposable {
  readonly dir: string;
  /** Writes a filler file until the filesystem is full; returns the bytes written. */
  fill(): Promise<number>;
  /** Removes the filler: the filesystem has room again. */
  free(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { ok: out.success, text: (dec.decode(out.stdout) + dec.decode(out.stderr)).trim() };
}

/** Mounts a tmpfs of `sizeBytes`; the reason (a string) when this machine does not allow it. */
export async function mountTmpfs(sizeBytes: number): Promise<Tmpfs | string> {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-tmpfs-" });
  let mounted: { ok: boolean; text: string };
  try {
    mounted = await run("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir]);
  } catch (err) {
    mounted = { ok: false, text: (err as Error).message };
  }
  if (!mounted.ok) {
    await Deno.remove(dir);
    return `mount -t tmpfs -o size=${sizeBytes} tmpfs ${dir} failed: ${mounted.text}`;
  }
  const filler = `${dir}/filler`;
  return {
    dir,
    async fill() {
      const file = await Deno.open(filler, { write: true, create: true, append: true });
      const chunk = new Uint8Array(4096).fill(120);
      let total = 0;
      try {
        while (true) total += await file.write(chunk);
      } catch (err) {
        if (!/No space left/i.test((err as Error).message)) throw err;
      } finally {
        file.close();
      }
      return total;
    },
    async free() {
      await Deno.remove(filler).catch(() => {});
    },
    async [Symbol.asyncDispose]() {
      const out = await run("umount", [dir]);
      if (!out.ok) await run("umount", ["-l", dir]);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
