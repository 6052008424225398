"""netpol.py against the NetworkPolicy semantics documented at
https://kubernetes.io/docs/concepts/services-networking/network-policies/
(each test names the rule it checks)."""

import unittest

import netpol
from netpol import Endpoint, allowed, selects

NAMESPACES = {
    "shop-ui": {"kubernetes.io/metadata.name": "shop-ui", "tier": "front"},
    "shop-catalog": {"kubernetes.io/metadata.name": "shop-catalog", "tier": "back"},
    "shop-orders": {"kubernetes.io/metadata.name": "shop-orders", "tier": "back"},
}


def pod(ns, name, labels, ip, ports=()):
    return netpol.pod_endpoint(
        {
            "metadata": {"namespace": ns, "name": name, "labels": labels},
            "spec": {
                "containers": [
                    {
                        "name": "main",
                        "ports": [{"name": n, "containerPort": p, "protocol": proto} for n, p, proto in ports],
                    }
                ]
            },
            "status": {"podIP": ip},
        },
        NAMESPACES,
    )


UI = pod("shop-ui", "ui-1", {"app": "ui", "role": "frontend"}, "10.42.0.10")
CATALOG = pod("shop-catalog", "catalog-1", {"app": "catalog"}, "10.42.0.20", [("http", 8080, "TCP")])
ORDERS = pod("shop-orders", "orders-1", {"app": "orders"}, "10.42.0.30", [("http", 8080, "TCP")])
OTHER_UI = pod("shop-catalog", "ui-2", {"app": "ui", "role": "frontend"}, "10.42.0.40")
INTERNET = Endpoint("93.184.215.14")


def policy(ns, name, spec):
    return {"metadata": {"namespace": ns, "name": name}, "spec": spec}


DENY_ALL = [
    policy(ns, "default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}) for ns in NAMESPACES
]


class Selectors(unittest.TestCase):
    def test_empty_selector_selects_everything(self):
        self.assertTrue(selects({}, {}))
        self.assertTrue(selects({}, {"a": "b"}))

    def test_match_labels_must_all_hold(self):
        self.assertTrue(selects({"matchLabels": {"app": "ui"}}, {"app": "ui", "x": "y"}))
        self.assertFalse(selects({"matchLabels": {"app": "ui", "x": "z"}}, {"app": "ui", "x": "y"}))

    def test_match_expressions(self):
        labels = {"env": "prod", "tier": "web"}
        self.assertTrue(selects({"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "qa"]}]}, labels))
        self.assertFalse(selects({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}, labels))
        self.assertTrue(selects({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]}, labels))
        self.assertTrue(selects({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, labels))
        self.assertFalse(selects({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, labels))
        self.assertFalse(selects({"matchExpressions": [{"key": "x", "operator": "In", "values": ["a"]}]}, labels))


class Isolation(unittest.TestCase):
    def test_a_pod_no_policy_selects_is_not_isolated(self):
        # "By default, a pod is non-isolated for egress [and ingress]."
        self.assertTrue(allowed([], UI, CATALOG, 8080))
        self.assertTrue(allowed([], UI, INTERNET, 443))

    def test_default_deny_isolates_both_directions(self):
        v = allowed(DENY_ALL, UI, CATALOG, 8080)
        self.assertFalse(v)
        self.assertEqual(v.side, "Egress")
        self.assertFalse(allowed(DENY_ALL, UI, INTERNET, 443))
        self.assertFalse(allowed(DENY_ALL, UI, CATALOG, 53, "UDP"))

    def test_ingress_isolation_alone_leaves_egress_open(self):
        deny_ingress = [policy("shop-catalog", "deny-in", {"podSelector": {}, "policyTypes": ["Ingress"]})]
        self.assertFalse(allowed(deny_ingress, UI, CATALOG, 8080))
        self.assertTrue(allowed(deny_ingress, CATALOG, ORDERS, 8080))

    def test_policy_types_default_to_ingress_plus_egress_when_egress_rules_exist(self):
        only_ingress = policy("shop-catalog", "p", {"podSelector": {}, "ingress": []})
        self.assertEqual(netpol.policy_types(only_ingress), {"Ingress"})
        with_egress = policy("shop-catalog", "p", {"podSelector": {}, "egress": []})
        self.assertEqual(netpol.policy_types(with_egress), {"Ingress", "Egress"})

    def test_a_policy_selects_pods_of_its_own_namespace_only(self):
        elsewhere = [policy("shop-orders", "deny", {"podSelector": {}, "policyTypes": ["Ingress"]})]
        self.assertTrue(allowed(elsewhere, UI, CATALOG, 8080))

    def test_both_ends_must_allow(self):
        # Egress from the frontend is allowed, ingress at the catalog is not.
        egress_ok = DENY_ALL + [
            policy("shop-ui", "ui-egress", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{}]})
        ]
        v = allowed(egress_ok, UI, CATALOG, 8080)
        self.assertFalse(v)
        self.assertEqual(v.side, "Ingress")
        self.assertIn("default-deny", repr(v))

    def test_policies_add_up_whatever_their_order(self):
        a = policy("shop-catalog", "from-ui", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop-ui"}}}]}]})
        b = policy("shop-catalog", "from-orders", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop-orders"}}}]}]})
        for order in ([a, b], [b, a]):
            self.assertTrue(allowed(order, UI, CATALOG, 8080))
            self.assertTrue(allowed(order, ORDERS, CATALOG, 8080))
            self.assertFalse(allowed(order, OTHER_UI, CATALOG, 8080))


def ingress_from(peers, ports=None):
    rule = {"from": peers}
    if ports is not None:
        rule["ports"] = ports
    return [policy("shop-catalog", "p", {"podSelector": {"matchLabels": {"app": "catalog"}}, "ingress": [rule]})]


class Peers(unittest.TestCase):
    def test_namespace_and_pod_selector_in_one_item_must_both_match(self):
        p = ingress_from([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop-ui"}}, "podSelector": {"matchLabels": {"role": "frontend"}}}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, OTHER_UI, CATALOG, 8080))  # a frontend elsewhere
        self.assertFalse(allowed(p, ORDERS, CATALOG, 8080))

    def test_separate_items_are_alternatives(self):
        # The "item boundaries matter" caution of the lab: either item admits.
        p = ingress_from([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop-ui"}}}, {"podSelector": {"matchLabels": {"role": "frontend"}}}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertTrue(allowed(p, OTHER_UI, CATALOG, 8080))  # a frontend in shop-catalog itself
        self.assertFalse(allowed(p, ORDERS, CATALOG, 8080))

    def test_pod_selector_alone_means_the_policys_namespace(self):
        p = ingress_from([{"podSelector": {"matchLabels": {"role": "frontend"}}}])
        self.assertFalse(allowed(p, UI, CATALOG, 8080))
        self.assertTrue(allowed(p, OTHER_UI, CATALOG, 8080))

    def test_namespace_selector_alone_means_every_pod_there(self):
        p = ingress_from([{"namespaceSelector": {"matchLabels": {"tier": "back"}}}])
        self.assertTrue(allowed(p, ORDERS, CATALOG, 8080))
        self.assertTrue(allowed(p, OTHER_UI, CATALOG, 8080))
        self.assertFalse(allowed(p, UI, CATALOG, 8080))

    def test_an_empty_namespace_selector_means_every_namespace(self):
        p = ingress_from([{"namespaceSelector": {}}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, INTERNET, CATALOG, 8080))

    def test_no_peers_means_every_source(self):
        for rule in ({}, {"from": []}):
            p = [policy("shop-catalog", "p", {"podSelector": {}, "ingress": [rule]})]
            self.assertTrue(allowed(p, UI, CATALOG, 8080))
            self.assertTrue(allowed(p, INTERNET, CATALOG, 8080))

    def test_no_rules_means_nothing(self):
        p = [policy("shop-catalog", "p", {"podSelector": {}, "ingress": []})]
        self.assertFalse(allowed(p, UI, CATALOG, 8080))

    def test_ip_block_with_exceptions(self):
        egress = [
            policy("shop-orders", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "192.0.2.0/24", "except": ["192.0.2.128/25"]}}]}]})
        ]
        self.assertTrue(allowed(egress, ORDERS, Endpoint("192.0.2.10"), 443))
        self.assertFalse(allowed(egress, ORDERS, Endpoint("192.0.2.200"), 443))
        self.assertFalse(allowed(egress, ORDERS, INTERNET, 443))
        # Pods are not matched by selectors of an ipBlock-only rule...
        self.assertFalse(allowed(egress, ORDERS, CATALOG, 8080))
        # ...but by address when it covers them (this model's choice).
        wide = [policy("shop-orders", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "10.42.0.0/16"}}]}]})]
        self.assertTrue(allowed(wide, ORDERS, CATALOG, 8080))


class Ports(unittest.TestCase):
    def test_numeric_port_and_protocol(self):
        p = ingress_from([], [{"protocol": "TCP", "port": 8080}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, UI, CATALOG, 9090))
        self.assertFalse(allowed(p, UI, CATALOG, 8080, "UDP"))

    def test_protocol_defaults_to_tcp(self):
        p = ingress_from([], [{"port": 8080}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, UI, CATALOG, 8080, "UDP"))

    def test_end_port_range(self):
        p = ingress_from([], [{"port": 8000, "endPort": 8100}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, UI, CATALOG, 8101))

    def test_named_port_is_the_destination_container_port(self):
        p = ingress_from([], [{"port": "http"}])
        self.assertTrue(allowed(p, UI, CATALOG, 8080))
        self.assertFalse(allowed(p, UI, CATALOG, 9090))

    def test_a_port_item_without_port_means_every_port_of_its_protocol(self):
        p = ingress_from([], [{"protocol": "UDP"}])
        self.assertTrue(allowed(p, UI, CATALOG, 53, "UDP"))
        self.assertFalse(allowed(p, UI, CATALOG, 53, "TCP"))

    def test_service_port_never_matters(self):
        # Policies see the Pod port after the Service translated 80 to 8080.
        p = ingress_from([], [{"port": 80}])
        self.assertFalse(allowed(p, UI, CATALOG, 8080))


class Dns(unittest.TestCase):
    DNS = netpol.pod_endpoint(
        {
            "metadata": {"namespace": "kube-system", "name": "coredns-1", "labels": {"k8s-app": "kube-dns"}},
            "status": {"podIP": "10.42.0.2"},
        },
        {"kube-system": {"kubernetes.io/metadata.name": "kube-system"}},
    )

    def test_egress_isolation_blocks_dns_unless_allowed(self):
        self.assertFalse(allowed(DENY_ALL, UI, self.DNS, 53, "UDP"))
        dns_rule = policy(
            "shop-ui",
            "dns",
            {
                "podSelector": {},
                "policyTypes": ["Egress"],
                "egress": [
                    {
                        "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                    }
                ],
            },
        )
        self.assertTrue(allowed(DENY_ALL + [dns_rule], UI, self.DNS, 53, "UDP"))
        self.assertFalse(allowed(DENY_ALL + [dns_rule], UI, CATALOG, 53, "UDP"))


if __name__ == "__main__":
    unittest.main()
