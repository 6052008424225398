# labrun's core messages (English). Each job keeps its own file beside this one.

severity-error = error
severity-warning = warning

## Diagnostics from reading pages

diag-file-not-utf8 = the file is not valid UTF-8; save it as UTF-8
diag-front-matter-unterminated = front matter opened with `---` is never closed; add a `---` line after it
diag-front-matter-invalid-yaml = front matter is not valid YAML: { $detail }
diag-front-matter-not-a-mapping = front matter must be a YAML mapping of `key: value` fields
diag-front-matter-position-not-a-number = `{ $key }` must be a number (such as `3` or `2.5`), not `{ $value }`
diag-fence-duplicate-annotation = annotation `{ $key }` is given twice; keep one
diag-fence-bad-annotation-value = `{ $key }={ $value }` is not valid: expected { $expected }
diag-fence-unknown-annotation = unknown annotation `{ $key }`, ignored; known annotations: { $known }
diag-fence-unknown-annotation-suggest = unknown annotation `{ $key }`, ignored; did you mean `{ $suggestion }`?
diag-fence-unterminated = code block is never closed; add a closing fence
diag-fence-unterminated-heredoc = heredoc is never ended: no `{ $delimiter }` line before the end of the block
diag-fence-unterminated-quote = a quote opened in this command is never closed before the end of the block
diag-fence-no-commands = bash block has no `$ ` command line; add `$ ` prompts, or mark it `raw=true` or `test=false`
diag-directive-unmatched-close = `:::` closes no open container directive
diag-directive-malformed = directive cannot be read: unclosed { $what ->
        [quote] quote
        [brace] `{"{"}`
        [label] `[`
       *[other] { $what }
    }
diag-directive-unterminated-container = container directive `:::{ $name }` is never closed; add a `:::` line

## Project and content errors

error-unknown-lab = no lab named `{ $name }`{ $suggestions ->
        [none] {""}
       *[other] ; did you mean: { $suggestions }?
    }
error-config = { $file }:{ $line }:{ $col }: invalid configuration: { $detail }
error-io = cannot read { $path }: { $detail }
error-unknown-locale = no locale `{ $locale }` in this project; its locales are: { $locales }
error-content = the content has { $count ->
        [one] one error
       *[other] { $count } errors
    }; fix it and try again (`labrun check` lists every problem)
error-lang-all-not-here = this command works on one locale at a time: name it with --lang (for example --lang ja)
config-no-locales = `locales` must name at least one locale
config-source-locale-unknown = source locale `{ $locale }` is not one of the locales ({ $locales })
config-bad-variable = variable name `{ $name }` may only use letters, digits and `_`
config-path-escapes = `{ $key }: { $path }` must be a path inside the project
config-bad-exclude = `exclude` glob `{ $glob }` is not valid: { $detail }
config-unknown-rule = `{ $rule }` names no rule; rule ids are listed in docs/check.md (`area/name`, `area/*` or `*`)
config-unknown-rule-suggest = `{ $rule }` names no rule; did you mean `{ $suggestion }`?
config-bad-environment-pattern = environment pattern `{ $pattern }` may only use letters, digits, `/`, `_`, `.`, `-` and the wildcards `*` and `?`
config-bad-tool = `{ $tool }` is not a command name: write one word, such as `az` or `kubectl`

## Command line

label-error = error
cli-path-locale-conflict = `{ $path }` is content of locale `{ $locale }`, but --lang asks for `{ $lang }`; drop --lang, or name the `{ $lang }` page
about-labrun = Run, check and translate workshop labs written in Markdown
help-lang = Language of messages and of the content (en, ja); messages default to the environment's locale, content to the source locale
help-config = The labrun.yaml to use, instead of searching upwards from the current directory
about-plan = Show the ordered pages and runnable blocks of a lab, executing nothing
help-plan-lab = The lab: a content path (networking/network-policies), a page, or a prepare-environment id
help-plan-format = Output format

## labrun plan

plan-header = { $title } ({ $lab }, { $locale }): { $pages ->
        [one] one page
       *[other] { $pages } pages
    }, { $blocks ->
        [one] one block
       *[other] { $blocks } blocks
    }; a run takes at most { $minutes } min
plan-page-notest = not run (.notest)
plan-page-orphan = not run (its source page no longer exists)
plan-timeout = timeout { $seconds }s
plan-wait = wait { $seconds }s
plan-hook = hook { $name }
plan-hook-missing = hook { $name } (script missing)
plan-expect-error = expects an error
plan-raw = raw script
plan-verify-output = output compared with the samples
plan-skip = skipped (test=false)
cli-heading-usage = Usage:
cli-heading-commands = Commands
cli-heading-arguments = Arguments
cli-heading-options = Options
cli-help-flag = Print help
cli-version-flag = Print version
cli-default-value = [default: { $value }]
cli-possible-values = [possible values: { $values }]
durations-not-an-object = the durations file must be a JSON object mapping `/<path>.md` to milliseconds
durations-bad-value = the duration of `{ $page }` must be a number of milliseconds, 0 or more
error-invalid-file = { $file }:{ $line }:{ $col }: cannot use this file: { $detail }
error-no-content = no pages for locale `{ $locale }`: { $dir } does not exist. Run labrun inside a content project (a directory with labrun.yaml, or with content/<locale>/), or name its labrun.yaml with --config
files-symlink = { $file } is a symbolic link; labrun does not write through links (change the file it points to yourself, or replace the link with the file)
files-outside = { $file } is outside { $root } (after following symbolic links); labrun writes only inside it
files-io = cannot write { $file }: { $detail }
config-bad-locale = the locale `{ $locale }` is not a name: use letters, digits, `-` and `_` only (for example `ja` or `pt-BR`)
files-read-outside = { $dir } leads outside the project { $root } (a symbolic link?); labrun reads content only inside the project
