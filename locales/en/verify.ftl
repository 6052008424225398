# labrun verify, declarative hooks, preflight and leak detection (English).

## Diagnostics of hook files (tests/hook-NAME.yaml)

diag-hook-not-utf8 = the hook file is not valid UTF-8; save it as UTF-8
diag-hook-unreadable = cannot read the hook file: { $detail }
diag-hook-empty = the hook file has no expectations under `before` or `after`
diag-hook-yaml-syntax = the hook file is not valid YAML: { $detail }
diag-hook-several-documents = a hook file holds one YAML document; remove the `---` and what follows, or merge the lists
diag-hook-not-a-mapping = a hook file must be a mapping with `before` and/or `after` lists
diag-hook-item-not-a-mapping = each expectation must be a mapping such as `resource: networkpolicy/default-deny`
diag-hook-unknown-key = unknown key `{ $key }`; known keys: { $known }
diag-hook-unknown-key-suggest = unknown key `{ $key }`; did you mean `{ $suggestion }`?
diag-hook-duplicate-key = key `{ $key }` is given twice; keep one
diag-hook-bad-value = `{ $key }: { $value }` is not valid: expected { $expected }
diag-hook-missing-resource = the expectation names no `resource` (`kind/name`, or a kind with a `selector`)
diag-hook-bad-resource = `{ $resource }` is not a resource: write `kind/name` (`networkpolicy/default-deny`) or a kind alone (`pods`)
diag-hook-bad-selector = `{ $selector }` is not a label selector (`app=web`, `tier!=db`, `env in (a,b)`, `!canary`)
diag-hook-bad-regex = `{ $pattern }` is not a regular expression: { $detail }
diag-hook-jsonpath-root = `{ $path }` is not an RFC 9535 JSONPath: it must start at the root `$`, as in `{ $suggestion }`
diag-hook-bad-jsonpath = `{ $path }` is not a valid JSONPath (at character { $position }): { $detail }
diag-hook-operator-needs-jsonpath = `{ $key }` compares the value of a `jsonpath`; add one, such as `jsonpath: $.spec.replicas`
diag-hook-conflicting-keys = `{ $key }` cannot be combined with `{ $other }`
diag-hook-selector-with-name = a `selector` chooses objects of a kind; `kind/name` already names one: drop the name or the selector
diag-hook-count-with-name = `count` counts the objects of a kind; with `kind/name` there is only one: use `exists` or `absent`
diag-hook-all-namespaces-with-name = a named object is looked up in one namespace; drop `allNamespaces` or the name
diag-hook-condition-needs-type = `condition` needs a `type`, such as `{"{"}type: Ready, status: "True"{"}"}`

verify-expected-list = a list of expectations
verify-expected-timeout = seconds (`30`), or a duration such as `500ms`, `30s` or `2m`, at most one hour
verify-expected-text = a non-empty text
verify-expected-bool = `true` or `false`
verify-expected-number = a number
verify-expected-count = a whole number, 0 or more
verify-expected-count-test = a number, or a mapping with `equals`, `atLeast` and/or `atMost`
verify-expected-namespace = a namespace name (lower-case letters, digits and `-`)
verify-expected-condition = a condition type (`Available`), or `{"{"}type: …, status: …{"}"}`
verify-expected-condition-status = `"True"`, `"False"` or `"Unknown"`

## What an expectation asks for

verify-expect-exists = the object exists
verify-expect-absent = the object does not exist
verify-expect-some = at least one object exists
verify-expect-none = no object exists
verify-expect-every = at least one object, and for every one: { $predicate }
verify-expect-count = { $count }
verify-expect-count-where = { $count } for which { $predicate }
verify-expect-path = { $path } { $test }
verify-expect-path-selects = { $path } selects a value
verify-expect-condition = condition { $condition } is { $status }
verify-op-equals = equals { $value }
verify-op-matches = matches /{ $pattern }/
verify-op-contains = contains { $value }
verify-op-at-least = is at least { $value }
verify-op-at-most = is at most { $value }
verify-op-and = {" "}and{" "}
verify-count-exactly = exactly { $n ->
        [one] one object
       *[other] { $n } objects
    }
verify-count-at-least = at least { $n ->
        [one] one object
       *[other] { $n } objects
    }
verify-count-at-most = at most { $n ->
        [one] one object
       *[other] { $n } objects
    }
verify-count-between = between { $min } and { $max } objects
verify-count-any = any number of objects

## What was found

verify-actual-not-found = not found
verify-actual-exists = the object exists
verify-actual-none = no object matches
verify-actual-listed = { $count ->
        [one] one object
       *[other] { $count } objects
    }: { $names }
verify-actual-count-where = { $passing } of { $count } listed: { $names }
verify-actual-some-fail = { $failing } of { $count } do not hold; { $name }: { $actual }
verify-actual-count-where-none = none of the { $count } listed objects hold
verify-actual-value = { $value }
verify-actual-path-empty = the path selects nothing
verify-actual-no-condition = the object has no condition { $condition }
verify-actual-condition = condition { $condition } is { $status }
verify-actual-condition-reason = condition { $condition } is { $status } ({ $reason })
verify-actual-unreadable = the cluster could not be read

## Reports

verify-report-hook = hook { $hook } ({ $phase }) of { $page }:{ $line }
verify-report-passed = { $count ->
        [one] one expectation holds
       *[other] { $count } expectations hold
    } ({ $seconds } s)
verify-report-failed = { $count ->
        [one] the expectation failed
       *[other] { $failed } of { $count } expectations failed
    }
verify-report-timed-out = still failing after { $attempts ->
        [one] one check
       *[other] { $attempts } checks
    } over { $seconds } s
verify-report-checked-once = checked once (no timeout)
verify-report-cancelled = stopped after { $attempts ->
        [one] one check
       *[other] { $attempts } checks
    } (interrupted)
verify-label-expected = expected:
verify-label-actual = actual:{"  "}
verify-label-kubectl = kubectl:
verify-label-looked-at = looked at:
verify-label-note = note:
verify-fragment-more-lines = … ({ $count } more lines)

## kubectl

verify-kube-missing = `{ $program }` is not installed or not on PATH
verify-kube-spawn = cannot start `{ $program }`: { $detail }
verify-kube-failed = `{ $command }` failed: { $detail }
verify-kube-timed-out = `{ $command }` did not finish within { $seconds } s and was stopped
verify-kube-bad-output = `{ $command }` printed something that is not JSON: { $detail }
verify-kube-no-error-output = no error output

## Preflight

verify-preflight-kubectl-missing = this lab uses kubectl, but `{ $program }` is not installed or not on PATH
verify-preflight-no-context = no Kubernetes cluster is configured: kubectl has no current context ({ $detail })
verify-preflight-unreachable = the Kubernetes API of context `{ $context }` ({ $server }) does not answer: { $detail }
verify-preflight-hint-dry-run = to go through the lab without a cluster use `--dry-run`; to use another cluster, `--context` or `--kubeconfig`
verify-preflight-run-hint = { $problem } Nothing was run. Hint: { $hint }

## Leak detection

verify-leaks-none = nothing left behind ({ $resources } kinds of objects compared)
verify-leaks-found = the lab left { $count ->
        [one] one object
       *[other] { $count } objects
    } behind:
verify-leaks-col-kind = KIND
verify-leaks-col-namespace = NAMESPACE
verify-leaks-col-name = NAME
verify-leaks-col-created = CREATED

## labrun verify

about-verify = Evaluate a lab's declarative hooks against the cluster as it is now, running no block
help-verify-lab = The lab: a content path (networking/network-policies), a page, or a prepare-environment id
help-verify-page = Only the hooks of this page (its path in the lab or in the locale, with or without .md)
help-verify-phase = Which expectations to evaluate: those checked before a block runs, or after
help-verify-wait = Poll each expectation until its timeout instead of looking once
help-verify-context = The kubeconfig context to use
help-verify-kubeconfig = The kubeconfig file to use
help-verify-format = Output format
verify-header = Verifying { $lab } ({ $phase }) on context { $context } ({ $server }, Kubernetes { $version })
verify-summary = { $hooks ->
        [one] one hook
       *[other] { $hooks } hooks
    }, { $expectations ->
        [one] one expectation
       *[other] { $expectations } expectations
    }: { $failed ->
        [0] all hold
        [one] one failed
       *[other] { $failed } failed
    }
verify-unknown-page = no page `{ $page }` in this lab; its pages are: { $pages }
verify-nothing = no block of { $lab } has a declarative hook (tests/hook-NAME.yaml) with `{ $phase }` expectations
verify-preflight-failed = { $problem } Nothing was checked.
