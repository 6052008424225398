#!/usr/bin/env bash
# Hook for applying egress-allowlist.yaml.
#   before: the orders Deployment is available
#   after:  the policy exists and allows DNS on both UDP and TCP port 53
set -euo pipefail

phase="${1:-}"
tries=10
delay=3

fail() {
  echo "hook-egress-allowlist ($phase): $*" >&2
  exit 1
}

case "$phase" in
  before)
    kubectl get deployment -n shop-orders orders >/dev/null 2>&1 \
      || fail "deployment shop-orders/orders is missing; run prepare-environment networking/egress-lockdown first"
    ;;
  after)
    dns=""
    for ((i = 1; i <= tries; i++)); do
      dns="$(kubectl get networkpolicy -n shop-orders egress-allowlist \
        -o jsonpath='{range .spec.egress[0].ports[*]}{.protocol}/{.port}{" "}{end}' 2>/dev/null || true)"
      [[ -n "$dns" ]] && break
      sleep "$delay"
    done
    [[ -n "$dns" ]] || fail "NetworkPolicy shop-orders/egress-allowlist not found after $tries tries"
    [[ "$dns" == *UDP/53* && "$dns" == *TCP/53* ]] \
      || fail "the first egress rule should allow UDP/53 and TCP/53, it allows: $dns"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
