"""cluster.py through the store: what the simulated controllers do."""

import unittest

import probes
from api import BY_KIND
from patch import strategic_merge_patch
from store import Store

NS, POD, SVC, DEPLOY, DS, EP = (
    BY_KIND[("v1", "Namespace")],
    BY_KIND[("v1", "Pod")],
    BY_KIND[("v1", "Service")],
    BY_KIND[("apps/v1", "Deployment")],
    BY_KIND[("apps/v1", "DaemonSet")],
    BY_KIND[("v1", "Endpoints")],
)


def web(replicas=2):
    return {
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "web", "image": "hashicorp/http-echo:1.0", "args": ["-text=hello"], "ports": [{"name": "http", "containerPort": 8080}]},
                        {"name": "toolbox", "image": "curlimages/curl:8.11.1"},
                    ]
                },
            },
        },
    }


def names(items):
    return sorted(o["metadata"]["name"] for o in items)


class Seed(unittest.TestCase):
    def test_kube_system_runs_dns_and_the_cni(self):
        s = Store()
        pods = s.list(POD, "kube-system", None, None)["items"]
        self.assertEqual(sum(p["metadata"]["labels"].get("k8s-app") == "kube-dns" for p in pods), 2)
        self.assertEqual(sum(p["metadata"]["labels"].get("k8s-app") == "aws-node" for p in pods), 2)
        ep = s.get(EP, "kube-system", "kube-dns")
        self.assertEqual(len(ep["subsets"][0]["addresses"]), 2)
        self.assertFalse(s.sim.pod_eni_enabled())
        ips = [p["status"]["podIP"] for p in pods if not p["spec"].get("hostNetwork")]
        self.assertEqual(len(ips), len(set(ips)))

    def test_bare_store_has_namespaces_only(self):
        s = Store(seed=False)
        self.assertEqual(s.list(POD, None, None, None)["items"], [])


class Workloads(unittest.TestCase):
    def setUp(self):
        self.s = Store()
        self.s.create(NS, None, {"metadata": {"name": "app"}})

    def test_a_deployment_rolls_out_and_a_changed_template_replaces_its_pods(self):
        s = self.s
        s.create(DEPLOY, "app", web())
        first = names(s.list(POD, "app", "app=web", None)["items"])
        self.assertEqual(len(first), 2)
        dep = s.get(DEPLOY, "app", "web")
        self.assertEqual(dep["status"]["updatedReplicas"], 2)
        self.assertEqual(dep["status"]["observedGeneration"], dep["metadata"]["generation"])
        # `kubectl rollout restart`
        patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "now"}}}}}
        s.replace(DEPLOY, "app", "web", strategic_merge_patch(dep, patch))
        second = names(s.list(POD, "app", "app=web", None)["items"])
        self.assertEqual(len(second), 2)
        self.assertFalse(set(first) & set(second))
        dep = s.get(DEPLOY, "app", "web")
        self.assertEqual(dep["metadata"]["generation"], 2)
        self.assertEqual(dep["status"]["observedGeneration"], 2)

    def test_a_deleted_pod_is_replaced(self):
        s = self.s
        s.create(DEPLOY, "app", web(1))
        (first,) = names(s.list(POD, "app", None, None)["items"])
        s.delete(POD, "app", first)
        (second,) = names(s.list(POD, "app", None, None)["items"])
        self.assertNotEqual(first, second)

    def test_endpoints_follow_ready_pods(self):
        s = self.s
        s.create(SVC, "app", {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}})
        self.assertEqual(s.get(EP, "app", "web")["subsets"], [])
        s.create(DEPLOY, "app", web())
        ep = s.get(EP, "app", "web")
        self.assertEqual(len(ep["subsets"][0]["addresses"]), 2)
        self.assertEqual(ep["subsets"][0]["ports"][0]["port"], 8080)
        s.delete(SVC, "app", "web")
        self.assertEqual(s.list(EP, "app", None, None)["items"], [])

    def test_deleting_a_namespace_leaves_nothing_behind(self):
        s = self.s
        s.create(SVC, "app", {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
        s.create(DEPLOY, "app", web())
        s.delete(NS, None, "app")
        self.assertEqual([k for k in s.objects if k[2] == "app"], [])

    def test_set_env_on_aws_node_rolls_it_and_turns_on_pod_eni(self):
        s = self.s
        ds = s.get(DS, "kube-system", "aws-node")
        before = names(s.list(POD, "kube-system", "k8s-app=aws-node", None)["items"])
        patch = {"spec": {"template": {"spec": {"containers": [{"name": "aws-node", "env": [{"name": "ENABLE_POD_ENI", "value": "true"}]}]}}}}
        s.replace(DS, "kube-system", "aws-node", strategic_merge_patch(ds, patch))
        self.assertTrue(s.sim.pod_eni_enabled())
        after = names(s.list(POD, "kube-system", "k8s-app=aws-node", None)["items"])
        self.assertEqual(len(after), 2)
        self.assertFalse(set(before) & set(after))
        containers = s.get(DS, "kube-system", "aws-node")["spec"]["template"]["spec"]["containers"]
        self.assertEqual([c["name"] for c in containers], ["aws-node", "aws-network-policy-agent"])

    def test_probes_run_against_the_store(self):
        s = self.s
        s.create(SVC, "app", {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}})
        s.create(DEPLOY, "app", web(1))
        (pod,) = s.list(POD, "app", None, None)["items"]
        toolbox = pod["spec"]["containers"][1]
        r = probes.run(s.sim.network(), pod, toolbox, ["curl", "-s", "http://web"])
        self.assertEqual((r.code, r.stdout), (0, "hello\n"))
        log = s.pod_logs[("app", pod["metadata"]["name"], "web")]
        self.assertIn("server is listening on :5678", log[0])
        self.assertIn('"GET / HTTP/1.1" 200', log[-1])


if __name__ == "__main__":
    unittest.main()
