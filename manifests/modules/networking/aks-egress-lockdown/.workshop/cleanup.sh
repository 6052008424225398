#!/usr/bin/env bash
# Undo the aks-egress-lockdown lab: delete its resource group (the firewall,
# the network and the cluster are all in it). Deletion goes on in Azure after
# this script returns.
set -euo pipefail

rg="${RG:-aksegress-rg}"
if [[ "$(az group exists --name "$rg")" == "true" ]]; then
  az group delete --name "$rg" --yes --no-wait
fi
