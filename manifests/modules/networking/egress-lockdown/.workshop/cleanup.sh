#!/usr/bin/env bash
# Undo the egress-lockdown lab: remove the allow-list policy from shop-orders.
set -euo pipefail

if kubectl get namespace shop-orders >/dev/null 2>&1; then
  kubectl delete networkpolicy -n shop-orders egress-allowlist --ignore-not-found
fi
