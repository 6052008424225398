# labrun's command line: help, completions, the man page, argument errors (English).

about-help = Print the help of labrun or of one of its commands
help-help-command = The command to explain (labrun help run); none for labrun itself
about-completions = Print a shell completion script (bash: labrun completions bash > /etc/bash_completion.d/labrun)
help-completions-shell = The shell to complete for
about-man = Print labrun's man page (labrun man | man -l -), or write a page per command
help-man-out = Write labrun.1 and a page per command (labrun-run.1, …) into this directory instead of printing labrun.1

## Man page section headings

cli-man-name = NAME
cli-man-synopsis = SYNOPSIS
cli-man-description = DESCRIPTION
cli-man-options = OPTIONS
cli-man-subcommands = COMMANDS
cli-man-version = VERSION
cli-man-extra = EXTRA
cli-man-authors = AUTHORS

## Argument errors (clap's error kinds)

cli-error-unknown-argument = unexpected argument '{ $arg }' found
cli-error-unknown-subcommand = unrecognized command '{ $name }'
cli-error-invalid-value = invalid value '{ $value }' for '{ $arg }'
cli-error-invalid-value-because = invalid value '{ $value }' for '{ $arg }': { $reason }
cli-error-value-missing = a value is required for '{ $arg }' but none was supplied
cli-error-possible-values = [possible values: { $values }]
cli-error-no-equals = an equal sign is needed when assigning a value to '{ $arg }'
cli-error-too-many-values = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
cli-error-wrong-number = { $expected } values required for '{ $arg }' but { $actual } { $actual ->
        [one] was
       *[other] were
    } provided
cli-error-repeated = the argument '{ $arg }' cannot be used more than once
cli-error-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
cli-error-conflict-many = the argument '{ $arg }' cannot be used with:
cli-error-conflict-any = the argument '{ $arg }' cannot be used with one or more of the other arguments given
cli-error-missing-required = the following required arguments were not provided:
cli-error-missing-subcommand = '{ $name }' needs a command, but none was given
cli-error-subcommands = [commands: { $values }]
cli-error-invalid-utf8 = an argument is not valid UTF-8
cli-error-tip-similar = tip: a similar { $kind ->
        [argument] argument
        [value] value
       *[subcommand] command
    } exists: '{ $suggestion }'
cli-error-tip-dashdash = tip: to pass '{ $arg }' as a value, use '-- { $arg }'
cli-error-more-info = For more information, try '{ $help }'.
