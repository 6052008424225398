#!/usr/bin/env bash
# Undo the network-policies lab: remove every NetworkPolicy from the shop
# namespaces so that the next lab starts with open traffic.
set -euo pipefail

for ns in shop-ui shop-catalog shop-orders; do
  if kubectl get namespace "$ns" >/dev/null 2>&1; then
    kubectl delete networkpolicy --all -n "$ns" --ignore-not-found
  fi
done
