// The request table's list: newest first (highest id, like `GET /api/requests`), one row per id.
import type { RequestRecord } from '../../../shared/records.js';
import { byIdNewestFirst, type ListSpec } from './listSpec.js';

/** The dashboard keeps and renders at most 500 rows. */
export const REQUEST_LIST: ListSpec<RequestRecord> = { key: (r) => r.id, newestFirst: byIdNewestFirst, cap: 500 };
