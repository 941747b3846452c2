/**
 * deploy/grafana/kpibot.json against the running app: every metric named in a PromQL expression
 * is one the app's registry exposes on GET /metrics, every `route="…"` label value is one the
 * app really records, and the panels fit Grafana's grid and use the provisioned data source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';
import { DEPLOY, readYaml } from './schema-check.ts';

afterAll(dropCreatedDatabases);

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource: { uid: string } }[];
}
const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana/kpibot.json'), 'utf8')) as { uid: string; panels: Panel[] };
const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (!m[2] && !KEYWORDS.has(m[1]!.toLowerCase())) names.push(m[1]!);
  }
  return names;
}

/** Series names an exposition can answer to: counters and gauges as typed, histograms' three. */
function exposedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    out.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) out.add(name + s);
  }
  return out;
}

describe('PromQL metric-name extraction', () => {
  it('finds the metrics and skips functions, grouping labels, matchers, ranges and keywords', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/(a|b)"}[$__rate_interval])))')).toEqual([
      'http_request_duration_seconds_bucket',
    ]);
    expect(metricNames('max by (platform) (outbox_depth) > 10 and on (platform) rate(missing_total[5m]) offset 1h')).toEqual(['outbox_depth', 'missing_total']);
  });
});

describe.each(ENGINES)('Grafana dashboard against the app on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
  });
  afterAll(async () => d?.close());

  // The first chart request loads the renderer (vega, sharp, fonts): seconds on a busy machine.
  it('uses only metric names and route labels that GET /metrics exposes', { timeout: 120_000 }, async () => {
    const { app } = await buildTestApp(d);
    // Requests to the routes the dashboard times, so their label values exist (any status will do).
    await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gmv&period=last_7d' });
    await app.inject({ method: 'GET', url: '/api/v1/charts?metric=nope' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const exposed = exposedNames(res.body);

    expect(exprs.length).toBeGreaterThanOrEqual(15);
    const used = new Set(exprs.flatMap(metricNames));
    expect(used.size).toBeGreaterThanOrEqual(10);
    expect([...used].filter((n) => !exposed.has(n))).toEqual([]);

    for (const expr of exprs) {
      for (const m of expr.matchAll(/route="([^"]+)"/g)) expect(res.body).toContain(`route="${m[1]}"`);
    }
  });
});

describe('Grafana dashboard layout', () => {
  it('covers the operations checklist, fits the 24-column grid and uses the provisioned data source', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const topic of ['inbound events', 'ack latency', 'outbox depth', 'oldest waiting', '429', 'dead letters', 'scheduler firings', 'skipped slots', 'query time', 'render time']) {
      expect(titles).toContain(topic);
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    const provisioned = readYaml(join(DEPLOY, 'grafana/provisioning/datasources/prometheus.yaml')) as { datasources: { uid: string }[] };
    const uid = provisioned.datasources[0]!.uid;
    for (const p of dashboard.panels.filter((x) => x.targets)) {
      expect(p.datasource!.uid).toBe(uid);
      for (const t of p.targets!) expect(t.datasource.uid).toBe(uid);
    }
    // The webhook routes the inbound panels select are the ones the adapters register.
    const sources = ['slack/receiver.ts', 'feishu/receiver.ts', 'dingtalk/routes.ts'].map((f) =>
      readFileSync(join(import.meta.dirname, '../../src/adapters', f), 'utf8'),
    );
    for (const [i, route] of ['/slack/events', '/feishu/events', '/dingtalk/events'].entries()) expect(sources[i]).toContain(`post('${route}'`);
  });
});
