/**
 * The Scores chat feature: `score` (绩效), `scorecard` (团队绩效), `adjust` (调整), the close
 * commands under `score` (signoff, reopen, lock, veto, export, days, template), and the card
 * buttons 批准 / 驳回 (score.adjust.approve|reject) and 签字确认 (score.sign_off). Button values
 * are ids only; every handler re-reads the state and checks the clicker.
 */
import type { BotFeature } from '../../bot/feature.ts';
import { goalId } from '../../goals/chat/args.ts';
import { guarded, hint } from '../../goals/chat/common.ts';
import { isMonth } from '../close-state.ts';
import { ADJUST_EXAMPLES, adjustCommand, decideAndSay } from './adjust-commands.ts';
import { daysCommand, exportCommand, lockCommand, reopenCommand, scorecardCommand, scoreCommand, signOffAndSay, signOffCommand, vetoCommand } from './score-commands.ts';
import { templateCommand } from './template-commands.ts';

const SUBS: Record<string, string[]> = {
  signoff: ['signoff', 'sign-off', 'sign_off', '签字', '签字确认'],
  reopen: ['reopen', '重新打开', '重开'],
  lock: ['lock', '锁定', '定稿'],
  veto: ['veto', '否决', '否决项'],
  export: ['export', '导出'],
  days: ['days', 'close-days', '月结日'],
  template: ['template', 'templates', '模板', '考核模板'],
};

function subOf(word: string | undefined): string | undefined {
  const w = (word ?? '').normalize('NFKC').toLowerCase();
  return Object.entries(SUBS).find(([, words]) => words.includes(w))?.[0];
}

/** A button value that is not what this button sends (forged or from an older card). */
const STALE_BUTTON = { en: 'This button is not valid any more.', 'zh-CN': '这个按钮已失效。' };

export const scoresFeature: BotFeature = {
  name: 'scores',
  register({ commands, actions }, fd) {
    commands.register({
      name: 'score',
      aliases: ['绩效', '得分', '考核', 'scores'],
      summary: { en: 'your monthly performance score (by DM); close, sign off, reopen, templates', 'zh-CN': '我的月度绩效（私信）；月结、签字、重新打开、考核模板' },
      usage: 'score [@person] [month] | score signoff|reopen|lock|veto|export|template|days …',
      examples: ['score', 'score @carol 2026-11', 'score signoff team:amazon-us 2026-11', 'score reopen 2026-11 "退款数据更正"', 'score template 运营', 'score export team:amazon-us 2026-11 to:@dave'],
      run: (ctx, args) => guarded(ctx, async () => {
        switch (subOf(args[0])) {
          case 'signoff': return signOffCommand(fd, ctx, args.slice(1));
          case 'reopen': return reopenCommand(fd, ctx, args.slice(1));
          case 'lock': return lockCommand(fd, ctx, args.slice(1));
          case 'veto': return vetoCommand(fd, ctx, args.slice(1));
          case 'export': return exportCommand(fd, ctx, args.slice(1));
          case 'days': return daysCommand(fd, ctx, args.slice(1));
          case 'template': return templateCommand(fd, ctx, args.slice(1));
          default:
            if (args.length > 2 || (args[0] && !args[0].startsWith('@') && !/^(<@|month:|\d{4}-\d{2}$|\d{1,2}月|\d{4}年|last_month|this_month|上月|上个月|本月|这个月)/i.test(args[0]) && !isMonth(args[0]))) {
              return hint(ctx, { en: `"${String(args[0]).slice(0, 40)}" is not a score command.`, 'zh-CN': `“${String(args[0]).slice(0, 40)}”不是绩效命令。` }, ['score', 'score @carol 2026-11', 'scorecard team:amazon-us', 'score signoff team:amazon-us 2026-11']);
            }
            return scoreCommand(fd, ctx, args);
        }
      }),
    });
    commands.register({
      name: 'scorecard',
      aliases: ['团队绩效', '绩效排名'],
      summary: { en: 'a team’s scores, ranked (managers, by DM)', 'zh-CN': '团队绩效排名（主管，私信）' },
      usage: 'scorecard team:<team> [month]',
      examples: ['scorecard team:amazon-us', 'scorecard team:amazon-us 2026-11'],
      run: (ctx, args) => guarded(ctx, () => scorecardCommand(fd, ctx, args)),
    });
    commands.register({
      name: 'adjust',
      aliases: ['调整', '不可抗力'],
      summary: { en: 'request an adjustment of your goal (force majeure), or decide one', 'zh-CN': '申请不可抗力调整，或审批调整申请' },
      usage: 'adjust request <goal> [target <value> | exclude <from>..<to> | exclude kpi] reason:<code> "note"',
      examples: ADJUST_EXAMPLES,
      run: (ctx, args) => guarded(ctx, () => adjustCommand(fd, ctx, args)),
    });
    for (const [actionId, approve] of [['score.adjust.approve', true], ['score.adjust.reject', false]] as const) {
      actions.register({
        actionId,
        run: (ctx, value) => guarded(ctx, async () => {
          const id = goalId(value);
          if (id !== undefined) await decideAndSay(fd, ctx, id, approve);
          else await ctx.reply({ kind: 'text', markdown: ctx.t(STALE_BUTTON) });
        }),
      });
    }
    actions.register({
      actionId: 'score.sign_off',
      run: (ctx, value) => guarded(ctx, async () => {
        const [month, team] = String(value ?? '').split(':');
        if (month && team && isMonth(month)) await signOffAndSay(fd, ctx, month, team);
        else await ctx.reply({ kind: 'text', markdown: ctx.t(STALE_BUTTON) });
      }),
    });
  },
};
