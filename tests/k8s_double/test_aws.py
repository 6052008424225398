"""aws.py: the AWS model behind the test-only `aws` and `terraform`."""

import json
import unittest

import aws

MAIN_TF = """
data "aws_eks_cluster" "this" {
  name = var.eks_cluster_name
}
resource "aws_security_group" "catalog_sync" {
}
resource "aws_security_group" "catalog_db" {
}
resource "aws_db_subnet_group" "catalog" {
}
resource "random_password" "catalog_db" {
}
resource "aws_db_instance" "catalog" {
}
"""


def model():
    ips = iter(f"10.42.9.{n}" for n in range(1, 200))
    return aws.Aws("lab", lambda: next(ips))


def pod(name, labels, ns="shop-catalog", ip="10.42.0.5"):
    return {"metadata": {"namespace": ns, "name": name, "labels": labels}, "spec": {}, "status": {"podIP": ip}}


def sgp(groups, selector=None, accounts=None, ns="shop-catalog"):
    spec = {"securityGroups": {"groupIds": groups}}
    if selector is not None:
        spec["podSelector"] = selector
    if accounts is not None:
        spec["serviceAccountSelector"] = {"matchNames": accounts}
    return {"metadata": {"namespace": ns, "name": "p"}, "spec": spec}


class Terraform(unittest.TestCase):
    def test_init_apply_destroy(self):
        m = model()
        out, err, code, files = m.terraform(["-chdir=x", "apply", "-var", "eks_cluster_name=lab"], MAIN_TF, False, None)
        self.assertEqual(code, 1)
        self.assertIn("terraform init", err)
        out, err, code, files = m.terraform(["-chdir=x", "init", "-input=false"], MAIN_TF, False, None)
        self.assertEqual(code, 0, err)
        self.assertIn(".terraform.lock.hcl", files)
        out, err, code, files = m.terraform(["apply", "-auto-approve", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)
        self.assertEqual(code, 0, err)
        self.assertIn("Apply complete! Resources: 5 added", out)
        state = json.loads(files["terraform.tfstate"])
        self.assertEqual(len(state["resources"]), 3)
        self.assertEqual(len(m.db_instances), 1)
        out, err, code, files = m.terraform(["destroy", "-auto-approve", "-var=eks_cluster_name=lab"], MAIN_TF, True, None)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(files["terraform.tfstate"])["resources"], [])
        self.assertEqual(m.db_instances, {})

    def test_refusals(self):
        m = model()
        _, err, code, _ = m.terraform(["apply", "-var", "eks_cluster_name=other"], MAIN_TF, True, None)
        self.assertEqual(code, 1)
        self.assertIn("reading EKS Cluster (other)", err)
        _, err, code, _ = m.terraform(["apply"], MAIN_TF, True, None)
        self.assertIn("eks_cluster_name", err)
        _, err, code, _ = m.terraform(["init"], 'resource "aws_s3_bucket" "b" {\n}\n', False, None)
        self.assertEqual(code, 1)
        self.assertIn("one module only", err)
        _, err, code, _ = m.terraform(["init"], None, False, None)
        self.assertIn("No configuration files", err)

    def test_destroy_waits_for_branch_interfaces(self):
        m = model()
        m.terraform(["apply", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)
        sync = self.group_id(m, "lab-catalog-sync")
        p = pod("sync-1", {"app": "sync"})
        m.admit_pod(p, [sgp([sync], {"matchLabels": {"app": "sync"}})], True)
        _, err, code, _ = m.terraform(["destroy", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)
        self.assertEqual(code, 1)
        self.assertIn("DependencyViolation", err)
        m.release_pod(p)
        self.assertEqual(m.terraform(["destroy", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)[2], 0)

    @staticmethod
    def group_id(m, name):
        return next(g["GroupId"] for g in m.security_groups.values() if g["GroupName"] == name)


class SecurityGroupsForPods(unittest.TestCase):
    def test_a_selected_pod_gets_a_branch_interface_with_the_groups(self):
        m = model()
        p = pod("sync-1", {"app": "sync"})
        m.admit_pod(p, [sgp(["sg-a", m.cluster_sg], {"matchLabels": {"app": "sync"}})], True)
        eni = json.loads(p["metadata"]["annotations"]["vpc.amazonaws.com/pod-eni"])[0]
        self.assertEqual(eni["privateIp"], "10.42.0.5")
        self.assertEqual(m.groups_of(p), ["sg-a", m.cluster_sg])
        self.assertEqual(m.interfaces[eni["eniId"]]["InterfaceType"], "branch")
        m.release_pod(p)
        self.assertEqual(m.interfaces, {})

    def test_nothing_without_pod_eni_or_selection(self):
        m = model()
        for policies, enabled in (([sgp(["sg-a"], {"matchLabels": {"app": "sync"}})], False), ([sgp(["sg-a"], {"matchLabels": {"app": "other"}})], True), ([sgp(["sg-a"], {}, ns="elsewhere")], True)):
            p = pod("sync-1", {"app": "sync"})
            m.admit_pod(p, policies, enabled)
            self.assertNotIn("annotations", p["metadata"])
            self.assertEqual(m.groups_of(p), [m.cluster_sg])

    def test_service_account_selector(self):
        m = model()
        p = pod("sync-1", {})
        p["spec"]["serviceAccountName"] = "syncer"
        m.admit_pod(p, [sgp(["sg-a"], accounts=["syncer"])], True)
        self.assertEqual(m.groups_of(p), ["sg-a"])

    def test_the_database_admits_members_of_its_rule_groups(self):
        m = model()
        m.terraform(["apply", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)
        (host,) = m.hosts(lambda names, ip, ports, admits: (names, ip, ports, admits))
        names, ip, ports, admits = host
        self.assertEqual(ports, {5432: "postgres"})
        sync = Terraform.group_id(m, "lab-catalog-sync")
        self.assertTrue(admits([m.cluster_sg, sync], 5432))
        self.assertFalse(admits([m.cluster_sg], 5432))
        self.assertFalse(admits([sync], 5433))


class Cli(unittest.TestCase):
    def test_the_labs_queries(self):
        m = model()
        m.terraform(["apply", "-var", "eks_cluster_name=lab"], MAIN_TF, True, None)
        out, err, code = m.cli(["rds", "describe-db-instances", "--db-instance-identifier", "lab-catalog", "--query", "DBInstances[0].Endpoint.Address", "--output", "text"])
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"^lab-catalog\.c[0-9a-f]{11}\.us-west-2\.rds\.amazonaws\.com\n$")
        out, _, _ = m.cli(["ec2", "describe-security-groups", "--filters", "Name=tag:Name,Values=lab-catalog-sync", "--query", "SecurityGroups[0].GroupId", "--output", "text"])
        self.assertEqual(out, Terraform.group_id(m, "lab-catalog-sync") + "\n")
        out, _, _ = m.cli(["eks", "describe-cluster", "--name", "lab", "--query", "cluster.resourcesVpcConfig.clusterSecurityGroupId", "--output", "text"])
        self.assertEqual(out, m.cluster_sg + "\n")
        p = pod("sync-1", {"app": "sync"})
        m.admit_pod(p, [sgp([m.cluster_sg, "sg-x"], {})], True)
        eni = json.loads(p["metadata"]["annotations"]["vpc.amazonaws.com/pod-eni"])[0]["eniId"]
        out, _, _ = m.cli(["ec2", "describe-network-interfaces", "--network-interface-ids", eni, "--query", "NetworkInterfaces[0].[InterfaceType,Groups[].GroupId]", "--output", "text"])
        self.assertEqual(out, f"branch\n{m.cluster_sg}\tsg-x\n")

    def test_errors_look_like_the_aws_cli(self):
        m = model()
        out, err, code = m.cli(["eks", "describe-cluster", "--name", "nope"])
        self.assertEqual(code, 254)
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation", err)
        out, err, code = m.cli(["s3", "ls"])
        self.assertEqual(code, 252)
        self.assertIn("answers only", err)
        out, err, code = m.cli(["ec2", "describe-network-interfaces", "--network-interface-ids", "eni-0"])
        self.assertIn("InvalidNetworkInterfaceID.NotFound", err)

    def test_json_output_by_default(self):
        m = model()
        out, _, code = m.cli(["sts", "get-caller-identity"])
        self.assertEqual(json.loads(out)["Account"], aws.ACCOUNT)


class JmesPath(unittest.TestCase):
    DATA = {"Items": [{"Id": "a", "Tags": [{"K": 1}, {"K": 2}]}, {"Id": "b", "Tags": []}], "One": {"Two": "x"}}

    def test_subset(self):
        j = lambda q: aws.jmespath(q, self.DATA)  # noqa: E731
        self.assertEqual(j("One.Two"), "x")
        self.assertEqual(j("Items[0].Id"), "a")
        self.assertEqual(j("Items[-1].Id"), "b")
        self.assertEqual(j("Items[].Id"), ["a", "b"])
        self.assertEqual(j("Items[*].Id"), ["a", "b"])
        self.assertEqual(j("Items[0].[Id,Tags[].K]"), ["a", [1, 2]])
        self.assertIsNone(j("Items[5].Id"))
        self.assertIsNone(j("Missing.Key"))
        with self.assertRaises(ValueError):
            j("Items[?Id=='a']")

    def test_text_output(self):
        self.assertEqual(aws.text_output("x"), "x\n")
        self.assertEqual(aws.text_output(["a", "b"]), "a\tb\n")
        self.assertEqual(aws.text_output(["branch", ["sg-1", "sg-2"]]), "branch\nsg-1\tsg-2\n")
        self.assertEqual(aws.text_output(None), "None\n")
        self.assertEqual(aws.text_output([]), "")


if __name__ == "__main__":
    unittest.main()
