import { describe, expect, it } from 'vitest';
import { ollamaProcesses, parsePsList, type PsRow } from '../../../agent/probes/psList.js';

// Written in the layout of `ps -ww -axo pid=,ppid=,rss=,comm=,args=`: right-aligned numbers, comm
// padded (Linux: the 15-character name; macOS: the executable path). The Ollama command lines are the
// ones Ollama logs.
const APP = '/Applications/Ollama.app/Contents/Resources/ollama';
const MAC = [
  `    1     0  12000 /sbin/launchd   /sbin/launchd`,
  `  790     1  98304 /Applications/Ollama.app/Contents/MacOS/Ollama /Applications/Ollama.app/Contents/MacOS/Ollama`,
  `  812   790  48512 ${APP} ${APP} serve`,
  ` 1581   812  13632 ${APP} ${APP} runner --model /Users/yuji/.ollama/models/blobs/sha256-8934d96d3f08982e95922b2b7a2c626a1fe873d7c3b06e8e56d7bc0a1fef9246 --ctx-size 8192 --batch-size 512 --n-gpu-layers 33 --threads 6 --parallel 2 --port 52335`,
  ` 2001  1999   1200 grep            grep ollama`,
  ` 2002  1999   1184 grep            grep --color ollama serve`,
  ` 2100  1999   5400 /Users/me/My Tools/llama-server /Users/me/My Tools/llama-server -m /Users/me/models/x.gguf --port 8080`,
  ` 2200   812 620000 /Users/me/Ollama Builds/llama-server /Users/me/Ollama Builds/llama-server --model /Users/me/.ollama/models/blobs/sha256-aa --port 50001`,
  ` 2300  1999   3000 ${APP} ${APP} run llama3.2`,
].join('\n');

const LINUX = [
  '    1     0  11904 systemd         /sbin/init splash',
  '    2     0      0 kthreadd        [kthreadd]',
  '  870     1  61440 ollama          /usr/local/bin/ollama serve',
  ' 4312   870 5242880 ollama          /usr/local/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463 --port 45718',
  ' 4400   870 900000 ollama_llama_se /tmp/ollama2502509077/runners/cuda_v12/ollama_llama_server --model /usr/share/ollama/.ollama/models/blobs/sha256-bf48 --ctx-size 33783 --port 66372',
  ' 5100  4800   2048 llama-server    /home/lz/llama.cpp/build/bin/llama-server -m /models/x.gguf --port 8080',
  ' 5200  5199    900 grep            grep ollama',
  ' 5300  5199   7000 Web Content     /usr/lib/firefox/firefox -contentproc -childID 3',
  ' 5400  5199   2000 vim             vim /home/lz/ollama/server/routes.go',
].join('\n');

describe('parsePsList', () => {
  it('reads numbers, KiB→bytes, and splits comm from args even when both hold spaces', () => {
    const rows = parsePsList(MAC);
    expect(rows).toHaveLength(9);
    expect(rows?.[3]).toMatchObject({ pid: 1581, ppid: 812, rssBytes: 13632 * 1024, comm: APP });
    expect(rows?.[3]?.args.startsWith(`${APP} runner --model`)).toBe(true);
    expect(rows?.[6]).toMatchObject({
      comm: '/Users/me/My Tools/llama-server',
      args: '/Users/me/My Tools/llama-server -m /Users/me/models/x.gguf --port 8080',
    });
    expect(rows?.[4]).toMatchObject({ comm: 'grep', args: 'grep ollama' });
  });

  it.each([
    [
      'Linux path argv[0]',
      '  870     1  61440 ollama          /usr/local/bin/ollama serve',
      { comm: 'ollama', args: '/usr/local/bin/ollama serve' },
    ],
    ['kernel thread', '    2     0      0 kthreadd        [kthreadd]', { comm: 'kthreadd', args: '[kthreadd]' }],
    // Where neither rule fits, the split is a guess, but the row (numbers) is still there.
    [
      'comm with a space',
      ' 5300  5199   7000 Web Content     /usr/lib/firefox/firefox -contentproc',
      { pid: 5300, ppid: 5199, rssBytes: 7000 * 1024 },
    ],
    ['comm only', ' 9 1 0 zombie', { comm: 'zombie', args: '' }],
  ])('%s', (_name, line, want) => {
    expect(parsePsList(line)?.[0]).toMatchObject(want);
  });

  it('skips lines that are not rows and returns null when nothing is left', () => {
    expect(parsePsList(`  PID  PPID   RSS COMM ARGS\n${LINUX}`)).toHaveLength(9);
    expect(parsePsList('')).toBeNull();
    expect(parsePsList('ps: illegal option -- w\nusage: ps …')).toBeNull();
  });
});

describe('ollamaProcesses', () => {
  const pick = (stdout: string) => ollamaProcesses(parsePsList(stdout) as PsRow[]);

  it('macOS app: serve, runner and an ollama-spawned llama-server; not grep, the GUI app, a client or a user llama-server', () => {
    expect(pick(MAC)).toEqual([
      { pid: 812, ppid: 790, rssBytes: 48512 * 1024, role: 'serve' },
      { pid: 1581, ppid: 812, rssBytes: 13632 * 1024, role: 'runner' },
      { pid: 2200, ppid: 812, rssBytes: 620000 * 1024, role: 'runner' },
    ]);
  });

  it('Linux: truncated ollama_llama_server comm still counts; a llama-server not started by Ollama does not', () => {
    expect(pick(LINUX)).toEqual([
      { pid: 870, ppid: 1, rssBytes: 61440 * 1024, role: 'serve' },
      { pid: 4312, ppid: 870, rssBytes: 5242880 * 1024, role: 'runner' },
      { pid: 4400, ppid: 870, rssBytes: 900000 * 1024, role: 'runner' },
    ]);
  });

  it.each([
    ['ollama on PATH', ' 10 1 100 ollama          ollama serve', [{ pid: 10, role: 'serve' }]],
    ['path with spaces, basename comm', ' 11 1 100 ollama          /opt/my apps/ollama serve', [{ pid: 11, role: 'serve' }]],
    ['ollama dir inside the path', ' 12 1 100 ollama          /home/u/ollama/bin/ollama runner --port 1', [{ pid: 12, role: 'runner' }]],
    [
      'llama-server under ollama runner',
      ' 13 1 100 ollama          /usr/bin/ollama serve\n 14 13 100 ollama          /usr/bin/ollama runner --port 2\n 15 14 100 llama-server    /usr/lib/ollama/llama-server --port 3',
      [
        { pid: 13, role: 'serve' },
        { pid: 14, role: 'runner' },
        { pid: 15, role: 'runner' },
      ],
    ],
    [
      'client commands',
      ' 20 1 100 ollama          ollama run llama3\n 21 1 100 ollama          ollama ps\n 22 1 100 ollama          ollama',
      [],
    ],
    ['grep ollama serve', ' 30 1 100 grep            grep ollama serve', []],
    ['another tool named like ollama', ' 31 1 100 ollama-exporter /usr/bin/ollama-exporter serve', []],
    ['orphaned llama-server', ' 40 1 100 llama-server    /usr/lib/ollama/llama-server --port 3', []],
  ])('%s', (_name, stdout, want) => {
    expect(pick(stdout)).toMatchObject(want);
    expect(pick(stdout)).toHaveLength(want.length);
  });
});
