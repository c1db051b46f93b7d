# Sourced by scripts/package-python and scripts/package-npm: runs the
# installed `canonical-finance` the way a user would and checks what it does.
#
#   smoke_test LABEL ROOT VERSION COMMAND...
#
# COMMAND... is how the installed tool is called (the venv's script, or
# `npx canonical-finance`). Checks, each with its exit status and output:
#   --version                          exit 0, prints "canonical-finance VERSION"
#   validate a valid example (file)    exit 0, a report with "valid": true
#   validate the same example (stdin)  exit 0, the same report (stdin passes through)
#   validate an invalid fixture        exit 1, a report with "valid": false
#                                      and the JSON Pointer of the bad amount
#   an unknown entity                  exit 2, an error on stderr
# Prints one line per check with --verbose (smoke_verbose=1); on failure
# prints what was run, the exit status and both outputs, and returns 1.

smoke_run() {
  # smoke_run STDIN_FILE COMMAND... -> sets smoke_status; output in $smoke_dir
  local stdin="$1"
  shift
  set +e
  "$@" <"$stdin" >"$smoke_dir/stdout" 2>"$smoke_dir/stderr"
  smoke_status=$?
  set -e
}

smoke_fail() {
  echo "$smoke_label: FAIL: $1"
  echo "  ran: ${smoke_cmd[*]}"
  echo "  exit status: $smoke_status"
  echo "  stdout:"
  head -c 2000 "$smoke_dir/stdout" | sed 's/^/    /'
  echo "  stderr:"
  head -c 2000 "$smoke_dir/stderr" | sed 's/^/    /'
  return 1
}

smoke_check() {
  # smoke_check DESCRIPTION EXPECTED_STATUS STDOUT_PATTERN STDERR_PATTERN STDIN_FILE ARGS...
  local what="$1" want="$2" out_pattern="$3" err_pattern="$4" stdin="$5"
  shift 5
  smoke_cmd=("${smoke_prefix[@]}" "$@")
  smoke_run "$stdin" "${smoke_cmd[@]}"
  if [[ "$smoke_status" != "$want" ]]; then
    smoke_fail "$what: expected exit status $want" || return 1
  fi
  if [[ -n "$out_pattern" ]] && ! grep -Eq -- "$out_pattern" "$smoke_dir/stdout"; then
    smoke_fail "$what: stdout does not match /$out_pattern/" || return 1
  fi
  if [[ -n "$err_pattern" ]] && ! grep -Eq -- "$err_pattern" "$smoke_dir/stderr"; then
    smoke_fail "$what: stderr does not match /$err_pattern/" || return 1
  fi
  if ((${smoke_verbose:-0})); then echo "  ok: $what (exit $smoke_status)"; fi
}

smoke_test() {
  smoke_label="$1"
  local root="$2" version="$3"
  shift 3
  smoke_prefix=("$@")
  smoke_dir="$(mktemp -d)"
  local valid="$root/schemas/examples/invoice/eur_two_vat_rates_discount.json"
  local invalid="$root/tests/fixtures/schema/invalid/invoice/amount_decimal_comma.json"
  local rc=0
  {
    smoke_check "--version" 0 "^canonical-finance ${version//./\\.}\$" "" /dev/null --version &&
      smoke_check "validate a valid invoice" 0 '"valid": ?true' "" /dev/null \
        validate --entity invoice "$valid" &&
      smoke_check "validate a valid invoice from stdin" 0 '"valid": ?true' "" "$valid" \
        validate --entity invoice - &&
      smoke_check "validate an invalid invoice" 1 \
        '"valid": ?false.*"path": ?"/lines/0/unit_price/amount"' "" /dev/null \
        validate --entity invoice "$invalid" &&
      smoke_check "an unknown entity" 2 "" "invalid value 'bogus'" /dev/null \
        validate --entity bogus "$valid"
  } || rc=1
  rm -rf "$smoke_dir"
  return "$rc"
}
