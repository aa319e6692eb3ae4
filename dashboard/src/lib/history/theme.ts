// Chart colours come from the page's CSS custom properties, so the charts follow the light and dark
// themes; the fallback is the light palette, for when a property is unset or not read yet.
export interface Theme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  palette: string[];
  backends: Record<string, string>;
  warn: string;
  error: string;
  ok: string;
  accent: string;
}

const FALLBACK: Theme = {
  text: '#1b1f24',
  muted: '#5b6470',
  grid: '#d9dde3',
  surface: '#ffffff',
  palette: ['#2563eb', '#6d28d9', '#0e7490', '#3f7d20', '#b91c1c', '#9d174d', '#8a5300', '#57534e'],
  backends: { mlx: '#6d28d9', metal: '#0e7490', cuda: '#3f7d20', rocm: '#b91c1c', vulkan: '#9d174d', cpu: '#57534e', other: '#4b5563' },
  warn: '#8a5300',
  error: '#b42318',
  ok: '#176c3a',
  accent: '#2563eb',
};

/** The theme from CSS custom properties (`get('--text')`), falling back to the light palette. */
export function readTheme(get: (name: string) => string): Theme {
  const v = (name: string, fallback: string): string => {
    const value = get(name).trim();
    return value === '' ? fallback : value;
  };
  const backends: Record<string, string> = {};
  for (const [name, colour] of Object.entries(FALLBACK.backends)) backends[name] = v(`--backend-${name}`, colour);
  const accent = v('--accent', FALLBACK.accent);
  return {
    text: v('--text', FALLBACK.text),
    muted: v('--text-muted', FALLBACK.muted),
    grid: v('--border', FALLBACK.grid),
    surface: v('--surface', FALLBACK.surface),
    palette: [
      accent,
      backends.mlx!,
      backends.metal!,
      backends.cuda!,
      backends.rocm!,
      backends.vulkan!,
      v('--warn', FALLBACK.warn),
      backends.cpu!,
    ],
    backends,
    warn: v('--warn', FALLBACK.warn),
    error: v('--error', FALLBACK.error),
    ok: v('--ok', FALLBACK.ok),
    accent,
  };
}
