/**
 * The review pack's follow-up section (复盘会): each follow-up of the team due by the end of the
 * period, done ✅ or not ❌, so the meeting walks through what was promised. Null when none.
 */
import { text } from '../../bot/card.ts';
import { tr } from '../../bot/language.ts';
import type { ReviewSection } from '../../digests/review-pack.ts';
import { followupsForReview } from './store.ts';

export const followupsReviewSection: ReviewSection = {
  id: 'followups',
  async build(ctx) {
    const rows = await followupsForReview(ctx.database, ctx.target.workspace.id, ctx.period, [ctx.teamId]);
    if (rows.length === 0) return null;
    const t = (s: { en: string; 'zh-CN': string }) => tr(ctx.locale, s);
    const done = rows.filter((r) => r.done).length;
    const lines = rows.map((r) => {
      const mark = r.done ? '✅' : '❌';
      const alert = r.alertId ? t({ en: ` (alert #${r.alertId})`, 'zh-CN': `（预警 #${r.alertId}）` }) : '';
      return `- ${mark} #${r.id} ${r.owner} · ${r.dueOn ?? '—'} · ${r.text}${alert}`;
    });
    return {
      title: t({ en: `Follow-ups: ${done} of ${rows.length} done`, 'zh-CN': `跟进事项：已完成 ${done} / ${rows.length}` }),
      blocks: [text(lines.join('\n'))],
    };
  },
};
