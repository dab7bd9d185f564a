#!/usr/bin/env bash
# Checks the kit and the cart server with third-party MCP clients (`npm run conformance`, CI):
#   1. builds the kit and the cart server;
#   2. starts the conformance fixture (servers/kit/conformance) and the cart server on ephemeral
#      loopback ports, each with a fresh data directory;
#   3. runs the official conformance suite against the fixture: the 2026-07-28 requirements and
#      the 2025-11-25 requirements, each with its committed expected-failures baseline;
#   4. runs the protocol-only scenarios against the cart server (it has tools only);
#   5. lists and calls cart tools with the MCP Inspector CLI in both protocol eras;
#   6. does 2-5 twice: with the kit's lean path on (the default) and with LEAN_PATH=off.
# The suite and the Inspector need Node 22; both run under a Node 22 fetched from the npm
# registry by npx, without touching the Node that builds the project. Full logs go to
# $CONFORMANCE_REPORT_DIR (default reports/conformance); the terminal gets one line per step.
# Exits non-zero if any step fails.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

NODE22=node@22.23.3
CONFORMANCE=@modelcontextprotocol/conformance@0.2.0-alpha.12
INSPECTOR=@modelcontextprotocol/inspector@2.12.0
REPORT_DIR=${CONFORMANCE_REPORT_DIR:-$ROOT/reports/conformance}
STEP_TIMEOUT=${CONFORMANCE_STEP_TIMEOUT:-600}
BASELINES=servers/kit/conformance

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sessionless-conformance.XXXXXX")
SERVER_PIDS=()
CURRENT_STEP_PID=
STEPS=0
FAILED_STEPS=()
STARTED=$SECONDS

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in {1..50}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  SERVER_PIDS=()
}

cleanup() {
  # A step runs in its own process group (timeout's); end it, then the servers we started.
  [[ -n $CURRENT_STEP_PID ]] && kill -TERM -- "-$CURRENT_STEP_PID" 2>/dev/null
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

strip_ansi() { sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g'; }

# report ok|FAIL "step" "detail" seconds
report() {
  STEPS=$((STEPS + 1))
  [[ $1 == ok ]] || FAILED_STEPS+=("$2")
  printf '%-6s %s%s (%ss)\n' "[$1]" "$2" "${3:+: $3}" "$4"
}

# bounded LOG command...: runs a command with a time limit, all output to LOG; returns its status.
bounded() {
  local log=$1
  shift
  timeout --kill-after=10 "$STEP_TIMEOUT" "$@" >"$log" 2>&1 </dev/null &
  CURRENT_STEP_PID=$!
  wait "$CURRENT_STEP_PID"
  local status=$?
  CURRENT_STEP_PID=
  return $status
}

last_line() { strip_ansi <"$1" | grep -v -e '^npm warn' -e '^\s*$' | tail -n 1 | cut -c1-200; }

# start_server URL_VARIABLE NAME LOG VAR=value... command...: starts a server in the background,
# waits for its "listening" log line and stores the URL it printed.
start_server() {
  local url_variable=$1 name=$2 log=$3
  shift 3
  env "$@" >/dev/null 2>"$log" &
  SERVER_PIDS+=($!)
  local pid=$! started=$SECONDS url=
  while ((SECONDS - started < 30)); do
    url=$(grep '"msg":"listening"' "$log" 2>/dev/null | head -n 1 | sed -E 's/.*"url":"([^"]+)".*/\1/')
    [[ -n $url ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if [[ -z $url ]]; then
    report FAIL "start $name" "no listening line; $(last_line "$log")" $((SECONDS - started))
    return 1
  fi
  report ok "start $name" "$url" $((SECONDS - started))
  printf -v "$url_variable" '%s' "$url"
}

# One line from a suite log: scenarios scored by the requirement set (listed in SCORED, one per
# line), the baseline verdict, and the scenarios run but not scored (extensions, pending).
summarize_suite() { # LOG SCORED
  strip_ansi <"$1" | node -e '
    const fs = require("fs");
    const scored = new Set(fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean));
    const rows = new Map();
    const named = { expected: [], unexpected: [], stale: [] };
    let block = "";
    for (const line of fs.readFileSync(0, "utf8").split("\n")) {
      let m;
      if ((m = /^([✓✗]) (\S+): (\d+) passed, (\d+) failed$/.exec(line))) rows.set(m[2], { ok: m[1] === "✓", p: +m[3], f: +m[4] });
      else if (/^Expected failures/.test(line)) block = "expected";
      else if (/^Unexpected failures \(/.test(line)) block = "unexpected";
      else if (/^Stale baseline entries/.test(line)) block = "stale";
      else if (block && (m = /^\s+[~✓✗] (\S+)$/.exec(line))) named[block].push(m[1]);
    }
    if (rows.size === 0) { console.log("no summary in the log"); process.exit(); }
    const inSet = [...rows].filter(([name]) => scored.has(name));
    const others = [...rows].filter(([name]) => !scored.has(name));
    const failing = new Set([...named.expected, ...named.unexpected]);
    const parts = [
      `${inSet.filter(([name]) => !failing.has(name)).length}/${inSet.length} scored scenarios pass`,
      `${named.expected.length} expected failures`,
      `checks ${inSet.reduce((n, [, r]) => n + r.p, 0)} ok / ${inSet.reduce((n, [, r]) => n + r.f, 0)} failing`,
    ];
    if (others.length) parts.push(`unscored ${others.filter(([, r]) => r.ok).length}/${others.length} clean`);
    if (named.unexpected.length) parts.push(`UNEXPECTED: ${named.unexpected.join(" ")}`);
    if (named.stale.length) parts.push(`STALE (now passing, remove from baseline): ${named.stale.join(" ")}`);
    console.log(parts.join("; "));
  ' "$2"
}

suite() { # NAME URL REQUIREMENTS
  local name=$1-lean-$MODE url=$2 requirements=$3 started=$SECONDS
  local log="$REPORT_DIR/$name.log" scored="$WORK/$name.scored" status=ok
  # The requirement set's server scenarios, to tell scored results from extension/pending ones.
  bounded "$REPORT_DIR/$name.list.log" npx -y -p "$NODE22" -p "$CONFORMANCE" -- conformance list --server \
    --requirements "$requirements"
  strip_ansi <"$REPORT_DIR/$name.list.log" | sed -n '/^Server scenarios/,/^$/s/^  - //p' >"$scored"
  bounded "$log" npx -y -p "$NODE22" -p "$CONFORMANCE" -- conformance server --url "$url" \
    --requirements "$requirements" --expected-failures "$BASELINES/expected-failures.$requirements.yml" \
    -o "$REPORT_DIR/$name" || status=FAIL
  report "$status" "lean $MODE: fixture --requirements $requirements" "$(summarize_suite "$log" "$scored")" \
    $((SECONDS - started))
}

scenario() { # TARGET URL SPEC_VERSION SCENARIO
  local target=$1 url=$2 spec=$3 name=$4 started=$SECONDS
  local log="$REPORT_DIR/lean-$MODE-$target-$spec-$name.log" status=ok detail
  bounded "$log" npx -y -p "$NODE22" -p "$CONFORMANCE" -- conformance server --url "$url" \
    --scenario "$name" --spec-version "$spec" -o "$REPORT_DIR/lean-$MODE-$target-$spec" || status=FAIL
  detail=$(strip_ansi <"$log" | sed -nE 's/^Passed: ([0-9]+)\/([0-9]+), ([0-9]+) failed, ([0-9]+) warnings?$/checks \1\/\2 ok, \4 warnings/p' | tail -n 1)
  report "$status" "lean $MODE: $target $spec $name" "${detail:-$(last_line "$log")}" $((SECONDS - started))
}

inspector() { # ERA LABEL inspector-args...
  local era=$1 label=$2 started=$SECONDS
  shift 2
  local log="$REPORT_DIR/lean-$MODE-inspector-$era-$label.log" status=ok detail
  local out="$REPORT_DIR/lean-$MODE-inspector-$era-$label.json"
  # The Inspector writes ~/.mcp-inspector; give it a scratch HOME but keep the npm cache.
  HOME="$WORK/home" npm_config_cache="$NPM_CACHE" bounded "$log" \
    npx -y -p "$NODE22" -p "$INSPECTOR" -- mcp-inspector --cli "$CART_URL" --protocol-era "$era" \
    --format json --output "$out" "$@" || status=FAIL
  detail=$(node -e '
    try {
      const doc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const result = doc.result ?? doc;
      if (result.tools) console.log(`${result.tools.length} tools`);
      else console.log(String(result.content?.[0]?.text ?? "").split("\n")[0].slice(0, 80));
    } catch {}' "$out" 2>/dev/null)
  report "$status" "lean $MODE: inspector $era $label" "${detail:-$(last_line "$log")}" $((SECONDS - started))
}

rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR" "$WORK/home"
NPM_CACHE=$(npm config get cache 2>/dev/null)
echo "conformance: logs in ${REPORT_DIR#"$ROOT"/}"

started=$SECONDS
if bounded "$REPORT_DIR/build.log" bash -c \
  'node_modules/.bin/tsc -p servers/kit/tsconfig.build.json && node_modules/.bin/tsc -p servers/cart/tsconfig.build.json'; then
  report ok "build kit and cart" "" $((SECONDS - started))
else
  report FAIL "build kit and cart" "$(last_line "$REPORT_DIR/build.log")" $((SECONDS - started))
  exit 1
fi

# Fetching Node 22, the suite and the Inspector is the slow part of a first run; do it up front
# so a registry problem reads as one and step times measure the checks.
started=$SECONDS
if bounded "$REPORT_DIR/tools.log" bash -c \
  'npx -y -p "$0" -p "$1" -- conformance --version && npx -y -p "$0" -p "$2" -- mcp-inspector --version' \
  "$NODE22" "$CONFORMANCE" "$INSPECTOR"; then
  report ok "fetch tools" "$CONFORMANCE, $INSPECTOR on $NODE22" $((SECONDS - started))
else
  report FAIL "fetch tools" "$(last_line "$REPORT_DIR/tools.log")" $((SECONDS - started))
  exit 1
fi

for MODE in on off; do
  FIXTURE_URL= CART_URL=
  start_server FIXTURE_URL "fixture (lean $MODE)" "$REPORT_DIR/lean-$MODE-fixture-server.log" HOST=127.0.0.1 PORT=0 \
    LOG_LEVEL=info LEAN_PATH=$MODE node --import tsx servers/kit/conformance/fixture-server.ts
  start_server CART_URL "cart server (lean $MODE)" "$REPORT_DIR/lean-$MODE-cart-server.log" HOST=127.0.0.1 PORT=0 \
    AUTH_MODE=anonymous DATA_DIR="$WORK/cart-data-$MODE" LOG_LEVEL=info LEAN_PATH=$MODE node servers/cart/dist/main.js

  if [[ -n $FIXTURE_URL ]]; then
    suite fixture-2026-07-28 "$FIXTURE_URL" 2026-07-28
    suite fixture-2025-11-25 "$FIXTURE_URL" 2025-11-25
  fi

  if [[ -n $CART_URL ]]; then
    for name in server-initialize ping tools-list dns-rebinding-protection; do
      scenario cart "$CART_URL" 2025-11-25 "$name"
    done
    # Protocol scenarios of 2026-07-28 that need no fixture names; the two header scenarios
    # exercise the cart's Mcp-Param-* handle headers (SEP-2243).
    for name in tools-list dns-rebinding-protection server-sse-multiple-streams http-header-validation \
      http-custom-header-server-validation input-required-result-unsupported-methods; do
      scenario cart "$CART_URL" 2026-07-28 "$name"
    done

    for era in modern legacy; do
      inspector "$era" tools-list --method tools/list
      inspector "$era" call-search --method tools/call --tool-name cart_search_products --tool-arg query=tea
      inspector "$era" call-create --method tools/call --tool-name cart_create
    done
  fi
  stop_servers
done

elapsed=$((SECONDS - STARTED))
if ((${#FAILED_STEPS[@]} == 0)); then
  echo "conformance: all $STEPS steps ok in ${elapsed}s"
else
  echo "conformance: ${#FAILED_STEPS[@]} of $STEPS steps FAILED in ${elapsed}s: ${FAILED_STEPS[*]}"
  echo "conformance: see ${REPORT_DIR#"$ROOT"/}/*.log"
  exit 1
fi
