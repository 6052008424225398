"""tables.py: the Table `kubectl get` prints."""

import datetime
import unittest

import tables
from api import BY_KIND

NOW = datetime.datetime(2025, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def created(seconds_ago):
    return (NOW - datetime.timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ages(unittest.TestCase):
    def test_human_durations_as_kubectl_prints_them(self):
        for seconds, text in [(0, "0s"), (45, "45s"), (119, "119s"), (201, "3m21s"), (300, "5m"), (840, "14m"),
                              (3 * 3600 + 180, "3h3m"), (10 * 3600, "10h"), (2 * 86400 + 3 * 3600, "2d3h"),
                              (90 * 86400, "90d"), (3 * 365 * 86400, "3y")]:
            self.assertEqual(tables.human_duration(seconds), text, seconds)


class Rows(unittest.TestCase):
    def test_pods_show_ready_status_restarts_and_age(self):
        pod = {
            "metadata": {"name": "web-1", "creationTimestamp": created(201), "labels": {"a": "b"}},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}], "nodeName": "n1"},
            "status": {"phase": "Running", "podIP": "10.0.0.1", "containerStatuses": [{"ready": True, "restartCount": 1}, {"ready": False, "restartCount": 0}]},
        }
        t = tables.table(BY_KIND[("v1", "Pod")], [pod], "7", now=NOW)
        self.assertEqual([c["name"] for c in t["columnDefinitions"] if c["priority"] == 0], ["Name", "Ready", "Status", "Restarts", "Age"])
        self.assertEqual(t["rows"][0]["cells"][:5], ["web-1", "1/2", "Running", 1, "3m21s"])
        self.assertEqual(t["rows"][0]["object"]["metadata"]["labels"], {"a": "b"})
        self.assertNotIn("object", tables.table(BY_KIND[("v1", "Pod")], [pod], "7", "None", NOW)["rows"][0])

    def test_network_policies_show_their_pod_selector(self):
        kind = BY_KIND[("networking.k8s.io/v1", "NetworkPolicy")]
        rows = tables.table(kind, [
            {"metadata": {"name": "deny", "creationTimestamp": created(5)}, "spec": {"podSelector": {}}},
            {"metadata": {"name": "web", "creationTimestamp": created(5)}, "spec": {"podSelector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}}},
        ], "1", now=NOW)["rows"]
        self.assertEqual([r["cells"][1] for r in rows], ["<none>", "app=web,tier in (a,b)"])

    def test_kinds_without_columns_get_name_and_age(self):
        kind = BY_KIND[("vpcresources.k8s.aws/v1beta1", "SecurityGroupPolicy")]
        t = tables.table(kind, [{"metadata": {"name": "p", "creationTimestamp": created(60)}}], "1", now=NOW)
        self.assertEqual(t["rows"][0]["cells"], ["p", "60s"])


if __name__ == "__main__":
    unittest.main()
