# labrun render and labrun time (English).

## Command line

about-render = Show pages as a reader sees them, in the terminal or as a static HTML site
help-render-target = A page (getting-started/index.md) or a lab (networking/network-policies); with --html and none, the whole workshop
help-render-html = Write a static HTML site into this directory instead of printing: the lab and the pages it links to, or the whole workshop
help-render-vars = Replace VAR::KEY with VALUE (overrides labrun.yaml's variables); repeatable
about-time = Show how a lab's required time is computed: reading time, execution time, factor
help-time-lab = The lab: a content path (networking/network-policies), a page, or a prepare-environment id
help-time-format = Output format
render-bad-var = `--var { $value }` must be KEY=VALUE, with a key of letters, digits and `_`
render-wrote = wrote { $pages ->
        [one] one page
       *[other] { $pages } pages
    } to { $dir }; open { $index }
render-target-needed = name a page or a lab to show in the terminal (or write the whole workshop with --html OUT_DIR)
config-bad-time-factor = `render.time-factor` must be a number greater than 0 and at most 100, not { $value }

## Page pieces

render-kind-tip = Tip
render-kind-info = Info
render-kind-note = Note
render-kind-caution = Caution
render-kind-warning = Warning
render-kind-danger = Danger
render-kind-important = Important
render-kind-details = Details
render-kind-tabs = Tabs
render-kind-tab = Tab
render-unknown-variable = `VAR::{ $name }` has no value; set it under `variables` in labrun.yaml or pass `--var { $name }=…`
render-yaml-no-file = `::yaml` has no `file` attribute
render-yaml-bad-zoom = `{ $key }="{ $value }"` must be a whole number of lines
render-yaml-zoomed = lines { $start }–{ $end }
render-time-bad-estimate = `estimatedLabExecutionTimeMinutes="{ $value }"` must be a number of minutes
render-time-no-lab = no lab holds { $page }
render-time-label = Estimated time required: { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }
render-time-formula = (reading { $reading } min + execution { $execution } min) × { $factor } = { $exact } min
render-time-detail = { $formula }; { $source ->
        [recorded] execution time as recorded
        [estimated] execution time as estimated by the page
       *[upper-bound] execution time is an upper bound
    }
render-time-upper-bound-note = Upper bound: no recorded or estimated execution time, so every timeout and wait of the lab is counted in full.

## HTML site

render-language-name = English
render-html-languages = Languages
render-html-untranslated = not translated yet
render-html-pages = Pages of the workshop
render-html-menu = Pages
render-html-copy = Copy
render-html-copied = Copied
render-html-start = Start here
render-html-contents = Contents
render-html-pager = Previous and next page

## labrun time

time-header = { $title } ({ $lab }, { $locale })
time-col-page = page
time-col-words = words
time-col-han = Han
time-col-kana = kana
time-col-hangul = Hangul
time-col-reading = reading
time-col-recorded = recorded run
time-row-total = total
time-minutes = { $minutes } min
time-seconds = { $seconds } s
time-reading = reading
time-reading-rule = { $minutes } min (200 words, or 500 Han, kana or Hangul characters a minute)
time-execution = execution
time-execution-value = { $minutes } min, { $source }
time-source-recorded = recorded in { $file }
time-source-estimated = estimated by estimatedLabExecutionTimeMinutes
time-source-upper-bound = upper bound from the timeouts and waits
time-factor = factor
time-total = total
time-total-value = { $formula }, rounded up to { $minutes } min
time-bad-estimate = { $file }:{ $line }: `estimatedLabExecutionTimeMinutes="{ $value }"` must be a number of minutes
