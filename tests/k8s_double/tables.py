"""Server-side printing: the `meta.k8s.io/v1` Table that `kubectl get` asks
for (`Accept: application/json;as=Table;…`), with the columns the API server
prints for each kind, so that `kubectl get pods` shows READY, STATUS and AGE
as on a real cluster. Columns with priority 1 are what `-o wide` adds.
Kinds without columns of their own get NAME and AGE, as custom resources
without printer columns do."""

import datetime


def human_duration(seconds):
    """k8s.io/apimachinery's HumanDuration: 45s, 3m21s, 14m, 5h3m, 2d3h, 90d."""
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = seconds // 3600
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        d = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if d == 0 else f"{hours // 24 // 365}y{d}d"
    return f"{hours // 24 // 365}y"


def age(obj, now):
    stamp = obj["metadata"].get("creationTimestamp")
    if not stamp:
        return "<unknown>"
    created = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return human_duration(int((now - created).total_seconds()))


def selector_text(selector):
    """A LabelSelector as kubectl prints it; `<none>` when empty."""
    parts = [f"{k}={v}" for k, v in sorted((selector or {}).get("matchLabels", {}).items())]
    for e in (selector or {}).get("matchExpressions") or []:
        op, values = e.get("operator"), ",".join(e.get("values") or [])
        if op == "In":
            parts.append(f"{e['key']} in ({values})")
        elif op == "NotIn":
            parts.append(f"{e['key']} notin ({values})")
        elif op == "Exists":
            parts.append(e["key"])
        else:
            parts.append(f"!{e['key']}")
    return ",".join(parts) or "<none>"


def map_text(labels):
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items())) or "<none>"


def containers_and_images(obj):
    cs = obj.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def pod_row(o, now):
    st = o.get("status") or {}
    statuses = st.get("containerStatuses") or []
    total = len(o.get("spec", {}).get("containers") or [])
    ready = sum(1 for c in statuses if c.get("ready"))
    phase = "Terminating" if o["metadata"].get("deletionTimestamp") else st.get("phase", "Pending")
    restarts = sum(c.get("restartCount", 0) for c in statuses)
    return [
        o["metadata"]["name"], f"{ready}/{total}", phase, restarts, age(o, now),
        st.get("podIP") or "<none>", o.get("spec", {}).get("nodeName") or "<none>", "<none>", "<none>",
    ]


def deployment_row(o, now):
    st, spec = o.get("status") or {}, o.get("spec") or {}
    names, images = containers_and_images(o)
    return [
        o["metadata"]["name"], f"{st.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        st.get("updatedReplicas", 0), st.get("availableReplicas", 0), age(o, now),
        names, images, selector_text(spec.get("selector")),
    ]


def daemonset_row(o, now):
    st, spec = o.get("status") or {}, o.get("spec") or {}
    names, images = containers_and_images(o)
    node_selector = spec.get("template", {}).get("spec", {}).get("nodeSelector")
    return [
        o["metadata"]["name"], st.get("desiredNumberScheduled", 0), st.get("currentNumberScheduled", 0),
        st.get("numberReady", 0), st.get("updatedNumberScheduled", 0), st.get("numberAvailable", 0),
        map_text(node_selector), age(o, now), names, images, selector_text(spec.get("selector")),
    ]


def service_row(o, now):
    spec = o.get("spec") or {}
    ports = ",".join(
        f"{p.get('port')}{':' + str(p['nodePort']) if p.get('nodePort') else ''}/{p.get('protocol', 'TCP')}"
        for p in spec.get("ports") or []
    )
    return [
        o["metadata"]["name"], spec.get("type", "ClusterIP"), spec.get("clusterIP") or "<none>",
        "<none>", ports or "<none>", age(o, now), map_text(spec.get("selector")),
    ]


def endpoints_row(o, now):
    addrs = [
        f"{a['ip']}:{p.get('port')}"
        for s in o.get("subsets") or []
        for p in s.get("ports") or [{}]
        for a in s.get("addresses") or []
    ]
    shown = ",".join(addrs[:3]) + (f" + {len(addrs) - 3} more..." if len(addrs) > 3 else "")
    return [o["metadata"]["name"], shown or "<none>", age(o, now)]


def node_row(o, now):
    st = o.get("status") or {}
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or [])
    addr = {a["type"]: a["address"] for a in st.get("addresses") or []}
    info = st.get("nodeInfo") or {}
    return [
        o["metadata"]["name"], "Ready" if ready else "NotReady", "<none>", age(o, now),
        info.get("kubeletVersion", ""), addr.get("InternalIP", "<none>"), addr.get("ExternalIP", "<none>"),
        info.get("osImage", ""), info.get("kernelVersion", ""), info.get("containerRuntimeVersion", ""),
    ]


def event_row(o, now):
    inv = o.get("involvedObject") or {}
    return [
        age(o, now), o.get("type", ""), o.get("reason", ""),
        f"{inv.get('kind', '').lower()}/{inv.get('name', '')}", o.get("message", ""),
    ]


def secret_row(o, now):
    return [o["metadata"]["name"], o.get("type", "Opaque"), len(o.get("data") or {}), age(o, now)]


S, I = "string", "integer"
# kind -> [(column name, type, priority)], row function
COLUMNS = {
    "Pod": ([("Name", S, 0), ("Ready", S, 0), ("Status", S, 0), ("Restarts", I, 0), ("Age", S, 0),
             ("IP", S, 1), ("Node", S, 1), ("Nominated Node", S, 1), ("Readiness Gates", S, 1)], pod_row),
    "Deployment": ([("Name", S, 0), ("Ready", S, 0), ("Up-to-date", I, 0), ("Available", I, 0), ("Age", S, 0),
                    ("Containers", S, 1), ("Images", S, 1), ("Selector", S, 1)], deployment_row),
    "DaemonSet": ([("Name", S, 0), ("Desired", I, 0), ("Current", I, 0), ("Ready", I, 0), ("Up-to-date", I, 0),
                   ("Available", I, 0), ("Node Selector", S, 0), ("Age", S, 0), ("Containers", S, 1),
                   ("Images", S, 1), ("Selector", S, 1)], daemonset_row),
    "Service": ([("Name", S, 0), ("Type", S, 0), ("Cluster-IP", S, 0), ("External-IP", S, 0), ("Port(s)", S, 0),
                 ("Age", S, 0), ("Selector", S, 1)], service_row),
    "Endpoints": ([("Name", S, 0), ("Endpoints", S, 0), ("Age", S, 0)], endpoints_row),
    "NetworkPolicy": ([("Name", S, 0), ("Pod-Selector", S, 0), ("Age", S, 0)],
                      lambda o, now: [o["metadata"]["name"], selector_text((o.get("spec") or {}).get("podSelector")), age(o, now)]),
    "Namespace": ([("Name", S, 0), ("Status", S, 0), ("Age", S, 0)],
                  lambda o, now: [o["metadata"]["name"], (o.get("status") or {}).get("phase", "Active"), age(o, now)]),
    "Node": ([("Name", S, 0), ("Status", S, 0), ("Roles", S, 0), ("Age", S, 0), ("Version", S, 0),
              ("Internal-IP", S, 1), ("External-IP", S, 1), ("OS-Image", S, 1), ("Kernel-Version", S, 1),
              ("Container-Runtime", S, 1)], node_row),
    "ConfigMap": ([("Name", S, 0), ("Data", I, 0), ("Age", S, 0)],
                  lambda o, now: [o["metadata"]["name"], len(o.get("data") or {}) + len(o.get("binaryData") or {}), age(o, now)]),
    "Secret": ([("Name", S, 0), ("Type", S, 0), ("Data", I, 0), ("Age", S, 0)], secret_row),
    "ServiceAccount": ([("Name", S, 0), ("Secrets", I, 0), ("Age", S, 0)],
                       lambda o, now: [o["metadata"]["name"], len(o.get("secrets") or []), age(o, now)]),
    "Event": ([("Last Seen", S, 0), ("Type", S, 0), ("Reason", S, 0), ("Object", S, 0), ("Message", S, 0)], event_row),
}
DEFAULT = ([("Name", S, 0), ("Age", S, 0)], lambda o, now: [o["metadata"]["name"], age(o, now)])


def wants_table(accept):
    return "as=Table" in (accept or "")


def table(kind, objects, resource_version, include="Metadata", now=None):
    """A Table of `objects` of `kind` (a Kind from api.py)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    columns, row = COLUMNS.get(kind.kind, DEFAULT)
    rows = []
    for o in objects:
        entry = {"cells": row(o, now)}
        if include == "Object":
            entry["object"] = o
        elif include != "None":
            entry["object"] = {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": o["metadata"],
            }
        rows.append(entry)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": [
            {
                "name": name,
                "type": typ,
                "format": "name" if name == "Name" else "",
                "description": "",
                "priority": prio,
            }
            for name, typ, prio in columns
        ],
        "rows": rows,
    }
