"""The PATCH flavours kubectl sends: JSON merge patch (RFC 7386), JSON patch
(RFC 6902) and strategic merge patch.

Strategic merge patch is what `kubectl apply`, `set env`, `set image` and
`rollout restart` send for built-in kinds. It differs from a merge patch in
lists: a list whose items have a merge key (containers by `name`, container
ports by `containerPort`, …) is merged item by item, and the patch may carry
directives (`$patch: delete|replace`, `$setElementOrder/<list>`,
`$retainKeys`, `$deleteFromPrimitiveList/<list>`). Lists without a merge key
are replaced, as in a merge patch.
"""

import copy

from api import ApiError

# List field -> the key its items merge by (the `patchMergeKey` of the
# Kubernetes API types the labs touch). `ports` depends on where it is.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "conditions": "type",
    "ownerReferences": "uid",
    "topologySpreadConstraints": "topologyKey",
}


def merge_key(field, items):
    if field == "ports":
        sample = next((i for i in items if isinstance(i, dict)), {})
        return "containerPort" if "containerPort" in sample else "port"
    return MERGE_KEYS.get(field)


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


def json_patch(target, ops):
    """RFC 6902 for the operations `kubectl patch --type json` users write."""
    doc = copy.deepcopy(target)

    def walk(path):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        return parent, parts[-1]

    for op in ops:
        parent, key = walk(op["path"])
        if isinstance(parent, list):
            key = len(parent) if key == "-" else int(key)
        if op["op"] in ("add", "replace"):
            if isinstance(parent, list) and op["op"] == "add":
                parent.insert(key, op["value"])
            else:
                parent[key] = op["value"]
        elif op["op"] == "remove":
            del parent[key]
        else:
            raise ApiError(422, "Invalid", f"unsupported json patch op {op['op']}")
    return doc


def strategic_merge_patch(target, patch):
    """Kubernetes strategic merge patch of `target` (not modified)."""
    return smp_map(copy.deepcopy(target) if isinstance(target, dict) else {}, patch)


def smp_map(result, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    directive = patch.get("$patch")
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if directive == "delete":
        return None
    retain = patch.get("$retainKeys")
    orders = {}
    for k, v in patch.items():
        if k.startswith("$setElementOrder/"):
            orders[k.split("/", 1)[1]] = v
        elif k.startswith("$deleteFromPrimitiveList/"):
            field = k.split("/", 1)[1]
            result[field] = [x for x in result.get(field) or [] if x not in v]
        elif k.startswith("$"):
            continue
        elif v is None:
            result.pop(k, None)
        elif isinstance(v, list):
            result[k] = smp_list(k, result.get(k), v)
        elif isinstance(v, dict):
            merged = smp_map(result.get(k) if isinstance(result.get(k), dict) else {}, v)
            if merged is None:
                result.pop(k, None)
            else:
                result[k] = merged
        else:
            result[k] = v
    for field, order in orders.items():
        result[field] = reorder(field, result.get(field) or [], order)
    if retain is not None:
        result = {k: v for k, v in result.items() if k in retain}
    return result


def smp_list(field, current, patch):
    key = merge_key(field, patch)
    if key is None or not all(isinstance(i, dict) for i in patch):
        return [copy.deepcopy(i) for i in patch if not (isinstance(i, dict) and "$patch" in i)]
    if any(i.get("$patch") == "replace" for i in patch):
        return [copy.deepcopy(i) for i in patch if "$patch" not in i]
    out = [copy.deepcopy(i) for i in current or []]
    for item in patch:
        idx = next(
            (n for n, cur in enumerate(out) if isinstance(cur, dict) and cur.get(key) == item.get(key)),
            None,
        )
        if item.get("$patch") == "delete":
            if idx is not None:
                del out[idx]
        elif idx is None:
            out.append(smp_map({}, item))
        else:
            out[idx] = smp_map(out[idx], item)
    return out


def reorder(field, items, order):
    key = merge_key(field, items)
    if key is None:
        return items
    rank = {o.get(key) if isinstance(o, dict) else o: n for n, o in enumerate(order)}
    return sorted(items, key=lambda i: rank.get(i.get(key) if isinstance(i, dict) else i, len(rank)))
