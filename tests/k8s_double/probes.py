"""What a command run with `kubectl exec` prints in the simulated cluster.

Labs probe connectivity from inside a Pod: `curl` to a Service or a Pod
address, `nc` to a port, `pg_isready` to a database. This module interprets
those commands (and a few trivial ones) and answers with the output, exit
code and duration a real container would give, derived from the cluster's
state: Services and their ready endpoints, cluster DNS, the NetworkPolicies
in force (netpol.py) and, for addresses outside the cluster, the hosts the
double knows (a public web site, AWS resources with security groups).

A probe goes through the phases a real client does, and fails where a real
one would:

1. name resolution through the cluster DNS (the CoreDNS Pods, labelled
   `k8s-app=kube-dns` in kube-system, on UDP port 53): a source Pod that may
   not reach them times out while resolving; an unknown name is NXDOMAIN;
2. a Service address is translated to one of its ready endpoints (the Pod
   port behind `targetPort`); a Service without endpoints rejects;
3. the connection is checked against the policies at both ends, and against
   security groups for AWS hosts: a denied connection times out (packets are
   dropped); a port where nothing listens is refused;
4. the server answers: an `http-echo` container with its `-text`, a web site
   with a page, PostgreSQL with "accepting connections".

Durations are simulated seconds: the server sleeps them multiplied by its
--time-scale (0 in tests), so a timeout "takes" --max-time as it would.

Which commands a container has depends on its image (IMAGE_TOOLS); a command
the image lacks fails as a container runtime reports it.
"""

import ipaddress
import shlex

import netpol

# Commands each image provides here (a substring of the image name). Images
# not listed get BASIC.
BASIC = {"sh", "echo", "hostname", "sleep", "true", "false"}
BUSYBOX = BASIC | {"nc"}
IMAGE_TOOLS = [
    ("hashicorp/http-echo", set()),
    ("coredns", set()),
    ("curlimages/curl", BUSYBOX | {"curl"}),
    ("postgres", BUSYBOX | {"pg_isready"}),
    ("busybox", BUSYBOX),
    ("alpine", BUSYBOX),
]

# What a resolver does when its queries go unanswered: two attempts of five
# seconds (musl and glibc defaults), then "could not resolve".
RESOLVER_GIVES_UP = 10.0
# curl's default connect timeout, and the kernel's for other clients.
CURL_CONNECT_TIMEOUT = 300.0
KERNEL_CONNECT_TIMEOUT = 130.0
# A successful exchange inside one region.
ROUND_TRIP = 0.01


class Result:
    """What an exec prints and returns; `seconds` is simulated time."""

    def __init__(self, stdout="", stderr="", code=0, seconds=0.0):
        self.stdout, self.stderr, self.code, self.seconds = stdout, stderr, code, seconds

    def __repr__(self):
        return f"Result(code={self.code}, stdout={self.stdout!r}, stderr={self.stderr!r}, seconds={self.seconds})"


class Host:
    """An address outside the cluster: its names, its ports (port -> kind:
    "http", "https", "postgres") and, for AWS resources, a check of the
    caller's security groups (`admits(groups, port)`)."""

    def __init__(self, names, ip, ports, admits=None, body=""):
        self.names = [n.lower() for n in names]
        self.ip, self.ports, self.admits, self.body = ip, dict(ports), admits, body


INTERNET = [
    Host(
        ["www.example.com", "example.com"],
        "93.184.215.14",
        {80: "http", 443: "https"},
        body="<!doctype html><html><head><title>Example Domain</title></head></html>\n",
    ),
    # The egress-lockdown lab's payment provider, in a documentation range.
    Host(["api.payments.example"], "192.0.2.10", {443: "https"}, body='{"status":"ok"}\n'),
]


class Connection:
    """The outcome of a TCP or UDP connection attempt."""

    def __init__(self, kind, pod=None, container=None, host=None, port=None, why=""):
        # kind: "ok", "timeout" (dropped), "refused"
        self.kind, self.pod, self.container, self.host = kind, pod, container, host
        self.port, self.why = port, why

    def service(self):
        """What answers: "http", "https", "postgres" or None."""
        if self.host is not None:
            return self.host.ports.get(self.port)
        if self.container is not None:
            image = self.container.get("image", "")
            if "postgres" in image:
                return "postgres"
            return "http"
        return None

    def body(self):
        if self.host is not None:
            return self.host.body
        for arg in self.container.get("args") or []:
            if arg.startswith("-text="):
                return arg[len("-text=") :] + "\n"
        return ""


class Network:
    """The cluster as the probes see it: plain Kubernetes objects, the hosts
    outside it, and how to find a Pod's security groups (AWS)."""

    def __init__(self, namespaces, pods, services, policies, hosts=(), groups_of=None, log=None):
        self.namespaces = namespaces  # name -> labels
        self.pods = [p for p in pods if (p.get("status") or {}).get("podIP")]
        self.services = services
        self.policies = policies
        self.hosts = list(hosts)
        self.groups_of = groups_of or (lambda pod: [])
        self.log = log or (lambda pod, container, line: None)

    # -- lookups

    def endpoint(self, pod):
        return netpol.pod_endpoint(pod, self.namespaces)

    def ready(self, pod):
        st = pod.get("status") or {}
        if st.get("phase") != "Running" or pod["metadata"].get("deletionTimestamp"):
            return False
        return any(
            c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or []
        )

    def dns_pods(self):
        return [
            p
            for p in self.pods
            if p["metadata"].get("namespace") == "kube-system"
            and (p["metadata"].get("labels") or {}).get("k8s-app") == "kube-dns"
            and self.ready(p)
        ]

    def service_by_name(self, name, namespace):
        for s in self.services:
            if s["metadata"]["name"] == name and s["metadata"].get("namespace") == namespace:
                return s
        return None

    def service_address(self, svc):
        ip = (svc.get("spec") or {}).get("clusterIP")
        if ip and ip != "None":
            return ip
        pods = self.service_pods(svc)
        return pods[0]["status"]["podIP"] if pods else None

    def service_pods(self, svc):
        sel = (svc.get("spec") or {}).get("selector")
        if not sel:
            return []
        ns = svc["metadata"].get("namespace")
        return sorted(
            (
                p
                for p in self.pods
                if p["metadata"].get("namespace") == ns
                and netpol.selects({"matchLabels": sel}, p["metadata"].get("labels"))
                and self.ready(p)
            ),
            key=lambda p: p["metadata"]["name"],
        )

    # -- phases

    def resolve(self, source, name):
        """("ok", ip) | ("timeout", None) | ("nxdomain", None)."""
        if is_ip(name):
            return "ok", name
        src = self.endpoint(source)
        dns = [self.endpoint(p) for p in self.dns_pods()]
        if not any(netpol.allowed(self.policies, src, d, 53, "UDP") for d in dns):
            return "timeout", None
        wanted = name.rstrip(".").lower()
        parts = wanted.split(".")
        ns = source["metadata"].get("namespace")
        candidates = []
        if len(parts) == 1:
            candidates.append((parts[0], ns))
        elif len(parts) == 2 or parts[2:] in (["svc"], ["svc", "cluster", "local"]):
            candidates.append((parts[0], parts[1]))
        for svc_name, svc_ns in candidates:
            svc = self.service_by_name(svc_name, svc_ns)
            if svc is not None:
                ip = self.service_address(svc)
                return ("ok", ip) if ip else ("nxdomain", None)
        for h in self.hosts:
            if wanted in h.names:
                return "ok", h.ip
        return "nxdomain", None

    def connect(self, source, ip, port, protocol="TCP"):
        """Opens a connection from a Pod to an address: a Connection."""
        src = self.endpoint(source)
        for svc in self.services:
            if (svc.get("spec") or {}).get("clusterIP") == ip:
                return self.connect_service(source, svc, port, protocol)
        for pod in self.pods:
            if pod["status"]["podIP"] == ip:
                dst = self.endpoint(pod)
                verdict = netpol.allowed(self.policies, src, dst, port, protocol)
                if not verdict:
                    return Connection("timeout", why=repr(verdict))
                if not self.ready(pod):
                    return Connection("refused", why="the Pod is not ready")
                for c in pod.get("spec", {}).get("containers", []):
                    for p in c.get("ports") or []:
                        if p.get("containerPort") == port and (p.get("protocol") or "TCP") == protocol:
                            return Connection("ok", pod=pod, container=c, port=port)
                return Connection("refused", why="nothing listens on that port")
        for h in self.hosts:
            if h.ip == ip:
                verdict = netpol.allowed(self.policies, src, netpol.Endpoint(ip), port, protocol)
                if not verdict:
                    return Connection("timeout", why=repr(verdict))
                if h.admits is not None and not h.admits(self.groups_of(source), port):
                    return Connection("timeout", why="no security group rule admits the caller")
                if port not in h.ports:
                    return Connection("refused", host=h, port=port)
                return Connection("ok", host=h, port=port)
        return Connection("timeout", why="no route to that address")

    def connect_service(self, source, svc, port, protocol):
        spec = svc.get("spec") or {}
        sp = next(
            (
                p
                for p in spec.get("ports") or []
                if p.get("port") == port and (p.get("protocol") or "TCP") == protocol
            ),
            None,
        )
        if sp is None:
            return Connection("timeout", why="the Service has no such port")
        pods = self.service_pods(svc)
        if not pods:
            return Connection("refused", why="the Service has no ready endpoints")
        pod = pods[0]
        target = sp.get("targetPort", sp.get("port"))
        if isinstance(target, str) and not target.isdigit():
            named = self.endpoint(pod).named_port(target, protocol)
            if named is None:
                return Connection("refused", why=f"no container port named {target}")
            target = named
        return self.connect(source, pod["status"]["podIP"], int(target), protocol)


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- commands


def image_tools(image):
    for part, tools in IMAGE_TOOLS:
        if part in (image or ""):
            return tools
    return BASIC


def run(net, pod, container, argv):
    """Runs `argv` in a container of `pod`: a Result, or a str when the
    container runtime cannot start it (the message kubectl shows)."""
    if not argv:
        return "you must specify at least one command for the container"
    tools = image_tools(container.get("image"))
    prog = argv[0].rsplit("/", 1)[-1]
    if prog not in tools:
        offered = ", ".join(sorted(tools)) or "nothing but its own program"
        return (
            "Internal error occurred: error executing command in container: failed to exec in container: "
            f'OCI runtime exec failed: exec failed: unable to start container process: exec: "{argv[0]}": '
            f"executable file not found in $PATH: unknown (simulated image {container.get('image')} "
            f"provides: {offered})"
        )
    return COMMANDS[prog](net, pod, container, argv[1:])


def cmd_sh(net, pod, container, args):
    if len(args) >= 2 and args[0] == "-c":
        try:
            words = shlex.split(args[1])
        except ValueError as e:
            return Result(stderr=f"sh: syntax error: {e}\n", code=2)
        if any(w in (";", "&&", "||", "|") or w.endswith(";") for w in words) or any(
            ch in args[1] for ch in "|;&<>$`"
        ):
            return Result(stderr="sh: the simulated shell runs one simple command only\n", code=2)
        if not words:
            return Result()
        out = run(net, pod, container, words)
        return Result(stderr=out + "\n", code=127) if isinstance(out, str) else out
    return Result(stderr="sh: the simulated shell needs -c COMMAND\n", code=2)


def cmd_echo(net, pod, container, args):
    return Result(stdout=" ".join(args) + "\n")


def cmd_hostname(net, pod, container, args):
    return Result(stdout=pod["metadata"]["name"] + "\n")


def cmd_sleep(net, pod, container, args):
    try:
        return Result(seconds=float(args[0]))
    except (IndexError, ValueError):
        return Result(stderr="sleep: invalid number\n", code=1)


def cmd_true(net, pod, container, args):
    return Result()


def cmd_false(net, pod, container, args):
    return Result(code=1)


# -- curl


class Usage(Exception):
    pass


CURL_FLAGS = {
    "-s": "silent", "--silent": "silent", "-S": "show_error", "--show-error": "show_error",
    "-f": "fail", "--fail": "fail", "-I": "head", "--head": "head", "-k": "insecure",
    "--insecure": "insecure", "-L": "location", "--location": "location", "-v": "verbose",
    "--verbose": "verbose", "-i": "include", "--include": "include",
}
CURL_VALUES = {
    "-o": "output", "--output": "output", "-w": "write_out", "--write-out": "write_out",
    "-m": "max_time", "--max-time": "max_time", "--connect-timeout": "connect_timeout",
    "-H": "header", "--header": "header", "-X": "request", "--request": "request",
    "-d": "data", "--data": "data", "-A": "user_agent", "--user-agent": "user_agent",
    "--retry": "retry",
}


def parse_curl(args):
    opts, urls, i = {}, [], 0
    while i < len(args):
        a = args[i]
        if a in CURL_FLAGS:
            opts[CURL_FLAGS[a]] = True
        elif a in CURL_VALUES:
            if i + 1 >= len(args):
                raise Usage(f"option {a}: requires parameter")
            opts[CURL_VALUES[a]] = args[i + 1]
            i += 1
        elif a.startswith("--") and "=" in a and a.split("=", 1)[0] in CURL_VALUES:
            k, v = a.split("=", 1)
            opts[CURL_VALUES[k]] = v
        elif a.startswith("-") and not a.startswith("--") and len(a) > 2:
            # Bundled short options: -sS, -sSf, -sSo FILE.
            for j, ch in enumerate(a[1:]):
                flag = "-" + ch
                if flag in CURL_FLAGS:
                    opts[CURL_FLAGS[flag]] = True
                elif flag in CURL_VALUES:
                    rest = a[j + 2 :]
                    if rest:
                        opts[CURL_VALUES[flag]] = rest
                    elif i + 1 < len(args):
                        opts[CURL_VALUES[flag]] = args[i + 1]
                        i += 1
                    else:
                        raise Usage(f"option {flag}: requires parameter")
                    break
                else:
                    raise Usage(f"option {a}: is unknown")
        elif a.startswith("-"):
            raise Usage(f"option {a}: is unknown")
        else:
            urls.append(a)
        i += 1
    if not urls:
        raise Usage("no URL specified")
    for k in ("max_time", "connect_timeout"):
        if k in opts:
            try:
                opts[k] = float(opts[k])
            except ValueError:
                raise Usage(f"option --{k.replace('_', '-')}: expected a proper numerical parameter")
    return opts, urls[0]


def split_url(url):
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    hostport = rest.split("/", 1)[0].split("?", 1)[0]
    if hostport.startswith("["):
        host, _, port = hostport[1:].partition("]")
        port = port.lstrip(":")
    else:
        host, _, port = hostport.partition(":")
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, host, int(port) if port else default


def write_out(fmt, code, remote_ip, url):
    values = {
        "http_code": f"{code:03d}",
        "response_code": f"{code:03d}",
        "remote_ip": remote_ip or "",
        "url_effective": url,
        "exitcode": "",
    }
    out, i = "", 0
    while i < len(fmt):
        if fmt.startswith("%{", i) and "}" in fmt[i:]:
            end = fmt.index("}", i)
            out += values.get(fmt[i + 2 : end], "")
            i = end + 1
        elif fmt[i] == "\\" and i + 1 < len(fmt):
            out += {"n": "\n", "t": "\t", "r": "\r"}.get(fmt[i + 1], fmt[i + 1])
            i += 2
        else:
            out += fmt[i]
            i += 1
    return out


def cmd_curl(net, pod, container, args):
    try:
        opts, url = parse_curl(args)
    except Usage as e:
        return Result(
            stderr=f"curl: {e}\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
            code=2,
        )
    scheme, host, port = split_url(url)
    if scheme not in ("http", "https") or port is None:
        return Result(stderr=f'curl: (1) Protocol "{scheme}" not supported\n', code=1)
    max_time = opts.get("max_time")
    connect_limit = min(
        t for t in (max_time, opts.get("connect_timeout"), CURL_CONNECT_TIMEOUT) if t is not None
    )
    show = not opts.get("silent") or opts.get("show_error")
    fmt = opts.get("write_out")

    def fail(code, message, seconds, remote_ip=None):
        stdout = write_out(fmt, 0, remote_ip, url) if fmt else ""
        return Result(stdout=stdout, stderr=f"curl: ({code}) {message}\n" if show else "", code=code, seconds=seconds)

    status, ip = net.resolve(pod, host)
    if status == "timeout":
        if max_time is not None and max_time < RESOLVER_GIVES_UP:
            return fail(28, f"Resolving timed out after {ms(max_time)} milliseconds", max_time)
        return fail(6, f"Could not resolve host: {host}", RESOLVER_GIVES_UP)
    if status == "nxdomain":
        return fail(6, f"Could not resolve host: {host}", ROUND_TRIP)
    conn = net.connect(pod, ip, port)
    if conn.kind == "timeout":
        if max_time is not None and max_time <= connect_limit:
            return fail(28, f"Connection timed out after {ms(max_time) + 2} milliseconds", max_time, ip)
        return fail(
            28,
            f"Failed to connect to {host} port {port} after {ms(connect_limit)} ms: Timeout was reached",
            connect_limit,
            ip,
        )
    if conn.kind == "refused":
        return fail(7, f"Failed to connect to {host} port {port} after 0 ms: Could not connect to server", ROUND_TRIP, ip)
    served = conn.service()
    if scheme == "https" and served != "https":
        return fail(35, "TLS connect error: error:0A00010B:SSL routines::wrong version number", ROUND_TRIP, ip)
    if scheme == "http" and served == "https":
        code, body = 400, "Client sent an HTTP request to an HTTPS server.\n"
    elif served in ("http", "https"):
        code, body = 200, conn.body()
    else:
        return fail(52, "Empty reply from server", ROUND_TRIP, ip)
    if conn.container is not None:
        src_ip = pod["status"]["podIP"]
        net.log(
            conn.pod,
            conn.container["name"],
            f'{host}:{port} {src_ip}:{40000 + len(body)} "GET / HTTP/1.1" {code} {len(body)} "curl/8.11.1"',
        )
    if opts.get("fail") and code >= 400:
        return fail(22, f"The requested URL returned error: {code}", ROUND_TRIP, ip)
    stdout = ""
    if opts.get("head") or opts.get("include"):
        stdout += f"HTTP/1.1 {code} {'OK' if code == 200 else 'Bad Request'}\r\ncontent-length: {len(body)}\r\n\r\n"
    if not opts.get("head"):
        stdout += body
    if opts.get("output"):
        stdout = ""  # written to a file in the container, which is not modelled
    if fmt:
        stdout += write_out(fmt, code, ip, url)
    return Result(stdout=stdout, seconds=ROUND_TRIP)


def ms(seconds):
    return int(round(seconds * 1000))


# -- nc (BusyBox)


def cmd_nc(net, pod, container, args):
    zero = verbose = udp = False
    wait, rest, i = None, [], 0
    while i < len(args):
        a = args[i]
        if a == "-w" and i + 1 < len(args):
            try:
                wait = float(args[i + 1])
            except ValueError:
                return Result(stderr=f"nc: invalid number '{args[i + 1]}'\n", code=1)
            i += 1
        elif a.startswith("-") and len(a) > 1 and not a[1:].isdigit():
            for ch in a[1:]:
                if ch == "z":
                    zero = True
                elif ch == "v":
                    verbose = True
                elif ch == "u":
                    udp = True
                elif ch == "n":
                    pass
                else:
                    return Result(stderr=f"nc: unrecognized option '{a}'\n", code=1)
        else:
            rest.append(a)
        i += 1
    if len(rest) != 2 or not rest[1].isdigit():
        return Result(stderr="Usage: nc [OPTIONS] HOST PORT\n", code=1)
    host, port = rest[0], int(rest[1])
    status, ip = net.resolve(pod, host)
    if status != "ok":
        seconds = RESOLVER_GIVES_UP if status == "timeout" else ROUND_TRIP
        return Result(stderr=f"nc: bad address '{host}'\n", code=1, seconds=seconds)
    if udp:
        # UDP has no handshake: nc cannot tell whether anything got through.
        return Result(stderr=f"{host} ({ip}:{port}) open\n" if verbose else "", seconds=ROUND_TRIP)
    conn = net.connect(pod, ip, port)
    if conn.kind == "timeout":
        limit = wait if wait is not None else KERNEL_CONNECT_TIMEOUT
        return Result(stderr=f"nc: {host} ({ip}:{port}): Connection timed out\n", code=1, seconds=limit)
    if conn.kind == "refused":
        return Result(stderr=f"nc: {host} ({ip}:{port}): Connection refused\n", code=1, seconds=ROUND_TRIP)
    seconds = ROUND_TRIP if zero or wait is None else wait
    return Result(stderr=f"{host} ({ip}:{port}) open\n" if verbose else "", seconds=seconds)


# -- pg_isready


def cmd_pg_isready(net, pod, container, args):
    host, port, timeout, quiet, i = None, 5432, 3.0, False, 0
    while i < len(args):
        a = args[i]
        if a in ("-h", "--host", "-p", "--port", "-t", "--timeout", "-d", "--dbname", "-U", "--username"):
            if i + 1 >= len(args):
                return Result(stderr=f"pg_isready: option requires an argument -- '{a.lstrip('-')[0]}'\n", code=3)
            v = args[i + 1]
            if a in ("-h", "--host"):
                host = v
            elif a in ("-p", "--port", "-t", "--timeout") and not v.replace(".", "", 1).isdigit():
                return Result(stderr=f'pg_isready: invalid {a.lstrip("-")} "{v}"\n', code=3)
            elif a in ("-p", "--port"):
                port = int(float(v))
            elif a in ("-t", "--timeout"):
                timeout = float(v) or 3600.0
            i += 1
        elif a in ("-q", "--quiet"):
            quiet = True
        else:
            return Result(stderr=f'pg_isready: invalid option -- "{a}"\n', code=3)
        i += 1

    def say(state, code, seconds):
        where = f"{host}:{port}" if host else f"/var/run/postgresql:{port}"
        return Result(stdout="" if quiet else f"{where} - {state}\n", code=code, seconds=seconds)

    if host is None:
        # The local socket: nothing runs PostgreSQL in these containers.
        return say("no response", 2, ROUND_TRIP)
    status, ip = net.resolve(pod, host)
    if status != "ok":
        return say("no response", 2, min(timeout, RESOLVER_GIVES_UP) if status == "timeout" else ROUND_TRIP)
    conn = net.connect(pod, ip, port)
    if conn.kind == "timeout":
        return say("no response", 2, timeout)
    if conn.kind == "refused" or conn.service() != "postgres":
        return say("no response", 2, ROUND_TRIP)
    return say("accepting connections", 0, ROUND_TRIP)


COMMANDS = {
    "sh": cmd_sh,
    "echo": cmd_echo,
    "hostname": cmd_hostname,
    "sleep": cmd_sleep,
    "true": cmd_true,
    "false": cmd_false,
    "curl": cmd_curl,
    "nc": cmd_nc,
    "pg_isready": cmd_pg_isready,
}
