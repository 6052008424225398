#!/usr/bin/env bash
# Prepare the securitygroups-for-pods lab:
#   - deploy the shop sample application
#   - make sure the VPC CNI hands out branch network interfaces (ENABLE_POD_ENI)
#   - create the catalog database and its security groups with Terraform
set -euo pipefail

root="${LABRUN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)}"
tf_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/terraform"

: "${EKS_CLUSTER_NAME:?EKS_CLUSTER_NAME must name the lab cluster}"
command -v terraform >/dev/null 2>&1 || { echo "setup: terraform is required for this lab" >&2; exit 1; }

kubectl apply -f "$root/manifests/base-application/shop.yaml"
# Start from open traffic, even if an earlier lab left network policies behind:
# they would keep the Pods from reaching the database regardless of security groups.
for ns in shop-ui shop-catalog shop-orders; do
  kubectl delete networkpolicy --all -n "$ns" --ignore-not-found
done
kubectl rollout status -n shop-catalog deployment/catalog --timeout=300s

current="$(kubectl get daemonset -n kube-system aws-node \
  -o jsonpath='{.spec.template.spec.containers[?(@.name=="aws-node")].env[?(@.name=="ENABLE_POD_ENI")].value}')"
if [[ "$current" != "true" ]]; then
  kubectl set env daemonset -n kube-system aws-node -c aws-node ENABLE_POD_ENI=true
  kubectl rollout status -n kube-system daemonset/aws-node --timeout=600s
fi

terraform -chdir="$tf_dir" init -input=false
terraform -chdir="$tf_dir" apply -input=false -auto-approve -var "eks_cluster_name=$EKS_CLUSTER_NAME"
