#!/usr/bin/env bash
# Hook for the "greeting" block of the getting-started lab.
#   before: the notes file from the first page exists and no greeting was written yet
#   after:  greeting.txt holds the greeting, and the block printed it
set -euo pipefail

phase="${1:-}"
expected="Hello, labrun!"

fail() {
  echo "hook-greeting ($phase): $*" >&2
  exit 1
}

# Locate the lab directory: the exported LAB_DIR when the hook runs inside the
# lab's shell, otherwise the greetings directory below the current directory.
lab_dir="${LAB_DIR:-}"
if [[ -z "$lab_dir" ]]; then
  if [[ -d "$PWD/greetings" ]]; then
    lab_dir="$PWD/greetings"
  else
    lab_dir="$PWD"
  fi
fi

case "$phase" in
  before)
    [[ -d "$lab_dir" ]] || fail "lab directory $lab_dir does not exist; run the first page of the lab first"
    [[ -f "$lab_dir/notes.txt" ]] || fail "expected $lab_dir/notes.txt from the first page, but it is missing"
    [[ ! -e "$lab_dir/greeting.txt" ]] || fail "$lab_dir/greeting.txt already exists before the block ran"
    ;;
  after)
    [[ -f "$lab_dir/greeting.txt" ]] || fail "the block should have created $lab_dir/greeting.txt"
    content="$(cat "$lab_dir/greeting.txt")"
    [[ "$content" == "$expected" ]] || fail "greeting.txt contains '$content', expected '$expected'"
    [[ "${TEST_OUTPUT:-}" == *"$expected"* ]] || fail "block output does not contain '$expected'; it was: ${TEST_OUTPUT:-<empty>}"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
