/** Entry point of the runbook worker: `deno run -A examples/temporal/main_worker.ts`, or bundled for Node. */
import { main } from "./worker.ts";

await main();
