/**
 * The formula language of custom metrics: numbers, names, `+ - * /`, unary minus and parentheses.
 * A hand-written tokenizer and recursive-descent parser (never `eval` or `Function`: the text
 * comes from chat and REST). Every error carries the 1-based character position it was found at,
 * so a chat hint can point at it. Precedence: unary minus binds tightest, then `* /`, then `+ -`,
 * all left-associative.
 */

/** A formula is a line, not a program: longer text is refused before it is read. */
export const MAX_FORMULA_LENGTH = 500;
/** Deeper nesting than this is refused (and keeps the recursion far from the stack limit). */
export const MAX_FORMULA_DEPTH = 32;

export type FormulaErrorCode = 'too_long' | 'empty' | 'bad_char' | 'bad_number' | 'unexpected' | 'unclosed' | 'too_deep' | 'unknown_name' | 'ambiguous_name' | 'not_daily' | 'cycle' | 'constant';

export class FormulaError extends Error {
  constructor(
    readonly code: FormulaErrorCode,
    message: string,
    /** 1-based character position in the formula; 0 when it concerns the whole formula. */
    readonly pos: number,
    readonly suggestion?: string,
  ) {
    super(pos > 0 ? `${message} (at character ${pos})` : message);
  }
}

export type Node =
  | { k: 'num'; v: number }
  | { k: 'name'; name: string; pos: number }
  | { k: 'neg'; e: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; l: Node; r: Node; pos: number };

type Token =
  | { t: 'num'; v: number; pos: number; text: string }
  | { t: 'name'; name: string; pos: number }
  | { t: 'op'; op: '+' | '-' | '*' | '/'; pos: number }
  | { t: '('; pos: number }
  | { t: ')'; pos: number }
  | { t: 'end'; pos: number };

const OPS = new Set(['+', '-', '*', '/']);

/** Splits a formula into tokens; positions are 1-based. Names may carry a table prefix (`S.cogs`). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
      const v = m ? Number(m[0]) : NaN;
      if (!m || !Number.isFinite(v) || /[A-Za-z_]/.test(text[i + m[0].length] ?? '')) {
        throw new FormulaError('bad_number', `"${text.slice(i, i + 12)}" is not a number`, pos);
      }
      out.push({ t: 'num', v, pos, text: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_]{0,62})?/.exec(text.slice(i, i + 130))!;
      out.push({ t: 'name', name: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (OPS.has(ch)) out.push({ t: 'op', op: ch as '+' | '-' | '*' | '/', pos });
    else if (ch === '(' || ch === '（') out.push({ t: '(', pos });
    else if (ch === ')' || ch === '）') out.push({ t: ')', pos });
    else if (ch === '×') out.push({ t: 'op', op: '*', pos });
    else if (ch === '÷') out.push({ t: 'op', op: '/', pos });
    else throw new FormulaError('bad_char', `"${ch}" is not allowed; use names, numbers, + - * / and parentheses`, pos);
    i++;
  }
  out.push({ t: 'end', pos: text.length + 1 });
  return out;
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'num':
      return tok.text;
    case 'name':
      return tok.name;
    case 'op':
      return tok.op;
    case 'end':
      return 'the end';
    default:
      return tok.t;
  }
}

/** Parses a formula into a tree; throws FormulaError with the position of the first mistake. */
export function parseFormula(text: string): Node {
  if (typeof text !== 'string' || text.trim() === '') throw new FormulaError('empty', 'the formula is empty', 0);
  if (text.length > MAX_FORMULA_LENGTH) throw new FormulaError('too_long', `a formula may have at most ${MAX_FORMULA_LENGTH} characters (this one has ${text.length})`, 0);
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i]!;
  const next = () => toks[i++]!;

  const primary = (depth: number): Node => {
    if (depth > MAX_FORMULA_DEPTH) throw new FormulaError('too_deep', `nesting deeper than ${MAX_FORMULA_DEPTH} levels`, peek().pos);
    const tok = next();
    if (tok.t === 'num') return { k: 'num', v: tok.v };
    if (tok.t === 'name') return { k: 'name', name: tok.name, pos: tok.pos };
    if (tok.t === '(') {
      const e = expr(depth + 1);
      const close = next();
      if (close.t !== ')') throw new FormulaError('unclosed', `expected ")" to close the "(" at character ${tok.pos}, found ${describe(close)}`, close.pos);
      return e;
    }
    if (tok.t === 'op' && (tok.op === '-' || tok.op === '+')) {
      const e = primary(depth + 1);
      return tok.op === '-' ? { k: 'neg', e } : e;
    }
    throw new FormulaError('unexpected', `expected a name, a number or "(", found ${describe(tok)}`, tok.pos);
  };
  const term = (depth: number): Node => {
    let l = primary(depth);
    for (let tok = peek(); tok.t === 'op' && (tok.op === '*' || tok.op === '/'); tok = peek()) {
      next();
      l = { k: 'bin', op: tok.op, l, r: primary(depth), pos: tok.pos };
    }
    return l;
  };
  const expr = (depth: number): Node => {
    let l = term(depth);
    for (let tok = peek(); tok.t === 'op' && (tok.op === '+' || tok.op === '-'); tok = peek()) {
      next();
      l = { k: 'bin', op: tok.op, l, r: term(depth), pos: tok.pos };
    }
    return l;
  };

  const tree = expr(0);
  const rest = peek();
  if (rest.t !== 'end') throw new FormulaError('unexpected', `unexpected ${describe(rest)}`, rest.pos);
  return tree;
}

/** Every name in the tree, with its position, left to right. */
export function namesOf(n: Node, out: { name: string; pos: number }[] = []): { name: string; pos: number }[] {
  if (n.k === 'name') out.push({ name: n.name, pos: n.pos });
  else if (n.k === 'neg') namesOf(n.e, out);
  else if (n.k === 'bin') {
    namesOf(n.l, out);
    namesOf(n.r, out);
  }
  return out;
}

/**
 * Evaluates the tree with `value(name)` for names. Missing inputs (null) make the result null,
 * and so does a division by zero: "no data" or "nothing to divide by", never 0 or Infinity.
 */
export function evaluateFormula(n: Node, value: (name: string) => number | null): number | null {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'name':
      return value(n.name);
    case 'neg': {
      const v = evaluateFormula(n.e, value);
      return v === null ? null : -v;
    }
    case 'bin': {
      const l = evaluateFormula(n.l, value);
      const r = evaluateFormula(n.r, value);
      if (l === null || r === null) return null;
      if (n.op === '+') return l + r;
      if (n.op === '-') return l - r;
      if (n.op === '*') return l * r;
      return r === 0 ? null : l / r;
    }
  }
}
