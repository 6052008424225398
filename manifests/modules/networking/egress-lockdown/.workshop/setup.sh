#!/usr/bin/env bash
# Prepare the egress-lockdown lab: deploy the shop sample application and make
# sure shop-orders starts without any network policy.
set -euo pipefail

root="${LABRUN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)}"

kubectl apply -f "$root/manifests/base-application/shop.yaml"
for ns in shop-ui shop-catalog shop-orders; do
  kubectl delete networkpolicy --all -n "$ns" --ignore-not-found
done
kubectl rollout status -n shop-catalog deployment/catalog --timeout=300s
kubectl rollout status -n shop-orders deployment/orders --timeout=300s
