"""Which connections the NetworkPolicies in force allow: the connectivity
model of the API double.

It follows the semantics documented for networking.k8s.io/v1
(https://kubernetes.io/docs/concepts/services-networking/network-policies/):

* A Pod is *isolated* for a direction (ingress or egress) when at least one
  policy of its namespace selects it (`spec.podSelector`) and lists that
  direction in `spec.policyTypes`. Without `policyTypes`, a policy is of
  type Ingress, plus Egress when it has an `egress` section.
* A connection is allowed when both ends allow it: the source Pod is not
  isolated for egress or some egress rule of a policy selecting it admits the
  destination, and the destination Pod is not isolated for ingress or some
  ingress rule of a policy selecting it admits the source. Policies only
  add up; their order does not matter. Replies to an allowed connection are
  always allowed (enforcement is stateful).
* A rule admits a peer when one of its `to`/`from` items matches it (no
  items, or an empty list: every peer) and one of its `ports` matches the
  destination port and protocol (no ports: every port).
* A peer item with `podSelector` and/or `namespaceSelector` matches Pods
  only: `namespaceSelector` picks namespaces by their labels (without it, the
  policy's own namespace), `podSelector` picks Pods by labels (without it,
  every Pod). Both in one item must both match.
* `ipBlock` matches addresses in `cidr` and not in any `except` range. The
  documentation leaves open whether it applies to Pod addresses; this model
  matches any address, Pod or not, as most plugins do for traffic that is not
  NATed.
* A port item matches its `protocol` (default TCP) and either its numeric
  `port` (up to `endPort`), or a named port: the destination Pod has a
  container port of that name and protocol whose number is the one
  connected to. No `port` means every port of the protocol.

Hosts outside the cluster are not isolated by anything in this model, and a
Pod's traffic to its own node or to the API server is not modelled.

The functions take Kubernetes objects as the API returns them (plain dicts),
so the double calls them on its store and the unit tests on literals.
"""

import ipaddress

INGRESS, EGRESS = "Ingress", "Egress"


# ---------------------------------------------------------------- selectors


def selects(selector, labels):
    """Whether a LabelSelector (matchLabels, matchExpressions) matches a
    label map. An empty selector matches everything; a missing one (None)
    matches nothing, as the API treats an absent podSelector of a peer
    differently from `{}` (the callers handle that case)."""
    if selector is None:
        return False
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True


# ---------------------------------------------------------------- endpoints


class Endpoint:
    """One end of a connection: a Pod (with its namespace's labels) or an
    address outside the cluster."""

    def __init__(self, ip, pod=None, namespace_labels=None):
        self.ip = ip
        self.pod = pod
        self.namespace_labels = namespace_labels or {}

    @property
    def is_pod(self):
        return self.pod is not None

    @property
    def namespace(self):
        return self.pod["metadata"].get("namespace") if self.pod else None

    @property
    def labels(self):
        return (self.pod["metadata"].get("labels") or {}) if self.pod else {}

    def named_port(self, name, protocol):
        """The number of this Pod's container port `name`, if it has one."""
        if not self.pod:
            return None
        for c in self.pod.get("spec", {}).get("containers", []):
            for p in c.get("ports") or []:
                if p.get("name") == name and (p.get("protocol") or "TCP") == protocol:
                    return p.get("containerPort")
        return None

    def __repr__(self):
        if self.pod:
            return f"{self.namespace}/{self.pod['metadata']['name']} ({self.ip})"
        return self.ip


def pod_endpoint(pod, namespaces):
    """An Endpoint for a Pod object; `namespaces` maps names to label maps."""
    ns = pod["metadata"].get("namespace")
    return Endpoint(pod.get("status", {}).get("podIP"), pod, namespaces.get(ns, {}))


# ---------------------------------------------------------------- policies


def policy_types(policy):
    spec = policy.get("spec") or {}
    types = spec.get("policyTypes")
    if types:
        return set(types)
    return {INGRESS, EGRESS} if "egress" in spec else {INGRESS}


def selecting(policies, pod_end, direction):
    """The policies that select this Pod for a direction."""
    if not pod_end.is_pod:
        return []
    return [
        p
        for p in policies
        if p["metadata"].get("namespace") == pod_end.namespace
        and direction in policy_types(p)
        and selects((p.get("spec") or {}).get("podSelector") or {}, pod_end.labels)
    ]


def peer_matches(item, policy_ns, peer):
    """Whether one `to`/`from` item of a rule matches the other end."""
    block = item.get("ipBlock")
    if block is not None:
        if not peer.ip:
            return False
        addr = ipaddress.ip_address(peer.ip)
        if addr not in ipaddress.ip_network(block["cidr"], strict=False):
            return False
        return not any(
            addr in ipaddress.ip_network(x, strict=False) for x in block.get("except") or []
        )
    pod_sel, ns_sel = item.get("podSelector"), item.get("namespaceSelector")
    if pod_sel is None and ns_sel is None:
        return False  # an empty item is invalid; the API would refuse it
    if not peer.is_pod:
        return False
    if ns_sel is not None:
        if not selects(ns_sel, peer.namespace_labels):
            return False
    elif peer.namespace != policy_ns:
        return False
    return pod_sel is None or selects(pod_sel, peer.labels)


def port_matches(item, port, protocol, destination):
    if (item.get("protocol") or "TCP") != protocol:
        return False
    want = item.get("port")
    if want is None:
        return True
    if isinstance(want, str) and not want.isdigit():
        return destination.named_port(want, protocol) == port
    low = int(want)
    high = int(item.get("endPort") or low)
    return low <= port <= high


def rule_admits(rule, direction, policy_ns, peer, port, protocol, destination):
    peers = rule.get("to" if direction == EGRESS else "from")
    if peers and not any(peer_matches(i, policy_ns, peer) for i in peers):
        return False
    ports = rule.get("ports")
    return not ports or any(port_matches(i, port, protocol, destination) for i in ports)


class Verdict:
    """Whether a connection is allowed, and if not, which end refused it."""

    def __init__(self, allowed, side=None, policies=()):
        self.allowed, self.side, self.policies = allowed, side, list(policies)

    def __bool__(self):
        return self.allowed

    def __repr__(self):
        if self.allowed:
            return "allowed"
        names = ", ".join(p["metadata"]["name"] for p in self.policies)
        return f"denied by {self.side} isolation ({names})"


def side_allows(policies, direction, subject, peer, port, protocol, destination):
    chosen = selecting(policies, subject, direction)
    if not chosen:
        return Verdict(True)
    key = "egress" if direction == EGRESS else "ingress"
    for p in chosen:
        ns = p["metadata"].get("namespace")
        for rule in (p.get("spec") or {}).get(key) or []:
            if rule_admits(rule, direction, ns, peer, port, protocol, destination):
                return Verdict(True)
    return Verdict(False, direction, chosen)


def allowed(policies, source, destination, port, protocol="TCP"):
    """Whether `source` may open a connection to `destination` on `port`.

    `policies` are every NetworkPolicy in the cluster; `source` and
    `destination` are Endpoints. Returns a Verdict (true when allowed)."""
    out = side_allows(policies, EGRESS, source, destination, port, protocol, destination)
    if not out:
        return out
    return side_allows(policies, INGRESS, destination, source, port, protocol, destination)
