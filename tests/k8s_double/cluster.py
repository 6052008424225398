"""The simulated EKS cluster behind the API double: what its controllers,
scheduler, kubelets and the VPC CNI would do, at once (or after
--controller-delay for workloads).

* Seed: two nodes; in kube-system CoreDNS (a Deployment whose Pods carry
  `k8s-app=kube-dns`), the `kube-dns` Service at 172.20.0.10, and the
  `aws-node` DaemonSet (VPC CNI) with its network policy agent enabled and
  `ENABLE_POD_ENI=false`; the `kubernetes` Service in default.
* A new namespace gets its label kubernetes.io/metadata.name, a `default`
  ServiceAccount and a `kube-root-ca.crt` ConfigMap.
* Deployments and DaemonSets: their Pods follow the template (labelled with
  a hash of it, so a changed template — `rollout restart`, `set env` —
  replaces them), then the status `rollout status` reads.
* Pods are scheduled onto a node, get an address in the VPC (10.42.0.0/16)
  and are Running and Ready with every container started; a
  SecurityGroupPolicy may give them a branch interface (aws.py).
* Endpoints follow the ready Pods of each Service with a selector.
* Deleting an owner deletes what it owns; deleting a namespace deletes its
  objects (store.py).
"""

import copy
import hashlib
import json
import random
import threading

import aws
import probes
from api import BY_KIND, now

NODES = [
    ("ip-10-42-1-20.us-west-2.compute.internal", "10.42.1.20"),
    ("ip-10-42-2-40.us-west-2.compute.internal", "10.42.2.40"),
]
KUBE_DNS_IP = "172.20.0.10"
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def kind_of(name, api_version="v1"):
    return BY_KIND[(api_version, name)]


def suffix(n=5):
    return "".join(random.choice(SUFFIX_ALPHABET) for _ in range(n))


def template_hash(template):
    digest = hashlib.sha1(json.dumps(template, sort_keys=True).encode()).digest()
    return "".join(SUFFIX_ALPHABET[b % len(SUFFIX_ALPHABET)] for b in digest[:10])


class Simulation:
    def __init__(self, store, cluster_name):
        self.store = store
        self.aws = aws.Aws(cluster_name, self.pod_ip)
        self.pod_ips = 0
        self.service_ips = 0
        self.scheduled = 0
        # Workloads being reconciled: deleting their Pods must not start another round.
        self.reconciling = set()

    # -- addresses

    def pod_ip(self):
        n = self.pod_ips
        self.pod_ips += 1
        return f"10.42.{128 + n // 250}.{n % 250 + 4}"

    def service_ip(self):
        n = self.service_ips
        self.service_ips += 1
        return f"172.20.{100 + n // 250}.{n % 250 + 4}"

    # -- seed

    def seed(self):
        s = self.store
        for name, ip in NODES:
            s.create(
                kind_of("Node"),
                None,
                {
                    "metadata": {
                        "name": name,
                        "labels": {
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "node.kubernetes.io/instance-type": "m5.large",
                            "topology.kubernetes.io/zone": "us-west-2a",
                        },
                    },
                    "spec": {"providerID": f"aws:///us-west-2a/i-{aws.hexid(name)}"},
                    "status": {
                        "addresses": [
                            {"type": "InternalIP", "address": ip},
                            {"type": "Hostname", "address": name},
                        ],
                        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
                        "nodeInfo": {"kubeletVersion": "v1.32.0-eks", "osImage": "Amazon Linux 2023"},
                    },
                },
            )
        s.create(
            kind_of("Service"),
            "default",
            {
                "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
                "spec": {"clusterIP": "172.20.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]},
            },
        )
        dns_labels = {"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}
        s.create(
            kind_of("Deployment", "apps/v1"),
            "kube-system",
            {
                "metadata": {"name": "coredns", "labels": dict(dns_labels)},
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": dict(dns_labels)},
                    "template": {
                        "metadata": {"labels": dict(dns_labels)},
                        "spec": {
                            "containers": [
                                {
                                    "name": "coredns",
                                    "image": "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2",
                                    "ports": [
                                        {"name": "dns", "containerPort": 53, "protocol": "UDP"},
                                        {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                                        {"name": "metrics", "containerPort": 9153, "protocol": "TCP"},
                                    ],
                                }
                            ]
                        },
                    },
                },
            },
        )
        s.create(
            kind_of("Service"),
            "kube-system",
            {
                "metadata": {"name": "kube-dns", "labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "clusterIP": KUBE_DNS_IP,
                    "selector": {"k8s-app": "kube-dns"},
                    "ports": [
                        {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                        {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    ],
                },
            },
        )
        node_labels = {"k8s-app": "aws-node"}
        s.create(
            kind_of("DaemonSet", "apps/v1"),
            "kube-system",
            {
                "metadata": {"name": "aws-node", "labels": dict(node_labels)},
                "spec": {
                    "selector": {"matchLabels": dict(node_labels)},
                    "template": {
                        "metadata": {"labels": dict(node_labels)},
                        "spec": {
                            "hostNetwork": True,
                            "containers": [
                                {
                                    "name": "aws-node",
                                    "image": "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1",
                                    "env": [
                                        {"name": "AWS_VPC_K8S_CNI_LOGLEVEL", "value": "DEBUG"},
                                        {"name": "ENABLE_POD_ENI", "value": "false"},
                                        {"name": "ENABLE_PREFIX_DELEGATION", "value": "false"},
                                        {"name": "POD_SECURITY_GROUP_ENFORCING_MODE", "value": "standard"},
                                    ],
                                },
                                {
                                    "name": "aws-network-policy-agent",
                                    "image": "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1",
                                    "args": ["--enable-ipv6=false", "--enable-network-policy=true"],
                                },
                            ],
                        },
                    },
                },
            },
        )

    # -- hooks from the store (called with its lock held)

    def after_write(self, kind, obj):
        ns = obj["metadata"].get("namespace")
        if kind.kind == "Namespace":
            self.seed_namespace(obj["metadata"]["name"])
        elif kind.kind in ("Deployment", "DaemonSet"):
            self.schedule_reconcile(kind.kind, ns, obj["metadata"]["name"])
        elif kind.kind in ("Pod", "Service"):
            self.sync_endpoints(ns)

    def after_delete(self, obj):
        ns = obj["metadata"].get("namespace")
        if obj["kind"] == "Pod":
            self.aws.release_pod(obj)
            for key in [k for k in self.store.pod_logs if k[:2] == (ns, obj["metadata"]["name"])]:
                del self.store.pod_logs[key]
            self.sync_endpoints(ns)
            # A workload replaces a Pod deleted under it.
            for ref in obj["metadata"].get("ownerReferences") or []:
                if ref.get("kind") in ("Deployment", "DaemonSet"):
                    self.schedule_reconcile(ref["kind"], ns, ref.get("name"))
        elif obj["kind"] == "Service":
            self.sync_endpoints(ns)

    def seed_namespace(self, ns):
        for kind, body in (
            (kind_of("ServiceAccount"), {"metadata": {"name": "default"}}),
            (
                kind_of("ConfigMap"),
                {"metadata": {"name": "kube-root-ca.crt"}, "data": {"ca.crt": "double"}},
            ),
        ):
            if self.store.key(kind, ns, body["metadata"]["name"]) not in self.store.objects:
                self.store.create(kind, ns, body)

    # -- Pods

    def schedule_pod(self, pod):
        """What the scheduler and the kubelet make of a new Pod, at once."""
        spec = pod.setdefault("spec", {})
        if not spec.get("nodeName"):
            spec["nodeName"] = NODES[self.scheduled % len(NODES)][0]
            self.scheduled += 1
        host_ip = dict(NODES).get(spec["nodeName"], NODES[0][1])
        ip = host_ip if spec.get("hostNetwork") else self.pod_ip()
        started = now()
        containers = spec.get("containers") or []
        pod["status"] = {
            "phase": "Running",
            "conditions": [
                {"type": t, "status": "True", "lastTransitionTime": started}
                for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": started,
            "qosClass": "Burstable",
            "containerStatuses": [
                {
                    "name": c.get("name"),
                    "image": c.get("image"),
                    "imageID": f"{c.get('image')}@sha256:{hashlib.sha256(str(c.get('image')).encode()).hexdigest()}",
                    "containerID": f"containerd://{hashlib.sha256((pod['metadata'].get('name', '') + str(c.get('name'))).encode()).hexdigest()}",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": started}},
                }
                for c in containers
            ],
        }

    def admit_pod(self, pod):
        """Admission and start-up side effects of a new Pod: a branch
        interface for security groups for Pods, and the first log lines."""
        store = self.store
        if pod["metadata"].get("namespace") != "kube-system":
            sgps = store.objects_of("vpcresources.k8s.aws/v1beta1", "SecurityGroupPolicy")
            self.aws.admit_pod(pod, sgps, self.pod_eni_enabled())
        for c in pod.get("spec", {}).get("containers") or []:
            image = c.get("image") or ""
            if "http-echo" in image:
                listen = next((a.split("=", 1)[1] for a in c.get("args") or [] if a.startswith("-listen=")), ":5678")
                store.append_log(pod, c.get("name"), f"[INFO] server is listening on {listen}")
            elif "coredns" in image:
                store.append_log(pod, c.get("name"), ".:53\n[INFO] plugin/reload: Running configuration SHA512 = simulated\nCoreDNS-1.11.3")

    def pod_eni_enabled(self):
        ds = self.store.objects.get(self.store.key(kind_of("DaemonSet", "apps/v1"), "kube-system", "aws-node"))
        if ds is None:
            return False
        for c in ds["spec"].get("template", {}).get("spec", {}).get("containers") or []:
            if c.get("name") == "aws-node":
                for e in c.get("env") or []:
                    if e.get("name") == "ENABLE_POD_ENI":
                        return str(e.get("value")).lower() == "true"
        return False

    # -- workloads

    def schedule_reconcile(self, kind_name, ns, name):
        if (kind_name, ns, name) in self.reconciling:
            return
        if self.store.controller_delay > 0:
            t = threading.Timer(self.store.controller_delay, self.reconcile, (kind_name, ns, name))
            t.daemon = True
            t.start()
        else:
            self.reconcile(kind_name, ns, name)

    def reconcile(self, kind_name, ns, name):
        """What the Deployment (and ReplicaSet) or DaemonSet controller would
        do: Pods from the current template, old ones replaced, then status."""
        store = self.store
        kind = kind_of(kind_name, "apps/v1")
        with store.lock:
            if store.objects.get(store.key(kind, ns, name)) is None:
                return
            self.reconciling.add((kind_name, ns, name))
            try:
                self.reconcile_now(kind_name, ns, name)
            finally:
                self.reconciling.discard((kind_name, ns, name))

    def reconcile_now(self, kind_name, ns, name):
        store = self.store
        kind, pod_kind = kind_of(kind_name, "apps/v1"), kind_of("Pod")
        obj = store.objects.get(store.key(kind, ns, name))
        uid = obj["metadata"]["uid"]
        template = obj["spec"].get("template", {})
        digest = template_hash(template)
        hash_label = "pod-template-hash" if kind_name == "Deployment" else "controller-revision-hash"
        mine = [
            o
            for o in store.objects_of("v1", "Pod", ns)
            if any(r.get("uid") == uid for r in o["metadata"].get("ownerReferences", []))
        ]
        for pod in mine:
            if (pod["metadata"].get("labels") or {}).get(hash_label) != digest:
                store.delete(pod_kind, ns, pod["metadata"]["name"])
        current = [p for p in mine if (p["metadata"].get("labels") or {}).get(hash_label) == digest]
        if kind_name == "Deployment":
            want = int(obj["spec"].get("replicas", 1))
            for pod in current[want:]:
                store.delete(pod_kind, ns, pod["metadata"]["name"])
            places = [None] * max(0, want - len(current))
        else:
            taken = {p.get("spec", {}).get("nodeName") for p in current}
            want = len(NODES)
            places = [n for n, _ in NODES if n not in taken]
        for node in places:
            pod = {
                "metadata": {
                    "name": f"{name}-{digest}-{suffix()}" if kind_name == "Deployment" else f"{name}-{suffix()}",
                    "labels": {**(template.get("metadata", {}).get("labels") or {}), hash_label: digest},
                    "annotations": dict(template.get("metadata", {}).get("annotations") or {}),
                    "ownerReferences": [
                        {
                            "apiVersion": "apps/v1",
                            "kind": kind_name,
                            "name": name,
                            "uid": uid,
                            "controller": True,
                            "blockOwnerDeletion": True,
                        }
                    ],
                },
                "spec": copy.deepcopy(template.get("spec", {})),
            }
            if node:
                pod["spec"]["nodeName"] = node
            store.create(pod_kind, ns, pod)
        store.create(
            kind_of("Event"),
            ns,
            {
                "metadata": {"generateName": name + "."},
                "involvedObject": {"kind": kind_name, "name": name, "namespace": ns, "uid": uid},
                "reason": "ScalingReplicaSet" if kind_name == "Deployment" else "SuccessfulCreate",
                "message": f"Scaled {name} to {want}" if kind_name == "Deployment" else f"{name}: {want} Pods",
                "type": "Normal",
            },
        )
        generation = obj["metadata"].get("generation", 1)
        if kind_name == "Deployment":
            obj["status"] = {
                "observedGeneration": generation,
                "replicas": want,
                "readyReplicas": want,
                "availableReplicas": want,
                "updatedReplicas": want,
                "conditions": [
                    {
                        "type": "Available",
                        "status": "True" if want > 0 else "False",
                        "reason": "MinimumReplicasAvailable",
                        "message": "Deployment has minimum availability.",
                    },
                    {
                        "type": "Progressing",
                        "status": "True",
                        "reason": "NewReplicaSetAvailable",
                        "message": f'ReplicaSet "{name}-{digest}" has successfully progressed.',
                    },
                ],
            }
        else:
            obj["status"] = {
                "observedGeneration": generation,
                "currentNumberScheduled": want,
                "desiredNumberScheduled": want,
                "numberAvailable": want,
                "numberMisscheduled": 0,
                "numberReady": want,
                "updatedNumberScheduled": want,
            }
        obj["metadata"]["resourceVersion"] = store.next_rv()
        store.record("MODIFIED", obj)

    # -- Endpoints

    def sync_endpoints(self, ns):
        """Makes each selector Service's Endpoints list its ready Pods."""
        store = self.store
        ep_kind = kind_of("Endpoints")
        if store.key(kind_of("Namespace"), None, ns) not in store.objects:
            return  # being deleted: the namespace takes its objects along
        services = {s["metadata"]["name"]: s for s in store.objects_of("v1", "Service", ns)}
        for ep in list(store.objects_of("v1", "Endpoints", ns)):
            svc = services.get(ep["metadata"]["name"])
            if svc is None or not (svc.get("spec") or {}).get("selector"):
                store.delete(ep_kind, ns, ep["metadata"]["name"])
        net = probes.Network({}, store.objects_of("v1", "Pod", ns), [], [])
        for name, svc in services.items():
            spec = svc.get("spec") or {}
            if not spec.get("selector"):
                continue
            pods = net.service_pods(svc)
            ports = []
            for p in spec.get("ports") or []:
                target = p.get("targetPort", p.get("port"))
                if isinstance(target, str) and not target.isdigit() and pods:
                    target = net.endpoint(pods[0]).named_port(target, p.get("protocol") or "TCP") or target
                ports.append({"name": p.get("name", ""), "port": target, "protocol": p.get("protocol") or "TCP"})
            subsets = (
                [
                    {
                        "addresses": [
                            {
                                "ip": pod["status"]["podIP"],
                                "nodeName": pod["spec"].get("nodeName"),
                                "targetRef": {
                                    "kind": "Pod",
                                    "namespace": ns,
                                    "name": pod["metadata"]["name"],
                                    "uid": pod["metadata"]["uid"],
                                },
                            }
                            for pod in pods
                        ],
                        "ports": ports,
                    }
                ]
                if pods
                else []
            )
            existing = store.objects.get(store.key(ep_kind, ns, name))
            body = {"metadata": {"name": name, "labels": dict(svc["metadata"].get("labels") or {})}, "subsets": subsets}
            if existing is None:
                store.create(ep_kind, ns, body)
            elif existing.get("subsets") != subsets:
                body["metadata"] = copy.deepcopy(existing["metadata"])
                store.replace(ep_kind, ns, name, body)

    # -- probes

    def network(self):
        """A snapshot of the cluster for one probe (probes.Network)."""
        store = self.store
        with store.lock:
            namespaces = {
                o["metadata"]["name"]: dict(o["metadata"].get("labels") or {})
                for o in store.objects_of("v1", "Namespace")
            }
            pods = copy.deepcopy(store.objects_of("v1", "Pod"))
            services = copy.deepcopy(store.objects_of("v1", "Service"))
            policies = copy.deepcopy(store.objects_of("networking.k8s.io/v1", "NetworkPolicy"))
            hosts = probes.INTERNET + self.aws.hosts(probes.Host)
            groups = {(p["metadata"]["namespace"], p["metadata"]["name"]): self.aws.groups_of(p) for p in pods}
        return probes.Network(
            namespaces,
            pods,
            services,
            policies,
            hosts,
            groups_of=lambda pod: groups.get((pod["metadata"]["namespace"], pod["metadata"]["name"]), []),
            log=store.append_log,
        )
