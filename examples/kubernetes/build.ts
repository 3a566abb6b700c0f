/**
 * The source of examples/kubernetes/*.yaml: typed manifests (kubernetes-models: the Kubernetes
 * 1.36 API, and prometheus-operator's monitoring.coreos.com/v1), validated and written as YAML.
 * The PrometheusRule carries the groups of examples/prometheus/alerts.yaml unchanged.
 *
 *   deno run --allow-read --allow-write --allow-env examples/kubernetes/build.ts
 *
 * tests/examples/kubernetes_test.ts checks that the YAML files are this script's output, renders
 * them with kustomize and checks ports, probes, env names and config keys against the server.
 */
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import {
  PrometheusRule,
  ServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { parse, stringify } from "yaml";
import { VERSION } from "../../lib/version/mod.ts";

const NAMESPACE = "pgactive-tools";
const NAME = "pgactive-server";
const LABELS = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "pgactive-tools" };
const NODES = ["node1", "node2", "node3"];
/** The image's non-root user (Dockerfile: USER 65532:65532). */
const UID = 65532;
const HEALTH = { httpGet: { path: "/health", port: "http" } };

/** The config file the pod reads from the ConfigMap (DSNs from the Secret's environment). */
export const TOOLS_YAML =
  `# Mounted at /app/config: the image's default config path is /app/config/tools.yaml.
# The DSNs come from the Secret ${NAME}-dsns as environment variables.
collector:
  interval: 2s
  nodes:
${
    NODES.map((n) => {
      const v = `PGACTIVE_${n.toUpperCase()}_DSN`;
      return `    - name: ${n}\n      dsn: \${${v}:?set ${v} in the Secret ${NAME}-dsns}\n`;
    }).join("")
  }thresholds:
  lag_seconds_warn: 5
  lag_seconds_crit: 15
  conflicts_warn: 3/min
server:
  listen: :8080
database:
  path: ./data/replication_state.db
  retention: 7d
log:
  level: info
`;

type RuleSpec = NonNullable<NonNullable<ConstructorParameters<typeof PrometheusRule>[0]>["spec"]>;

interface Manifest {
  /** File name in examples/kubernetes/. */
  file: string;
  /** Comment lines at the top of the file (why, not what). */
  notes: string[];
  object: { validate(): void; toJSON(): unknown } | Record<string, unknown>;
}

/** Every manifest, validated against its schema. */
export async function manifests(): Promise<Manifest[]> {
  const alerts = parse(
    await Deno.readTextFile(new URL("../prometheus/alerts.yaml", import.meta.url)),
  ) as RuleSpec; // validated below, with the PrometheusRule
  const meta = (name: string) => ({ name, labels: LABELS });
  const list: Manifest[] = [
    {
      file: "namespace.yaml",
      notes: [],
      object: new Namespace({ metadata: { name: NAMESPACE } }),
    },
    {
      file: "configmap.yaml",
      notes: ["The whole config file; edit the node names and add a DSN per node to the Secret."],
      object: new ConfigMap({
        metadata: meta(`${NAME}-config`),
        data: { "tools.yaml": TOOLS_YAML },
      }),
    },
    {
      file: "secret.yaml",
      notes: [
        "One DSN per node, read as environment variables by tools.yaml's ${...} references.",
        "Placeholders: create the real Secret out of band (kubectl create secret generic ...).",
      ],
      object: new Secret({
        metadata: meta(`${NAME}-dsns`),
        type: "Opaque",
        stringData: Object.fromEntries(NODES.map((n) => [
          `PGACTIVE_${n.toUpperCase()}_DSN`,
          `postgres://pgactive_monitor:CHANGE-ME@${n}.db.example.internal:5432/app?sslmode=require`,
        ])),
      }),
    },
    {
      file: "pvc.yaml",
      notes: [
        "The SQLite history: about 300 MB per week for 3 nodes at a 2 s interval (7 d retention).",
      ],
      object: new PersistentVolumeClaim({
        metadata: meta(`${NAME}-data`),
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } },
      }),
    },
    {
      file: "deployment.yaml",
      notes: [
        "One replica with strategy Recreate: the SQLite history sits on a ReadWriteOnce volume,",
        "and two collectors would each number their own snapshot versions.",
      ],
      object: deployment(),
    },
    {
      file: "service.yaml",
      notes: [],
      object: new Service({
        metadata: meta(NAME),
        spec: {
          selector: LABELS,
          ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
        },
      }),
    },
    {
      file: "servicemonitor.yaml",
      notes: [
        "For the Prometheus Operator. With server.metrics_auth: true, add the token (authorization).",
      ],
      object: new ServiceMonitor({
        metadata: meta(NAME),
        spec: {
          selector: { matchLabels: LABELS },
          endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
        },
      }),
    },
    {
      file: "prometheusrule.yaml",
      notes: [
        "Generated from examples/prometheus/alerts.yaml (the one source of the alert rules).",
        "Your Prometheus' ruleSelector must match these labels.",
      ],
      object: new PrometheusRule({
        metadata: meta(`${NAME}-alerts`),
        spec: { groups: alerts.groups ?? [] },
      }),
    },
    {
      file: "pdb.yaml",
      notes: [
        "A single replica cannot stay available during a drain; maxUnavailable: 1 lets drains",
        "proceed (the Deployment recreates the pod elsewhere) instead of blocking them.",
      ],
      object: new PodDisruptionBudget({
        metadata: meta(NAME),
        spec: {
          maxUnavailable: 1,
          selector: { matchLabels: LABELS },
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      }),
    },
  ];
  for (const m of list) if ("validate" in m.object) (m.object as { validate(): void }).validate();
  list.push({
    file: "kustomization.yaml",
    notes: ["kubectl apply -k examples/kubernetes  (set images[0].newName to your registry)."],
    object: {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      namespace: NAMESPACE,
      resources: list.map((m) => m.file),
      images: [{ name: "pgactive-tools", newName: "pgactive-tools", newTag: VERSION }],
    },
  });
  return list;
}

function deployment(): Deployment {
  return new Deployment({
    metadata: { name: NAME, labels: LABELS },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      strategy: { type: "Recreate" },
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 15,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: UID,
            runAsGroup: UID,
            fsGroup: UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [{
            name: NAME,
            image: `pgactive-tools:${VERSION}`,
            imagePullPolicy: "IfNotPresent",
            ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
            envFrom: [{ secretRef: { name: `${NAME}-dsns` } }],
            startupProbe: { ...HEALTH, periodSeconds: 2, failureThreshold: 30 },
            readinessProbe: {
              ...HEALTH,
              periodSeconds: 10,
              timeoutSeconds: 3,
              failureThreshold: 2,
            },
            livenessProbe: { ...HEALTH, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
            volumeMounts: [
              { name: "config", mountPath: "/app/config", readOnly: true },
              { name: "data", mountPath: "/app/data" },
            ],
          }],
          volumes: [
            { name: "config", configMap: { name: `${NAME}-config` } },
            { name: "data", persistentVolumeClaim: { claimName: `${NAME}-data` } },
          ],
        },
      },
    },
  });
}

/** The text of one YAML file. */
export function render(m: Manifest): string {
  const json = "toJSON" in m.object && typeof m.object.toJSON === "function"
    ? m.object.toJSON()
    : m.object;
  const header = [
    "# Generated by examples/kubernetes/build.ts: edit that file, then run it.",
    ...m.notes.map((n) => `# ${n}`),
  ];
  return `${header.join("\n")}\n${stringify(json, { lineWidth: 0 })}`;
}

if (import.meta.main) {
  for (const m of await manifests()) {
    await Deno.writeTextFile(new URL(m.file, import.meta.url), render(m));
    console.log(`wrote examples/kubernetes/${m.file}`);
  }
}
