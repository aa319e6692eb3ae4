// The HTTP side of the access guard, as Hono middleware: foreign Host → 403, missing token → 401,
// `/?token=…` (the URL the agent prints) turns into a cookie so the dashboard works in a browser, and
// a state-changing request from another site → 403 (see crossSite.ts).
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.js';
import { bearerToken, cookieToken, hostAllowed, tokenMatches, TOKEN_COOKIE, type AccessPolicy } from './accessGuard.js';
import { crossSiteRefusal } from './crossSite.js';

export function accessMiddleware(p: AccessPolicy): MiddlewareHandler {
  return async (c, next) => {
    // Node's adapter builds the URL from the Host header; app.request() in tests has only the URL.
    if (!hostAllowed(c.req.header('host') ?? new URL(c.req.url).host, p)) {
      return errorResponse(
        c,
        403,
        'forbidden_host',
        "this Host is not the agent's address (DNS rebinding protection); open it by 127.0.0.1 or localhost",
      );
    }
    if (p.token !== null) {
      const fromQuery = c.req.query('token');
      if (fromQuery !== undefined && tokenMatches(fromQuery, p.token)) {
        // Once: the token moves into an HttpOnly cookie and out of the address bar and history.
        c.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(p.token)}; Path=/; HttpOnly; SameSite=Strict`);
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return c.redirect(url.pathname + (url.search || ''), 303);
      }
      const given = bearerToken(c.req.header('authorization')) ?? cookieToken(c.req.header('cookie'));
      if (!tokenMatches(given, p.token)) {
        c.header('WWW-Authenticate', 'Bearer');
        return errorResponse(
          c,
          401,
          'unauthorized',
          'a token is needed: Authorization: Bearer TOKEN, or open the URL the agent printed once',
        );
      }
    }
    const refusal = crossSiteRefusal(c.req.method, (name) => c.req.header(name), p);
    if (refusal !== null) return errorResponse(c, 403, refusal.code, refusal.message);
    await next();
  };
}
