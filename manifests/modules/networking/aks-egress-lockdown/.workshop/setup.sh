#!/usr/bin/env bash
# Prepare the aks-egress-lockdown lab: the Azure CLI must be signed in, and
# the firewall commands come from the azure-firewall extension.
set -euo pipefail

if ! az account show --query name --output tsv >/dev/null 2>&1; then
  echo "the Azure CLI is not signed in: run 'az login' (and 'az account set --subscription ...') first" >&2
  exit 1
fi
az extension add --name azure-firewall --upgrade --only-show-errors
