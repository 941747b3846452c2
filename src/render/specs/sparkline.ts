/**
 * A sparkline for a card field or a digest row: the shape of the last N values, no axes, the last
 * value as a 14 px label at the right end. The x domain is stretched so the label always fits.
 */
import { formatValue } from '../format.ts';
import { textWidth } from '../text-width.ts';
import { COLORS, RAG_STYLE, SPARK_SIZE, TEXT } from '../theme.ts';
import type { SparklineChart } from '../types.ts';
import { NO_DATA, extentLayer, failure, frame, label, num, type SpecResult } from './common.ts';

const MAX_POINTS = 120;

export function sparklineSpec(input: SparklineChart): SpecResult {
  const { lang } = input;
  let raw = (Array.isArray(input.values) ? input.values : []).map(num);
  if (raw.length > MAX_POINTS) {
    const step = Math.ceil(raw.length / MAX_POINTS);
    const out: (number | null)[] = [];
    for (let i = 0; i < raw.length; i += step) {
      const vals = raw.slice(i, i + step).filter((v): v is number => v !== null);
      out.push(vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null);
    }
    raw = out;
  }
  const lastIndex = raw.findLastIndex((v) => v !== null);
  if (lastIndex < 0) return failure('no_data', NO_DATA[lang]);

  const last = raw[lastIndex]!;
  const text = formatValue(last, { unit: input.unit, currency: input.currency }, lang);
  const values = raw.map((v, i) => ({ i, v, last: i === lastIndex, text: i === lastIndex ? text : '' }));
  const { width, height } = SPARK_SIZE;
  const plotW = width - 16;
  const labelW = textWidth(text, TEXT.label, true) + 10;
  const n = Math.max(1, raw.length - 1);
  const xmax = lastIndex + (n * labelW) / Math.max(40, plotW - labelW);
  const color = input.rag ? RAG_STYLE[input.rag].color : COLORS.primary;
  const x = { field: 'i', type: 'quantitative', axis: null, scale: { nice: false, zero: false } };
  const y = { field: 'v', type: 'quantitative', axis: null, scale: { zero: false, nice: false } };

  const spec = frame(
    input,
    width,
    height,
    {
      padding: 8,
      data: { values },
      layer: [
        { mark: { type: 'line', color, strokeWidth: 2.5 }, encoding: { x, y } },
        {
          transform: [{ filter: 'datum.last' }],
          mark: { type: 'point', filled: true, opacity: 1, color, size: 50 },
          encoding: { x, y },
        },
        {
          transform: [{ filter: 'datum.last' }],
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 7, fontSize: TEXT.label, fontWeight: 'bold', color: COLORS.ink },
          encoding: { x, y, text: { field: 'text' } },
        },
        // Room on the right for the label (and around a lone point).
        extentLayer('x', x, raw.length === 1 ? -1 : 0, xmax),
      ],
    },
    { title: false },
  );
  return { ok: true, spec, width, height, alt: `${label(input.title, 400)}: ${text}` };
}
