#!/usr/bin/env python3
"""A small Kubernetes API double for labrun's end-to-end tests.

It serves just enough of the Kubernetes REST API, as JSON over plain HTTP on
127.0.0.1, for the real `kubectl` to discover resources, get and list them
(label and field selectors, all namespaces), and create, replace, patch, apply
and delete them. It is not part of labrun: no cluster can run on the test
machines, and this keeps the tests honest about talking to kubectl.

What it models:
  * discovery: /version, /api, /api/v1, /apis, /apis/<group>/<version>
    (legacy documents; kubectl falls back to them from aggregated discovery);
  * kinds: Namespace, Pod, Service, ConfigMap, Secret, ServiceAccount, Event,
    Deployment (apps/v1), NetworkPolicy (networking.k8s.io/v1) and one
    CRD-like kind, SecurityGroupPolicy (vpcresources.k8s.aws/v1beta1);
  * a namespace gets the label kubernetes.io/metadata.name, a `default`
    ServiceAccount and a `kube-root-ca.crt` ConfigMap, as real controllers do;
  * a Deployment controller: the template's Pods (owned by the Deployment, no
    ReplicaSet in between), an Event, and the Available condition, after
    --controller-delay seconds;
  * garbage collection: deleting an owner deletes what it owns, deleting a
    namespace deletes its objects;
  * PATCH: JSON merge patch (RFC 7386) for merge, strategic-merge and apply
    patches (lists are replaced, which is all the tests need); server-side
    apply creates a missing object.

It never contacts anything; it only listens on 127.0.0.1. It prints
`PORT <n>` once listening, and exits when its standard input closes (the test
that started it is gone) or after --max-seconds.
"""

import argparse
import base64
import copy
import datetime
import json
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# (group, version, kind, plural, namespaced, short names)
KINDS = [
    ("", "v1", "Namespace", "namespaces", False, ["ns"]),
    ("", "v1", "Pod", "pods", True, ["po"]),
    ("", "v1", "Service", "services", True, ["svc"]),
    ("", "v1", "ConfigMap", "configmaps", True, ["cm"]),
    ("", "v1", "Secret", "secrets", True, []),
    ("", "v1", "ServiceAccount", "serviceaccounts", True, ["sa"]),
    ("", "v1", "Event", "events", True, ["ev"]),
    ("apps", "v1", "Deployment", "deployments", True, ["deploy"]),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True, ["netpol"]),
    (
        "vpcresources.k8s.aws",
        "v1beta1",
        "SecurityGroupPolicy",
        "securitygrouppolicies",
        True,
        ["sgp"],
    ),
]

# Kinds that `kubectl get all` lists.
ALL_CATEGORY = ("Pod", "Service", "Deployment")

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


class Kind:
    def __init__(self, group, version, kind, plural, namespaced, short):
        self.group, self.version, self.kind = group, version, kind
        self.plural, self.namespaced, self.short = plural, namespaced, short

    @property
    def api_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    def qualified(self):
        return f"{self.plural}.{self.group}" if self.group else self.plural


KIND_LIST = [Kind(*k) for k in KINDS]
BY_PATH = {(k.group, k.version, k.plural): k for k in KIND_LIST}
BY_KIND = {(k.api_version, k.kind): k for k in KIND_LIST}


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details or {}

    def status(self):
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "details": self.details,
            "code": self.code,
        }


def not_found(kind, name):
    return ApiError(
        404,
        "NotFound",
        f'{kind.qualified()} "{name}" not found',
        {"name": name, "group": kind.group, "kind": kind.plural},
    )


# ---------------------------------------------------------------- selectors


def split_top(text):
    """Splits a selector on commas that are not inside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


SET_RE = re.compile(r"^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$")


def label_matcher(selector):
    """Compiles a Kubernetes label selector into a predicate over label maps."""
    tests = []
    for req in split_top(selector or ""):
        m = SET_RE.match(req)
        if m:
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            if op == "in":
                tests.append(lambda l, k=key, vs=values: l.get(k) in vs)
            else:
                tests.append(lambda l, k=key, vs=values: l.get(k) not in vs)
        elif "!=" in req:
            k, v = (s.strip() for s in req.split("!=", 1))
            tests.append(lambda l, k=k, v=v: l.get(k) != v)
        elif "==" in req or "=" in req:
            k, v = (s.strip() for s in re.split(r"==?", req, maxsplit=1))
            tests.append(lambda l, k=k, v=v: l.get(k) == v)
        elif req.startswith("!"):
            k = req[1:].strip()
            tests.append(lambda l, k=k: k not in l)
        elif re.match(r"^[A-Za-z0-9./_-]+$", req):
            tests.append(lambda l, k=req: k in l)
        else:
            raise ApiError(400, "BadRequest", f"unable to parse requirement: {req!r}")
    return lambda labels: all(t(labels or {}) for t in tests)


def field_matcher(selector):
    tests = []
    for req in split_top(selector or ""):
        neg = "!=" in req
        k, v = (s.strip() for s in re.split(r"!=|==?", req, maxsplit=1))
        if k not in ("metadata.name", "metadata.namespace"):
            raise ApiError(400, "BadRequest", f'field label not supported: {k}')
        field = k.split(".", 1)[1]
        tests.append(lambda o, f=field, v=v, neg=neg: (o["metadata"].get(f) == v) != neg)
    return lambda obj: all(t(obj) for t in tests)


# ---------------------------------------------------------------- patches


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


def json_patch(target, ops):
    """RFC 6902 for the operations `kubectl patch --type json` users write."""
    doc = copy.deepcopy(target)

    def walk(path):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        return parent, parts[-1]

    for op in ops:
        parent, key = walk(op["path"])
        if isinstance(parent, list):
            key = len(parent) if key == "-" else int(key)
        if op["op"] in ("add", "replace"):
            if isinstance(parent, list) and op["op"] == "add":
                parent.insert(key, op["value"])
            else:
                parent[key] = op["value"]
        elif op["op"] == "remove":
            del parent[key]
        else:
            raise ApiError(422, "Invalid", f"unsupported json patch op {op['op']}")
    return doc


# ---------------------------------------------------------------- protobuf

# kubectl's typed commands (`kubectl create namespace`, `create configmap`, …)
# send Kubernetes protobuf: the magic, then a runtime.Unknown wrapping the
# object. The double decodes what those commands set: metadata (name,
# generateName, namespace, labels, annotations) and ConfigMap/Secret data.
PROTOBUF_MAGIC = b"k8s\x00"


def proto_fields(buf):
    """Yields (field number, wire type, value) of one protobuf message."""
    i = 0

    def varint():
        nonlocal i
        shift = result = 0
        while True:
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    while i < len(buf):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 2:
            n = varint()
            yield field, wire, buf[i : i + n]
            i += n
        elif wire == 1:
            yield field, wire, buf[i : i + 8]
            i += 8
        elif wire == 5:
            yield field, wire, buf[i : i + 4]
            i += 4
        else:
            raise ApiError(400, "BadRequest", f"double: unsupported protobuf wire type {wire}")


def proto_map_entry(buf):
    key = value = b""
    for f, _, v in proto_fields(buf):
        if f == 1:
            key = v
        elif f == 2:
            value = v
    return key.decode(), value


def proto_meta(buf):
    meta = {}
    for g, _, w in proto_fields(buf):
        if g in (1, 2, 3) and w:
            meta[("name", "generateName", "namespace")[g - 1]] = w.decode()
        elif g in (11, 12):
            k, val = proto_map_entry(w)
            meta.setdefault("labels" if g == 11 else "annotations", {})[k] = val.decode()
    return meta


def proto_pod_template(buf):
    template = {"metadata": {}, "spec": {"containers": []}}
    for f, _, v in proto_fields(buf):
        if f == 1:
            template["metadata"] = proto_meta(v)
        elif f == 2:
            for g, _, w in proto_fields(v):
                if g == 2:
                    container = {}
                    for h, _, x in proto_fields(w):
                        if h in (1, 2):
                            container["name" if h == 1 else "image"] = x.decode()
                    template["spec"]["containers"].append(container)
    return template


def proto_deployment_spec(buf):
    spec = {}
    for f, _, v in proto_fields(buf):
        if f == 1:
            spec["replicas"] = v
        elif f == 2:
            labels = {}
            for g, _, w in proto_fields(v):
                if g == 1:
                    k, val = proto_map_entry(w)
                    labels[k] = val.decode()
            spec["selector"] = {"matchLabels": labels}
        elif f == 3:
            spec["template"] = proto_pod_template(v)
    return spec


def decode_protobuf_object(raw):
    type_meta, inner = {}, b""
    for f, _, v in proto_fields(raw[len(PROTOBUF_MAGIC) :]):
        if f == 1:
            for g, _, w in proto_fields(v):
                type_meta["apiVersion" if g == 1 else "kind"] = w.decode()
        elif f == 2:
            inner = v
    kind = type_meta.get("kind")
    obj = dict(type_meta)
    for f, _, v in proto_fields(inner):
        if f == 1:
            obj["metadata"] = proto_meta(v)
        elif f == 2 and kind in ("ConfigMap", "Secret"):
            k, val = proto_map_entry(v)
            if kind == "Secret":
                val = base64.b64encode(val)
            obj.setdefault("data", {})[k] = val.decode()
        elif f == 2 and kind == "Deployment":
            obj["spec"] = proto_deployment_spec(v)
        elif f == 3 and kind == "Secret":
            obj["type"] = v.decode()
        elif f == 4 and kind == "Secret":
            k, val = proto_map_entry(v)
            obj.setdefault("stringData", {})[k] = val.decode()
    return obj


# ---------------------------------------------------------------- the store


class Store:
    def __init__(self, controller_delay):
        self.lock = threading.RLock()
        self.objects = {}  # (api_version, kind, namespace, name) -> object
        self.rv = 0
        self.controller_delay = controller_delay
        # (resourceVersion, event type, object) for watches, oldest first.
        self.log = []
        # (method, path, status) of every API request, for tests that must
        # know what a client has already asked (GET /_double/requests).
        self.requests = []
        for ns in ("default", "kube-system", "kube-public"):
            self.create(BY_KIND[("v1", "Namespace")], None, {"metadata": {"name": ns}})

    def record(self, event, obj):
        self.log.append((self.rv, event, copy.deepcopy(obj)))
        del self.log[:-5000]

    def events_after(self, kind, namespace, rv, labels_ok, fields_ok):
        with self.lock:
            return [
                (r, e, o)
                for r, e, o in self.log
                if r > rv
                and o["apiVersion"] == kind.api_version
                and o["kind"] == kind.kind
                and (namespace is None or o["metadata"].get("namespace") == namespace)
                and labels_ok(o["metadata"].get("labels"))
                and fields_ok(o)
            ]

    def next_rv(self):
        self.rv += 1
        return str(self.rv)

    def key(self, kind, namespace, name):
        return (kind.api_version, kind.kind, namespace if kind.namespaced else None, name)

    def get(self, kind, namespace, name):
        with self.lock:
            obj = self.objects.get(self.key(kind, namespace, name))
            if obj is None:
                raise not_found(kind, name)
            return copy.deepcopy(obj)

    def list(self, kind, namespace, label_selector, field_selector):
        labels_ok = label_matcher(label_selector)
        fields_ok = field_matcher(field_selector)
        with self.lock:
            items = [
                copy.deepcopy(o)
                for (av, k, ns, _), o in sorted(self.objects.items(), key=lambda e: str(e[0]))
                if av == kind.api_version
                and k == kind.kind
                and (namespace is None or ns == namespace)
                and labels_ok(o["metadata"].get("labels"))
                and fields_ok(o)
            ]
            return {
                "kind": kind.kind + "List",
                "apiVersion": kind.api_version,
                "metadata": {"resourceVersion": str(self.rv)},
                "items": items,
            }

    def check_namespace(self, kind, namespace):
        if kind.namespaced:
            if (BY_KIND[("v1", "Namespace")].api_version, "Namespace", None, namespace) not in self.objects:
                raise ApiError(
                    404,
                    "NotFound",
                    f'namespaces "{namespace}" not found',
                    {"name": namespace, "kind": "namespaces"},
                )

    def prepare(self, kind, namespace, body, name=None):
        obj = copy.deepcopy(body) if isinstance(body, dict) else {}
        obj["apiVersion"], obj["kind"] = kind.api_version, kind.kind
        meta = obj.setdefault("metadata", {})
        if name is not None:
            meta.setdefault("name", name)
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        if not meta.get("name"):
            raise ApiError(422, "Invalid", f"{kind.kind} is invalid: metadata.name: Required value")
        if kind.namespaced:
            body_ns = meta.get("namespace")
            if body_ns and namespace and body_ns != namespace:
                raise ApiError(
                    400,
                    "BadRequest",
                    "the namespace of the provided object does not match the namespace sent on the request",
                )
            meta["namespace"] = namespace or body_ns or "default"
        else:
            meta.pop("namespace", None)
        return obj

    def create(self, kind, namespace, body):
        with self.lock:
            obj = self.prepare(kind, namespace, body)
            meta = obj["metadata"]
            self.check_namespace(kind, meta.get("namespace"))
            key = self.key(kind, meta.get("namespace"), meta["name"])
            if key in self.objects:
                raise ApiError(
                    409,
                    "AlreadyExists",
                    f'{kind.qualified()} "{meta["name"]}" already exists',
                    {"name": meta["name"], "group": kind.group, "kind": kind.plural},
                )
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now()
            meta["generation"] = 1
            meta["resourceVersion"] = self.next_rv()
            self.defaults(kind, obj)
            self.objects[key] = obj
            self.record("ADDED", obj)
            self.after_write(kind, obj)
            return copy.deepcopy(obj)

    def replace(self, kind, namespace, name, body):
        with self.lock:
            old = self.get(kind, namespace, name)
            obj = self.prepare(kind, namespace, body, name)
            meta = obj["metadata"]
            for k in ("uid", "creationTimestamp"):
                meta[k] = old["metadata"][k]
            changed = obj.get("spec") != old.get("spec")
            meta["generation"] = old["metadata"].get("generation", 1) + (1 if changed else 0)
            meta["resourceVersion"] = self.next_rv()
            if "status" in old:
                obj["status"] = old["status"]
            self.defaults(kind, obj)
            self.objects[self.key(kind, namespace, name)] = obj
            self.record("MODIFIED", obj)
            self.after_write(kind, obj)
            return copy.deepcopy(obj)

    def delete(self, kind, namespace, name):
        with self.lock:
            key = self.key(kind, namespace, name)
            obj = self.objects.pop(key, None)
            if obj is None:
                raise not_found(kind, name)
            self.next_rv()
            self.record("DELETED", obj)
            self.collect(obj)
            return obj

    def collect(self, owner):
        """Deletes what an object owns, and a namespace's contents."""
        uid = owner["metadata"]["uid"]
        is_ns = owner["kind"] == "Namespace"
        for key, obj in list(self.objects.items()):
            owned = any(r.get("uid") == uid for r in obj["metadata"].get("ownerReferences", []))
            inside = is_ns and key[2] == owner["metadata"]["name"]
            if (owned or inside) and key in self.objects:
                del self.objects[key]
                self.next_rv()
                self.record("DELETED", obj)
                self.collect(obj)

    def defaults(self, kind, obj):
        meta = obj["metadata"]
        if kind.kind == "Namespace":
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        elif kind.kind == "Deployment":
            spec = obj.setdefault("spec", {})
            spec.setdefault("replicas", 1)
            obj.setdefault("status", {})
        elif kind.kind == "Secret":
            for k, v in (obj.pop("stringData", None) or {}).items():
                obj.setdefault("data", {})[k] = base64.b64encode(v.encode()).decode()
            obj.setdefault("type", "Opaque")
        elif kind.kind == "Pod" and not obj.get("status"):
            # What the scheduler and kubelet would make of it, at once.
            obj["status"] = {
                "phase": "Running",
                "podIP": "10.0.0.%d" % (self.rv % 250 + 2),
                "conditions": [{"type": "Ready", "status": "True"}],
            }
        elif kind.kind == "Service":
            spec = obj.setdefault("spec", {})
            spec.setdefault("type", "ClusterIP")
            spec.setdefault("clusterIP", "10.96.0.%d" % (self.rv % 250 + 2))

    def after_write(self, kind, obj):
        if kind.kind == "Namespace":
            self.seed_namespace(obj["metadata"]["name"])
        elif kind.kind == "Deployment":
            ns, name = obj["metadata"]["namespace"], obj["metadata"]["name"]
            if self.controller_delay > 0:
                t = threading.Timer(self.controller_delay, self.reconcile, (ns, name))
                t.daemon = True
                t.start()
            else:
                self.reconcile(ns, name)

    def seed_namespace(self, ns):
        for kind_key, body in (
            (("v1", "ServiceAccount"), {"metadata": {"name": "default"}}),
            (
                ("v1", "ConfigMap"),
                {"metadata": {"name": "kube-root-ca.crt"}, "data": {"ca.crt": "double"}},
            ),
        ):
            kind = BY_KIND[kind_key]
            if self.key(kind, ns, body["metadata"]["name"]) not in self.objects:
                self.create(kind, ns, body)

    def reconcile(self, ns, name):
        """What the Deployment and ReplicaSet controllers would do, at once."""
        deploy_kind, pod_kind = BY_KIND[("apps/v1", "Deployment")], BY_KIND[("v1", "Pod")]
        with self.lock:
            key = self.key(deploy_kind, ns, name)
            dep = self.objects.get(key)
            if dep is None:
                return
            uid = dep["metadata"]["uid"]
            template = dep["spec"].get("template", {})
            labels = template.get("metadata", {}).get("labels", {})
            want = int(dep["spec"].get("replicas", 1))
            mine = [
                o
                for k, o in self.objects.items()
                if k[1] == "Pod"
                and k[2] == ns
                and any(r.get("uid") == uid for r in o["metadata"].get("ownerReferences", []))
            ]
            for pod in mine[want:]:
                self.delete(pod_kind, ns, pod["metadata"]["name"])
            for _ in range(len(mine), want):
                pod = {
                    "metadata": {
                        "name": f"{name}-{uuid.uuid4().hex[:10]}-{uuid.uuid4().hex[:5]}",
                        "labels": dict(labels),
                        "ownerReferences": [
                            {
                                "apiVersion": "apps/v1",
                                "kind": "Deployment",
                                "name": name,
                                "uid": uid,
                                "controller": True,
                                "blockOwnerDeletion": True,
                            }
                        ],
                    },
                    "spec": copy.deepcopy(template.get("spec", {})),
                }
                self.create(pod_kind, ns, pod)
            self.create(
                BY_KIND[("v1", "Event")],
                ns,
                {
                    "metadata": {"generateName": name + "."},
                    "involvedObject": {"kind": "Deployment", "name": name, "namespace": ns},
                    "reason": "ScalingReplicaSet",
                    "message": f"Scaled {name} to {want}",
                    "type": "Normal",
                },
            )
            dep["status"] = {
                "observedGeneration": dep["metadata"].get("generation", 1),
                "replicas": want,
                "readyReplicas": want,
                "availableReplicas": want,
                "updatedReplicas": want,
                "conditions": [
                    {
                        "type": "Available",
                        "status": "True" if want > 0 else "False",
                        "reason": "MinimumReplicasAvailable",
                        "message": "Deployment has minimum availability.",
                    },
                    {
                        "type": "Progressing",
                        "status": "True",
                        "reason": "NewReplicaSetAvailable",
                        "message": f'ReplicaSet "{name}" has successfully progressed.',
                    },
                ],
            }
            dep["metadata"]["resourceVersion"] = self.next_rv()
            self.record("MODIFIED", dep)


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
    r"/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?(?:/(?P<sub>status|scale))?/?$"
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
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
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
            return 200, store.list(
                kind, ns, query.get("labelSelector"), query.get("fieldSelector")
            )
        if m.group("sub") == "scale":
            return self.scale(kind, ns, name, method)
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
                else:
                    merged = merge_patch(current, patch)
                if m.group("sub") == "status":
                    current["status"] = merged.get("status")
                    merged = current
                return 200, store.replace(kind, ns, name, merged)
        if method == "DELETE" and name is not None:
            return 200, store.delete(kind, ns, name)
        raise ApiError(405, "MethodNotAllowed", f"{method} is not allowed on {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--controller-delay", type=float, default=0.0)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    Handler.store = Store(args.controller_delay)
    Handler.verbose = args.verbose
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)

    def stop_when_parent_goes():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        server.shutdown()

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever()


if __name__ == "__main__":
    main()
