"""Kubernetes protobuf, as far as kubectl's typed commands send it.

kubectl's typed commands (`kubectl create namespace`, `create configmap`, …)
send Kubernetes protobuf: the magic, then a runtime.Unknown wrapping the
object. The double decodes what those commands set: metadata (name,
generateName, namespace, labels, annotations) and ConfigMap/Secret data.
"""

import base64

from api import ApiError

PROTOBUF_MAGIC = b"k8s\x00"


def proto_fields(buf):
    """Yields (field number, wire type, value) of one protobuf message."""
    i = 0

    def varint():
        nonlocal i
        shift = result = 0
        while True:
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    while i < len(buf):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 2:
            n = varint()
            yield field, wire, buf[i : i + n]
            i += n
        elif wire == 1:
            yield field, wire, buf[i : i + 8]
            i += 8
        elif wire == 5:
            yield field, wire, buf[i : i + 4]
            i += 4
        else:
            raise ApiError(400, "BadRequest", f"double: unsupported protobuf wire type {wire}")


def proto_map_entry(buf):
    key = value = b""
    for f, _, v in proto_fields(buf):
        if f == 1:
            key = v
        elif f == 2:
            value = v
    return key.decode(), value


def proto_meta(buf):
    meta = {}
    for g, _, w in proto_fields(buf):
        if g in (1, 2, 3) and w:
            meta[("name", "generateName", "namespace")[g - 1]] = w.decode()
        elif g in (11, 12):
            k, val = proto_map_entry(w)
            meta.setdefault("labels" if g == 11 else "annotations", {})[k] = val.decode()
    return meta


def proto_pod_template(buf):
    template = {"metadata": {}, "spec": {"containers": []}}
    for f, _, v in proto_fields(buf):
        if f == 1:
            template["metadata"] = proto_meta(v)
        elif f == 2:
            for g, _, w in proto_fields(v):
                if g == 2:
                    container = {}
                    for h, _, x in proto_fields(w):
                        if h in (1, 2):
                            container["name" if h == 1 else "image"] = x.decode()
                    template["spec"]["containers"].append(container)
    return template


def proto_deployment_spec(buf):
    spec = {}
    for f, _, v in proto_fields(buf):
        if f == 1:
            spec["replicas"] = v
        elif f == 2:
            labels = {}
            for g, _, w in proto_fields(v):
                if g == 1:
                    k, val = proto_map_entry(w)
                    labels[k] = val.decode()
            spec["selector"] = {"matchLabels": labels}
        elif f == 3:
            spec["template"] = proto_pod_template(v)
    return spec


def decode_protobuf_object(raw):
    type_meta, inner = {}, b""
    for f, _, v in proto_fields(raw[len(PROTOBUF_MAGIC) :]):
        if f == 1:
            for g, _, w in proto_fields(v):
                type_meta["apiVersion" if g == 1 else "kind"] = w.decode()
        elif f == 2:
            inner = v
    kind = type_meta.get("kind")
    obj = dict(type_meta)
    for f, _, v in proto_fields(inner):
        if f == 1:
            obj["metadata"] = proto_meta(v)
        elif f == 2 and kind in ("ConfigMap", "Secret"):
            k, val = proto_map_entry(v)
            if kind == "Secret":
                val = base64.b64encode(val)
            obj.setdefault("data", {})[k] = val.decode()
        elif f == 2 and kind == "Deployment":
            obj["spec"] = proto_deployment_spec(v)
        elif f == 3 and kind == "Secret":
            obj["type"] = v.decode()
        elif f == 4 and kind == "Secret":
            k, val = proto_map_entry(v)
            obj.setdefault("stringData", {})[k] = val.decode()
    return obj
