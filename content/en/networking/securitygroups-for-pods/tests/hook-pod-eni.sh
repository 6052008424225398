#!/usr/bin/env bash
# Hook for restarting catalog-sync after the SecurityGroupPolicy was applied.
#   before: the SecurityGroupPolicy exists
#   after:  a new catalog-sync Pod carries a branch network interface annotation
set -euo pipefail

phase="${1:-}"
tries=20
delay=6

fail() {
  echo "hook-pod-eni ($phase): $*" >&2
  exit 1
}

case "$phase" in
  before)
    kubectl get securitygrouppolicy -n shop-catalog catalog-sync-db-access >/dev/null 2>&1 \
      || fail "SecurityGroupPolicy shop-catalog/catalog-sync-db-access is missing; apply it first"
    ;;
  after)
    for ((i = 1; i <= tries; i++)); do
      eni="$(kubectl get pod -n shop-catalog -l app.kubernetes.io/name=catalog-sync \
        --field-selector=status.phase=Running \
        -o jsonpath='{.items[*].metadata.annotations.vpc\.amazonaws\.com/pod-eni}' 2>/dev/null || true)"
      if [[ "$eni" == *'"eniId"'* ]]; then
        exit 0
      fi
      sleep "$delay"
    done
    fail "no running catalog-sync Pod has the vpc.amazonaws.com/pod-eni annotation after $tries tries; is ENABLE_POD_ENI=true set on the aws-node DaemonSet?"
    ;;
  *)
    fail "usage: $0 before|after"
    ;;
esac
