"""The vocabulary of the API double: the kinds it serves, API errors, and
label and field selectors."""

import datetime
import re

KINDS = [
    ("", "v1", "Namespace", "namespaces", False, ["ns"]),
    ("", "v1", "Pod", "pods", True, ["po"]),
    ("", "v1", "Service", "services", True, ["svc"]),
    ("", "v1", "ConfigMap", "configmaps", True, ["cm"]),
    ("", "v1", "Secret", "secrets", True, []),
    ("", "v1", "ServiceAccount", "serviceaccounts", True, ["sa"]),
    ("", "v1", "Event", "events", True, ["ev"]),
    ("", "v1", "Endpoints", "endpoints", True, ["ep"]),
    ("", "v1", "Node", "nodes", False, ["no"]),
    ("apps", "v1", "Deployment", "deployments", True, ["deploy"]),
    ("apps", "v1", "DaemonSet", "daemonsets", True, ["ds"]),
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
ALL_CATEGORY = ("Pod", "Service", "Deployment", "DaemonSet")

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


def field_value(obj, path):
    """The value at a dotted path (`status.phase`), as a field selector
    compares it: text, or "" when absent."""
    value = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def field_matcher(selector):
    """Field selectors on any dotted path: `metadata.name`, `status.phase`,
    `involvedObject.name`, `spec.nodeName`. (The API server allows a few per
    kind; the double accepts them all.)"""
    tests = []
    for req in split_top(selector or ""):
        neg = "!=" in req
        k, v = (s.strip() for s in re.split(r"!=|==?", req, maxsplit=1))
        tests.append(lambda o, k=k, v=v, neg=neg: (field_value(o, k) == v) != neg)
    return lambda obj: all(t(obj) for t in tests)
