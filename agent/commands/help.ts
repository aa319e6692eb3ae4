import { optionsHelp } from '../config/helpText.js';

export function mainHelp(): string {
  return `ollama-lens — which backend really served each Ollama request, how fast, how full the context was.

Usage:
  ollama-lens [options]          follow Ollama's server log and serve the dashboard
  ollama-lens demo [options]     the same against a built-in Ollama simulator
  ollama-lens analyze FILE…      read logs once and print a report (--json: the stable contract in README.md, "Read a log once")
  ollama-lens doctor [--json]    check log access, Ollama, memory and MLX eligibility, with a fix for each problem
  ollama-lens service install|uninstall|status [options]
                                 run it in the background at login (launchd on macOS, systemd --user on Linux)
  ollama-lens --version          print the version

${optionsHelp(process.env)}

Stop it with Ctrl+C (or SIGTERM): the current batch is committed first.`;
}

export function demoHelp(): string {
  return `ollama-lens demo — run the agent and dashboard against a built-in Ollama simulator that writes a
realistic server log (MLX and llama.cpp/Metal loads, a fallback, a long conversation, a crash, rotation)
into a temporary directory and serves a fake Ollama API. Nothing touches your real Ollama or data.

Usage:
  ollama-lens demo [--port N] [--host ADDR] [--data-dir DIR]

--data-dir defaults to a temporary directory removed on exit. --log and --ollama are set by the demo.

${optionsHelp(process.env)}`;
}
