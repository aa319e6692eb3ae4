// What a fake `fetch` was asked for, whichever of fetch's input forms the caller used.

export function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** The JSON a request sent as its body; undefined when it sent no text body. */
export function jsonBody(init: RequestInit | undefined): unknown {
  return typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
}
