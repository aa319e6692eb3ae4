// docs/records.md lists the incident kinds in the order INCIDENT_KINDS holds them (the order `--mute`
// and `?kind=` are validated against): a kind added to the code is a kind added to the doc.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INCIDENT_KINDS } from '../../shared/records.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'records.md'), 'utf8');

describe('docs/records.md', () => {
  it('lists every incident kind, in the order of INCIDENT_KINDS', () => {
    const section = /## Incident kinds\n([\s\S]*?)\n## /.exec(DOC)?.[1] ?? '';
    const kinds = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(kinds).toEqual([...INCIDENT_KINDS]);
  });
});
