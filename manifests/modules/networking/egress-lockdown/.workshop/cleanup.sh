#!/usr/bin/env bash
# Undo the egress-lockdown lab: remove the shop sample application that
# setup.sh deployed, and with it the allow-list policy.
set -euo pipefail

kubectl delete namespace shop-ui shop-catalog shop-orders --ignore-not-found --wait=true
