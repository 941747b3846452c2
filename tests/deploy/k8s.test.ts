/**
 * deploy/k8s without a cluster: every manifest validated by its `kubernetes-models` class (the
 * Kubernetes OpenAPI JSON schemas compiled with Ajv), then the cross-object facts a schema cannot
 * see: probes on the contract routes with a ≥ 60 s readiness window, selectors that match, the
 * migration Job on the same image, the grace period above the server's drain deadline, and
 * ConfigMap + Secret keys that the service reads and accepts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { loadConfig } from '../../src/config.ts';
import { startNodeFlags } from '../helpers/processes.ts';
import { DEPLOY, readYaml, readYamlDocuments } from './schema-check.ts';

const K8S = join(DEPLOY, 'k8s');
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
const manifests = files.flatMap((f) => readYamlDocuments(join(K8S, f)).map((doc) => ({ file: f, doc: doc as Manifest })));
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const one = <T>(kind: string) => {
  const found = byKind(kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as unknown as T;
};

function validationError(doc: Manifest): string | undefined {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return `no schema for ${doc.apiVersion} ${doc.kind}`;
  try {
    new Model(doc as never).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

interface DeploymentDoc extends Manifest {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    strategy: { type: string; rollingUpdate: { maxUnavailable: number; maxSurge: number } };
    template: { metadata: { labels: Record<string, string> }; spec: IPodSpec };
  };
}

describe('deploy/k8s manifests', () => {
  it('are all valid Kubernetes objects', () => {
    expect(files).toEqual(['configmap.yaml', 'deployment.yaml', 'hpa.yaml', 'migrate-job.yaml', 'pdb.yaml', 'secret.example.yaml', 'service.yaml']);
    for (const { file, doc } of manifests) expect(validationError(doc), file).toBeUndefined();
  });

  it('the schema check rejects a wrong type and a missing required field (so the test above can fail)', () => {
    const deployment = structuredClone(one<DeploymentDoc>('Deployment'));
    deployment.spec.template.spec.containers[0]!.ports![0]!.containerPort = '3000' as unknown as number;
    expect(validationError(deployment)).toMatch(/containerPort must be integer/);
    const hpa = structuredClone(one<Manifest>('HorizontalPodAutoscaler'));
    delete hpa.spec!.maxReplicas;
    expect(validationError(hpa)).toMatch(/spec must have required property maxReplicas/);
  });

  it('kustomization lists every manifest but the secret template and the migration job', () => {
    const k = readYaml(join(K8S, 'kustomization.yaml')) as { resources: string[] };
    expect(k.resources.sort()).toEqual(files.filter((f) => f !== 'secret.example.yaml' && f !== 'migrate-job.yaml'));
  });

  it('probes the contract routes: startup and liveness on /healthz, readiness on /readyz tolerating ≥ 60 s', () => {
    const d = one<DeploymentDoc>('Deployment');
    const c = d.spec.template.spec.containers[0]!;
    const port = c.ports!.find((p) => p.name === 'http')!;
    expect(port.containerPort).toBe(Number(one<Manifest>('ConfigMap').data!.PORT));
    expect(c.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.startupProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'http' });
    // ARCHITECTURE.md: readiness probes tolerate a short database outage, failure window ≥ 60 s.
    expect(c.readinessProbe!.periodSeconds! * c.readinessProbe!.failureThreshold!).toBeGreaterThanOrEqual(60);
    // /readyz's own database ping gives up after 2 s (src/plugins/health.ts); the probe waits longer.
    const pingMs = Number(/PING_TIMEOUT_MS = ([\d_]+)/.exec(readFileSync(join(import.meta.dirname, '../../src/plugins/health.ts'), 'utf8'))![1]!.replace(/_/g, ''));
    expect(c.readinessProbe!.timeoutSeconds! * 1000).toBeGreaterThan(pingMs);
    expect(c.resources!.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources!.limits!.memory).toBeDefined();
  });

  it('rolls without losing capacity and stops within the grace period', () => {
    const d = one<DeploymentDoc>('Deployment');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const server = readFileSync(join(import.meta.dirname, '../../src/server.ts'), 'utf8');
    const deadlineS = Number(/SHUTDOWN_DEADLINE_MS = ([\d_]+)/.exec(server)![1]!.replace(/_/g, '')) / 1000;
    const c = d.spec.template.spec.containers[0]!;
    const preStopS = Number(c.lifecycle!.preStop!.exec!.command!.at(-1));
    expect(d.spec.template.spec.terminationGracePeriodSeconds!).toBeGreaterThan(deadlineS + preStopS);
  });

  it('gives DATA_DIR a writable volume and reads config from the ConfigMap and the Secret', () => {
    const d = one<DeploymentDoc>('Deployment');
    const pod = d.spec.template.spec;
    const c = pod.containers[0]!;
    const cm = one<Manifest>('ConfigMap');
    const secret = one<Manifest>('Secret');
    const data = c.volumeMounts!.find((m) => m.mountPath === cm.data!.DATA_DIR)!;
    expect(data.readOnly ?? false).toBe(false);
    expect(pod.volumes!.find((v) => v.name === data.name)!.emptyDir).toBeDefined();
    expect(c.envFrom).toEqual([{ configMapRef: { name: cm.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);

    // The service starts with exactly these settings (placeholders filled in, blanks = unset).
    const env = { ...cm.data, ...secret.stringData };
    const config = loadConfig(env);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000, dataDir: '/data', demo: 'off', databaseUrl: secret.stringData!.DATABASE_URL });
    expect(config.warnings).toEqual([]);
    const configSource = readFileSync(join(import.meta.dirname, '../../src/config.ts'), 'utf8');
    const known = new Set([...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!));
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
  });

  it('Service, PDB and HPA all select the Deployment\'s pods', () => {
    const d = one<DeploymentDoc>('Deployment');
    const podLabels = d.spec.template.metadata.labels;
    expect(d.spec.selector.matchLabels).toEqual(podLabels);
    const svc = one<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>('Service');
    expect(svc.spec.selector).toEqual(podLabels);
    expect(svc.spec.ports[0]!.targetPort).toBe('http');
    const pdb = one<Manifest & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(podLabels);
    const hpa = one<Manifest & { spec: { minReplicas: number; scaleTargetRef: { kind: string; name: string } } }>('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: d.metadata.name });
    // The PDB must leave room to evict one pod at the HPA's floor, or node drains block.
    expect(hpa.spec.minReplicas).toBeGreaterThan(pdb.spec.minAvailable);
    expect(d.spec.replicas).toBe(hpa.spec.minReplicas);
  });

  it('runs `kpibot migrate` in a Job with the Deployment\'s image and config', () => {
    const d = one<DeploymentDoc>('Deployment');
    const job = one<Manifest & { spec: { template: { spec: IPodSpec } } }>('Job');
    const m: IContainer = job.spec.template.spec.containers[0]!;
    const c = d.spec.template.spec.containers[0]!;
    expect(m.image).toBe(c.image);
    expect(m.command).toEqual(['node', 'bin/kpibot.js', 'migrate']);
    expect(m.envFrom).toEqual(c.envFrom);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    // The image ships bin/ and the CLI has the command.
    expect(readFileSync(join(import.meta.dirname, '../../Dockerfile'), 'utf8')).toContain('COPY --from=check /app/bin ./bin');
    expect(readFileSync(join(import.meta.dirname, '../../src/cli/main.ts'), 'utf8')).toContain("case 'migrate':");
  });

  it('starts the image the way `npm start` does, with a heap limit under the container\'s memory limit', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(import.meta.dirname, '../../Dockerfile'), 'utf8'));
    const flags = startNodeFlags();
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...flags, 'src/server.ts']);
    const heapMiB = Number(/^--max-old-space-size=(\d+)$/.exec(flags.find((f) => f.startsWith('--max-old-space-size=')) ?? '')?.[1]);
    const limit = one<DeploymentDoc>('Deployment').spec.template.spec.containers[0]!.resources!.limits!.memory as string;
    const limitMiB = Number(/^(\d+)Mi$/.exec(limit)?.[1]);
    // Code, fonts and native buffers live outside V8's old space: leave them a third of the limit.
    expect(heapMiB).toBeGreaterThan(0);
    expect(heapMiB).toBeLessThanOrEqual((limitMiB * 2) / 3);
  });
});
