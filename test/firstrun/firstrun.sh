#!/usr/bin/env bash
# First run, as a newcomer does it: clone this repository into a temporary folder and run the README's
# commands exactly as written there (install, the command's version, doctor --json, analyze on a log,
# the demo started and stopped with SIGTERM). Run by .ci/run; `npm ci --prefer-offline` reuses npm's cache.
# Usage: test/firstrun/firstrun.sh [REPO]   (default: this checkout; its committed HEAD is what is cloned)
set -euo pipefail
repo="$(cd "${1:-$(dirname "$0")/../..}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ollama-lens-firstrun-XXXXXX")"
demo_pid=""
cleanup() {
  [ -n "$demo_pid" ] && kill -KILL "$demo_pid" 2>/dev/null || true
  # npx keeps a link to the clone in npm's cache (~/.npm/_npx/<hash>): drop ours with the clone.
  grep -l -F "$work" "$(npm config get cache 2>/dev/null || echo "$HOME/.npm")"/_npx/*/package.json 2>/dev/null \
    | while read -r f; do rm -rf "$(dirname "$f")"; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FIRST RUN FAILED: $*" >&2; exit 1; }
step() { echo; echo "--> $*"; }
# npm settings of an enclosing `npm test` must not leak into the clone's npm.
for v in $(env | grep -i '^npm_' | cut -d= -f1); do unset "$v"; done

step "git clone"
git clone --quiet "$repo" "$work/ollama-lens"
cd "$work/ollama-lens"

# The README's commands, read from the README itself so that a changed README is what is tested.
grep -q '^npm ci ' README.md || fail "README no longer shows 'npm ci'"
grep -q '^npx ollama-lens --version' README.md || fail "README no longer shows 'npx ollama-lens --version'"
grep -q '^npx ollama-lens doctor --json' README.md || fail "README no longer shows 'npx ollama-lens doctor --json'"
grep -q '^npx ollama-lens analyze ' README.md || fail "README no longer shows 'npx ollama-lens analyze'"
grep -q '^npm run demo ' README.md || fail "README no longer shows 'npm run demo'"

step "npm ci (README: set up and build)"
npm ci --prefer-offline --no-audit --no-fund || fail "npm ci"
[ -x dist/agent/cli.js ] || fail "npm ci did not leave an executable dist/agent/cli.js"

step "npx ollama-lens --version"
version="$(npx ollama-lens --version)" || fail "npx ollama-lens --version"
[ "$version" = "$(node -p 'require("./package.json").version')" ] || fail "version printed: $version"
echo "$version"

step "npx ollama-lens doctor --json"
# Exit 1 is doctor's answer on a machine without Ollama; the output must still be the JSON facts.
set +e
OLLAMA_HOST=127.0.0.1:9 npx ollama-lens doctor --json >"$work/doctor.json" 2>"$work/doctor.err"
code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 1 ] || fail "doctor exited $code: $(cat "$work/doctor.err")"
node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const k of ["machine", "ollama", "log", "checks", "ok"]) if (!(k in j)) throw new Error("doctor --json lacks " + k); console.log("ok:", j.ok, "checks:", j.checks.length)' "$work/doctor.json" \
  || fail "doctor --json is not the documented JSON"

step "npx ollama-lens analyze (a corpus log: the repository's own, else the shared real logs beside it)"
log="$(ls test/corpus/public/*.log "$repo"/../shared/ollama-logs/*.log 2>/dev/null | head -1 || true)"
[ -n "$log" ] || fail "no corpus log: neither test/corpus/public/*.log nor ../shared/ollama-logs/*.log"
npx ollama-lens analyze "$log" >"$work/report.txt" || fail "analyze $log"
head -5 "$work/report.txt"
npx ollama-lens analyze "$log" --json | node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (!(j.lines > 0)) throw new Error("no lines"); console.log("lines:", j.lines, "requests:", j.requests.length)' \
  || fail "analyze --json"

step "npm run demo, then SIGTERM to npm"
npm run demo -- --port 0 >"$work/demo.out" 2>&1 &
demo_pid=$!
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'dashboard: *http://[0-9.:]*' "$work/demo.out" | grep -o 'http://.*' || true)"
  [ -n "$url" ] && break
  kill -0 "$demo_pid" 2>/dev/null || fail "the demo exited: $(cat "$work/demo.out")"
  sleep 0.5
done
[ -n "$url" ] || fail "the demo printed no dashboard address: $(cat "$work/demo.out")"
curl -fsS "$url/api/health" >/dev/null || fail "the demo's API does not answer at $url"
echo "demo at $url"
kill -TERM "$demo_pid"
for _ in $(seq 1 60); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$demo_pid" 2>/dev/null && fail "npm run demo still runs 30 s after SIGTERM"
wait "$demo_pid" && code=0 || code=$?
demo_pid=""
[ "$code" = 0 ] || fail "npm run demo exited $code after SIGTERM: $(tail -5 "$work/demo.out")"
curl -fsS -m 2 "$url/api/health" >/dev/null 2>&1 && fail "the agent still answers at $url after SIGTERM"
grep -q 'SIGTERM, stopping' "$work/demo.out" || fail "the agent did not see the SIGTERM"

echo
echo "first run OK"
