"""patch.py: the PATCH bodies kubectl sends."""

import unittest

from patch import json_patch, merge_patch, strategic_merge_patch

DS = {
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {"name": "aws-node", "image": "cni:1", "env": [{"name": "A", "value": "1"}, {"name": "ENABLE_POD_ENI", "value": "false"}]},
                    {"name": "agent", "image": "agent:1", "args": ["--x"]},
                ]
            }
        }
    }
}


class Strategic(unittest.TestCase):
    def test_set_env_merges_containers_and_env_by_name(self):
        # What `kubectl set env ds/aws-node -c aws-node ENABLE_POD_ENI=true` sends.
        patch = {
            "spec": {
                "template": {
                    "spec": {
                        "$setElementOrder/containers": [{"name": "aws-node"}, {"name": "agent"}],
                        "containers": [
                            {
                                "$setElementOrder/env": [{"name": "A"}, {"name": "ENABLE_POD_ENI"}],
                                "env": [{"name": "ENABLE_POD_ENI", "value": "true"}],
                                "name": "aws-node",
                            }
                        ],
                    }
                }
            }
        }
        out = strategic_merge_patch(DS, patch)
        containers = out["spec"]["template"]["spec"]["containers"]
        self.assertEqual([c["name"] for c in containers], ["aws-node", "agent"])
        self.assertEqual(containers[0]["image"], "cni:1")
        self.assertEqual(containers[0]["env"], [{"name": "A", "value": "1"}, {"name": "ENABLE_POD_ENI", "value": "true"}])
        self.assertEqual(containers[1], DS["spec"]["template"]["spec"]["containers"][1])
        self.assertEqual(DS["spec"]["template"]["spec"]["containers"][0]["env"][1]["value"], "false")

    def test_directives(self):
        out = strategic_merge_patch(DS, {"spec": {"template": {"spec": {"containers": [{"name": "agent", "$patch": "delete"}]}}}})
        self.assertEqual([c["name"] for c in out["spec"]["template"]["spec"]["containers"]], ["aws-node"])
        out = strategic_merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"$patch": "replace", "d": 3}})
        self.assertEqual(out, {"a": {"d": 3}})
        out = strategic_merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"$retainKeys": ["b"], "b": 5}})
        self.assertEqual(out, {"a": {"b": 5}})
        out = strategic_merge_patch({"f": ["x", "y"]}, {"$deleteFromPrimitiveList/f": ["x"]})
        self.assertEqual(out, {"f": ["y"]})

    def test_lists_without_a_merge_key_are_replaced_and_null_deletes(self):
        out = strategic_merge_patch(DS, {"spec": {"template": {"spec": {"containers": [{"name": "agent", "args": ["--y"]}]}}}})
        self.assertEqual(out["spec"]["template"]["spec"]["containers"][1]["args"], ["--y"])
        self.assertEqual(strategic_merge_patch({"a": 1, "b": 2}, {"a": None}), {"b": 2})
        policy = {"spec": {"egress": [{"to": [1]}, {"to": [2]}]}}
        self.assertEqual(strategic_merge_patch(policy, {"spec": {"egress": [{"to": [3]}]}}), {"spec": {"egress": [{"to": [3]}]}})

    def test_container_ports_merge_by_container_port(self):
        pod = {"containers": [{"name": "c", "ports": [{"containerPort": 80, "name": "http"}]}]}
        out = strategic_merge_patch(pod, {"containers": [{"name": "c", "ports": [{"containerPort": 81}]}]})
        self.assertEqual([p["containerPort"] for p in out["containers"][0]["ports"]], [80, 81])


class MergeAndJson(unittest.TestCase):
    def test_merge_patch_replaces_lists(self):
        self.assertEqual(merge_patch({"l": [1, 2], "m": {"a": 1}}, {"l": [3], "m": {"b": 2}}), {"l": [3], "m": {"a": 1, "b": 2}})

    def test_json_patch(self):
        doc = {"spec": {"replicas": 1, "l": [1]}}
        out = json_patch(doc, [{"op": "replace", "path": "/spec/replicas", "value": 3}, {"op": "add", "path": "/spec/l/-", "value": 2}])
        self.assertEqual(out, {"spec": {"replicas": 3, "l": [1, 2]}})


if __name__ == "__main__":
    unittest.main()
