/**
 * DingTalk's documented maxima, checked by the fake on every message it accepts (a breach is
 * recorded as a violation and refused with errcode 40035, as DingTalk refuses bad parameters):
 * `msgParam` ≤ 15,000 bytes (robot groupMessages/send), title "最长64个字符", actionCard
 * button text "最长20个字符" and URL "最长500个字符", sampleActionCard2…5 ≤ 5 buttons.
 */
type Json = Record<string, unknown>;

export const MSG_PARAM_MAX_BYTES = 15_000;
export const TITLE_MAX = 64;
export const BUTTON_TEXT_MAX = 20;
export const URL_MAX = 500;
export const MAX_BUTTONS = 5;

const chars = (s: unknown) => [...String(s ?? '')].length;

/** A robot-API message (`msgKey` + `msgParam`); returns the problems found. */
export function checkRobotMessage(msgKey: unknown, msgParam: unknown): string[] {
  const problems: string[] = [];
  if (typeof msgParam !== 'string') return ['msgParam must be a JSON string'];
  if (Buffer.byteLength(msgParam) > MSG_PARAM_MAX_BYTES) problems.push(`msgParam is ${Buffer.byteLength(msgParam)} bytes (max ${MSG_PARAM_MAX_BYTES})`);
  let p: Json;
  try {
    p = JSON.parse(msgParam) as Json;
  } catch {
    return [...problems, 'msgParam is not JSON'];
  }
  if (chars(p.title) > TITLE_MAX) problems.push(`title has ${chars(p.title)} characters (max ${TITLE_MAX})`);
  const key = String(msgKey);
  if (!/^sample(Markdown|Text|ActionCard[2-5]?|ImageMsg|Link|File)$/.test(key)) problems.push(`unknown msgKey ${key}`);
  const buttons: [unknown, unknown][] = key === 'sampleActionCard' ? [[p.singleTitle, p.singleURL]] : [];
  for (let i = 1; i <= 6; i++) if (p[`actionTitle${i}`] !== undefined) buttons.push([p[`actionTitle${i}`], p[`actionURL${i}`]]);
  const declared = Number(/ActionCard([2-5])$/.exec(key)?.[1] ?? (key === 'sampleActionCard' ? 1 : 0));
  if (buttons.length !== declared) problems.push(`${key} with ${buttons.length} buttons`);
  problems.push(...checkButtons(buttons));
  return problems;
}

function checkButtons(buttons: [unknown, unknown][]): string[] {
  const problems: string[] = [];
  if (buttons.length > MAX_BUTTONS) problems.push(`${buttons.length} buttons (max ${MAX_BUTTONS})`);
  for (const [title, url] of buttons) {
    if (chars(title) > BUTTON_TEXT_MAX) problems.push(`button text "${String(title)}" over ${BUTTON_TEXT_MAX} characters`);
    if (typeof url !== 'string' || chars(url) > URL_MAX) problems.push(`button URL over ${URL_MAX} characters`);
  }
  return problems;
}

/** A session-webhook / custom-robot body. */
export function checkWebhookMessage(body: Json): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MSG_PARAM_MAX_BYTES + 2000) problems.push(`body is ${bytes} bytes`);
  const inner = (body.markdown ?? body.actionCard ?? body.text) as Json | undefined;
  if (!inner) return [...problems, `unsupported msgtype ${String(body.msgtype)}`];
  if (chars(inner.title) > TITLE_MAX) problems.push(`title has ${chars(inner.title)} characters (max ${TITLE_MAX})`);
  const btns = (inner.btns as Json[] | undefined) ?? [];
  problems.push(...checkButtons(btns.map((b) => [b.title, b.actionURL])));
  return problems;
}

/** An advanced card's `cardParamMap` (our template's variables; all strings). */
export function checkCardParams(map: unknown): string[] {
  if (!map || typeof map !== 'object') return ['cardParamMap missing'];
  const m = map as Json;
  const problems: string[] = [];
  for (const [k, v] of Object.entries(m)) if (typeof v !== 'string') problems.push(`cardParamMap.${k} is not a string`);
  const bytes = Buffer.byteLength(JSON.stringify(m));
  if (bytes > MSG_PARAM_MAX_BYTES) problems.push(`cardParamMap is ${bytes} bytes (max ${MSG_PARAM_MAX_BYTES})`);
  if (chars(m.title) > TITLE_MAX) problems.push(`title has ${chars(m.title)} characters (max ${TITLE_MAX})`);
  let buttons: Json[] = [];
  try {
    buttons = JSON.parse(String(m.buttons ?? '[]')) as Json[];
  } catch {
    problems.push('buttons is not JSON');
  }
  if (buttons.length > MAX_BUTTONS) problems.push(`${buttons.length} buttons (max ${MAX_BUTTONS})`);
  for (const b of buttons) if (chars(b.text) > BUTTON_TEXT_MAX) problems.push(`button text over ${BUTTON_TEXT_MAX} characters`);
  return problems;
}
