/**
 * Shared by the bot-kpi tests: the demo workspace seeded to yesterday with a real app on it, the
 * console API as a person uses it, REST tokens for each demo role (so the API answers with the
 * same principal the chat uses), and readers for cards on the wire.
 */
import { sql } from 'drizzle-orm';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { createToken } from '../../src/access/tokens.ts';
import type { Database } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { openTestDatabase, type Engine } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';

export type App = BuiltApp['app'];

export interface WireBlock {
  type: string;
  markdown?: string;
  text?: string;
  fields?: { label: string; value: string }[];
  url?: string;
  buttons?: { actionId: string; label: string; value?: string }[];
}
export interface Msg {
  id: string;
  seq: number;
  chatId: string;
  userId?: string;
  text?: string;
  updatedAt?: string;
  card?: { title: string; tone?: string; fallbackText: string; blocks: WireBlock[] };
}

export interface DemoWorld {
  database: Database;
  built: BuiltApp;
  app: App;
  /** Bearer tokens with the role and scope of each demo user (alice: none, loopback is admin). */
  tokens: Record<string, string | undefined>;
}

export async function openDemoWorld(engine: Engine): Promise<DemoWorld> {
  const database = await openTestDatabase(engine);
  const anchor = addDays(localDate('Asia/Shanghai', new Date()), -1);
  await seedDemo(database, { anchor });
  const built = await buildApp(testConfig(), { database, logger: false, startScheduler: false });
  await built.app.ready();
  const make = async (role: 'manager' | 'operator' | 'finance', o: { teamId?: string; userId?: string }) =>
    (await createToken(database.db, { workspaceId: 'demo', role, ...o, createdBy: 'test' })).token;
  const tokens = {
    alice: undefined,
    bob: await make('manager', { teamId: 'amazon-us' }),
    carol: await make('operator', { userId: 'carol' }),
    dave: await make('finance', {}),
    erin: await make('manager', { teamId: 'asia-social' }),
  };
  return { database, built, app: built.app, tokens };
}

export async function closeDemoWorld(w: DemoWorld | undefined): Promise<void> {
  await w?.app.close();
  await w?.database.close();
}

/** Every test starts with full rate buckets. */
export async function resetRateBuckets(database: Database): Promise<void> {
  await database.query(sql`delete from rate_buckets where key like 'kpi:%'`);
}

export async function say(app: App, chatId: string, userId: string, text: string): Promise<Msg[]> {
  const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } });
  if (res.statusCode !== 200) throw new Error(`POST messages ${res.statusCode}: ${res.body}`);
  return res.json().messages;
}

export async function chatLog(app: App, chatId: string, after = 0): Promise<Msg[]> {
  const res = await app.inject({ method: 'GET', url: `/console/api/messages?chatId=${encodeURIComponent(chatId)}&after=${after}` });
  return res.json().messages;
}

export async function lastSeq(app: App, chatId: string): Promise<number> {
  return (await chatLog(app, chatId)).at(-1)?.seq ?? 0;
}

export function buttonsOf(m: Msg): { actionId: string; label: string; value?: string }[] {
  return m.card?.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.buttons ?? []) ?? [];
}

export async function click(app: App, chatId: string, userId: string, m: Msg, label: string | RegExp, value?: string): Promise<Msg[]> {
  const b = buttonsOf(m).find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
  if (!b) throw new Error(`no button ${label} on "${m.card?.title}": ${buttonsOf(m).map((x) => x.label).join(', ')}`);
  const res = await app.inject({
    method: 'POST',
    url: '/console/api/actions',
    payload: { chatId, userId, messageId: m.id, actionId: b.actionId, value: value ?? b.value },
  });
  if (res.statusCode !== 200) throw new Error(`POST actions ${res.statusCode}: ${res.body}`);
  return res.json().messages;
}

export async function apiKpi(app: App, query: string, token?: string): Promise<{
  currency: string;
  total: Record<string, number | null>;
  rows: Record<string, string | number | null>[];
  compare?: { id: string; from: string; to: string; total: Record<string, number | null>; rows: Record<string, string | number | null>[] };
  period: { from: string; to: string };
}> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/kpi?${query}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.statusCode !== 200) throw new Error(`GET kpi ${res.statusCode}: ${res.body}`);
  return res.json();
}

export function field(m: Msg, label: string): string | undefined {
  return m.card?.blocks.flatMap((b) => b.fields ?? []).find((f) => f.label === label)?.value;
}

/** `1. us-main: ¥371K (+10.7 %)` lines of a grouped answer. */
export function listed(m: Msg): { rank: number; key: string; value: string; change?: string }[] {
  const text = m.card?.blocks.filter((b) => b.type === 'text').map((b) => b.markdown).join('\n') ?? '';
  return [...text.matchAll(/^(\d+)\. (\S+): (\S+(?: %)?)(?: \((\S+ %|\S+ pp)\))?$/gm)].map((x) => ({
    rank: Number(x[1]),
    key: x[2]!,
    value: x[3]!,
    ...(x[4] ? { change: x[4] } : {}),
  }));
}

/** Everything a message shows, as one string (to look for digits that must not be there). */
export function visible(m: Msg): string {
  const c = m.card;
  const blocks = c?.blocks.map((b) => [b.markdown, b.text, ...(b.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(b.buttons ?? []).map((x) => `${x.label} ${x.value ?? ''}`)]) ?? [];
  return [m.text, c?.title, c?.fallbackText, ...blocks.flat()].filter(Boolean).join('\n');
}

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, 万: 1e4, 亿: 1e8 };

/**
 * A displayed number back into a value with the size of its last digit: `¥1.2M` → 1.2e6 ± 0.05e6,
 * `30.1 %` → 0.301 ± 0.0005, `¥7,378` → 7378 ± 0.5.
 */
export function parseShown(s: string): { value: number; step: number } {
  const m = /^-?(?:JP¥|[¥$€£]|S\$|RM)?([\d,]+(?:\.(\d+))?)\s*([KMB万亿%]?)/.exec(s.replace(/^-/, ''));
  if (!m) throw new Error(`not a number: ${s}`);
  const decimals = m[2]?.length ?? 0;
  const scale = m[3] === '%' ? 0.01 : (SUFFIX[m[3] ?? ''] ?? 1);
  const sign = s.startsWith('-') ? -1 : 1;
  return { value: sign * Number(m[1]!.replace(/,/g, '')) * scale, step: (10 ** -decimals) * scale };
}

/** The shown number stands for `exact` (within half a step of its last digit). */
export function shows(s: string, exact: number): boolean {
  const { value, step } = parseShown(s);
  return Math.abs(value - exact) <= step / 2 + 1e-9 * Math.abs(exact);
}

/** Relative change as people write it: +12.5 % / -3.0 % with one decimal, trailing zero dropped. */
export function relChange(cur: number, prev: number): string {
  const pct = ((cur - prev) / Math.abs(prev)) * 100;
  const r = Math.round(Math.abs(pct) * 10) / 10;
  return `${pct > 0 ? '+' : pct < 0 ? '-' : '±'}${String(r)} %`;
}
