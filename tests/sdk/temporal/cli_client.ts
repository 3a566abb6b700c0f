/**
 * A Temporal client for the tests made of the real Temporal CLI (`temporal workflow start |
 * describe | cancel | result | show -o json`), so the Deno test process loads no gRPC stack.
 * Payloads are decoded here from their raw form (`--no-json-shorthand-payloads`).
 */

/** One activity execution as the history tells it. */
export interface ActivityRecord {
  type: string;
  /** The attempt that ended it (from ActivityTaskStarted). */
  attempt: number;
  /** The failure the attempt is a retry of (ActivityTaskStarted.lastFailure), if any. */
  lastFailure: Failure | null;
  /** Decoded result, when completed. */
  result: unknown;
  /** "completed", "failed", "timed_out", "canceled" or "running". */
  outcome: string;
  /** When it was scheduled, its last attempt started, cancellation was requested, it ended (ms). */
  scheduledAt: number;
  startedAt: number | null;
  cancelRequestedAt: number | null;
  endedAt: number | null;
}

/** A Temporal failure as JSON, with decoded details. */
export interface Failure {
  message: string;
  cause?: Failure;
  applicationFailureInfo?: { type?: string; nonRetryable?: boolean; details?: unknown[] };
  timeoutFailureInfo?: { timeoutType?: string };
  canceledFailureInfo?: unknown;
  activityFailureInfo?: unknown;
}

/** The end of a workflow. */
export interface Outcome {
  status: string;
  result: unknown;
  failure: Failure | null;
}

/** A pending activity: its attempt, decoded heartbeat details and the failure it retries. */
export interface Pending {
  type: string;
  attempt: number;
  heartbeat: unknown;
  lastFailure: Failure | null;
}

/** The Temporal CLI as a client of the dev server at `address`. */
export class CliClient {
  readonly #args: string[];
  constructor(readonly cli: string, address: string) {
    this.#args = [
      "--address",
      address,
      "--disable-config-file",
      "--disable-config-env",
      "--no-json-shorthand-payloads",
      "--color",
      "never",
    ];
  }

  async #json(args: string[], okCodes = [0]): Promise<Record<string, unknown>> {
    const out = await new Deno.Command(this.cli, {
      args: [...args, ...this.#args, "-o", "json"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!okCodes.includes(out.code)) {
      throw new Error(`temporal ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return decodePayloads(JSON.parse(text)) as Record<string, unknown>;
  }

  /** Starts workflow `type` with one JSON argument. */
  async start(id: string, type: string, queue: string, input: unknown): Promise<void> {
    await this.#json([
      "workflow",
      "start",
      "-w",
      id,
      "--type",
      type,
      "--task-queue",
      queue,
      "--input",
      JSON.stringify(input),
    ]);
  }

  /** Requests cancellation of the workflow. */
  async cancel(id: string): Promise<void> {
    const out = await new Deno.Command(this.cli, {
      args: ["workflow", "cancel", "-w", id, ...this.#args],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  }

  /** Waits for the workflow to close: its status, result or failure. */
  async result(id: string): Promise<Outcome> {
    const doc = await this.#json(["workflow", "result", "-w", id], [0, 1]) as {
      status: string;
      closeEvent: Record<string, { result?: unknown[]; failure?: Failure }>;
    };
    const attrs = Object.entries(doc.closeEvent).find(([k]) => k.endsWith("EventAttributes"))
      ?.[1] ?? {};
    return { status: doc.status, result: attrs.result?.[0], failure: attrs.failure ?? null };
  }

  /** Pending activities of a running workflow. */
  async pending(id: string): Promise<Pending[]> {
    const doc = await this.#json(["workflow", "describe", "-w", id]) as {
      pendingActivities?: {
        activityType: { name: string };
        attempt?: number;
        heartbeatDetails?: unknown[];
        lastFailure?: Failure;
      }[];
    };
    return (doc.pendingActivities ?? []).map((p) => ({
      type: p.activityType.name,
      attempt: p.attempt ?? 1,
      heartbeat: p.heartbeatDetails?.[0] ?? null,
      lastFailure: p.lastFailure ?? null,
    }));
  }

  /** The workflow's activities in scheduling order. */
  async activities(id: string): Promise<ActivityRecord[]> {
    const { events } = await this.#json(["workflow", "show", "-w", id]) as {
      events: Record<string, unknown>[];
    };
    const byScheduled = new Map<string, ActivityRecord>();
    for (const e of events) {
      const at = Date.parse(String(e.eventTime));
      const [key, attrs] = Object.entries(e).find(([k]) => k.endsWith("EventAttributes")) ?? [];
      const a = (attrs ?? {}) as Record<string, unknown>;
      if (key === "activityTaskScheduledEventAttributes") {
        byScheduled.set(String(e.eventId), {
          type: (a.activityType as { name: string }).name,
          attempt: 0,
          lastFailure: null,
          result: undefined,
          outcome: "running",
          scheduledAt: at,
          startedAt: null,
          cancelRequestedAt: null,
          endedAt: null,
        });
        continue;
      }
      const record = byScheduled.get(String(a.scheduledEventId));
      if (!record || !key) continue;
      if (key === "activityTaskStartedEventAttributes") {
        record.attempt = Number(a.attempt ?? 1);
        record.startedAt = at;
        record.lastFailure = (a.lastFailure as Failure | undefined) ?? null;
      } else if (key === "activityTaskCancelRequestedEventAttributes") {
        record.cancelRequestedAt = at;
      } else {
        const outcome = /^activityTask(\w+)EventAttributes$/.exec(key)?.[1] ?? key;
        record.outcome = outcome.replace("TimedOut", "timed_out").toLowerCase();
        record.result = (a.result as unknown[] | undefined)?.[0];
        record.endedAt = at;
      }
    }
    return [...byScheduled.values()];
  }
}

/** Replaces every raw payload (`{metadata: {encoding}, data}`) and `{payloads: [...]}` by values. */
export function decodePayloads(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(decodePayloads);
  if (typeof node !== "object" || node === null) return node;
  const o = node as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && Array.isArray(o.payloads)) return o.payloads.map(decodePayloads);
  const meta = o.metadata as { encoding?: string } | undefined;
  if (typeof meta?.encoding === "string" && keys.every((k) => k === "metadata" || k === "data")) {
    const encoding = base64Text(meta.encoding);
    if (encoding === "binary/null") return null;
    if (encoding === "json/plain") return JSON.parse(base64Text(String(o.data ?? "")));
    return node;
  }
  return Object.fromEntries(keys.map((k) => [k, decodePayloads(o[k])]));
}

function base64Text(b64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}
