"""probes.py: what curl, nc and pg_isready print from inside a Pod, and how
long they take, given Services, DNS, policies and hosts outside."""

import unittest

import probes

NAMESPACES = {n: {"kubernetes.io/metadata.name": n} for n in ("kube-system", "shop-ui", "shop-catalog")}


def pod(ns, name, labels, ip, containers):
    return {
        "metadata": {"namespace": ns, "name": name, "labels": labels, "uid": name},
        "spec": {"containers": containers},
        "status": {"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready", "status": "True"}]},
    }


ECHO = {
    "name": "catalog",
    "image": "hashicorp/http-echo:1.0",
    "args": ["-listen=:8080", "-text=catalog: ok"],
    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
}
TOOLBOX = {"name": "toolbox", "image": "curlimages/curl:8.11.1"}
PSQL = {"name": "sync", "image": "postgres:16-alpine"}
DNS = pod("kube-system", "coredns-1", {"k8s-app": "kube-dns"}, "10.42.0.2", [{"name": "coredns", "image": "coredns"}])
UI = pod("shop-ui", "ui-1", {"app": "ui"}, "10.42.0.10", [dict(ECHO, name="ui", args=["-text=ui: ok"]), TOOLBOX])
CATALOG = pod("shop-catalog", "catalog-1", {"app": "catalog"}, "10.42.0.20", [ECHO, TOOLBOX])
SYNC = pod("shop-catalog", "sync-1", {"app": "sync"}, "10.42.0.30", [PSQL])


def service(ns, name, selector, ip, target="http"):
    return {
        "metadata": {"namespace": ns, "name": name},
        "spec": {"clusterIP": ip, "selector": selector, "ports": [{"port": 80, "targetPort": target, "protocol": "TCP"}]},
    }


SERVICES = [
    service("shop-catalog", "catalog", {"app": "catalog"}, "172.20.0.20"),
    service("shop-catalog", "empty", {"app": "nothing"}, "172.20.0.21"),
]
DENY_UI_EGRESS = {
    "metadata": {"namespace": "shop-ui", "name": "deny"},
    "spec": {"podSelector": {}, "policyTypes": ["Egress"]},
}
DNS_ONLY = {
    "metadata": {"namespace": "shop-ui", "name": "dns"},
    "spec": {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [{"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": [{"protocol": "UDP", "port": 53}]}],
    },
}
DB = probes.Host(["db.example.internal"], "10.42.200.5", {5432: "postgres"}, admits=lambda groups, port: "sg-db-clients" in groups)


def network(policies=(), pods=(DNS, UI, CATALOG, SYNC), groups=None):
    logs = []
    net = probes.Network(
        NAMESPACES,
        list(pods),
        SERVICES,
        list(policies),
        probes.INTERNET + [DB],
        groups_of=lambda p: (groups or {}).get(p["metadata"]["name"], []),
        log=lambda p, c, line: logs.append((p["metadata"]["name"], c, line)),
    )
    return net, logs


def run(net, who, container, *argv):
    out = probes.run(net, who, next(c for c in who["spec"]["containers"] if c["name"] == container), list(argv))
    assert isinstance(out, probes.Result), out
    return out


class Curl(unittest.TestCase):
    def test_a_service_name_reaches_the_pod_behind_it(self):
        net, logs = network()
        r = run(net, UI, "toolbox", "curl", "-sS", "--max-time", "5", "http://catalog.shop-catalog")
        self.assertEqual((r.code, r.stdout, r.stderr), (0, "catalog: ok\n", ""))
        self.assertLess(r.seconds, 1)
        self.assertEqual(logs[0][:2], ("catalog-1", "catalog"))
        self.assertIn('"GET / HTTP/1.1" 200', logs[0][2])

    def test_every_cluster_dns_spelling_resolves(self):
        net, _ = network()
        for host in ("catalog.shop-catalog", "catalog.shop-catalog.svc", "catalog.shop-catalog.svc.cluster.local", "172.20.0.20"):
            self.assertEqual(run(net, UI, "toolbox", "curl", "-s", f"http://{host}").code, 0, host)
        # A bare name is looked up in the caller's namespace.
        self.assertEqual(run(net, CATALOG, "toolbox", "curl", "-s", "http://catalog").code, 0)
        self.assertEqual(run(net, UI, "toolbox", "curl", "-s", "http://catalog").code, 6)

    def test_dns_blocked_times_out_while_resolving(self):
        net, _ = network([DENY_UI_EGRESS])
        r = run(net, UI, "toolbox", "curl", "-sS", "--max-time", "5", "http://catalog.shop-catalog")
        self.assertEqual(r.code, 28)
        self.assertEqual(r.stderr, "curl: (28) Resolving timed out after 5000 milliseconds\n")
        self.assertEqual(r.seconds, 5)
        # Without --max-time the resolver gives up on its own.
        r = run(net, UI, "toolbox", "curl", "-sS", "http://catalog.shop-catalog")
        self.assertEqual((r.code, r.stderr), (6, "curl: (6) Could not resolve host: catalog.shop-catalog\n"))
        self.assertEqual(r.seconds, probes.RESOLVER_GIVES_UP)

    def test_a_dropped_connection_times_out_while_connecting(self):
        net, _ = network([DENY_UI_EGRESS, DNS_ONLY])
        r = run(net, UI, "toolbox", "curl", "-sS", "-m", "5", "https://www.example.com")
        self.assertEqual((r.code, r.stderr), (28, "curl: (28) Connection timed out after 5002 milliseconds\n"))
        r = run(net, UI, "toolbox", "curl", "-sS", "--connect-timeout", "2", "http://10.42.0.20:8080")
        self.assertEqual(r.code, 28)
        self.assertIn("after 2000 ms: Timeout was reached", r.stderr)
        self.assertEqual(r.seconds, 2)

    def test_write_out_and_output_file(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", "https://www.example.com")
        self.assertEqual((r.code, r.stdout), (0, "200\n"))
        net, _ = network([DENY_UI_EGRESS, DNS_ONLY])
        r = run(net, UI, "toolbox", "curl", "-sSo", "/dev/null", "-w", "%{http_code}\\n", "--max-time", "5", "https://www.example.com")
        self.assertEqual((r.code, r.stdout), (28, "000\n"))
        self.assertIn("Connection timed out", r.stderr)

    def test_silent_hides_errors_unless_show_error(self):
        net, _ = network()
        self.assertEqual(run(net, UI, "toolbox", "curl", "-s", "http://nowhere.invalid").stderr, "")
        self.assertIn("Could not resolve host", run(net, UI, "toolbox", "curl", "http://nowhere.invalid").stderr)

    def test_refused_and_unreachable(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "curl", "-sS", "http://10.42.0.20:9999")
        self.assertEqual(r.code, 7)
        self.assertIn("Failed to connect to 10.42.0.20 port 9999", r.stderr)
        # A Service without ready endpoints rejects.
        self.assertEqual(run(net, UI, "toolbox", "curl", "-sS", "http://empty.shop-catalog").code, 7)
        # The catalog's container speaks plain HTTP only.
        self.assertEqual(run(net, UI, "toolbox", "curl", "-sS", "https://catalog.shop-catalog:80").code, 35)

    def test_usage_errors(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "curl", "--frobnicate", "http://x")
        self.assertEqual(r.code, 2)
        self.assertIn("option --frobnicate: is unknown", r.stderr)
        self.assertEqual(run(net, UI, "toolbox", "curl", "-s").code, 2)
        # Bad arguments are the command's errors, never the double's.
        self.assertEqual(run(net, UI, "toolbox", "sh", "-c", "curl 'x").code, 2)
        self.assertEqual(run(net, UI, "toolbox", "nc", "-w", "soon", "x", "1").code, 1)
        self.assertEqual(run(net, SYNC, "sync", "pg_isready", "-p", "abc").code, 3)
        self.assertEqual(run(net, UI, "toolbox", "curl", "--max-time", "soon", "http://x").code, 2)

    def test_fail_on_http_errors(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "curl", "-sSf", "http://www.example.com:443")
        self.assertEqual(r.code, 22)


class Images(unittest.TestCase):
    def test_a_command_the_image_lacks_cannot_start(self):
        net, _ = network()
        out = probes.run(net, UI, UI["spec"]["containers"][0], ["curl", "http://catalog.shop-catalog"])
        self.assertIsInstance(out, str)
        self.assertIn('exec: "curl": executable file not found in $PATH', out)

    def test_sh_runs_one_simple_command(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "sh", "-c", "curl -s http://catalog.shop-catalog")
        self.assertEqual(r.stdout, "catalog: ok\n")
        self.assertEqual(run(net, UI, "toolbox", "sh", "-c", "curl -s x | wc -l").code, 2)
        self.assertEqual(run(net, UI, "toolbox", "hostname").stdout, "ui-1\n")


class NcAndPgIsready(unittest.TestCase):
    def test_nc_reports_open_refused_and_timeouts(self):
        net, _ = network()
        r = run(net, UI, "toolbox", "nc", "-zv", "-w", "3", "catalog.shop-catalog", "80")
        self.assertEqual((r.code, r.stderr), (0, "catalog.shop-catalog (172.20.0.20:80) open\n"))
        self.assertEqual(run(net, UI, "toolbox", "nc", "-z", "10.42.0.20", "81").code, 1)
        net, _ = network([DENY_UI_EGRESS, DNS_ONLY])
        r = run(net, UI, "toolbox", "nc", "-z", "-w", "3", "catalog.shop-catalog", "80")
        self.assertEqual((r.code, r.seconds), (1, 3))
        self.assertIn("Connection timed out", r.stderr)
        net, _ = network([DENY_UI_EGRESS])
        self.assertIn("bad address", run(net, UI, "toolbox", "nc", "-z", "catalog.shop-catalog", "80").stderr)

    def test_pg_isready_follows_security_groups(self):
        net, _ = network(groups={"sync-1": ["sg-cluster", "sg-db-clients"]})
        r = run(net, SYNC, "sync", "pg_isready", "-h", "db.example.internal", "-p", "5432", "-t", "5")
        self.assertEqual((r.code, r.stdout), (0, "db.example.internal:5432 - accepting connections\n"))
        net, _ = network(groups={"sync-1": ["sg-cluster"]})
        r = run(net, SYNC, "sync", "pg_isready", "-h", "db.example.internal", "-p", "5432", "-t", "5")
        self.assertEqual((r.code, r.stdout, r.seconds), (2, "db.example.internal:5432 - no response\n", 5))

    def test_pg_isready_needs_dns_and_egress_too(self):
        deny = {"metadata": {"namespace": "shop-catalog", "name": "deny"}, "spec": {"podSelector": {}, "policyTypes": ["Egress"]}}
        net, _ = network([deny], groups={"sync-1": ["sg-db-clients"]})
        r = run(net, SYNC, "sync", "pg_isready", "-h", "db.example.internal", "-t", "4")
        self.assertEqual(r.code, 2)
        self.assertEqual(r.seconds, 4)


if __name__ == "__main__":
    unittest.main()
