/**
 * Inputs for the fuzz tests (fuzz-parser, fuzz-routes): valid chat commands in both languages,
 * their mutations, and the hostile strings people and scanners send (SQL, script, template and
 * path-traversal text, control and bidi characters, lone surrogates, huge text).
 */
import fc from 'fast-check';

/** Commands the grammar answers with a KPI question (ARCHITECTURE.md chat examples, glossary §5). */
export const VALID_EN = [
  'gmv 7d by store', 'gmv 7d store:us-main', 'acos this month by site', 'profit last month vs prev', 'chart gmv 30d',
  'GMV', 'Gmv yesterday', 'revenue 7d', 'orders today', 'net sales 7d', 'ad spend 7d', 'tacos mtd', 'ctr cpc 7d',
  'roas 14d', 'aov yesterday', 'gmv, orders, aov 7d', 'gmv last week', 'gmv last quarter', 'gmv ytd', 'gmv last 7d',
  'gmv 30d top 5 by store', 'gmv 7d in usd', 'gmv last month yoy', 'cvr 7d by sku', 'gmv 7d @carol',
];
export const VALID_ZH = [
  '本周 GMV 按店铺', '本周GMV按店铺', '上月 净利润 同比', '上月净利润同比', '近30天 销售额 按负责人', '本月 GMV 环比',
  '图表 销售额 30天', '图表销售额30天', '今天 销售额', '今日订单量', '昨天的销售额是多少', '昨日 客单价', '上周 转化率',
  '这个月 毛利', '本季度 广告费', '上季度 ACoS', '今年 销售额', '最近7天 销售额', '近14天 点击率', '7天 GMV',
  '本周 GMV 店铺:us-main', '上月 销售额 按店铺 前10', '近30天 GMV 美元',
];
export const VALID_COMMANDS = [...VALID_EN, ...VALID_ZH];

/** Text that looks like an attack or a template; none of it may reach SQL, HTML or a log unescaped. */
export const HOSTILE = [
  "'; drop table facts; --", "' or '1'='1", '1; select pg_sleep(10)', "gmv' union select * from api_tokens --", '$1', '%s%s%s%n',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}', '${process.env}', '#{7*7}',
  '../../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f', '..\\..\\windows\\win.ini', '/dev/zero', 'file:///etc/passwd',
  '\u0000', '\u202e', '\u2066', '\u200b', '\ufeff', '\ud800', '\udfff', '\r\n\r\nX-Injected: 1', '__proto__', 'constructor',
  '{"__proto__":{"polluted":1}}', 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(400), '😀', '𠮷', 'ＧＭＶ', '\u3000',
];

/** Random text of every kind: binary UTF-16 (lone surrogates too), graphemes, CJK, ASCII. */
export function anyText(maxLength = 200): fc.Arbitrary<string> {
  const cjk = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)), maxLength });
  const control = fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 30 });
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ maxLength }),
    cjk,
    control,
    fc.constantFrom(...HOSTILE),
    fc.array(fc.oneof(fc.constantFrom(...HOSTILE, ...VALID_COMMANDS), cjk, fc.string({ maxLength: 8 })), { maxLength: 8 }).map((p) => p.join(' ')),
  );
}

/** Full-width ASCII (ｇｍｖ ７ｄ), what a Chinese IME types when half-width mode is off. */
export const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

/** One random edit of a valid command: insert, delete, replace or duplicate a character or a word. */
export function mutated(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...VALID_COMMANDS), fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'splice'), anyText(6))
    .map(([cmd, at, op, text]) => {
      const chars = Array.from(cmd);
      const i = at % (chars.length + 1);
      if (op === 'insert') chars.splice(i, 0, text);
      else if (op === 'delete') chars.splice(i, 1);
      else if (op === 'replace') chars.splice(i, 1, text.slice(0, 1) || 'x');
      else if (op === 'duplicate') chars.splice(i, 0, ...chars.slice(i, i + 4));
      else chars.splice(i, 0, ' ', ...Array.from(VALID_COMMANDS[at % VALID_COMMANDS.length]!), ' ');
      return chars.join('');
    });
}
