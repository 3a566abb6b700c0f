/**
 * `deno task sandbox [--nodes N] [--config-out PATH]`: starts a sandbox, writes a collector
 * config (default ./data/sandbox.yaml), prints one JSON manifest line on stdout, runs until
 * SIGINT/SIGTERM, then tears everything down and exits 0.
 */
import { createLogger } from "../telemetry/mod.ts";
import { startSandbox } from "./mod.ts";

function parseArgs(args: string[]): { nodes: number; configOut: string } {
  let nodes = 3;
  let configOut = "./data/sandbox.yaml";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`Missing value for ${flag}`);
      return v;
    };
    if (flag === "--nodes") {
      nodes = Number(value());
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > 20) {
        throw new Error("--nodes must be an integer between 1 and 20");
      }
    } else if (flag === "--config-out") {
      configOut = value();
    } else if (flag === "--help" || flag === "-h") {
      console.log("usage: deno task sandbox [--nodes N] [--config-out PATH]");
      Deno.exit(0);
    } else {
      throw new Error(`Unknown flag "${a}"`);
    }
  }
  return { nodes, configOut };
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(Deno.args);
  } catch (e) {
    console.error((e as Error).message);
    return 64;
  }
  const logger = createLogger({ level: "info", base: { component: "sandbox" } });
  let stopRequested = false;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const onSignal = () => {
    stopRequested = true;
    wake();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const sandbox = await startSandbox({ nodes: opts.nodes, logger });
    try {
      const config = sandbox.configYaml();
      const dir = opts.configOut.includes("/")
        ? opts.configOut.slice(0, opts.configOut.lastIndexOf("/"))
        : ".";
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(opts.configOut, config);
      const manifest = {
        nodes: sandbox.nodes.map((n) => ({
          name: n.name,
          dsn: n.dsn,
          port: n.port,
          data_dir: n.dataDir,
          pid: n.pid,
          sysid: n.sysid,
        })),
        config: opts.configOut,
      };
      console.log(JSON.stringify(manifest));
      if (!stopRequested) await stopped;
      logger.info("stopping sandbox");
    } finally {
      await sandbox.close();
    }
    return 0;
  } catch (e) {
    logger.error("sandbox failed", { error: e });
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

Deno.exit(await main());
