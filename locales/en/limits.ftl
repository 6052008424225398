# Ranges of numbers from content, labrun.yaml and flags (src/limits.rs).
limits-expected-seconds = whole seconds from { $min } to { $max }
limits-expected-minutes = a number of minutes from 0 to { $max }
limits-out-of-range = `{ $value }` is out of range: expected { $expected }
limits-expected = expected { $expected }
config-out-of-range = `{ $key }: { $value }` is out of range: expected { $expected }
yaml-too-deep = nested more than { $max } levels deep; labrun reads no deeper YAML
yaml-alias-budget = aliases copy more than { $mib } MiB of anchored data (a "billion laughs" YAML bomb?); labrun stops reading here
