#!/usr/bin/env bash
# Hook for applying ingress-rules.yaml.
#   before: the default-deny policies are in place
#   after:  catalog-ingress and orders-ingress exist and the catalog rule admits both callers
set -euo pipefail

phase="${1:-}"
tries=10
delay=3

fail() {
  echo "hook-ingress-rules ($phase): $*" >&2
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
    for ns in shop-catalog shop-orders; do
      kubectl get networkpolicy -n "$ns" default-deny >/dev/null 2>&1 \
        || fail "default-deny is missing in $ns; apply default-deny.yaml first"
    done
    ;;
  after)
    wait_for_policy shop-catalog catalog-ingress
    wait_for_policy shop-orders orders-ingress
    peers="$(kubectl get networkpolicy -n shop-catalog catalog-ingress \
      -o jsonpath='{range .spec.ingress[0].from[*]}{.namespaceSelector.matchLabels.kubernetes\.io/metadata\.name}{" "}{end}')"
    [[ "$peers" == *shop-ui* && "$peers" == *shop-orders* ]] \
      || fail "catalog-ingress should admit shop-ui and shop-orders, found: ${peers:-nothing}"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
