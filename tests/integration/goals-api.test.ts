/**
 * `/api/v1/goals` through `app.inject` on both engines: create, change, list, progress, errors
 * naming the field, the operator's 403, the OpenAPI document, compare=goal on `/api/v1/kpi`, and
 * the annual-plan import (CSV, XLSX, multipart) — a good file writes every goal, a bad one is a
 * 400 naming each row and field and writes nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.ts';
import type { Database } from '../../src/db/client.ts';
import { xlsxChunks } from '../../src/ingest/export/xlsx-write.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { days, sales, seedGoalOrg, WS } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

const body = { metric: 'gmv', target: 50_000, period: 'month:2027-01', scope: { store: 'us-main' }, owner: 'carol' };

async function xlsx(header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of xlsxChunks(header, (async function* () { yield* rows; })())) parts.push(c);
  return Buffer.concat(parts);
}

describe.each(ENGINES)('goals REST on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);
  const goalCount = async () => Number((await d.query<{ n: number }>(sql`select count(*) as n from goals`))[0]!.n);

  it('creates, changes, lists and paces goals, and refuses bad input with the field named', async () => {
    const { app } = await buildTestApp(d);
    const created = await app.inject({ method: 'POST', url: '/api/v1/goals', payload: body });
    expect(created.statusCode).toBe(201);
    const goal = created.json().goal;
    expect(goal).toMatchObject({ metric: 'gmv', scope: { level: 'store', id: 'us-main' }, period: { id: 'month:2027-01', from: '2027-01-01', to: '2027-01-31' }, target: 50_000, currency: 'USD', status: 'active', version: 1 });
    const raw = (text: string) => app.inject({ method: 'POST', url: '/api/v1/goals', headers: { 'content-type': 'application/json' }, payload: text });
    const bad: [Promise<{ statusCode: number; json(): { field?: string } }>, number, string][] = [
      [raw(JSON.stringify(body).replace('50000', '1e309')), 400, 'target'],
      [app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, target: -3 } }), 400, 'target'],
      [app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, period: 'month:2026-13' } }), 400, 'period'],
      [app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, scope: { store: 'nowhere' } } }), 404, 'scope'],
      [app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, scope: { store: 'us-main', team: 'amazon-us' } } }), 400, 'scope'],
      [app.inject({ method: 'POST', url: '/api/v1/goals', payload: body }), 409, 'period'],
    ];
    for (const [res, status, field] of bad) {
      const r = await res;
      expect(r.statusCode, field).toBe(status);
      expect(r.json().field).toBe(field);
    }
    expect(await goalCount()).toBe(1);
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/goals/${goal.id}`, payload: { target: 60_000, reason: 'plan raised' } });
    expect(patched.json().goal).toMatchObject({ target: 60_000, version: 2 });
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/goals/${goal.id}`, payload: { status: 'bogus' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/goals/999', payload: { target: 1 } })).statusCode).toBe(404);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/goals?owner=carol&status=active' });
    expect(listed.json().goals.map((g: { id: number }) => g.id)).toEqual([goal.id]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/goals?owner=bob' })).json().goals).toEqual([]);
    const progress = (await app.inject({ method: 'GET', url: `/api/v1/goals/${goal.id}/progress` })).json();
    expect(progress).toMatchObject({ goal: { id: goal.id }, elapsedDays: 0, rag: 'grey', greyReason: 'not_started', confirmed: false, comments: [] });
    const withMilestones = await app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, period: 'quarter:2027-Q1', target: 150_000, milestones: [{ title: 'Spring sale stocked', due: '2027-02-15', target: 60_000 }] } });
    const mid = withMilestones.json().goal.id;
    expect((await app.inject({ method: 'GET', url: `/api/v1/goals/${mid}/progress` })).json().milestones).toEqual([{ id: expect.any(Number), title: 'Spring sale stocked', due: '2027-02-15', target: 60_000, done: false }]);
    const late = await app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, period: 'quarter:2027-Q2', milestones: [{ title: 'x', due: '2027-09-01' }] } });
    expect(late.json()).toMatchObject({ field: 'milestones.due' });
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/goals', '/api/v1/goals/{id}', '/api/v1/goals/{id}/progress', '/api/v1/goals/import']));
  });

  it('lets an operator token read its own goals but not set any', async () => {
    const { app } = await buildTestApp(d);
    await app.inject({ method: 'POST', url: '/api/v1/goals', payload: body });
    const { token } = await createToken(d.db, { workspaceId: WS, role: 'operator', userId: 'carol', createdBy: 'test' });
    const auth = { authorization: `Bearer ${token}` };
    const denied = await app.inject({ method: 'POST', url: '/api/v1/goals', headers: auth, payload: { ...body, period: 'month:2027-02' } });
    expect(denied.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/goals', headers: auth })).json().goals).toHaveLength(1);
  });

  it('answers compare=goal on /api/v1/kpi with the matching goal', async () => {
    const { app } = await buildTestApp(d);
    // Last month (October 2026 at the time of writing; computed so the test does not age): 100 USD a day.
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    const n = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).getUTCDate();
    await sales(d, 'us-main', 'USD', days(first, n).map((x) => [x, 100]));
    const g = (await app.inject({ method: 'POST', url: '/api/v1/goals', payload: { ...body, target: 4000, period: `month:${first.slice(0, 7)}` } })).json().goal;
    const r = (await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gmv&period=last_month&store=us-main&compare=goal&currency=USD' })).json();
    expect(r.total.gmv).toBe(100 * n);
    // A whole past month: expected to date is the whole target.
    expect(r.compare.goals.gmv.total).toMatchObject({ goalId: g.id, target: 4000, expectedToDate: 4000 });
    expect(r.compare.total.gmv).toBe(4000);
  });

  it('imports a good plan (CSV, XLSX, multipart) and refuses a bad one with nothing written', async () => {
    const { app } = await buildTestApp(d);
    const csv = '团队,店铺,月份,目标\namazon-us,us-main,2027-01,120万\namazon-us,us-outlet,2027-01,30万\namazon-us,us-main,2027-02,"1,000,000"\n';
    const good = await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(good.statusCode).toBe(200);
    // three store goals and the two team goals they add up to
    expect(good.json()).toMatchObject({ dryRun: false, created: 5, updated: 0 });
    const team = await d.query<{ id: number; period_id: string; target: string }>(sql`select id, period_id, target from goals where scope_level = 'team' order by period_id`);
    expect(team.map((t) => [t.period_id, Number(t.target)])).toEqual([['month:2027-01', 1_500_000], ['month:2027-02', 1_000_000]]);
    const children = await d.query<{ scope_id: string; parent_goal_id: number; owner_user_id: string }>(sql`select scope_id, parent_goal_id, owner_user_id from goals where period_id = 'month:2027-01' and scope_level = 'store' order by scope_id`);
    expect(children).toEqual([
      { scope_id: 'us-main', parent_goal_id: team[0]!.id, owner_user_id: 'carol' }, { scope_id: 'us-outlet', parent_goal_id: team[0]!.id, owner_user_id: 'frank' },
    ]);
    // The same plan again updates nothing; an XLSX plan (wide, one column per month) adds March.
    expect((await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'text/csv' }, payload: csv })).json()).toMatchObject({ created: 0, updated: 3 });
    const book = await xlsx(['team', 'store', '2027-03'], [['amazon-us', 'us-main', 900_000], ['amazon-us', 'us-outlet', 100_000]]);
    const viaXlsx = await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, payload: book });
    expect(viaXlsx.json()).toMatchObject({ created: 3 });
    const boundary = 'plan-boundary';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.csv"\r\nContent-Type: text/csv\r\n\r\nteam,store,month,target\namazon-us,walmart-us,2027-04,5000\r\n--${boundary}--\r\n`;
    const viaForm = await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(viaForm.json()).toMatchObject({ created: 2 });
    const before = await goalCount();

    const badCsv = 'team,store,month,target\namazon-us,us-main,2027-05,1000\namazon-us,us-main,2027-13,1000\namazon-us,nowhere,2027-05,1000\namazon-us,us-outlet,2027-05,-5\n';
    const bad = await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'text/csv' }, payload: badCsv });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^row 3, month/);
    const parsedOnly = bad.json().errors.map((e: { row: number; field: string }) => [e.row, e.field]);
    expect(parsedOnly).toEqual([[3, 'month']]);
    const bad2 = await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'text/csv' }, payload: badCsv.replace('2027-13', '2027-06') });
    expect(bad2.json().errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([[4, 'store'], [5, 'target']]);
    const dry = await app.inject({ method: 'POST', url: '/api/v1/goals/import?dryRun=true', headers: { 'content-type': 'text/csv' }, payload: 'team,store,month,target\namazon-us,us-main,2027-06,1000\n' });
    expect(dry.json()).toMatchObject({ dryRun: true, created: 2 });
    expect(await goalCount()).toBe(before);
    expect((await app.inject({ method: 'POST', url: '/api/v1/goals/import', headers: { 'content-type': 'text/csv' }, payload: '' })).statusCode).toBe(400);
  });
});
