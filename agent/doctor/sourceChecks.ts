// doctor's checks of the log sources: each configured file or journal unit found and readable, and
// what to do when it is not. A source that fails while another works is a warning; none readable, an error.
import { bytes } from './wording.js';
import type { CheckSeverity, DoctorCheck, DoctorFacts, FileSourceFact, JournalSourceFact, SourceFact } from './types.js';

export const sourcePath = (s: SourceFact): string => (s.kind === 'file' ? s.path : `journal:${s.unit}`);
export const sourceReadable = (s: SourceFact): boolean =>
  s.kind === 'file' ? s.readable : s.journalctl !== false && s.installed !== false && s.readable === true;
export const sourceFound = (s: SourceFact): boolean | null => (s.kind === 'file' ? s.found : s.installed);

function missingLogFix(facts: DoctorFacts, path: string): string {
  const check = facts.logsExplicit ? `Check the path (\`ls -l ${path}\`); ` : '';
  switch (facts.platform) {
    case 'darwin':
      return (
        `${check}Start the Ollama app once (it writes ~/.ollama/logs/server.log) or pass --log PATH.\n` +
        'If you run `ollama serve` in a terminal it logs there instead: `ollama serve 2>&1 | tee -a ~/.ollama/logs/server.log`.'
      );
    case 'linux':
      if (facts.ollamaUnit === true) {
        return (
          `${check}Ollama runs as the systemd unit ollama and logs to its journal: pass --journal ollama` +
          (facts.logsExplicit ? ' (without --log, ollama-lens picks it by itself).' : '.')
        );
      }
      return (
        `${check}Linux installs log to the systemd journal: pass --journal UNIT (\`systemctl list-unit-files | grep -i ollama\` names it).\n` +
        'If you start `ollama serve` yourself, write its output to a file: `ollama serve >> ~/.ollama/logs/server.log 2>&1`, and pass --log PATH.\n' +
        'In Docker: `docker logs -f ollama >> FILE 2>&1` and --log FILE.'
      );
    case 'win32':
      return `${check}Start Ollama once (it writes %LOCALAPPDATA%\\Ollama\\server.log) or pass --log PATH.`;
    default:
      return `${check}Pass the file Ollama's server writes its log to with --log PATH.`;
  }
}

function fileCheck(facts: DoctorFacts, s: FileSourceFact, severity: CheckSeverity): DoctorCheck {
  const base = { id: `log:${s.path}`, severity, title: `Log file ${s.path}` };
  if (s.readable) {
    return { ...base, ok: true, detail: `found, readable${s.sizeBytes !== null ? ` (${bytes(s.sizeBytes)})` : ''}`, fix: null };
  }
  if (!s.found) return { ...base, ok: false, detail: 'not found', fix: missingLogFix(facts, s.path) };
  if (s.error === 'EISDIR') {
    return {
      ...base,
      ok: false,
      detail: 'is a directory, not a log file',
      fix: `Pass the log file inside it, e.g. --log ${s.path.replace(/\/+$/, '')}/server.log.`,
    };
  }
  return {
    ...base,
    ok: false,
    detail: `found but not readable${s.error ? ` (${s.error === 'EACCES' ? 'permission denied' : s.error})` : ''}`,
    fix:
      `Give your user read access: \`sudo chmod a+r ${s.path}\` (and search access to its directories; \`ls -l ${s.path}\` shows the owner), ` +
      'or run ollama-lens as the user that runs Ollama.',
  };
}

function journalCheck(facts: DoctorFacts, s: JournalSourceFact, severity: CheckSeverity): DoctorCheck {
  const base = { id: `journal:${s.unit}`, severity, title: `Journal of systemd unit ${s.unit}` };
  const auto = facts.autoJournal ? ' (picked because the default log file does not exist)' : '';
  const said = s.detail ? `: ${s.detail}` : '';
  if (s.journalctl === false) {
    return {
      ...base,
      ok: false,
      detail: `journalctl is not available here${said}`,
      fix: "Follow a log file instead: --log PATH (or install systemd's journalctl).",
    };
  }
  if (s.installed === false) {
    return {
      ...base,
      ok: false,
      detail: `systemd has no unit ${s.unit}.service`,
      fix: "Find Ollama's unit with `systemctl list-unit-files | grep -i ollama` and pass --journal UNIT, or follow a log file with --log PATH.",
    };
  }
  if (s.readable === false) {
    return {
      ...base,
      ok: false,
      detail: `installed, but this user may not read its journal${said}`,
      fix: 'Let your user read the system journal: `sudo usermod -aG systemd-journal $USER`, then log out and back in (or run ollama-lens as root).',
    };
  }
  if (s.readable === null) {
    return {
      ...base,
      ok: false,
      detail: `could not tell whether its journal is readable${said}`,
      fix: `Run \`journalctl -u ${s.unit} -n 5\` to see what journalctl says.`,
    };
  }
  return { ...base, ok: true, detail: `installed, readable${auto}`, fix: null };
}

export function logChecks(facts: DoctorFacts): DoctorCheck[] {
  if (facts.sources.length === 0) {
    return [
      {
        id: 'log',
        ok: false,
        severity: 'error',
        title: 'Log source',
        detail: 'no log file or journal configured',
        fix: 'Pass --log PATH (the file Ollama logs to) or, on Linux with systemd, --journal ollama.',
      },
    ];
  }
  return facts.sources.map((s) => {
    // A source that fails while another one works costs some coverage, not the whole job.
    const severity: CheckSeverity = facts.sources.some((o) => o !== s && sourceReadable(o)) ? 'warn' : 'error';
    return s.kind === 'file' ? fileCheck(facts, s, severity) : journalCheck(facts, s, severity);
  });
}
