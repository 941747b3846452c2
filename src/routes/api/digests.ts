/**
 * `POST /api/v1/digests/run {chatId, platform?, dryRun?}`: the chat's digest card, queued through
 * the outbox like a scheduled one (or only returned with `dryRun`); what `kpibot digest --chat`
 * calls when a server holds the embedded database. `GET /api/v1/digests/review-pack?team=&period=
 * &format=json|png|pdf`: a team's review pack as its card, one long image, or a PDF. Admins, and
 * managers for chats and teams in their subtree.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { teamSubtree } from '../../access/principal.ts';
import type { Principal } from '../../access/types.ts';
import type { Platform } from '../../bot/events.ts';
import type { AppConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { findChat } from '../../digests/find-chat.ts';
import { exportReviewPack } from '../../digests/review-export.ts';
import { REVIEW_PERIODS, type ReviewPeriod } from '../../digests/review-pack.ts';
import { createDigestService, type DigestService } from '../../digests/service.ts';
import { targetForChat } from '../../digests/target.ts';
import { AppError } from '../../errors.ts';
import type { ChartRenderer } from '../../render/index.ts';
import { PLATFORMS } from '../../tenancy/workspaces.ts';

const runBody = {
  type: 'object',
  additionalProperties: false,
  required: ['chatId'],
  properties: {
    chatId: { type: 'string', minLength: 1, maxLength: 200, description: 'chat id as the platform knows it (console: amazon-us, @bob)' },
    platform: { type: 'string', enum: [...PLATFORMS], description: 'needed only when two platforms have a chat with this id' },
    dryRun: { type: 'boolean', default: false, description: 'return the card without queueing it' },
  },
} as const;

const reviewQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['team'],
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    team: { type: 'string', minLength: 1, maxLength: 100 },
    period: { type: 'string', enum: [...REVIEW_PERIODS], default: 'last_week' },
    format: { type: 'string', enum: ['json', 'png', 'pdf'], default: 'json' },
    lang: { type: 'string', enum: ['zh-CN', 'en'] },
  },
} as const;

async function mayManage(database: Database, p: Principal, teamId: string | null): Promise<boolean> {
  if (p.role === 'admin') return true;
  if (p.role !== 'manager' || !teamId || p.scope.all) return p.role === 'manager' && p.scope.all;
  return (await teamSubtree(database, p.workspaceId, [...p.scope.teamIds])).includes(teamId);
}

export async function digestRoutes(app: FastifyInstance, opts: { database: Database; config: AppConfig; charts: ChartRenderer; service?: DigestService }): Promise<void> {
  const { database } = opts;
  const service = opts.service ?? createDigestService({ database, charts: opts.charts, publicUrl: opts.config.publicUrl, logger: app.log as unknown as Logger, defaultLocale: opts.config.defaultLocale });

  app.post('/digests/run', { schema: { tags: ['digests'], summary: 'Run a chat’s digest now (or only render it)', body: runBody } }, async (req: FastifyRequest) => {
    const body = req.body as { chatId: string; platform?: Platform; dryRun?: boolean };
    const p = req.principal!;
    const chat = await findChat(database, p.workspaceId, body.chatId, body.platform);
    if (!chat) throw new AppError('not_found', `no chat "${body.chatId.slice(0, 80)}" in this workspace`, { field: 'chatId' });
    if (!(await mayManage(database, p, chat.teamId))) throw new AppError('forbidden', 'only admins, and managers of the chat’s team, may run its digest');
    const r = await service.runForChat(chat, { dryRun: body.dryRun === true });
    if (!r.ok) {
      if (r.reason === 'bot_removed') throw new AppError('conflict', 'the bot is no longer in this chat', { field: 'chatId' });
      if (r.reason === 'not_enrolled') throw new AppError('not_found', 'that person is not enrolled, so there is no personal brief', { field: 'chatId' });
      throw new AppError('not_found', `no chat "${body.chatId.slice(0, 80)}"`, { field: 'chatId' });
    }
    return {
      chatId: body.chatId,
      platform: chat.platform,
      kind: r.kind,
      dryRun: body.dryRun === true,
      deliveryId: r.deliveryId,
      card: r.message.kind === 'card' ? r.message.card : null,
      text: r.card.fallbackText,
    };
  });

  app.get('/digests/review-pack', { schema: { tags: ['digests'], summary: 'A team’s review pack: card JSON, long PNG or PDF', querystring: reviewQuery } }, async (req, reply) => {
    const q = req.query as { team: string; period: ReviewPeriod; format: 'json' | 'png' | 'pdf'; lang?: 'zh-CN' | 'en' };
    const p = req.principal!;
    const [team] = await database.query<{ id: string }>(sql`select id from teams where workspace_id = ${p.workspaceId} and id = ${q.team}`);
    if (!team) throw new AppError('not_found', `no team "${q.team.slice(0, 80)}"`, { field: 'team' });
    if (!(await mayManage(database, p, team.id))) throw new AppError('forbidden', 'only admins, and managers of this team, may read its review pack');
    const [chat] = await database.query<{ platform: Platform; tenant_key: string; chat_id: string }>(sql`
      select platform, tenant_key, chat_id from chats where workspace_id = ${p.workspaceId} and team_id = ${team.id} and kind = 'group' order by platform, chat_id limit 1`);
    const [ws] = await database.query<{ id: string; name: string; is_demo: boolean; timezone: string; currency: string; locale: string }>(sql`
      select id, name, is_demo, timezone, currency, locale from workspaces where id = ${p.workspaceId}`);
    const base = chat ? await targetForChat(database, { platform: chat.platform, tenantKey: chat.tenant_key, chatId: chat.chat_id }) : null;
    const locale = q.lang ?? base?.locale ?? (ws!.locale === 'en' ? 'en' : 'zh-CN');
    const target = {
      workspace: { id: ws!.id, name: ws!.name, isDemo: ws!.is_demo, timezone: ws!.timezone, currency: ws!.currency.trim() },
      conversation: { platform: 'console' as Platform, tenantKey: 'api', chatId: `api:${team.id}`, kind: 'group' as const },
      active: true, teamId: team.id, teamName: null, locale, timezone: base?.timezone ?? ws!.timezone, principal: p,
    };
    const pack = await service.reviewPack(target, { teamId: team.id, period: q.period });
    if (q.format === 'json') return { title: pack.title, cards: pack.cards.map((c) => ({ ...c, blocks: c.blocks.filter((b) => b.type !== 'image') })) };
    const out = await exportReviewPack(database, pack);
    const name = `review-${team.id}-${q.period}`;
    if (q.format === 'png') return reply.type('image/png').header('content-disposition', `inline; filename="${name}.png"`).send(out.image.png);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).send(Buffer.from(out.pdf));
  });
}
