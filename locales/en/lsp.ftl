# labrun lsp: the language server's messages (English).

lsp-no-project = no labrun project at { $dir }: { $detail }
lsp-translation-stale = the source page { $source } changed since this translation was made: hover here to see what changed, then update the translation and mark it as reviewed
lsp-translation-unstamped = this translation records no source hash: once it matches { $source }, mark it as reviewed
lsp-hover-current = translation of { $source }: current (it records the source page's hash)
lsp-hover-stale = **Stale translation.** { $source } changed since { $commit } ({ $date }, “{ $subject }”), the version this translation was made from:
lsp-hover-stale-no-history = **Stale translation.** { $source } changed since this translation was made; its history cannot be read: { $detail }
lsp-hover-variable = `VAR::{ $name }` is `{ $value }` (labrun.yaml)
lsp-hover-variable-unknown = `VAR::{ $name }` has no value: add `{ $name }` under `variables` in labrun.yaml
lsp-action-replace = Replace `{ $from }` with `{ $to }`
lsp-action-mark-reviewed = Mark as reviewed (record the source page's hash)
lsp-stamped = { $file }: marked as reviewed (source hash { $hash })
lsp-stamped-buffer = { $file }: marked as reviewed in the editor (source hash { $hash }); save the page to keep it

## Fence annotations, shown with their completion

lsp-annotation-test = test=false: a run skips this block
lsp-annotation-timeout = timeout=SECONDS: the block fails when it runs longer
lsp-annotation-wait = wait=SECONDS: pause after the block before the next one
lsp-annotation-hook = hook=NAME: run tests/hook-NAME.sh (or check tests/hook-NAME.yaml) before and after the block
lsp-annotation-hooktimeout = hookTimeout=SECONDS: how long the hook may take
lsp-annotation-expecterror = expectError=true: the block is meant to fail
lsp-annotation-raw = raw=true: run the block as one script, without `$ ` prompts

## Command line

about-lsp = Serve the pages of a project to an editor: a Language Server over stdio (diagnostics as you type, hovers, go to definition, completion, fixes, translation review)
help-lsp-stdio = Talk over stdin and stdout (the only transport; accepted because editors' generic clients pass it)
