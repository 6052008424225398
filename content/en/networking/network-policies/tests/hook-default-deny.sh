#!/usr/bin/env bash
# Hook for applying default-deny.yaml.
#   before: the shop namespaces exist
#   after:  a default-deny NetworkPolicy exists in each of them
set -euo pipefail

phase="${1:-}"
namespaces=(shop-ui shop-catalog shop-orders)
tries=10
delay=3

fail() {
  echo "hook-default-deny ($phase): $*" >&2
  exit 1
}

wait_for_policy() {
  local ns="$1" name="$2" i
  for ((i = 1; i <= tries; i++)); do
    if kubectl get networkpolicy -n "$ns" "$name" >/dev/null 2>&1; then
      return 0
    fi
    sleep "$delay"
  done
  fail "NetworkPolicy $ns/$name not found after $tries tries"
}

case "$phase" in
  before)
    for ns in "${namespaces[@]}"; do
      kubectl get namespace "$ns" >/dev/null 2>&1 \
        || fail "namespace $ns is missing; run prepare-environment networking/network-policies first"
    done
    ;;
  after)
    for ns in "${namespaces[@]}"; do
      wait_for_policy "$ns" default-deny
    done
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
