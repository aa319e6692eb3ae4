/**
 * Polls `get` until it returns something truthy, or fails after `ms`. Generous on purpose: it waits
 * for behaviour (a line reaching a client), not for speed, and CI runs test files side by side on
 * two cores.
 */
export async function until<T>(get: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
