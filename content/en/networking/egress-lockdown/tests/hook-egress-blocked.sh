#!/usr/bin/env bash
# Hook for the blocked outbound request.
#   before: the allow-list policy is in place
#   after:  the request failed while connecting, not while resolving the name
set -euo pipefail

phase="${1:-}"

fail() {
  echo "hook-egress-blocked ($phase): $*" >&2
  exit 1
}

case "$phase" in
  before)
    kubectl get networkpolicy -n shop-orders egress-allowlist >/dev/null 2>&1 \
      || fail "NetworkPolicy shop-orders/egress-allowlist is missing"
    ;;
  after)
    output="${TEST_OUTPUT:-}"
    if [[ "$output" == *"Resolving timed out"* || "$output" == *"Could not resolve host"* ]]; then
      fail "name resolution failed, so DNS is blocked as well; output was: $output"
    fi
    [[ "$output" == *"Connection timed out"* || "$output" == *"Failed to connect"* ]] \
      || fail "expected a connection timeout from curl; output was: ${output:-<empty>}"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
