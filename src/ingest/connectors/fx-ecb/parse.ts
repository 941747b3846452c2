/**
 * The ECB euro foreign exchange reference rates XML (eurofxref-daily.xml, eurofxref-hist-90d.xml;
 * https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html):
 * a gesmes:Envelope whose `Cube` holds one `<Cube time="YYYY-MM-DD">` per TARGET working day, each
 * with `<Cube currency="USD" rate="1.0763"/>` children = units of that currency per 1 EUR.
 * Parsed with saxes (namespaces off: only the local `Cube` elements matter).
 */
import { SaxesParser } from 'saxes';
import { ConnectorError } from '../types.ts';

export interface EcbDay {
  date: string;
  /** Currency → units per 1 EUR. */
  rates: Map<string, number>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CCY = /^[A-Z]{3}$/;

/** Days oldest first; throws `malformed_response` for anything not in the documented shape. */
export function parseEcbXml(xml: string): EcbDay[] {
  const days: EcbDay[] = [];
  let current: EcbDay | null = null;
  let envelope = false;
  const bad = (why: string) => new ConnectorError('malformed_response', `the ECB XML is not in the documented shape: ${why}`);
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if (name === 'Envelope') envelope = true;
    if (name !== 'Cube') return;
    const attrs = tag.attributes as Record<string, string>;
    if (attrs.time !== undefined) {
      if (!DAY.test(attrs.time)) throw bad(`time "${attrs.time.slice(0, 20)}"`);
      current = { date: attrs.time, rates: new Map() };
      days.push(current);
    } else if (attrs.currency !== undefined) {
      const rate = Number(attrs.rate);
      if (!current) throw bad('a rate outside a dated Cube');
      if (!CCY.test(attrs.currency) || !(rate > 0) || !Number.isFinite(rate)) throw bad(`rate ${attrs.currency.slice(0, 5)}=${String(attrs.rate).slice(0, 20)}`);
      current.rates.set(attrs.currency, rate);
    }
  });
  parser.on('closetag', (tag) => {
    // Only the dated Cube ends a day: its rate children are self-closing Cubes too.
    if (tag.name === 'Cube' && (tag.attributes as Record<string, string>).time !== undefined) current = null;
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    if (err instanceof ConnectorError) throw err;
    throw bad(`not XML (${(err as Error).message.slice(0, 80)})`);
  }
  if (!envelope) throw bad('no gesmes:Envelope');
  if (days.length === 0 || days.some((d) => d.rates.size === 0)) throw bad('no dated rates');
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
