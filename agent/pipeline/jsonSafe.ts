// Whether JSON carries a value across unchanged: JSON.stringify would turn NaN and ±Infinity into
// null and drop undefined, which structured cloning keeps. Records are sent to the main thread as
// JSON (several times cheaper to serialise and read back than a structured clone of thousands of
// small objects) only when this holds for all of them.
export function jsonSafe(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(jsonSafe);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!jsonSafe((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
