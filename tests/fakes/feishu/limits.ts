/**
 * What the fake Feishu checks on every card it accepts, written independently of the adapter's
 * constants: card JSON 2.0 (`schema: "2.0"`, elements under `body`), no 1.0 `action` wrapper,
 * at most 30 KB of JSON and 200 components, buttons with a `callback` behaviour, and images that
 * reference an `image_key` this fake handed out. Feishu answers such a card with code 230099
 * (card content failed) or 230025 (too long); so does the fake.
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-structure
 */

type Json = Record<string, unknown>;

export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_COMPONENTS = 200;

export function checkCard(card: unknown, imageKeys: Set<string>): { code: number; problems: string[] } | null {
  const problems: string[] = [];
  const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (size > CARD_MAX_BYTES) return { code: 230025, problems: [`card is ${size} bytes (max ${CARD_MAX_BYTES})`] };
  if (!card || typeof card !== 'object') return { code: 230099, problems: ['card is not an object'] };
  const c = card as Json;
  if (c.schema !== '2.0') problems.push('schema must be "2.0"');
  const body = c.body as Json | undefined;
  if (!body || !Array.isArray(body.elements)) problems.push('body.elements missing');
  let count = 0;
  const walk = (e: unknown, at: string): void => {
    if (!e || typeof e !== 'object') return void problems.push(`${at} is not an object`);
    const x = e as Json;
    count++;
    switch (x.tag) {
      case 'action':
        problems.push(`${at}: the action wrapper is not supported in 2.0`);
        break;
      case 'markdown':
        if (typeof x.content !== 'string') problems.push(`${at}: markdown without content`);
        break;
      case 'img':
        if (typeof x.img_key !== 'string' || !imageKeys.has(x.img_key)) problems.push(`${at}: unknown img_key ${String(x.img_key)}`);
        break;
      case 'button': {
        const b = x.behaviors as Json[] | undefined;
        if (!Array.isArray(b) || !b.some((y) => y.type === 'callback' && y.value !== undefined)) problems.push(`${at}: button without a callback behaviour`);
        if (typeof (x.text as Json | undefined)?.content !== 'string') problems.push(`${at}: button without text`);
        break;
      }
      case 'column_set':
      case 'column':
        break;
      default:
        problems.push(`${at}: unknown tag ${String(x.tag)}`);
    }
    for (const key of ['columns', 'elements'] as const) {
      const list = x[key];
      if (Array.isArray(list)) list.forEach((y, i) => walk(y, `${at}/${key}/${i}`));
    }
  };
  ((body?.elements as unknown[] | undefined) ?? []).forEach((e, i) => walk(e, `/body/elements/${i}`));
  if (count > CARD_MAX_COMPONENTS) problems.push(`${count} components (max ${CARD_MAX_COMPONENTS})`);
  return problems.length > 0 ? { code: 230099, problems } : null;
}
