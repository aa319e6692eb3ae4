// Every command's --help stands on its own: it never sends a reader to a file outside the repository
// (the product spec is not shipped) and names the README for the JSON contract.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/agentProcess.js';

describe('--help', () => {
  for (const args of [['--help'], ['demo', '--help'], ['analyze', '--help'], ['doctor', '--help'], ['service', '--help']]) {
    it(`ollama-lens ${args.join(' ')} refers to nothing outside the repository`, () => {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
      expect(r.stdout).not.toMatch(/SPEC|§/);
    });
  }
  it('points to the README for the analyze JSON contract', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(r.stdout).toContain('README.md');
  });
});
