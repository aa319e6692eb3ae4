import { Hono } from 'hono';
import type { LoadedModel } from '../../../shared/models.js';
import { rejectUnknownParams } from '../query.js';

/** What Ollama has loaded right now (from /api/ps), each with its load and KV sizing. */
export function modelsRoute(models: () => { items: LoadedModel[]; checkedAt: string | null }): Hono {
  return new Hono().get('/', (c) => {
    rejectUnknownParams(c.req.query(), []);
    return c.json(models());
  });
}
