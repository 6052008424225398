#!/usr/bin/env bash
# Suite hook for the getting-started lab.
#   before: every tool the lab's commands use is installed
#   after:  nothing to undo; the lab removes its own directory
set -euo pipefail

phase="${1:-}"

case "$phase" in
  before)
    missing=()
    for tool in bash cat grep sed printf wc mkdir rm sleep basename; do
      command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if (( ${#missing[@]} > 0 )); then
      echo "hook-suite (before): missing required tools: ${missing[*]}" >&2
      exit 1
    fi
    ;;
  after)
    echo "hook-suite (after): getting-started finished" >&2
    ;;
  *)
    echo "hook-suite: usage: $0 before|after" >&2
    exit 1
    ;;
esac
