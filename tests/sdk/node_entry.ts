/**
 * Entry point bundled by node_test.ts and run with `node`: the same scenarios as client_test.ts,
 * on the bundled SDK. Reads the targets as JSON from argv[2]; prints `ok <name>` per scenario.
 */
import { runScenarios, type ScenarioTargets } from "./scenarios.ts";

declare const process: { argv: string[]; exitCode?: number; versions: { node: string } };

const targets = JSON.parse(process.argv[2] ?? "{}") as ScenarioTargets;
try {
  for (const name of await runScenarios(targets)) console.log(`ok ${name}`);
  console.log(`node ${process.versions.node}: all scenarios passed`);
} catch (err) {
  console.log(`FAILED ${(err as Error).message}`);
  process.exitCode = 1;
}
