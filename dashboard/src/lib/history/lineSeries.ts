// The shape of one chart series and its look. Each series gets a point style and a dash pattern as
// well as a colour, so colour is never the only signal.
export type PointStyleName = 'circle' | 'rect' | 'triangle' | 'rectRot' | 'star' | 'crossRot' | 'rectRounded' | 'cross' | 'line';

export interface XY {
  x: number;
  y: number | null;
  /** Extra words for the tooltip (an incident's kind, a request's model). */
  note?: string;
}

export interface LineSeries {
  key: string;
  label: string;
  data: XY[];
  color: string;
  pointStyle: PointStyleName;
  /** Canvas line-dash pattern; [] is solid. */
  dash: number[];
  /** Which y axis: the left (`y`) or the right (`y2`). */
  axis: 'y' | 'y2';
  showLine: boolean;
  stepped: boolean;
  pointRadius: number;
}

export const POINT_STYLES: readonly PointStyleName[] = [
  'circle',
  'rect',
  'triangle',
  'rectRot',
  'star',
  'crossRot',
  'rectRounded',
  'cross',
];
export const DASHES: readonly number[][] = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 5], [12, 6], [4, 2], [8, 2, 2, 2]];
export const BACKEND_ORDER = ['mlx', 'metal', 'cuda', 'rocm', 'vulkan', 'cpu', 'unknown'];

/** The n-th distinct look: point style and dash pattern both vary, so series differ without colour. */
export function styleAt(index: number): { pointStyle: PointStyleName; dash: number[] } {
  return { pointStyle: POINT_STYLES[index % POINT_STYLES.length]!, dash: [...DASHES[index % DASHES.length]!] };
}

/** A series with the defaults most charts use: a solid line on the left axis, small points. */
export function line(partial: Partial<LineSeries> & Pick<LineSeries, 'key' | 'label' | 'data' | 'color'>): LineSeries {
  return { pointStyle: 'circle', dash: [], axis: 'y', showLine: true, stepped: false, pointRadius: 2, ...partial };
}

/** An API time as a chart x; null when absent or unreadable, so the caller skips the point. */
export function chartX(at: string | null): number | null {
  if (at === null) return null;
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : null;
}
