#!/usr/bin/env bash
# Hook for applying ui-egress.yaml.
#   before: nothing to check
#   after:  the policy exists, allows DNS on port 53, and kubectl reported it
set -euo pipefail

phase="${1:-}"
tries=10
delay=3

fail() {
  echo "hook-ui-egress ($phase): $*" >&2
  exit 1
}

case "$phase" in
  before)
    ;;
  after)
    [[ "${TEST_OUTPUT:-}" =~ networkpolicy.networking.k8s.io/ui-egress\ (created|configured|unchanged) ]] \
      || fail "kubectl apply did not report ui-egress; output was: ${TEST_OUTPUT:-<empty>}"
    ports=""
    for ((i = 1; i <= tries; i++)); do
      ports="$(kubectl get networkpolicy -n shop-ui ui-egress \
        -o jsonpath='{.spec.egress[0].ports[*].port}' 2>/dev/null || true)"
      [[ -n "$ports" ]] && break
      sleep "$delay"
    done
    [[ -n "$ports" ]] || fail "NetworkPolicy shop-ui/ui-egress not found after $tries tries"
    [[ "$ports" == *53* ]] || fail "ui-egress should allow port 53 for DNS, first rule allows: $ports"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
