#!/usr/bin/env bash
# Undo the network-policies lab: remove the shop sample application that
# setup.sh deployed, and with its namespaces every policy the lab applied.
# The next lab's setup deploys the application again.
set -euo pipefail

kubectl delete namespace shop-ui shop-catalog shop-orders --ignore-not-found --wait=true
