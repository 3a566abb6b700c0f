/**
 * The container image, built by a real Docker engine from the Dockerfile as written, run against
 * the sandbox over Docker's default bridge (the sandbox listens on 127.0.0.1, so a forwarder on the
 * bridge gateway passes each node's port through). Needs a running engine and the stand-in base
 * image: `deno task docker:base` (.ci/docker.sh) provides both; without them this test fails.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { runArgs, SERVER } from "../../lib/release/targets.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import {
  bridgeGateway,
  containerUids,
  docker,
  dockerOk,
  engineProblem,
  forward,
  type Forwarder,
  getJson,
  inspect,
  ROOT,
  until,
} from "./docker_helpers.ts";

const BASE_IMAGE = "denoland/deno:2.9.6";
const TAG = "pgactive-tools:test";
const SECRET = "D0cker-Secr3t-Zebra";
const RUN = crypto.randomUUID().slice(0, 8);

interface Snapshot {
  version: number;
  nodes: Record<string, { status: string; error: string | null }>;
}

/** Builds the image from the repository root as the README says; returns its id. */
async function buildImage(): Promise<{ id: string; seconds: number }> {
  const idFile = await Deno.makeTempFile({ prefix: "pgactive-iid-" });
  const commit = await new Deno.Command("git", {
    args: ["rev-parse", "HEAD"],
    cwd: ROOT,
    stdout: "piped",
  })
    .output().then((o) => new TextDecoder().decode(o.stdout).trim() || "unknown").catch(() =>
      "unknown"
    );
  const started = performance.now();
  try {
    await dockerOk([
      "build",
      "--iidfile",
      idFile,
      "--build-arg",
      `PGACTIVE_TOOLS_COMMIT=${commit}`,
      "-t",
      TAG,
      ".",
    ]);
    return {
      id: (await Deno.readTextFile(idFile)).trim(),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Deno.remove(idFile);
  }
}

/** The host port Docker mapped to the container's 8080. */
async function mappedUrl(container: string): Promise<string> {
  const line = (await dockerOk(["port", container, "8080/tcp"])).split("\n")[0] ?? "";
  return `http://${line.trim()}`;
}

/** Polls GET /snapshot until `done` holds; resolves with that snapshot. */
async function waitForSnapshot(
  url: string,
  what: string,
  done: (s: Snapshot) => boolean,
): Promise<Snapshot> {
  let snapshot: Snapshot | null = null;
  await until(what, async () => {
    const res = await getJson(`${url}/snapshot`);
    snapshot = res.body as Snapshot;
    return res.status === 200 && done(snapshot);
  });
  return snapshot!;
}

async function health(container: string): Promise<string> {
  return await inspect(container, "{{.State.Health.Status}}");
}

/** stdout + stderr of the container and the output of its health probes. */
async function everyLogLine(container: string): Promise<string> {
  const logs = await docker(["logs", container]);
  const probes = await inspect(container, "{{json .State.Health}}").catch(() => "");
  return `${logs.stdout}\n${logs.stderr}\n${probes}`;
}

Deno.test("container image: built from the Dockerfile, run on a real engine against the sandbox", async (t) => {
  const problem = await engineProblem(BASE_IMAGE);
  assert(problem === null, `${problem}: run \`deno task docker:base\` (.ci/docker.sh) first`);
  const { id: image, seconds } = await buildImage();
  console.log(
    `  docker build: ${seconds.toFixed(1)} s (layers cached from earlier builds are reused)`,
  );

  await t.step("image: non-root, no shell, exec-form HEALTHCHECK, exact permissions", async () => {
    assertEquals(await inspect(image, "{{.Config.User}}"), "65532:65532");
    const check = JSON.parse(await inspect(image, "{{json .Config.Healthcheck.Test}}")) as string[];
    assertEquals(check[0], "CMD", "exec form: no shell needed");
    const entrypoint = JSON.parse(await inspect(image, "{{json .Config.Entrypoint}}")) as string[];
    assertEquals(entrypoint, ["/usr/bin/deno", ...runArgs(SERVER, "/app/pgactive-server.js")]);
    assertEquals(check.slice(1), [...entrypoint, "--healthcheck"]);
    const shell = await docker(["run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true"]);
    assert(shell.code !== 0, "the image has no /bin/sh");
    const version = await dockerOk(["run", "--rm", image, "--version"]);
    assertMatch(version, /^pgactive-server 0\.1\.0 \(commit \S+, deno 2\.9\.6, /);
    const size = Number(await inspect(image, "{{.Size}}"));
    console.log(`  image size: ${(size / 1e6).toFixed(1)} MB; ${version}`);
    assert(size < 130e6, `image is ${size} bytes`);
  });

  const gateway = await bridgeGateway();
  await using sb = await startSandbox({ nodes: 3 });
  const forwarders: Forwarder[] = sb.nodes.map((n) => forward(gateway, n.port));
  const dsn = (i: number) =>
    `postgres://postgres:${SECRET}@${gateway}:${forwarders[i]!.port}/${sb.database}`;
  const dir = await Deno.makeTempDir({ prefix: "pgactive-docker-" });
  const containers: string[] = [];
  const volume = `pgactive-test-${RUN}`;
  /** `docker run -d -p 127.0.0.1::8080 ARGS IMAGE`; resolves with the container and its URL. */
  const start = async (label: string, args: string[]) => {
    const name = `pgactive-test-${label}-${RUN}`;
    containers.push(name);
    await dockerOk(["run", "-d", "--name", name, "-p", "127.0.0.1::8080", ...args, image]);
    return { name, url: await mappedUrl(name) };
  };
  /** `docker stop`: exit 0 within 10 s, no DSN password in any log line; returns the logs. */
  const stop = async (name: string) => {
    const started = performance.now();
    await dockerOk(["stop", "--time", "10", name]);
    const stopMs = performance.now() - started;
    console.log(`  docker stop ${name}: ${stopMs.toFixed(0)} ms`);
    assertEquals(await inspect(name, "{{.State.ExitCode}}"), "0");
    assert(stopMs < 10_000, `docker stop took ${stopMs} ms`);
    const logs = await everyLogLine(name);
    assert(!logs.includes(SECRET), "the DSN password appears in the container's logs");
    return logs;
  };
  try {
    await sb.waitForCatchUp();

    await t.step(
      "mounted config, --read-only, data volume: healthy, unhealthy, clean stop",
      async () => {
        const config = `${dir}/tools.yaml`;
        const nodes = sb.nodes.map((n, i) => `    - name: ${n.name}\n      dsn: ${dsn(i)}\n`);
        await Deno.writeTextFile(
          config,
          `collector:\n  interval: 500ms\n  nodes:\n${nodes.join("")}`,
        );
        await Deno.chmod(config, 0o644);
        const { name, url } = await start("a", [
          "--read-only",
          "-v",
          `${volume}:/app/data`,
          "-v",
          `${config}:/app/config/tools.yaml:ro`,
          "--health-interval=1s",
          "--health-timeout=4s",
          "--health-retries=2",
          "--health-start-period=0s",
        ]); // deno-fmt-ignore
        const snapshot = await waitForSnapshot(url, "every node HEALTHY", (s) =>
        Object.values(s.nodes).every((n) => n.status === "HEALTHY"));
        assertEquals(Object.keys(snapshot.nodes).sort(), ["node1", "node2", "node3"]);
        assertEquals((await getJson(`${url}/health`)).status, 200);
        assertEquals(await containerUids(name), [65532], "the server runs as uid 65532");
        await until("HEALTHCHECK healthy", async () => await health(name) === "healthy");

        const mount = await dockerOk(["volume", "inspect", "-f", "{{.Mountpoint}}", volume]);
        const db = await Deno.stat(`${mount}/replication_state.db`);
        assert(db.size > 0, "the history is written to the volume");
        const write = await docker([
          "exec",
          name,
          "/usr/bin/deno",
          "eval",
          "Deno.writeTextFileSync('/app/x', '')",
        ]);
        assert(write.code !== 0 && /read-only file system/i.test(write.stderr), write.stderr);

        // A node whose path breaks: its error is logged, its DSN password must not be.
        await forwarders[2]!.close();
        await waitForSnapshot(url, "node3 DOWN", (s) => s.nodes.node3?.status === "DOWN");

        // Frozen server (SIGSTOP: no cycle runs, /health gets no answer): the HEALTHCHECK fails.
        await dockerOk(["kill", "--signal", "SIGSTOP", name]);
        await until(
          "HEALTHCHECK unhealthy",
          async () => await health(name) === "unhealthy",
          40_000,
        );
        await dockerOk(["kill", "--signal", "SIGCONT", name]);
        await until(
          "HEALTHCHECK healthy again",
          async () => await health(name) === "healthy",
          40_000,
        );

        // kill -9, then the same container again (same boot): versions continue at +1 (the lease
        // reads the boot time: osUptime), not above the 100-version reservation, never reused.
        const before = (await waitForSnapshot(url, "a snapshot", () => true)).version;
        await dockerOk(["kill", "--signal", "SIGKILL", name]);
        await dockerOk(["start", name]);
        const again = await mappedUrl(name);
        const after = (await waitForSnapshot(again, "a snapshot after kill -9", () =>
          true)).version;
        assert(after > before && after <= before + 10, `version ${before} then ${after}`);

        const logs = await stop(name);
        assertMatch(logs, /"msg":"stopped"/);
        assertMatch(logs, /Cannot reach node/);
      },
    );

    await t.step("the README's docker run: config from the environment alone", async () => {
      const { name, url } = await start("b", ["-e", `PGACTIVE_NODE1_DSN=${dsn(0)}`]);
      const snapshot = await waitForSnapshot(
        url,
        "node1 probed",
        (s) => s.nodes.node1 !== undefined && s.nodes.node1.status !== "UNKNOWN",
      );
      assertEquals(Object.keys(snapshot.nodes), ["node1"]);
      // node1 answers; the two peers it replicates with are not configured, so it is DEGRADED.
      assertEquals(snapshot.nodes.node1!.error, null);
      assertEquals((await getJson(`${url}/health`)).status, 200);
      await stop(name);
    });
  } finally {
    for (const name of containers) await docker(["rm", "-f", "-v", name]);
    await docker(["volume", "rm", "-f", volume]);
    for (const f of forwarders) await f.close();
    // Earlier builds' untagged images (final and build stage), kept a day as layer cache.
    for (
      const label of [
        "org.opencontainers.image.title=pgactive-server",
        "pgactive-tools.stage=build",
      ]
    ) {
      await docker(["image", "prune", "-f", "--filter", `label=${label}`, "--filter", "until=24h"]);
    }
    await Deno.remove(dir, { recursive: true });
  }
});
