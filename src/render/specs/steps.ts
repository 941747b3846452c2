/**
 * What step charts share (the net-profit waterfall and the change bridge): an ordinal x axis
 * labelled with the step names, a value axis in the chart's format, and the bold value labels on
 * top of rising bars and under falling ones (`datum.down`).
 */
import { valueExpr } from '../format.ts';
import { COLORS, TEXT } from '../theme.ts';
import type { Lang, ValueFormat } from '../types.ts';
import type { Json } from './common.ts';

export function stepChannels(o: { names: string[]; slot: number; fmt: ValueFormat; lang: Lang; zero: boolean }): {
  x: Json;
  y: (field: string) => Json;
  text: (down: boolean) => Json;
} {
  const y = (field: string): Json => ({
    field,
    type: 'quantitative',
    scale: { nice: false, zero: o.zero },
    axis: { labelExpr: valueExpr(o.fmt, o.lang), grid: true, tickCount: 4 },
  });
  const x: Json = {
    field: 'order',
    type: 'ordinal',
    axis: { labelExpr: `${JSON.stringify(o.names)}[datum.value]`, labelAngle: 0, ticks: false, labelLimit: o.slot },
    scale: { paddingInner: 0.2 },
  };
  const text = (down: boolean): Json => ({
    transform: [{ filter: down ? 'datum.down' : '!datum.down' }],
    mark: { type: 'text', baseline: down ? 'top' : 'bottom', dy: down ? 5 : -5, fontSize: TEXT.label, fontWeight: 'bold', color: COLORS.ink },
    encoding: { x, y: y(down ? 'lo' : 'hi'), text: { field: 'text' } },
  });
  return { x, y, text };
}
