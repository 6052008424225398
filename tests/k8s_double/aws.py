"""The AWS side of the simulated EKS cluster, as far as the bundled
securitygroups-for-pods lab needs it.

What it models:

* the EKS cluster itself (`aws eks describe-cluster`): its name, VPC and
  cluster security group, which every node (and so every Pod without a
  branch interface) is a member of;
* security groups with tags and ingress rules that name other groups;
* the lab's Terraform module (a PostgreSQL instance that admits one security
  group on port 5432, and that group), created and destroyed by a test-only
  `terraform` (bin/terraform) that knows only that module;
* security groups for Pods: when a Pod is created while the aws-node
  DaemonSet has `ENABLE_POD_ENI=true` and a SecurityGroupPolicy of its
  namespace selects it (podSelector or serviceAccountSelector), it gets a
  branch network interface with the policy's groups, recorded in the
  `vpc.amazonaws.com/pod-eni` annotation; the interface goes when the Pod
  goes;
* who may connect to the database: the Pod's groups (its branch interface's,
  else the node's) against the database group's ingress rules.

What it does not prove: that the groups and rules work in a real VPC (no
packet is sent anywhere), trunk interface limits per node and instance type,
how long RDS takes to create, IAM permissions, and the VPC CNI's enforcement
modes (strict or standard) for Pods that have both security groups and
network policies. The `aws` stand-in (bin/aws) answers the few read-only
calls the lab makes, with `--query` (a small JMESPath subset) and
`--output json|text`.
"""

import hashlib
import json
import shlex

import netpol

REGION = "us-west-2"
ACCOUNT = "123456789012"
VPC_CIDR = "10.42.0.0/16"
# The resources of the lab's module, as `resource "TYPE" "NAME"` declares them.
MODULE_RESOURCES = {
    ("aws_security_group", "catalog_sync"),
    ("aws_security_group", "catalog_db"),
    ("aws_db_subnet_group", "catalog"),
    ("random_password", "catalog_db"),
    ("aws_db_instance", "catalog"),
}


def hexid(*parts, n=17):
    return hashlib.sha1("/".join(parts).encode()).hexdigest()[:n]


class Aws:
    def __init__(self, cluster_name, allocate_ip):
        self.cluster_name = cluster_name
        self.allocate_ip = allocate_ip  # () -> an unused address in the VPC
        self.vpc_id = "vpc-" + hexid(cluster_name, "vpc")
        self.subnets = ["subnet-" + hexid(cluster_name, "subnet", str(i)) for i in range(3)]
        self.security_groups = {}
        self.db_instances = {}
        self.interfaces = {}
        self.cluster_sg = self.add_group(
            f"eks-cluster-sg-{cluster_name}", "EKS created security group", {"Name": f"eks-cluster-sg-{cluster_name}"}
        )
        # The cluster group admits its own members on every port.
        self.security_groups[self.cluster_sg]["IpPermissions"] = [
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": self.cluster_sg}]}
        ]

    def add_group(self, name, description, tags, ingress=()):
        gid = "sg-" + hexid(self.cluster_name, "sg", name)
        self.security_groups[gid] = {
            "GroupId": gid,
            "GroupName": name,
            "Description": description,
            "VpcId": self.vpc_id,
            "OwnerId": ACCOUNT,
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())],
            "IpPermissions": list(ingress),
        }
        return gid

    # -- the database and who reaches it

    def hosts(self, host_class):
        """The databases as probe hosts (probes.Host)."""
        out = []
        for db in self.db_instances.values():
            groups = [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]]
            out.append(
                host_class(
                    [db["Endpoint"]["Address"]],
                    db["ip"],
                    {db["Endpoint"]["Port"]: "postgres"},
                    admits=lambda callers, port, groups=groups: self.admits(groups, callers, port),
                )
            )
        return out

    def admits(self, groups, callers, port):
        """Whether a rule of `groups` admits a member of `callers` on a TCP port."""
        for gid in groups:
            for rule in self.security_groups.get(gid, {}).get("IpPermissions", []):
                proto = rule.get("IpProtocol")
                if proto not in ("-1", "tcp"):
                    continue
                if proto == "tcp" and not rule.get("FromPort", 0) <= port <= rule.get("ToPort", 65535):
                    continue
                if any(p["GroupId"] in callers for p in rule.get("UserIdGroupPairs", [])):
                    return True
        return False

    def groups_of(self, pod):
        """A Pod's security groups: its branch interface's, else the node's."""
        raw = (pod["metadata"].get("annotations") or {}).get("vpc.amazonaws.com/pod-eni")
        if raw:
            try:
                eni = json.loads(raw)[0]["eniId"]
                return [g["GroupId"] for g in self.interfaces[eni]["Groups"]]
            except (ValueError, LookupError, TypeError):
                return []
        return [self.cluster_sg]

    # -- security groups for Pods

    def admit_pod(self, pod, policies, pod_eni_enabled):
        """The VPC resource controller at Pod creation: attaches a branch
        interface when a SecurityGroupPolicy selects the Pod."""
        if not pod_eni_enabled:
            return
        meta = pod["metadata"]
        groups = []
        for sgp in policies:
            if sgp["metadata"].get("namespace") != meta.get("namespace"):
                continue
            spec = sgp.get("spec") or {}
            sa = pod.get("spec", {}).get("serviceAccountName") or "default"
            chosen = ("podSelector" in spec and netpol.selects(spec["podSelector"], meta.get("labels"))) or (
                "serviceAccountSelector" in spec
                and sa in (spec["serviceAccountSelector"].get("matchNames") or [])
            )
            if chosen:
                for g in (spec.get("securityGroups") or {}).get("groupIds") or []:
                    if g not in groups:
                        groups.append(g)
        if not groups:
            return
        ip = pod.setdefault("status", {}).get("podIP") or self.allocate_ip()
        eni = "eni-" + hexid(self.cluster_name, "eni", meta["namespace"], meta["name"])
        mac = "02:" + ":".join(eni[4 + 2 * i : 6 + 2 * i] for i in range(5))
        self.interfaces[eni] = {
            "NetworkInterfaceId": eni,
            "InterfaceType": "branch",
            "Status": "in-use",
            "VpcId": self.vpc_id,
            "SubnetId": self.subnets[0],
            "PrivateIpAddress": ip,
            "MacAddress": mac,
            "Groups": [
                {"GroupId": g, "GroupName": self.security_groups.get(g, {}).get("GroupName", g)} for g in groups
            ],
            "Description": "aws-k8s-branch-eni",
            "pod": (meta["namespace"], meta["name"]),
        }
        meta.setdefault("annotations", {})["vpc.amazonaws.com/pod-eni"] = json.dumps(
            [
                {
                    "eniId": eni,
                    "ifAddress": mac,
                    "privateIp": ip,
                    "vlanId": 1,
                    "subnetCidr": "10.42.128.0/18",
                }
            ],
            separators=(",", ":"),
        )
        pod["status"]["podIP"] = ip

    def release_pod(self, pod):
        key = (pod["metadata"].get("namespace"), pod["metadata"]["name"])
        for eni, i in list(self.interfaces.items()):
            if i["pod"] == key:
                del self.interfaces[eni]

    # -- terraform

    def terraform(self, argv, main_tf, initialized, state):
        """Runs the test-only terraform: returns (stdout, stderr, code, files)
        where files maps names in the working directory to new contents."""
        args = [a for a in argv if not a.startswith("-chdir=")]
        variables = {}
        rest = []
        i = 0
        while i < len(args):
            if args[i] == "-var" and i + 1 < len(args):
                k, _, v = args[i + 1].partition("=")
                variables[k] = v
                i += 2
                continue
            if args[i].startswith("-var="):
                k, _, v = args[i][5:].partition("=")
                variables[k] = v
            elif not args[i].startswith("-"):
                rest.append(args[i])
            i += 1
        command = rest[0] if rest else ""
        if command == "version":
            return "Terraform v1.9.8 (simulated by the API double)\n", "", 0, {}
        if main_tf is None:
            return "", "\nError: No configuration files\n\nthe simulated terraform found no main.tf here\n", 1, {}
        declared = set()
        for line in main_tf.splitlines():
            words = shlex.split(line.replace("{", " "), comments=True) if line.startswith("resource ") else []
            if len(words) >= 3:
                declared.add((words[1], words[2]))
        if declared != MODULE_RESOURCES:
            return (
                "",
                "\nError: the simulated terraform models one module only (securitygroups-for-pods); "
                f"this configuration declares {sorted(declared)}\n",
                1,
                {},
            )
        if command == "init":
            lock = "# Written by the simulated terraform init.\n"
            return (
                "Initializing provider plugins...\n\nTerraform has been successfully initialized!\n",
                "",
                0,
                {".terraform.lock.hcl": lock, ".terraform/simulated": "initialized\n"},
            )
        if command not in ("apply", "destroy"):
            return "", f'\nError: the simulated terraform runs init, apply and destroy, not "{command}"\n', 1, {}
        if not initialized:
            return "", "\nError: Inconsistent dependency lock file\n\nRun \"terraform init\".\n", 1, {}
        name = variables.get("eks_cluster_name")
        if not name:
            return "", '\nError: No value for required variable "eks_cluster_name"\n', 1, {}
        if name != self.cluster_name:
            return (
                "",
                f"\nError: reading EKS Cluster ({name}): couldn't find resource\n\n"
                f"  with data.aws_eks_cluster.this\n(the simulated cluster is named {self.cluster_name})\n",
                1,
                {},
            )
        if command == "apply":
            out, err = self.apply_module(name), ""
        else:
            out, err = self.destroy_module(name)
        state = {"terraform.tfstate": json.dumps(self.module_state(name), indent=2) + "\n"}
        return out, err, 1 if err else 0, state

    def apply_module(self, name):
        sync = self.add_group(
            f"{name}-catalog-sync",
            "Pods that may connect to the catalog database",
            {"Name": f"{name}-catalog-sync", "labrun/module": "networking/securitygroups-for-pods"},
        )
        db_group = self.add_group(
            f"{name}-catalog-db",
            "Catalog database, reachable from catalog-sync Pods only",
            {"Name": f"{name}-catalog-db", "labrun/module": "networking/securitygroups-for-pods"},
            ingress=[
                {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": sync}]}
            ],
        )
        ident = f"{name}-catalog"
        created = 0
        if ident not in self.db_instances:
            created = 5
            self.db_instances[ident] = {
                "DBInstanceIdentifier": ident,
                "Engine": "postgres",
                "DBInstanceClass": "db.t4g.micro",
                "DBInstanceStatus": "available",
                "DBName": "catalog",
                "Endpoint": {
                    "Address": f"{ident}.c{hexid(name, 'rds', n=11)}.{REGION}.rds.amazonaws.com",
                    "Port": 5432,
                },
                "VpcSecurityGroups": [{"VpcSecurityGroupId": db_group, "Status": "active"}],
                "PubliclyAccessible": False,
                "ip": self.allocate_ip(),
            }
        return f"\nApply complete! Resources: {created} added, 0 changed, 0 destroyed.\n"

    def destroy_module(self, name):
        gone = 0
        if self.db_instances.pop(f"{name}-catalog", None):
            gone += 3
        for suffix in ("catalog-sync", "catalog-db"):
            gid = "sg-" + hexid(self.cluster_name, "sg", f"{name}-{suffix}")
            if any(gid in [g["GroupId"] for g in i["Groups"]] for i in self.interfaces.values()):
                return "", (
                    f"\nError: deleting Security Group ({gid}): DependencyViolation: "
                    "resource has a dependent object\n"
                )
            if self.security_groups.pop(gid, None):
                gone += 1
        return f"\nDestroy complete! Resources: {gone} destroyed.\n", ""

    def module_state(self, name):
        resources = []
        db = self.db_instances.get(f"{name}-catalog")
        if db:
            resources.append({"type": "aws_db_instance", "name": "catalog", "id": db["DBInstanceIdentifier"]})
        for suffix, rname in (("catalog-sync", "catalog_sync"), ("catalog-db", "catalog_db")):
            gid = "sg-" + hexid(self.cluster_name, "sg", f"{name}-{suffix}")
            if gid in self.security_groups:
                resources.append({"type": "aws_security_group", "name": rname, "id": gid})
        return {"version": 4, "terraform_version": "1.9.8", "simulated": True, "resources": resources}

    # -- the aws CLI

    def cli(self, argv):
        """Runs the test-only `aws`: returns (stdout, stderr, code)."""
        query, output, rest, params = None, "json", [], {}
        i = 0
        while i < len(argv):
            a = argv[i]
            if a == "--query" and i + 1 < len(argv):
                query = argv[i + 1]
                i += 2
                continue
            if a == "--output" and i + 1 < len(argv):
                output = argv[i + 1]
                i += 2
                continue
            if a in ("--region", "--profile") and i + 1 < len(argv):
                i += 2
                continue
            if a == "--no-cli-pager":
                i += 1
                continue
            if a.startswith("--"):
                values = []
                while i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                    values.append(argv[i + 1])
                    i += 1
                params[a[2:]] = values
            else:
                rest.append(a)
            i += 1
        if len(rest) != 2:
            return "", "usage: aws [options] <command> <subcommand> [parameters]\n", 252
        op = OPERATIONS.get(tuple(rest))
        if op is None:
            known = ", ".join(" ".join(k) for k in sorted(OPERATIONS))
            return "", f"aws: error: the simulated AWS CLI answers only: {known}\n", 252
        try:
            result = op(self, params)
        except AwsError as e:
            return "", f"\nAn error occurred ({e.code}) when calling the {e.operation} operation: {e.message}\n", 254
        if query:
            try:
                result = jmespath(query, result)
            except ValueError as e:
                return "", f"\nBad value for --query {query}: {e}\n", 252
        if output == "text":
            return text_output(result), "", 0
        if output == "json":
            return json.dumps(result, indent=4) + "\n", "", 0
        return "", f"aws: error: the simulated AWS CLI prints json or text, not {output}\n", 252


class AwsError(Exception):
    def __init__(self, code, operation, message):
        super().__init__(message)
        self.code, self.operation, self.message = code, operation, message


def one(params, key):
    values = params.get(key) or []
    return values[0] if values else None


def describe_cluster(aws, params):
    name = one(params, "name")
    if name != aws.cluster_name:
        raise AwsError("ResourceNotFoundException", "DescribeCluster", f"No cluster found for name: {name}.")
    return {
        "cluster": {
            "name": name,
            "arn": f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/{name}",
            "version": "1.32",
            "status": "ACTIVE",
            "resourcesVpcConfig": {
                "subnetIds": aws.subnets,
                "securityGroupIds": [],
                "clusterSecurityGroupId": aws.cluster_sg,
                "vpcId": aws.vpc_id,
                "endpointPublicAccess": True,
                "endpointPrivateAccess": True,
            },
        }
    }


def describe_db_instances(aws, params):
    ident = one(params, "db-instance-identifier")
    dbs = [
        {k: v for k, v in db.items() if k != "ip"}
        for i, db in sorted(aws.db_instances.items())
        if ident is None or i == ident
    ]
    if ident is not None and not dbs:
        raise AwsError("DBInstanceNotFound", "DescribeDBInstances", f"DBInstance {ident} not found.")
    return {"DBInstances": dbs}


def parse_filters(values):
    """`Name=tag:Name,Values=a,b` -> [(name, [values])]."""
    out = []
    for v in values:
        name, _, vals = v.partition(",Values=")
        out.append((name.removeprefix("Name="), vals.split(",") if vals else []))
    return out


def describe_security_groups(aws, params):
    wanted_ids = params.get("group-ids")
    groups = []
    for g in aws.security_groups.values():
        if wanted_ids and g["GroupId"] not in wanted_ids:
            continue
        ok = True
        for name, values in parse_filters(params.get("filters") or []):
            if name.startswith("tag:"):
                tag = {t["Key"]: t["Value"] for t in g["Tags"]}.get(name[4:])
                ok = ok and tag in values
            elif name in ("group-name", "group-id", "vpc-id"):
                field = {"group-name": "GroupName", "group-id": "GroupId", "vpc-id": "VpcId"}[name]
                ok = ok and g[field] in values
        if ok:
            groups.append(g)
    if wanted_ids and len(groups) < len(wanted_ids):
        missing = sorted(set(wanted_ids) - {g["GroupId"] for g in groups})
        raise AwsError(
            "InvalidGroup.NotFound", "DescribeSecurityGroups", f"The security group '{missing[0]}' does not exist"
        )
    return {"SecurityGroups": groups}


def describe_network_interfaces(aws, params):
    ids = params.get("network-interface-ids")
    found = []
    for i in aws.interfaces.values():
        if ids is None or i["NetworkInterfaceId"] in ids:
            found.append({k: v for k, v in i.items() if k != "pod"})
    if ids and len(found) < len(ids):
        missing = sorted(set(ids) - {i["NetworkInterfaceId"] for i in found})
        raise AwsError(
            "InvalidNetworkInterfaceID.NotFound",
            "DescribeNetworkInterfaces",
            f"The networkInterface ID '{missing[0]}' does not exist",
        )
    return {"NetworkInterfaces": found}


def get_caller_identity(aws, params):
    return {
        "UserId": "AIDASIMULATED",
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/labrun-simulated",
    }


OPERATIONS = {
    ("eks", "describe-cluster"): describe_cluster,
    ("rds", "describe-db-instances"): describe_db_instances,
    ("ec2", "describe-security-groups"): describe_security_groups,
    ("ec2", "describe-network-interfaces"): describe_network_interfaces,
    ("sts", "get-caller-identity"): get_caller_identity,
}


# ---------------------------------------------------------------- JMESPath


def jmespath(expr, data):
    """A JMESPath subset: `a.b`, `a[0]`, `a[]` / `a[*]` projections, and
    multiselect lists `[x, y]`, as `--query` uses them in the labs."""
    value, rest = eval_path(expr.strip(), data)
    if rest.strip():
        raise ValueError(f"unsupported expression near {rest!r}")
    return value


def eval_path(expr, data):
    """Evaluates a chain at the start of `expr`; returns (value, rest)."""
    value, projected = data, False
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch == ".":
            i += 1
            continue
        if ch in ",]":
            break
        if ch == "[":
            close = matching(expr, i)
            inner = expr[i + 1 : close].strip()
            i = close + 1
            if inner in ("", "*"):
                value = flatten(value) if inner == "" else list(value or [])
                value = [] if value is None else value
                projected = True
                # The rest of the chain applies to each element.
                sub, rest = eval_tail(expr[i:], value)
                return sub, rest
            if inner.lstrip("-").isdigit():
                value = apply(value, projected, lambda v, n=int(inner): v[n] if isinstance(v, list) and -len(v) <= n < len(v) else None)
                continue
            # A multiselect list: each expression on the current value.
            parts = split_top(inner)
            value = apply(value, projected, lambda v, ps=parts: None if v is None else [jmespath(p, v) for p in ps])
            continue
        j = i
        while j < len(expr) and (expr[j].isalnum() or expr[j] in "_-"):
            j += 1
        if j == i:
            raise ValueError(f"unexpected {expr[i:]!r}")
        key = expr[i:j]
        value = apply(value, projected, lambda v, k=key: v.get(k) if isinstance(v, dict) else None)
        i = j
    return value, expr[i:]


def eval_tail(tail, items):
    out = []
    if not tail.strip():
        return items, ""
    for item in items:
        v = jmespath(tail, item)
        if v is not None:
            out.append(v)
    return out, ""


def apply(value, projected, fn):
    if projected:
        return [r for r in (fn(v) for v in value or []) if r is not None]
    return fn(value)


def flatten(value):
    if not isinstance(value, list):
        return None
    out = []
    for v in value:
        out.extend(v if isinstance(v, list) else [v])
    return out


def matching(expr, i):
    depth = 0
    for j in range(i, len(expr)):
        if expr[j] == "[":
            depth += 1
        elif expr[j] == "]":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced [")


def split_top(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def text_output(value):
    """The AWS CLI's text format for what the labs query: a scalar on a line,
    a list of scalars tab-separated on one line, nested lists one per line,
    a mapping's scalar values tab-separated in key order."""
    lines = []

    def scalar(v):
        return "None" if v is None else ("True" if v is True else "False" if v is False else str(v))

    def emit(v):
        if isinstance(v, list):
            if all(not isinstance(x, (list, dict)) for x in v):
                if v:
                    lines.append("\t".join(scalar(x) for x in v))
            else:
                for x in v:
                    emit(x)
        elif isinstance(v, dict):
            flat = [scalar(v[k]) for k in sorted(v) if not isinstance(v[k], (list, dict))]
            if flat:
                lines.append("\t".join(flat))
            for k in sorted(v):
                if isinstance(v[k], (list, dict)):
                    emit(v[k])
        else:
            lines.append(scalar(v))

    emit(value)
    return "".join(line + "\n" for line in lines)
