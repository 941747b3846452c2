/**
 * What the fake Slack checks on every message it accepts: the documented Block Kit maxima
 * (https://docs.slack.dev/reference/block-kit/blocks), written here independently of the
 * adapter's constants so a renderer that ignores a limit is caught. Slack answers such a message
 * with `invalid_blocks` (or `msg_too_long` / `msg_blocks_too_long`); so does the fake.
 */

type Json = Record<string, unknown>;

const MAX = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  altText: 2000,
  text: 40_000,
  /** Observed by Slack users (slackapi/bolt-js#2509): rejected from about 13,000 characters. */
  blocksText: 13_000,
};

const textOf = (o: unknown): string => (o && typeof o === 'object' && typeof (o as Json).text === 'string' ? ((o as Json).text as string) : '');
const len = (s: string) => Array.from(s).length;

/** Returns the problems Slack would report, `[]` when the message is acceptable. */
export function checkMessage(text: unknown, blocks: unknown): { error: string; problems: string[] } | null {
  const problems: string[] = [];
  if (typeof text === 'string' && len(text) > MAX.text) return { error: 'msg_too_long', problems: [`text has ${len(text)} characters`] };
  if (blocks === undefined) return typeof text === 'string' && text.length > 0 ? null : { error: 'no_text', problems: ['no text'] };
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', problems: ['blocks is not a list'] };
  if (blocks.length > MAX.blocks) problems.push(`${blocks.length} blocks (max ${MAX.blocks})`);
  let total = 0;
  const ids = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Json;
    const at = `/blocks/${i}`;
    switch (b.type) {
      case 'header': {
        const t = textOf(b.text);
        total += len(t);
        if (len(t) > MAX.header) problems.push(`${at}/text longer than ${MAX.header}`);
        break;
      }
      case 'section': {
        const t = textOf(b.text);
        total += len(t);
        if (len(t) > MAX.sectionText) problems.push(`${at}/text longer than ${MAX.sectionText}`);
        const fields = (b.fields as unknown[] | undefined) ?? [];
        if (fields.length > MAX.fields) problems.push(`${at}/fields has ${fields.length} items (max ${MAX.fields})`);
        for (const f of fields) {
          total += len(textOf(f));
          if (len(textOf(f)) > MAX.fieldText) problems.push(`${at}/fields item longer than ${MAX.fieldText}`);
        }
        if (!t && fields.length === 0) problems.push(`${at} has neither text nor fields`);
        break;
      }
      case 'context': {
        const els = (b.elements as unknown[] | undefined) ?? [];
        if (els.length === 0 || els.length > MAX.contextElements) problems.push(`${at}/elements count ${els.length}`);
        for (const e of els) total += len(textOf(e));
        break;
      }
      case 'actions': {
        const els = (b.elements as Json[] | undefined) ?? [];
        if (els.length === 0 || els.length > MAX.actionsElements) problems.push(`${at}/elements count ${els.length} (max ${MAX.actionsElements})`);
        for (const e of els) {
          const label = textOf(e.text);
          total += len(label);
          if (len(label) > MAX.buttonText) problems.push(`${at} button text longer than ${MAX.buttonText}`);
          if (typeof e.value === 'string' && len(e.value) > MAX.buttonValue) problems.push(`${at} button value longer than ${MAX.buttonValue}`);
          const id = e.action_id as string | undefined;
          if (id !== undefined) {
            if (len(id) > MAX.actionId) problems.push(`${at} action_id longer than ${MAX.actionId}`);
            if (ids.has(id)) problems.push(`${at} duplicate action_id ${id}`);
            ids.add(id);
          }
        }
        break;
      }
      case 'image': {
        const alt = typeof b.alt_text === 'string' ? b.alt_text : '';
        if (!alt || len(alt) > MAX.altText) problems.push(`${at}/alt_text missing or longer than ${MAX.altText}`);
        if (!b.image_url === !b.slack_file) problems.push(`${at} needs exactly one of image_url and slack_file`);
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at} unknown block type ${String(b.type)}`);
    }
  });
  if (problems.length > 0) return { error: 'invalid_blocks', problems };
  if (total > MAX.blocksText) return { error: 'msg_blocks_too_long', problems: [`${total} characters of block text`] };
  return null;
}
