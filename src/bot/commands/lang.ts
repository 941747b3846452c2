/**
 * `lang zh|en` / `语言 中文`: the chat's reply language (stored in `chats.locale`, audited).
 * `lang auto` goes back to the server default. A message that is clearly one language is still
 * answered in that language (language.ts).
 */
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Database } from '../../db/client.ts';
import { card, text } from '../card.ts';
import type { Locale } from '../language.ts';
import type { CommandRegistry } from '../router.ts';

const WORDS: Record<string, Locale | null> = {
  zh: 'zh-CN', 'zh-cn': 'zh-CN', cn: 'zh-CN', chinese: 'zh-CN', 中文: 'zh-CN', 汉语: 'zh-CN', 简体中文: 'zh-CN',
  en: 'en', 'en-us': 'en', english: 'en', 英文: 'en', 英语: 'en',
  auto: null, default: null, reset: null, 默认: null, 自动: null,
};

export function registerLang(registry: CommandRegistry, database: Database): void {
  registry.register({
    name: 'lang',
    aliases: ['语言', 'language'],
    summary: { en: 'set this chat’s language: zh, en or auto', 'zh-CN': '设置本群/私聊的回复语言：zh、en 或 auto' },
    usage: 'lang zh|en|auto',
    examples: ['lang en', 'lang zh', '语言 中文', 'lang auto'],
    async run(ctx, args) {
      const word = (args[0] ?? '').toLowerCase();
      if (!(word in WORDS)) {
        const current = ctx.chat.locale === 'en' ? 'en' : ctx.chat.locale === 'zh-CN' ? 'zh' : 'auto';
        await ctx.reply({
          kind: 'card',
          card: card({
            title: ctx.t({ en: 'Language', 'zh-CN': '语言' }),
            tone: word ? 'warning' : 'info',
            blocks: [text(ctx.t({ en: `This chat: \`${current}\`. Usage: \`lang zh|en|auto\``, 'zh-CN': `本聊天当前：\`${current}\`。用法：\`lang zh|en|auto\`` }))],
          }),
        });
        return;
      }
      const locale = WORDS[word]!;
      const c = ctx.event.conversation;
      const before = ctx.chat.locale;
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`update chats set locale = ${locale}
          where platform = ${c.platform} and tenant_key = ${c.tenantKey} and chat_id = ${c.chatId}`);
        await recordAudit(tx, {
          workspaceId: ctx.workspace.id,
          actor: { kind: 'user', id: ctx.asker.userId ?? `${c.platform}:${ctx.event.user.id}`, name: ctx.asker.displayName },
          action: 'chat.lang',
          entity: 'chat',
          entityId: `${c.platform}:${c.tenantKey}:${c.chatId}`,
          before: { locale: before },
          after: { locale },
        });
      });
      // This confirmation is already in the new language (and so is its demo note).
      if (locale) ctx.locale = locale;
      await ctx.reply({
        kind: 'text',
        markdown: locale
          ? ctx.t({ en: 'OK, this chat is answered in English from now on.', 'zh-CN': '好的，本聊天今后用中文回复。' })
          : ctx.t({ en: 'OK, this chat uses the server default language again.', 'zh-CN': '好的，本聊天恢复默认语言。' }),
      });
    },
  });
}
