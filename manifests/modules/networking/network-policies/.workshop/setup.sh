#!/usr/bin/env bash
# Prepare the network-policies lab: deploy the shop sample application with no
# network policies in place, and wait until every component is ready.
set -euo pipefail

root="${LABRUN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)}"
namespaces=(shop-ui shop-catalog shop-orders)

kubectl apply -f "$root/manifests/base-application/shop.yaml"

# Start from open traffic, even if an earlier attempt left policies behind.
for ns in "${namespaces[@]}"; do
  kubectl delete networkpolicy --all -n "$ns" --ignore-not-found
done

kubectl rollout status -n shop-ui deployment/ui --timeout=300s
kubectl rollout status -n shop-catalog deployment/catalog --timeout=300s
kubectl rollout status -n shop-orders deployment/orders --timeout=300s

# Network policies are only enforced when the VPC CNI network policy agent is enabled.
if kubectl get daemonset -n kube-system aws-node >/dev/null 2>&1; then
  args="$(kubectl get daemonset -n kube-system aws-node \
    -o jsonpath='{.spec.template.spec.containers[?(@.name=="aws-network-policy-agent")].args}')"
  if [[ "$args" != *"--enable-network-policy=true"* ]]; then
    echo "warning: the VPC CNI network policy agent does not look enabled; policies may not be enforced" >&2
  fi
fi
