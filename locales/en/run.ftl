# labrun run and labrun report (English).

## Command line

about-run = Run a lab (or every lab) like a careful person at one terminal, and report to CI
help-run-lab = The lab: a content path (networking/network-policies), a page, or a prepare-environment id
help-run-all = Run every lab of the workshop (choose the content with --lang en, ja or all)
help-run-shard = Run only shard K of N (with --all); labs are balanced by recorded durations
help-run-dry_run = Print the plan with expected durations; execute nothing
help-run-format = The form of --dry-run's output: text for people, json (labrun.dry-run/v1) for programs
help-run-bail = Stop the whole run at the first failure
help-run-from = Start at this page (and the block at this line), skipping everything before it
help-run-only = Run only the pages whose path matches this glob
help-run-timeout = Seconds a block may run when it has no timeout= (default from labrun.yaml, 120)
help-run-hook_timeout = Seconds a hook may run when its block has no hookTimeout= (default from labrun.yaml, 300)
help-run-vars = A value for VAR::KEY placeholders; repeatable, wins over labrun.yaml
help-run-report_junit = Write a JUnit XML report to this file
help-run-report_json = Write the JSON report (labrun.run/v1) to this file
help-run-record_durations = Merge the duration of each passed page (milliseconds) into this JSON file
help-run-log_dir = Directory for the output of every block (default: a new temporary directory)
help-run-verbose = Show each block's output as it runs
help-run-step = Show each block before it runs and ask: run, skip or quit
help-run-context = The kubeconfig context for labrun, the blocks and the hooks
help-run-kubeconfig = The kubeconfig file for labrun, the blocks and the hooks
help-run-check_leaks = Snapshot the cluster before each lab, run the lab's cleanup at its end, snapshot again, and report what the lab left behind
help-run-verify_output = Compare every command's output with the sample the page shows after it, as verifyOutput=true does for one block
help-run-resume = Resume a run from its log directory: start at the first page that did not pass (or at --from), with the shell state the earlier run saved after the page before it
run-cluster = Cluster: context { $context } ({ $server }, Kubernetes { $version })
about-report = Work with the reports of runs
about-report-merge = Join the reports of the shards of one run into one report
help-report-merge-files = The shards' reports: all JSON (labrun.run/v1) or all JUnit XML
help-report-merge-output = Where to write the merged report (same format as the inputs)
help-report-merge-junit = With JSON inputs: also write the merged run as JUnit XML to this file

## Errors before a run starts

run-no-lab = name a lab to run, or use --all to run every lab
run-bad-var = --var { $value } must look like KEY=VALUE, with a KEY of letters, digits and _
run-bad-wait-scale = LABRUN_WAIT_SCALE={ $value } must be a number from 0 to 1 (the fraction of each wait= pause to sleep; meant for tests against a simulated cluster)
run-bad-glob = --only { $glob } is not a valid glob: { $detail }
run-only-matches-nothing = --only { $glob } matches no page of the labs to run
run-bad-shard = --shard { $shard } must be K/N with 1 ≤ K ≤ N ≤ 1000, for example 2/4
run-from-unknown-page = --from { $page } names no page of the labs to run
run-from-ambiguous = --from { $page } matches several pages: { $matches }; give more of the path
run-from-no-block = { $file }:{ $line }: no runnable block there; give the line of a block's opening fence
run-resume-bad-schema = a shell state of schema { $schema }; this labrun reads { $expected }
run-resume-no-state = --resume: { $dir } has no shell state saved after { $before }, the page before { $page }: the earlier run did not run it. Resume at an earlier page with --from
run-resume-not-a-dir = --resume { $dir }: not a directory (give the log directory of an earlier run: the summary names it, and so does log_dir in its JSON report)
run-resume-nothing = --resume { $dir }: no shell state saved for the labs to run (was it the log directory of a run of these labs?)
run-no-bash = bash is not on PATH; labrun runs labs with bash
run-session-start-failed = cannot start the lab's shell ({ $bash }): { $detail }
run-unknown-variable = unknown variable `VAR::{ $name }`; define it under `variables:` in labrun.yaml or pass --var { $name }=VALUE (known: { $known })
run-hook-missing = hook `{ $name }` has no script; expected { $file }

## Progress

run-progress-eta = ETA
run-lab-start = ▶ { $title } ({ $lab }, { $locale }): { $pages ->
        [one] one page
       *[other] { $pages } pages
    }, { $blocks ->
        [one] one block
       *[other] { $blocks } blocks
    }
run-lab-done = { $lab } ({ $locale }) in { $duration }
run-suite-hook = suite hook { $file } { $phase }: { $status }
run-cleanup = the lab's cleanup { $file }: { $status }
run-ms = { $ms } ms
run-seconds = { $seconds } s
run-minutes = { $minutes } min { $seconds } s
run-status-passed = passed
run-status-failed = failed
run-status-skipped = skipped
run-status-timed-out = timed out
run-status-warning = warning
run-status-interrupted = interrupted
run-warning-unexpected-success = expectError=true, but the block succeeded
run-skip-test-false = test=false
run-skip-notest = not run (.notest)
run-skip-orphan = not run (its source page no longer exists)
run-skip-no-cluster = not run (no cluster)
run-lab-no-cluster = ✗ { $lab } ({ $locale }): not run, it needs a cluster: { $reason }
run-skip-after-failure = an earlier block of the page failed
run-skip-bail = --bail after a failure
run-skip-from = before --from
run-skip-only = not matched by --only
run-skip-step = skipped at the prompt
run-skip-quit = quit at the prompt
run-skip-suite-hook = the suite hook's before failed
run-skip-interrupted = interrupted
run-skip-session-lost = the lab's shell ended
run-skip-resume = the run this one resumes got past it
run-resume-at = resuming at { $page }, with the shell state saved after { $after } in { $dir }
run-resume-at-start = resuming at { $page }, the lab's first page: nothing to restore
run-resume-done = every page passed in { $dir }: nothing to resume
run-resume-fresh-work-dir = the earlier run's work directory is gone: a fresh one takes its place, without the files the earlier pages made
run-step-prompt = Run this block? [r]un, [s]kip, [q]uit:

## Failures

run-failure-exit = the block failed with exit code { $code }
run-failure-timeout = the block timed out after { $seconds } s and was killed with everything it started
run-failure-hook = hook { $name } ({ $phase }) failed with exit code { $code }
run-failure-hook-timeout = hook { $name } ({ $phase }) timed out
run-failure-hook-expectations = hook { $name } ({ $phase }): an expectation does not hold
run-failure-interrupted = interrupted while the block ran
run-failure-session-lost = the lab's shell ended while the block ran (did it run `exit` or kill its own shell?)
run-failure-command = command (line { $line }):
run-failure-output = last lines of output:
run-failure-hook-output = last lines of hook { $name } ({ $phase }):
run-failure-log = log:
run-failure-sample = the output of the command differs from its sample at { $at }
run-failure-sample-diff = sample (-) and output (+), by page line:
run-diff-hidden = { $count ->
    [one] one line not shown
   *[other] { $count } lines not shown
}
run-diff-elided = takes { $count ->
    [one] one line
   *[other] { $count } lines
}
run-junit-unexpected-success = expectError=true, but the block succeeded
run-junit-block-failed = { $kind } (exit code { $code })
run-junit-hook-failed = hook { $name } ({ $phase }) failed with exit code { $code }
run-junit-hook-timed-out = hook { $name } ({ $phase }) timed out
run-junit-block-output = the block's output

## Summary

run-summary = { $labs ->
        [one] one lab
       *[other] { $labs } labs
    }, { $blocks ->
        [one] one block
       *[other] { $blocks } blocks
    }: { $passed } passed, { $failed } failed, { $timed_out } timed out, { $skipped } skipped, { $warnings ->
        [one] one warning
       *[other] { $warnings } warnings
    } in { $duration }
run-summary-logs = Block output:
run-summary-work = Work directories kept for inspection:
run-summary-json = JSON report:
run-summary-junit = JUnit report:
run-summary-durations = Durations recorded in:

## Dry run

run-dry-shard = Shard { $shard }: { $labs ->
        [one] one lab
       *[other] { $labs } labs
    }
run-dry-expected = Expected run time, page by page (recorded by --record-durations, else 1 s per block plus its wait):
run-dry-estimated = about { $duration } (not recorded yet)
run-dry-not-run = not run
run-dry-lab-total = Expected run time of the lab: { $duration }
run-dry-bound = A run takes at most { $minutes } min: every block's timeout and wait, and its hook's timeouts, added up (labrun ends a block at its timeout)
run-dry-required = Required time shown to learners (::required-time): { $minutes } min = { $formula }, rounded up to 5 min; execution { $source }
run-dry-total = { $labs } labs: expected run time { $duration }; a run takes at most { $minutes } min

## prepare-environment, inside the lab's shell

run-prepare-usage = usage: prepare-environment <lab id>
run-prepare-missing-tool = prepare-environment: `{ $tool }` is required but not installed; install it and run the lab again
run-prepare-missing-hint = prepare-environment: exit code 127 means a command the script calls is not installed
run-prepare-cleaning = prepare-environment: cleaning up { $id } ({ $file })
run-prepare-setting-up = prepare-environment: setting up { $id } ({ $file })
run-prepare-no-setup = prepare-environment: { $id } needs no setup
run-prepare-failed = prepare-environment: { $file } failed with exit code { $code }
run-requires-missing = lab { $lab } ({ $locale }) needs `{ $tool }` for prepare-environment { $environment }, and it is not on PATH
run-requires-refused = { $problems }
  nothing was run: install what is missing (required under prepare-environment in { $file }), or look at the lab with --dry-run

## labrun report merge

report-unreadable = cannot read the report { $file }: { $detail }
report-mixed-formats = the reports mix JSON and JUnit XML; merge each format separately
report-junit-needs-json = --junit needs JSON reports as input
