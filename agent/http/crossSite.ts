// Cross-site request forgery: a page on any site can make this laptop's browser send a form POST or
// a no-cors fetch to 127.0.0.1, and alert ids are small and sequential. The rule for every request
// that changes state (any method but GET/HEAD/OPTIONS):
//  - a browser's `Sec-Fetch-Site`, when sent, must be `same-origin`;
//  - an `Origin`, when sent, must be exactly ours (scheme, a name of ours, and our port);
//  - the body must be declared `application/json`, which neither a form nor a no-cors fetch can send
//    without a CORS preflight, which this agent never answers.
// Non-browser clients (curl, scripts) send neither header and only need the content type.
import { originAllowed, type AccessPolicy } from './accessGuard.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CrossSiteRefusal {
  code: 'cross_site' | 'json_required';
  message: string;
}

export function crossSiteRefusal(method: string, header: (name: string) => string | undefined, p: AccessPolicy): CrossSiteRefusal | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    return {
      code: 'cross_site',
      message: `a ${method} from another site (Sec-Fetch-Site: ${site.slice(0, 20)}) is refused; use the dashboard or a client without a browser`,
    };
  }
  const origin = header('origin');
  if (origin !== undefined && !originAllowed(origin, p)) {
    return {
      code: 'cross_site',
      message: `a ${method} from origin ${origin.slice(0, 80)} is refused: only the agent's own pages may change its state`,
    };
  }
  const type = (header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return {
      code: 'json_required',
      message: `a ${method} must be sent with Content-Type: application/json (cross-site request protection)`,
    };
  }
  return null;
}
