/**
 * A Temporal Worker for the upgrade runbook: the replication activities on one pgactive-server,
 * the runbook's own steps, and the workflow. Runs on Node 20+ (bundled, see the README) and Deno.
 *
 * Environment: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default),
 * TEMPORAL_TASK_QUEUE (pgactive-runbook), PGACTIVE_TOOLS_SERVER (http://127.0.0.1:8080),
 * PGACTIVE_TOOLS_TOKEN, RUNBOOK_WORKFLOWS_PATH (this folder's workflows.ts).
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NativeConnection, Worker } from "@temporalio/worker";
import { createReplicationActivities } from "../../lib/sdk/temporal/mod.ts";
import { runbookActivities } from "./runbook_activities.ts";

/** Options of {@link createRunbookWorker}. */
export interface RunbookWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Base URL of pgactive-server. */
  serverUrl: string;
  token: string | null;
  /** Path of workflows.ts (webpack bundles it when the worker starts). */
  workflowsPath: string;
}

/** The options from the environment, with the defaults above. */
export function optionsFromEnv(env: Record<string, string | undefined>): RunbookWorkerOptions {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? "127.0.0.1:7233",
    namespace: env.TEMPORAL_NAMESPACE ?? "default",
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? "pgactive-runbook",
    serverUrl: env.PGACTIVE_TOOLS_SERVER ?? "http://127.0.0.1:8080",
    token: env.PGACTIVE_TOOLS_TOKEN ?? null,
    workflowsPath: env.RUNBOOK_WORKFLOWS_PATH ??
      fileURLToPath(new URL("./workflows.ts", import.meta.url)),
  };
}

/** The worker on `connection` (not yet running). */
export async function createRunbookWorker(
  connection: NativeConnection,
  options: RunbookWorkerOptions,
): Promise<Worker> {
  return await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: options.workflowsPath,
    activities: {
      ...createReplicationActivities({ url: options.serverUrl, token: options.token }),
      ...runbookActivities,
    },
  });
}

/** Runs the worker until SIGINT/SIGTERM (Temporal's Runtime then shuts it down gracefully). */
export async function main(): Promise<void> {
  const options = optionsFromEnv(process.env);
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  try {
    const worker = await createRunbookWorker(connection, options);
    console.log(`worker ready on task queue ${options.taskQueue} (${runtimeName()})`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

function runtimeName(): string {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return deno ? `deno ${deno.version.deno}` : `node ${process.versions.node}`;
}
