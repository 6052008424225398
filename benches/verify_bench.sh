#!/usr/bin/env bash
# Benchmark: `labrun verify` on the 12 expectations of the fixture lab's first
# page, against the same 12 checks written the way bash hooks do them (one
# kubectl call after the other). Both run against the Kubernetes API double
# on 127.0.0.1; the figure to read is the ratio, measured in the same run.
#
#   bash benches/verify_bench.sh [runs]        (default: 7 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"

cargo build --release --quiet
labrun="$PWD/target/release/labrun"
fixture="$PWD/tests/fixtures/verify"
work="$(mktemp -d)"
exec 3> >(python3 tests/k8s_double/server.py > "$work/port")
trap 'exec 3>&-; rm -rf "$work"' EXIT
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
port="$(awk '{print $2}' "$work/port")"
cat > "$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: double, cluster: {server: "http://127.0.0.1:$port"}}]
contexts: [{name: double, context: {cluster: double, user: nobody}}]
users: [{name: nobody, user: {}}]
current-context: double
KC
export KUBECONFIG="$work/kubeconfig" KUBECACHEDIR="$work/cache" NO_COLOR=1
export LABRUN_ROOT="$fixture"
kubectl create namespace shop >/dev/null
kubectl apply -f "$fixture/manifests/netlab/policy.yaml" >/dev/null
kubectl create deployment web --image=nginx --replicas=2 -n shop >/dev/null

# The baseline: the same checks as a bash hook would make them.
bash_checks() {
  local np="networkpolicy default-deny -n shop"
  kubectl get namespace shop -o name >/dev/null
  [[ "$(kubectl get namespace shop -o jsonpath='{.metadata.labels.kubernetes\.io/metadata\.name}')" == shop ]]
  [[ "$(kubectl get $np -o jsonpath='{.spec.policyTypes}')" == '["Ingress","Egress"]' ]]
  [[ "$(kubectl get $np -o jsonpath='{.spec.policyTypes[0]}')" == Ingress ]]
  [[ "$(kubectl get $np -o jsonpath='{.spec.policyTypes}')" == *Egress* ]]
  [[ "$(kubectl get $np -o jsonpath='{.spec.egress[*].ports[*].port}')" == 53 ]]
  [[ "$(kubectl get $np -o jsonpath='{.metadata.name}')" == default-* ]]
  [[ "$(kubectl get networkpolicy -A -o name | wc -l)" -eq 1 ]]
  [[ "$(kubectl get deployment web -n shop -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" == True ]]
  [[ "$(kubectl get pods -n shop -l app=web -o name | wc -l)" -eq 2 ]]
  [[ "$(kubectl get pods -n shop -l 'app in (web,api),!canary' -o jsonpath='{.items[*].status.phase}')" == "Running Running" ]]
  [[ -z "$(kubectl get pods -n shop -l app=api -o name)" ]]
}

labrun_checks() {
  "$labrun" --config "$fixture/labrun.yaml" verify netlab --page index >/dev/null
}

# Median wall time in milliseconds of `runs` runs of a function.
median_ms() {
  local f="$1" times=() start end
  "$f" # warm the discovery cache
  for _ in $(seq "$runs"); do
    start=$(date +%s%N); "$f"; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

base=$(median_ms bash_checks)
ours=$(median_ms labrun_checks)
echo "12 expectations, median of $runs runs:"
echo "  bash hook, sequential kubectl calls: ${base} ms (baseline 1.00)"
awk -v b="$base" -v o="$ours" 'BEGIN {printf "  labrun verify (declarative):        %d ms (%.2f of the baseline, %.1fx faster)\n", o, o/b, b/o}'
