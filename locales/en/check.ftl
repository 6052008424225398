# labrun check: findings, output and command-line help (English).

## Findings

check-yaml-callout-count = `::yaml` lists { $paths ->
        [one] one path
       *[other] { $paths } paths
    } but the numbered list after it has { $callouts ->
        [0] no items
        [one] one item
       *[other] { $callouts } items
    }; write one item per path, in order
check-directive-unknown = unknown directive `{ $name }`; allowed: { $allowed }
check-directive-unknown-suggest = unknown directive `{ $name }`; did you mean `{ $suggestion }`?
check-directive-missing-attribute = `::{ $name }` needs the attribute `{ $attr }`
check-directive-bad-attribute-value = `{ $attr }="{ $value }"` is not valid: expected { $expected }
check-expected-whole-number = a whole number
check-required-time-no-duration = `::required-time` has nothing to show: lab `{ $lab }` has no recorded durations in `{ $file }`; run the lab to record them, or give `estimatedLabExecutionTimeMinutes`
check-required-time-bad-durations = durations file is not a JSON object of page paths to milliseconds: { $detail }
check-fence-missing-hook = `hook={ $name }` has no hook file: add `{ $file }` beside the page
check-fence-unused-hook = hook `{ $name }` is not used by any block of the pages in `{ $dir }`; add `hook={ $name }` to a block or delete the file
check-sample-raw = `verifyOutput=true` on a `raw=true` block compares nothing: the whole block is the script, so there is no sample. Drop one of the two
check-sample-before-commands = sample output before the first command (line { $line }): no command prints it, so a run cannot compare it. Move it after the command that prints it
check-sample-background = this command runs in the background (`&`): what it prints lands in the output of whatever runs after it, so the sample at line { $line } cannot be told apart from it. Redirect its output (`>file 2>&1 &`), or run it in a block without `verifyOutput`
check-front-matter-missing-title = the page has no title: add `title:` to its front matter (or a `#` heading)
check-front-matter-duplicate-position = `{ $key }: { $position }` is also the position of `{ $other }`; sibling pages need distinct positions to keep their order
check-reference-unknown-variable = `VAR::{ $name }` has no value: add `{ $name }` under `variables` in labrun.yaml
check-link-broken = link target `{ $dest }` does not exist
check-link-broken-anchor = `{ $dest }`: there is no heading or anchor `#{ $anchor }` in { $page }
check-link-broken-image = image `{ $dest }` does not exist
check-translation-orphan = this translation's source page { $source } no longer exists, so the site does not build it and runs skip it: delete it, or move it to where its source went{ $hooks ->
        [none] {""}
       *[other] ; its hooks { $hooks } lived beside the removed source
    }
check-translation-orphan-suggest = this translation's source page { $source } no longer exists, so the site does not build it and runs skip it: its source most likely became { $suggestion } (move the translation there){ $hooks ->
        [none] {""}
       *[other] ; its hooks { $hooks } lived beside the removed source
    }
check-this-page = this page

## Output

check-summary-ok = checked { $pages ->
        [one] one page
       *[other] { $pages } pages
    } ({ $locales }): no problems found
check-summary = checked { $pages ->
        [one] one page
       *[other] { $pages } pages
    } ({ $locales }): { $errors ->
        [0] no errors
        [one] one error
       *[other] { $errors } errors
    }, { $warnings ->
        [0] no warnings
        [one] one warning
       *[other] { $warnings } warnings
    }
check-junit-failure = { $count ->
        [one] one problem
       *[other] { $count } problems
    }
check-path-not-found = no such file or directory: { $path }

## Watching (`check --watch`)

check-watch-start = watching { $dirs ->
        [one] one directory
       *[other] { $dirs } directories
    } for changes (Ctrl-C stops)
check-watch-cycle = { $files } changed: re-checked { $pages ->
        [one] one page
       *[other] { $pages } pages
    } in { $ms } ms
check-watch-reloaded = { $files } changed: read the whole project again in { $ms } ms
check-watch-failed = cannot check again: { $detail }
check-watch-junit = --watch prints a report after every change; JUnit XML is one document for one run: use --format human, json or github

## Command line

about-check = Check every page of every locale without a cluster: directives, manifests and their paths, fences, hooks, front matter, variables and links
help-check-paths = Only report findings in these files or directories (the whole project is still read, so links across pages resolve)
help-check-format = Output format
help-check-deny = Treat this severity as failing too (`warnings`)
help-check-pedantic = Also report pedantic rules (off by default; see docs/check.md), as warnings
help-check-watch = Keep the project loaded and check again whenever a page, manifest, hook or labrun.yaml changes (re-checks only what the change affects)
