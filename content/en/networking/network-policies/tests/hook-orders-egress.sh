#!/usr/bin/env bash
# Hook for applying orders-egress-fixed.yaml.
#   before: the broken orders-egress policy from earlier on the page exists
#   after:  the policy allows DNS and selects the catalog Pods by their real label
set -euo pipefail

phase="${1:-}"
tries=10
delay=3

fail() {
  echo "hook-orders-egress ($phase): $*" >&2
  exit 1
}

case "$phase" in
  before)
    kubectl get networkpolicy -n shop-orders orders-egress >/dev/null 2>&1 \
      || fail "orders-egress is missing in shop-orders; apply orders-egress.yaml first"
    ;;
  after)
    for ((i = 1; i <= tries; i++)); do
      ports="$(kubectl get networkpolicy -n shop-orders orders-egress \
        -o jsonpath='{.spec.egress[*].ports[*].port}' 2>/dev/null || true)"
      target="$(kubectl get networkpolicy -n shop-orders orders-egress \
        -o jsonpath='{.spec.egress[1].to[0].podSelector.matchLabels.app\.kubernetes\.io/name}' 2>/dev/null || true)"
      if [[ "$ports" == *53* && "$target" == catalog ]]; then
        exit 0
      fi
      sleep "$delay"
    done
    fail "orders-egress should allow port 53 and select app.kubernetes.io/name=catalog; found ports '${ports:-}' and selector '${target:-}'"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
