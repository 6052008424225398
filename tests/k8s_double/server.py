#!/usr/bin/env python3
"""A simulated Kubernetes cluster (an API double) for labrun's tests, and for
trying the bundled networking labs without a cloud account.

    python3 tests/k8s_double/server.py --write-kubeconfig /tmp/sim.kubeconfig

serves until Ctrl-C, and writes a kubeconfig for it once it answers. Tests
start it without --write-kubeconfig: it prints `PORT <n>` once listening and
exits when its standard input closes (the test that started it is gone) or
after --max-seconds.

It serves enough of the Kubernetes REST API, as JSON over plain HTTP on
127.0.0.1, for the real kubectl (1.20 to 1.32; `exec` needs 1.30 or later)
to discover, get, list (label and field selectors, all namespaces), watch,
create, apply (client- and server-side), patch (merge, JSON, strategic
merge), scale and delete objects, `exec` into Pods (WebSocket
v5.channel.k8s.io, websocket.py) and read their `logs`. It is not part of
labrun, and never contacts anything: it only listens on 127.0.0.1.

The modules:
  * api.py: kinds (Namespace, Node, Pod, Service, Endpoints, ConfigMap,
    Secret, ServiceAccount, Event, Deployment, DaemonSet, NetworkPolicy,
    SecurityGroupPolicy), errors, label and field selectors;
  * store.py: the objects, watch history, garbage collection;
  * cluster.py: the simulated EKS cluster: seeded kube-system (CoreDNS,
    kube-dns, aws-node), scheduling, Deployment and DaemonSet rollouts,
    Endpoints;
  * netpol.py: which connections the NetworkPolicies in force allow;
  * probes.py: what `curl`, `nc`, `pg_isready` print when run with
    `kubectl exec`, following from the model;
  * aws.py: security groups, the lab's database and Terraform module,
    security groups for Pods, and the `aws`/`terraform` stand-ins in bin/;
  * tables.py: the Tables `kubectl get` prints (READY, STATUS, AGE, …);
  * patch.py, protobuf.py: request bodies kubectl sends.
"""

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import probes
import tables
import websocket
from api import ALL_CATEGORY, BY_KIND, BY_PATH, KIND_LIST, VERBS, ApiError, field_matcher, label_matcher
from patch import json_patch, merge_patch, strategic_merge_patch
from protobuf import PROTOBUF_MAGIC, decode_protobuf_object
from store import Store

# ---------------------------------------------------------------- HTTP


def discovery_resources(group, version):
    resources = []
    for k in KIND_LIST:
        if k.group == group and k.version == version:
            resources.append(
                {
                    "name": k.plural,
                    "singularName": k.kind.lower(),
                    "namespaced": k.namespaced,
                    "kind": k.kind,
                    "verbs": VERBS,
                    "shortNames": k.short,
                    **({"categories": ["all"]} if k.kind in ALL_CATEGORY else {}),
                }
            )
    return resources


def groups():
    seen = {}
    for k in KIND_LIST:
        if k.group:
            seen.setdefault(k.group, k.version)
    return seen


def openapi_group_versions():
    return ["api/v1"] + [f"apis/{g}/{v}" for g, v in groups().items()]


def openapi_document(gv):
    """An OpenAPI v3 document for one group/version. It carries only what
    kubectl looks for before applying: which PATCH operations accept
    `fieldValidation` (so validation happens server side, where the double
    accepts everything) and one permissive schema per kind."""
    paths, schemas = {}, {}
    for k in KIND_LIST:
        prefix = "api/v1" if not k.group else f"apis/{k.group}/{k.version}"
        if prefix != gv:
            continue
        gvk = {"group": k.group, "version": k.version, "kind": k.kind}
        ns = "/namespaces/{namespace}" if k.namespaced else ""
        paths[f"/{gv}{ns}/{k.plural}/{{name}}"] = {
            "patch": {
                "x-kubernetes-group-version-kind": gvk,
                "x-kubernetes-action": "patch",
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in ("dryRun", "fieldManager", "fieldValidation", "force")
                ],
                "responses": {"200": {"description": "OK"}},
            }
        }
        schemas[f"double.{k.group or 'core'}.{k.version}.{k.kind}"] = {
            "type": "object",
            "x-kubernetes-group-version-kind": [gvk],
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes API double", "version": "v1.32.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


PATH_RE = re.compile(
    r"^/(?:api/(?P<core_v>v1)|apis/(?P<group>[^/]+)/(?P<version>[^/]+))"
    r"(?:/namespaces/(?P<ns>[^/]+)(?=/))?"
    r"/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?(?:/(?P<sub>status|scale|exec|log))?/?$"
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "k8s-double/1"
    store = None
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("double: " + (fmt % args) + "\n")

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        # Read every request's body, whatever the method: a DELETE carries
        # DeleteOptions, and bytes left unread would be taken for the next
        # request on the kept-alive connection.
        n = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(n) if n else b""

    def body(self):
        raw = self.raw_body
        if not raw:
            return {}
        if raw.startswith(PROTOBUF_MAGIC):
            return decode_protobuf_object(raw)
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(415, "UnsupportedMediaType", "the double only understands JSON bodies")

    def handle_any(self, method):
        try:
            self.read_body()
            url = urlsplit(self.path)
            self.query_all = parse_qs(url.query)
            query = {k: v[-1] for k, v in self.query_all.items()}
            code, body = self.route(method, url.path, query)
            if code is not None:
                self.note(method, url.path, code)
                self.send_json(code, body)
        except ApiError as e:
            self.note(method, self.path.split("?")[0], e.code)
            self.send_json(e.code, e.status())
        except Exception as e:  # a bug in the double must show, not hang kubectl
            self.send_json(500, ApiError(500, "InternalError", f"double: {e!r}").status())

    def scale(self, kind, ns, name, method):
        store = self.store
        if kind.kind != "Deployment":
            raise ApiError(404, "NotFound", f"{kind.plural} have no scale subresource")
        with store.lock:
            dep = store.get(kind, ns, name)
            if method in ("PATCH", "PUT"):
                replicas = (self.body().get("spec") or {}).get("replicas")
                if replicas is not None:
                    dep["spec"]["replicas"] = int(replicas)
                    dep = store.replace(kind, ns, name, dep)
            elif method != "GET":
                raise ApiError(405, "MethodNotAllowed", f"{method} is not allowed on scale")
            return 200, {
                "kind": "Scale",
                "apiVersion": "autoscaling/v1",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"replicas": dep["spec"].get("replicas", 1)},
                "status": {"replicas": dep.get("status", {}).get("replicas", 0)},
            }

    def serve_watch(self, kind, ns, query):
        """Streams change events as chunked JSON lines, like the API server,
        until timeoutSeconds (at most 60) pass or the client goes away."""
        store = self.store
        labels_ok = label_matcher(query.get("labelSelector"))
        fields_ok = field_matcher(query.get("fieldSelector"))
        since = query.get("resourceVersion") or "0"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def send(event, obj):
            obj = self.maybe_table(kind, [obj], obj["metadata"].get("resourceVersion", ""), obj)
            data = json.dumps({"type": event, "object": obj}).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        try:
            if since == "0":
                current = store.list(kind, ns, query.get("labelSelector"), query.get("fieldSelector"))
                for obj in current["items"]:
                    send("ADDED", obj)
                rv = int(current["metadata"]["resourceVersion"])
            else:
                rv = int(since)
            deadline = time.monotonic() + min(float(query.get("timeoutSeconds") or 60), 60)
            while time.monotonic() < deadline:
                for r, event, obj in store.events_after(kind, ns, rv, labels_ok, fields_ok):
                    send(event, obj)
                    rv = r
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def maybe_table(self, kind, objects, resource_version, plain):
        """What `kubectl get` prints asks for a Table; everything else (and
        `-o json|yaml|jsonpath`) for the objects themselves (`plain`)."""
        if not tables.wants_table(self.headers.get("Accept")):
            return plain
        include = parse_qs(urlsplit(self.path).query).get("includeObject", ["Metadata"])[-1]
        return tables.table(kind, objects, resource_version, include)

    def container_of(self, pod, query):
        containers = pod.get("spec", {}).get("containers") or []
        names = [c.get("name") for c in containers]
        name = query.get("container")
        if not name:
            if len(containers) != 1:
                raise ApiError(
                    400,
                    "BadRequest",
                    f"a container name must be specified for pod {pod['metadata']['name']}, "
                    f"choose one of: [{' '.join(names)}]",
                )
            name = names[0]
        for c in containers:
            if c.get("name") == name:
                return c
        raise ApiError(400, "BadRequest", f"container {name} is not valid for pod {pod['metadata']['name']}")

    def serve_exec(self, ns, name, query):
        """`kubectl exec`: runs the command in the simulated container
        (probes.py) and streams its output over a WebSocket (websocket.py)."""
        store = self.store
        pod = store.get(BY_KIND[("v1", "Pod")], ns, name)
        container = self.container_of(pod, query)
        if (self.headers.get("Upgrade") or "").lower() != "websocket":
            raise ApiError(
                400,
                "BadRequest",
                "the API double serves exec over WebSocket (v5.channel.k8s.io) only: use kubectl 1.30 or later",
            )
        protocol = websocket.choose_protocol(self.headers.get("Sec-WebSocket-Protocol"))
        if protocol is None:
            raise ApiError(400, "BadRequest", "exec needs the WebSocket subprotocol v5.channel.k8s.io")
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", websocket.accept_key(self.headers.get("Sec-WebSocket-Key", "")))
        self.send_header("Sec-WebSocket-Protocol", protocol)
        self.end_headers()
        self.note("GET", self.path.split("?")[0], 101)
        self.close_connection = True
        conn = websocket.ChannelConnection(self.rfile, self.wfile)
        try:
            result = probes.run(store.sim.network(), pod, container, self.query_all.get("command", []))
        except Exception as e:  # a bug in the double must show in kubectl, not garble the stream
            result = f"double: {e!r}"
        if isinstance(result, str):
            status = {"metadata": {}, "status": "Failure", "message": result, "reason": "InternalError", "code": 500}
        else:
            # The command "takes" its simulated time, unless kubectl goes away.
            # Never less than a moment: kubectl registers its streams after
            # the handshake, and a frame that comes first is "unknown stream
            # id" to it (a real container is never that quick to print).
            if conn.gone.wait(max(result.seconds * store.time_scale, 0.05)):
                return None, None
            if query.get("stdout") == "true":
                conn.send(websocket.STDOUT, result.stdout.encode())
            if query.get("stderr") == "true":
                conn.send(websocket.STDERR, result.stderr.encode())
            status = {"metadata": {}, "status": "Success"}
            if result.code != 0:
                status = {
                    "metadata": {},
                    "status": "Failure",
                    "message": f"command terminated with non-zero exit code: exit status {result.code}",
                    "reason": "NonZeroExitCode",
                    "details": {"causes": [{"reason": "ExitCode", "message": str(result.code)}]},
                }
        conn.send(websocket.ERROR, json.dumps(status).encode())
        conn.close(1000)
        conn.gone.wait(2)
        return None, None

    def serve_log(self, ns, name, query):
        """`kubectl logs`: what the simulated container wrote (http-echo logs
        each request it answers). `follow` returns what is there."""
        store = self.store
        pod = store.get(BY_KIND[("v1", "Pod")], ns, name)
        container = self.container_of(pod, query)
        with store.lock:
            lines = list(store.pod_logs.get((ns, name, container["name"]), []))
        tail = query.get("tailLines")
        if tail is not None and tail.lstrip("-").isdigit() and int(tail) >= 0:
            lines = lines[len(lines) - int(tail) :] if int(tail) else []
        data = "".join(line + "\n" for line in lines).encode()
        self.note("GET", self.path.split("?")[0], 200)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None, None

    def cli(self, tool, request):
        """The test-only `aws` and `terraform` in bin/ send their arguments
        here; the AWS model (aws.py) answers."""
        store = self.store
        argv = request.get("argv") or []
        with store.lock:
            if tool == "aws":
                out, err, code = store.sim.aws.cli(argv)
                files = {}
            elif tool == "terraform":
                out, err, code, files = store.sim.aws.terraform(
                    argv, request.get("main_tf"), bool(request.get("initialized")), request.get("state")
                )
            else:
                raise ApiError(404, "NotFound", f"the double simulates aws and terraform, not {tool}")
        return {"stdout": out, "stderr": err, "code": code, "files": files}

    def note(self, method, path, code):
        if not path.startswith("/_double/"):
            with self.store.lock:
                self.store.requests.append([method, path, code])
                del self.store.requests[:-10000]

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def route(self, method, path, query):
        store = self.store
        path = path.rstrip("/") or "/"
        if method == "POST" and path.startswith("/_double/cli/"):
            return 200, self.cli(path.rsplit("/", 1)[1], self.body())
        if method == "GET":
            if path == "/version":
                return 200, {
                    "major": "1",
                    "minor": "32",
                    "gitVersion": "v1.32.0-double",
                    "platform": "linux/amd64",
                }
            if path == "/_double/requests":
                with store.lock:
                    return 200, list(store.requests)
            if path in ("/healthz", "/readyz", "/livez"):
                return 200, "ok"
            if path == "/api":
                return 200, {
                    "kind": "APIVersions",
                    "versions": ["v1"],
                    "serverAddressByClientCIDRs": [
                        {"clientCIDR": "0.0.0.0/0", "serverAddress": self.headers.get("Host", "")}
                    ],
                }
            if path == "/api/v1":
                return 200, {
                    "kind": "APIResourceList",
                    "groupVersion": "v1",
                    "resources": discovery_resources("", "v1"),
                }
            if path == "/apis":
                return 200, {
                    "kind": "APIGroupList",
                    "apiVersion": "v1",
                    "groups": [
                        {
                            "name": g,
                            "versions": [{"groupVersion": f"{g}/{v}", "version": v}],
                            "preferredVersion": {"groupVersion": f"{g}/{v}", "version": v},
                        }
                        for g, v in groups().items()
                    ],
                }
            if path == "/openapi/v2":
                # Older kubectl (Debian's 1.20) validates with OpenAPI v2, as
                # protobuf. An empty document is a valid one: kubectl then
                # skips client-side validation and uses its built-in patch
                # metadata, which is all the double needs.
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None, None
            if path == "/openapi/v3":
                return 200, {
                    "paths": {
                        gv: {"serverRelativeURL": f"/openapi/v3/{gv}?hash=double"}
                        for gv in openapi_group_versions()
                    }
                }
            if path.startswith("/openapi/v3/"):
                gv = path[len("/openapi/v3/") :]
                if gv in openapi_group_versions():
                    return 200, openapi_document(gv)
            m = re.match(r"^/apis/([^/]+)/([^/]+)$", path)
            if m and groups().get(m.group(1)) == m.group(2):
                return 200, {
                    "kind": "APIResourceList",
                    "apiVersion": "v1",
                    "groupVersion": f"{m.group(1)}/{m.group(2)}",
                    "resources": discovery_resources(m.group(1), m.group(2)),
                }
        m = PATH_RE.match(path)
        if not m:
            raise ApiError(404, "NotFound", f"the server could not find the requested resource ({path})")
        group = m.group("group") or ""
        version = m.group("core_v") or m.group("version")
        kind = BY_PATH.get((group, version, m.group("plural")))
        if kind is None:
            raise ApiError(404, "NotFound", f"the server could not find the requested resource ({path})")
        ns, name = m.group("ns"), m.group("name")
        if kind.namespaced is False and ns is not None:
            raise ApiError(404, "NotFound", f"the server could not find the requested resource ({path})")
        if method == "GET" and name is None:
            if query.get("watch") in ("true", "1"):
                self.serve_watch(kind, ns, query)
                return None, None
            found = store.list(kind, ns, query.get("labelSelector"), query.get("fieldSelector"))
            return 200, self.maybe_table(kind, found["items"], found["metadata"]["resourceVersion"], found)
        if m.group("sub") == "scale":
            return self.scale(kind, ns, name, method)
        if m.group("sub") == "exec" and kind.kind == "Pod":
            return self.serve_exec(ns, name, query)
        if m.group("sub") == "log" and kind.kind == "Pod" and method == "GET":
            return self.serve_log(ns, name, query)
        if method == "GET" and m.group("sub") is None:
            obj = store.get(kind, ns, name)
            return 200, self.maybe_table(kind, [obj], obj["metadata"].get("resourceVersion", ""), obj)
        if method == "GET":
            return 200, store.get(kind, ns, name)
        if method == "POST" and name is None:
            return 201, store.create(kind, ns, self.body())
        if method == "PUT" and name is not None:
            return 200, store.replace(kind, ns, name, self.body())
        if method == "PATCH" and name is not None:
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            patch = self.body()
            with store.lock:
                try:
                    current = store.get(kind, ns, name)
                except ApiError as e:
                    if ctype == "application/apply-patch+yaml" and e.code == 404:
                        patch.setdefault("metadata", {})["name"] = name
                        return 201, store.create(kind, ns, patch)
                    raise
                if ctype == "application/json-patch+json":
                    merged = json_patch(current, patch)
                elif ctype == "application/strategic-merge-patch+json":
                    merged = strategic_merge_patch(current, patch)
                else:
                    merged = merge_patch(current, patch)
                if m.group("sub") == "status":
                    current["status"] = merged.get("status")
                    merged = current
                return 200, store.replace(kind, ns, name, merged)
        if method == "DELETE" and name is not None:
            return 200, store.delete(kind, ns, name)
        raise ApiError(405, "MethodNotAllowed", f"{method} is not allowed on {path}")


KUBECONFIG_MARKER = "# Written by tests/k8s_double/server.py for its simulated cluster."


def kubeconfig_text(url, name):
    return f"""{KUBECONFIG_MARKER}
apiVersion: v1
kind: Config
clusters:
- name: {name}
  cluster:
    server: {url}
contexts:
- name: {name}
  context:
    cluster: {name}
    user: {name}
    namespace: default
users:
- name: {name}
  user: {{}}
current-context: {name}
"""


def serve_person(server, store, args):
    """Foreground mode: write the kubeconfig once the server answers, then
    serve until Ctrl-C (or SIGTERM)."""
    path = os.path.abspath(args.write_kubeconfig)
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            if KUBECONFIG_MARKER not in f.read():
                print(
                    f"server.py: {path} exists and was not written by this server; "
                    "give a new path (it will not overwrite your own kubeconfig)",
                    file=sys.stderr,
                )
                return 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with urllib.request.urlopen(url + "/version", timeout=10) as r:
        r.read()
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".kubeconfig-")
    with os.fdopen(fd, "w") as f:
        f.write(kubeconfig_text(url, f"{store.sim.aws.cluster_name}-simulated"))
    os.replace(tmp, path)
    bin_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin")
    print(
        f"Simulated cluster {store.sim.aws.cluster_name} answers at {url}\n"
        f"  export KUBECONFIG={path}\n"
        f"  # for the securitygroups-for-pods lab, the test-only aws and terraform:\n"
        f"  export PATH={bin_dir}:$PATH EKS_CLUSTER_NAME={store.sim.aws.cluster_name}\n"
        "Ctrl-C stops it.",
        flush=True,
    )

    def stop(signum, frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell starting it in the background ignores SIGINT, and
    # Python then does not turn it into KeyboardInterrupt by itself.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    server.shutdown()
    print("Simulated cluster stopped.", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(
        description="A simulated Kubernetes cluster (API double) on 127.0.0.1 for labrun's tests and labs."
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free one)")
    parser.add_argument(
        "--write-kubeconfig",
        metavar="PATH",
        help="serve in the foreground until Ctrl-C, and write a kubeconfig for the cluster to PATH once it answers",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="real seconds per simulated second (a probe's timeout; default 1, tests use 0)",
    )
    parser.add_argument("--cluster-name", default="labrun", help="the EKS cluster name it simulates")
    parser.add_argument("--controller-delay", type=float, default=0.0, help="seconds before workloads roll out")
    parser.add_argument("--max-seconds", type=float, help="stop after this long (tests; default 900 without --write-kubeconfig)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()

    store = Store(args.controller_delay, args.cluster_name, args.time_scale)
    Handler.store = store
    Handler.verbose = args.verbose
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.max_seconds is not None or not args.write_kubeconfig:
        timer = threading.Timer(args.max_seconds or 900.0, server.shutdown)
        timer.daemon = True
        timer.start()
    if args.write_kubeconfig:
        sys.exit(serve_person(server, store, args))
    print(f"PORT {server.server_address[1]}", flush=True)

    def stop_when_parent_goes():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        server.shutdown()

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
