# labrun drift (English).

about-drift = Find translations that fell behind their source page or no longer run the same lab
help-drift-target = A lab (content path or prepare-environment id), a page, or a file or directory of any locale; default: everything
help-drift-format = Output format
help-drift-fail_on = Statuses that make the exit code 1, comma-separated (stale, unstamped, unverifiable, missing, orphan, diverged; `none` for never)
help-drift-explain = Show what changed in the source page since the translation PAGE was made (needs git)
about-drift-stamp = Record the source page's current hash in reviewed translations
help-drift-stamp-pages = Translated pages: files, or paths relative to the locale root (with --lang when there are several translations)
help-drift-stamp-force = Stamp even a page that no longer runs the same lab as its source

## Statuses and the table

drift-status-current = current
drift-status-stale = stale
drift-status-unstamped = unstamped
drift-status-unverifiable = unverifiable
drift-status-missing = missing
drift-status-orphan = orphan
drift-status-diverged = diverged
drift-col-lab = lab
drift-col-source = pages
drift-col-translated = translated
drift-row-total = total
drift-header = Translation drift { $source } → { $locale }: { $pages ->
        [one] one source page
       *[other] { $pages } source pages
    }, { $percent } translated and current{ $orphans ->
        [0] {""}
        [one] ; one orphaned translation
       *[other] ; { $orphans } orphaned translations
    }{ $diverged ->
        [0] {""}
        [one] ; one translation runs a different lab
       *[other] ; { $diverged } translations run a different lab
    }
drift-all-current = { $count ->
        [0] Nothing to translate here.
        [one] The translation is current and runs the same lab.
       *[other] All { $count } translations are current and run the same lab.
    }
drift-no-translations = this project has no translation locale: `locales` names only the source locale
drift-value-none = (none)

## Findings

drift-finding-stale = the source page changed since translation (recorded { $recorded }, now { $actual }); `{ $command }` shows what changed
drift-finding-stale-malformed = `{ $field }: { $recorded }` is not an MD5 hash, so it matches no version of the source page
drift-finding-unstamped = no source hash in the front matter; once the translation is reviewed, run `{ $command }`
drift-finding-git-stale = the source page { $count ->
        [0] has uncommitted edits
        [one] changed in one commit
       *[other] changed in { $count } commits
    } since the translation's last commit { $commit } ({ $date }); `{ $command }` shows what changed
drift-finding-git-before-source = the translation was last committed in { $commit } ({ $date }), before its source page existed; review it against the source page and commit it again
drift-finding-git-uncommitted = the translation is not committed yet, so git history cannot tell which source version it was made from
drift-git-no-repository = `drift: {"{"}source: git{"}"}` compares git history, but { $dir } is not in a git repository (or git is not installed)
drift-git-shallow = the history of { $file } is cut off at commit { $commit } by a shallow clone, so its last translation commit is unknown; fetch the whole history (`git fetch --unshallow`; in GitHub Actions, actions/checkout with `fetch-depth: 0`)
drift-finding-unverifiable = `{ $field }` is computed by an unpublished algorithm, so it cannot be checked
drift-finding-missing = not translated yet
drift-finding-orphan = its source page { $source } no longer exists (renamed or deleted)
drift-finding-orphan-suggest = its source page { $source } no longer exists; it was probably renamed to { $suggestion }

## Structural differences

drift-block-only-source = { $block } block (`{ $command }`) is missing from the translation
drift-block-only-source-plain = { $block } block is missing from the translation
drift-block-only-translation = { $block } block (`{ $command }`) is only in the translation
drift-block-only-translation-plain = { $block } block is only in the translation
drift-language-changed = fence language changed: { $source } ↔ { $translation }
drift-annotation-changed = annotation changed: `{ $source }` ↔ `{ $translation }`
drift-annotation-only-source = annotation `{ $annotation }` is missing from the translation
drift-annotation-only-translation = annotation `{ $annotation }` is only in the translation
drift-command-changed = command changed: `{ $source }` ↔ `{ $translation }`
drift-sample-changed = sample output of `{ $command }` changed (the run compares it: verifyOutput=true): `{ $source }` ↔ `{ $translation }`
drift-command-only-source = command `{ $command }` is missing from the translation
drift-command-only-translation = command `{ $command }` is only in the translation
drift-prompt-missing-translation = `$ ` prompt missing in the translation: `{ $command }` is shown as output there, so it no longer runs
drift-prompt-missing-source = `$ ` prompt missing in the source page: `{ $command }` is shown as output there but runs in the translation
drift-directive-only-source = directive `{ $directive }` is missing from the translation
drift-directive-only-translation = directive `{ $directive }` is only in the translation
drift-attribute-changed = `{ $directive }` attribute `{ $attribute }` changed: `{ $source }` ↔ `{ $translation }`
drift-attribute-only-source = `{ $directive }` attribute `{ $attribute }="{ $value }"` is missing from the translation
drift-attribute-only-translation = `{ $directive }` attribute `{ $attribute }="{ $value }"` is only in the translation
drift-callouts-changed = `::yaml` callouts: { $source } in the source page, { $translation } in the translation
drift-ordering-changed = front matter `{ $key }` differs: { $source } ↔ { $translation }

## Resolving pages

drift-outside-content = { $path } is not inside the content of any locale of this project
drift-page-not-found = no page `{ $page }` in the source or the translation
drift-page-is-directory = { $page } is a directory; name a page
drift-choose-locale = { $page }: choose the translation with --lang ({ $locales })
drift-no-translation = { $file } does not exist: the page is not translated

## --explain

drift-explain-git-missing = `git` is not installed or not on PATH; --explain reads the source page's history with git
drift-explain-not-a-repository = { $path } is not in a git repository, so its history cannot be searched
drift-explain-git-failed = `{ $command }` failed: { $detail }
drift-explain-orphan = { $translation } has no source page: { $source } does not exist
drift-explain-orphan-suggest = { $translation } has no source page: { $source } does not exist; it was probably renamed to { $suggestion } (move the translation there)
drift-explain-unstamped = { $file } records no source hash, so there is no version to compare with
drift-explain-unverifiable = { $file } records `{ $field }`, whose algorithm is not public; it cannot be matched against history
drift-explain-current = { $file } is current: it was translated from { $source } as it is now; nothing to carry over
drift-explain-git-current = { $file } is current: { $source } has not changed since the translation's last commit { $commit } ({ $date }); nothing to carry over
drift-explain-git-stale = { $file } was last committed in { $commit } ({ $date }, “{ $subject }”). Since then { $source } { $count ->
        [0] has uncommitted edits
        [one] changed in one commit
       *[other] changed in { $count } commits
    }. Changes to carry over into the translation:
drift-explain-git-before-source = { $file } was last committed in { $commit } ({ $date }), before { $source } existed: the whole source page is new to it
drift-explain-git-uncommitted = { $file } is not committed yet: git history cannot tell which version of the source it was made from
drift-explain-found = { $file } (hash { $recorded }) was translated from { $source } as of commit { $commit } ({ $date }, “{ $subject }”). Changes to carry over into the translation:
drift-explain-no-match = no version of { $source } in git history ({ $searched ->
        [one] one commit
       *[other] { $searched } commits
    } searched) has the hash { $recorded } that { $file } records: the translation was made from an uncommitted version or from another file

## stamp

drift-not-stamped = not stamped
drift-stamped = stamped { $file } ({ $field }: { $old } → { $new })
drift-stamp-already = { $file } is already current
drift-stamp-orphan = { $file } has no source page ({ $source } does not exist)
drift-stamp-diverged = { $file } no longer runs the same lab as its source ({ $count ->
        [one] one difference
       *[other] { $count } differences
    } above); fix the translation, or stamp anyway with --force
drift-stamp-unverifiable = { $file }:{ $line }: `ms.openlocfilehash` is written by Microsoft's tooling with an unpublished algorithm; labrun does not overwrite it
drift-stamp-unsupported-value = { $file }:{ $line }: the hash field's value is not a plain or quoted scalar; edit it by hand
drift-stamp-bad-front-matter = { $file }: the front matter cannot be read (see the errors above); fix it first
drift-stamp-verify-failed = { $file }: the stamped page would not read back correctly; left unchanged
drift-stamp-write-failed = cannot write { $file }: { $detail }; the page is unchanged
