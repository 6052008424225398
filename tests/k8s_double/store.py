"""The objects of the API double, their history for watches, and the hooks
through which the simulated cluster's controllers (cluster.py) react to
writes."""

import base64
import copy
import datetime
import threading
import uuid

import cluster
from api import BY_KIND, ApiError, field_matcher, label_matcher, not_found, now

class Store:
    def __init__(self, controller_delay=0.0, cluster_name="labrun", time_scale=1.0, seed=True):
        self.lock = threading.RLock()
        self.objects = {}  # (api_version, kind, namespace, name) -> object
        self.rv = 0
        self.controller_delay = controller_delay
        # Simulated seconds (a probe's timeout) times this are slept for real.
        self.time_scale = time_scale
        # (resourceVersion, event type, object) for watches, oldest first.
        self.log = []
        # (method, path, status) of every API request, for tests that must
        # know what a client has already asked (GET /_double/requests).
        self.requests = []
        # (namespace, pod, container) -> log lines (`kubectl logs`).
        self.pod_logs = {}
        self.sim = cluster.Simulation(self, cluster_name)
        for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self.create(BY_KIND[("v1", "Namespace")], None, {"metadata": {"name": ns}})
        if seed:
            self.sim.seed()

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
            if kind.kind == "Pod":
                self.sim.admit_pod(obj)
            self.objects[key] = obj
            self.record("ADDED", obj)
            self.sim.after_write(kind, obj)
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
            self.sim.after_write(kind, obj)
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
            self.sim.after_delete(obj)
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
                self.sim.after_delete(obj)

    def defaults(self, kind, obj):
        meta = obj["metadata"]
        if kind.kind == "Namespace":
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        elif kind.kind in ("Deployment", "DaemonSet"):
            spec = obj.setdefault("spec", {})
            if kind.kind == "Deployment":
                spec.setdefault("replicas", 1)
                spec.setdefault("strategy", {"type": "RollingUpdate"})
            else:
                spec.setdefault("updateStrategy", {"type": "RollingUpdate"})
            obj.setdefault("status", {})
        elif kind.kind == "Secret":
            for k, v in (obj.pop("stringData", None) or {}).items():
                obj.setdefault("data", {})[k] = base64.b64encode(v.encode()).decode()
            obj.setdefault("type", "Opaque")
        elif kind.kind == "Pod" and not obj.get("status"):
            self.sim.schedule_pod(obj)
        elif kind.kind == "Service":
            spec = obj.setdefault("spec", {})
            spec.setdefault("type", "ClusterIP")
            if not spec.get("clusterIP"):
                spec["clusterIP"] = self.sim.service_ip()
            spec.setdefault("clusterIPs", [spec["clusterIP"]])

    def objects_of(self, api_version, kind, namespace=None):
        """Live objects of a kind (not copies: callers hold the lock)."""
        return [
            o
            for (av, k, ns, _), o in self.objects.items()
            if av == api_version and k == kind and (namespace is None or ns == namespace)
        ]

    def append_log(self, pod, container, line):
        with self.lock:
            key = (pod["metadata"].get("namespace"), pod["metadata"]["name"], container)
            lines = self.pod_logs.setdefault(key, [])
            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y/%m/%d %H:%M:%S")
            lines.append(f"{stamp} {line}")
            del lines[:-1000]
