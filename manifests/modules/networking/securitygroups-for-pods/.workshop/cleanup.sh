#!/usr/bin/env bash
# Undo the securitygroups-for-pods lab: remove the SecurityGroupPolicy, the two
# test workloads and the shop sample application, then destroy the database
# and security groups. ENABLE_POD_ENI stays on: other workloads may use it.
set -euo pipefail

tf_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/terraform"

if kubectl get namespace shop-catalog >/dev/null 2>&1; then
  kubectl delete securitygrouppolicy -n shop-catalog catalog-sync-db-access --ignore-not-found
  kubectl delete deployment -n shop-catalog catalog-sync catalog-audit --ignore-not-found --wait=true
fi
kubectl delete namespace shop-ui shop-catalog shop-orders --ignore-not-found --wait=true

if [[ -f "$tf_dir/terraform.tfstate" ]]; then
  : "${EKS_CLUSTER_NAME:?EKS_CLUSTER_NAME must name the lab cluster}"
  # The branch network interfaces of deleted Pods are released asynchronously;
  # until then the security group cannot be deleted, so retry a few times.
  for attempt in 1 2 3; do
    if terraform -chdir="$tf_dir" destroy -input=false -auto-approve -var "eks_cluster_name=$EKS_CLUSTER_NAME"; then
      exit 0
    fi
    echo "cleanup: terraform destroy failed (attempt $attempt of 3), retrying in 30s" >&2
    sleep 30
  done
  echo "cleanup: could not destroy the lab's AWS resources" >&2
  exit 1
fi
