# labrun's core messages (English). Each job keeps its own file beside this one.

severity-error = error
severity-warning = warning

## Diagnostics from reading pages

diag-file-not-utf8 = the file is not valid UTF-8; save it as UTF-8
diag-front-matter-unterminated = front matter opened with `---` is never closed; add a `---` line after it
diag-front-matter-invalid-yaml = front matter is not valid YAML: { $detail }
diag-front-matter-not-a-mapping = front matter must be a YAML mapping of `key: value` fields
diag-front-matter-position-not-integer = `{ $key }` must be a whole number, not `{ $value }`
diag-fence-duplicate-annotation = annotation `{ $key }` is given twice; keep one
diag-fence-bad-annotation-value = `{ $key }={ $value }` is not valid: expected { $expected }
diag-fence-unknown-annotation = unknown annotation `{ $key }`; known annotations: { $known }
diag-fence-unknown-annotation-suggest = unknown annotation `{ $key }`; did you mean `{ $suggestion }`?
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
