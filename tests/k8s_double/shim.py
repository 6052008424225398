"""The client half of the test-only `aws` and `terraform` in bin/: sends the
command line to the simulated cluster that the current kubeconfig points at,
prints its answer and exits with its code. Terraform's files (state, lock
file) are written in its working directory, as the real tool does."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request


def server_url():
    kubectl = os.environ.get("LABRUN_KUBECTL") or "kubectl"
    out = subprocess.run(
        [kubectl, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(f"no cluster in the kubeconfig: {out.stderr.strip()}")
    return out.stdout.strip()


def call(tool, argv, extra=None):
    try:
        url = server_url() + "/_double/cli/" + tool
        body = json.dumps({"argv": argv, **(extra or {})}).encode()
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            answer = json.load(r)
    except (RuntimeError, OSError, ValueError, urllib.error.URLError) as e:
        print(f"{tool} (simulated): cannot reach the simulated cluster: {e}", file=sys.stderr)
        return 255, {}
    sys.stdout.write(answer.get("stdout", ""))
    sys.stderr.write(answer.get("stderr", ""))
    return answer.get("code", 1), answer.get("files") or {}


def aws_main():
    code, _ = call("aws", sys.argv[1:])
    return code


def terraform_main():
    argv = sys.argv[1:]
    workdir = "."
    for a in argv:
        if a.startswith("-chdir="):
            workdir = a[len("-chdir=") :]
    main_tf = None
    path = os.path.join(workdir, "main.tf")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            main_tf = f.read()
    state_path = os.path.join(workdir, "terraform.tfstate")
    state = None
    if os.path.isfile(state_path):
        with open(state_path, encoding="utf-8") as f:
            state = f.read()
    extra = {
        "main_tf": main_tf,
        "initialized": os.path.isdir(os.path.join(workdir, ".terraform")),
        "state": state,
    }
    code, files = call("terraform", argv, extra)
    for name, text in files.items():
        target = os.path.join(workdir, name)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        tmp = target + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    return code
