# labrun run と labrun report（日本語）。

## コマンドライン

about-run = ラボ（またはすべてのラボ）を、1 つの端末で丁寧に作業する人と同じように実行し、結果を CI に報告します
help-run-lab = ラボ: コンテンツのパス（networking/network-policies）、ページ、または prepare-environment の ID
help-run-all = ワークショップのすべてのラボを実行します（コンテンツは --lang en、ja、all で選びます）
help-run-shard = N 個に分けたうちの K 番目だけを実行します（--all と併用）。ラボは記録済みの所要時間で均等に分けます
help-run-dry_run = 実行計画を予想所要時間付きで表示し、何も実行しません
help-run-format = --dry-run の出力形式: 人が読む text、プログラム向けの json（labrun.dry-run/v1）
help-run-bail = 最初の失敗で実行全体を止めます
help-run-from = このページ（と、この行のブロック）から始め、それより前はすべてスキップします
help-run-only = パスがこの glob に一致するページだけを実行します
help-run-timeout = timeout= のないブロックの制限時間（秒）。既定値は labrun.yaml の値（120）
help-run-hook_timeout = hookTimeout= のないブロックのフックの制限時間（秒）。既定値は labrun.yaml の値（300）
help-run-vars = VAR::KEY プレースホルダーの値。複数指定でき、labrun.yaml より優先されます
help-run-report_junit = JUnit XML レポートをこのファイルに書き出します
help-run-report_json = JSON レポート（labrun.run/v1）をこのファイルに書き出します
help-run-record_durations = 成功した各ページの所要時間（ミリ秒）をこの JSON ファイルに統合します
help-run-log_dir = 各ブロックの出力を保存するディレクトリ（既定: 新しい一時ディレクトリ）
help-run-verbose = 各ブロックの出力を実行中に表示します
help-run-step = 各ブロックを実行前に表示し、実行・スキップ・終了を尋ねます
help-run-context = labrun、ブロック、フックが使う kubeconfig のコンテキスト
help-run-kubeconfig = labrun、ブロック、フックが使う kubeconfig ファイル
help-run-check_leaks = 各ラボの前にクラスターのスナップショットを取り、ラボの終わりに後片付けを実行してからもう一度スナップショットを取って、ラボが残したものを報告します
help-run-verify_output = すべてのコマンドの出力を、ページでその後ろに示された出力例と照合します（1 つのブロックに verifyOutput=true を付けた場合と同じ）
help-run-resume = 以前の実行のログディレクトリから再開します。合格しなかった最初のページ（または --from のページ）から、その前のページの後に保存されたシェルの状態で始めます
run-cluster = クラスター: コンテキスト { $context }（{ $server }、Kubernetes { $version }）
about-report = 実行レポートを扱います
about-report-merge = 1 回の実行を分割した各シャードのレポートを 1 つにまとめます
help-report-merge-files = 各シャードのレポート。すべて JSON（labrun.run/v1）か、すべて JUnit XML
help-report-merge-output = まとめたレポートの書き出し先（入力と同じ形式）
help-report-merge-junit = 入力が JSON のとき、まとめた結果を JUnit XML としてこのファイルにも書き出します

## 実行前のエラー

run-no-lab = 実行するラボを指定するか、--all ですべてのラボを実行してください
run-bad-var = --var { $value } は KEY=VALUE の形で指定してください（KEY は英数字と _ のみ）
run-bad-wait-scale = LABRUN_WAIT_SCALE={ $value } には 0 から 1 までの数を指定してください（wait= の待ち時間のうち実際に待つ割合で、シミュレートしたクラスターでのテスト用です）
run-bad-glob = --only { $glob } は正しい glob ではありません: { $detail }
run-only-matches-nothing = --only { $glob } に一致するページが、実行するラボにありません
run-bad-shard = --shard { $shard } は 1 ≤ K ≤ N ≤ 1000 の K/N の形で指定してください（例: 2/4）
run-from-unknown-page = --from { $page } に該当するページが、実行するラボにありません
run-from-ambiguous = --from { $page } に一致するページが複数あります: { $matches }。パスをもう少し詳しく指定してください
run-from-no-block = { $file }:{ $line }: そこに実行できるブロックはありません。ブロックの開始フェンスの行を指定してください
run-resume-bad-schema = スキーマ { $schema } のシェル状態です。この labrun が読めるのは { $expected } です
run-resume-no-state = --resume: { $dir } には { $page } の前のページ { $before } の後のシェル状態が保存されていません。以前の実行はそのページを実行していません。--from でそれより前のページから再開してください
run-resume-not-a-dir = --resume { $dir }: ディレクトリではありません（以前の実行のログディレクトリを指定してください。実行のまとめと JSON レポートの log_dir に示されています）
run-resume-nothing = --resume { $dir }: 実行するラボのシェル状態が保存されていません（これらのラボを実行したときのログディレクトリですか？）
run-no-bash = PATH に bash がありません。labrun はラボを bash で実行します
run-session-start-failed = ラボのシェル（{ $bash }）を起動できません: { $detail }
run-unknown-variable = 未定義の変数 `VAR::{ $name }` です。labrun.yaml の `variables:` に定義するか、--var { $name }=VALUE を指定してください（定義済み: { $known }）
run-hook-missing = フック `{ $name }` のスクリプトがありません。{ $file } が必要です

## 進行状況

run-progress-eta = 残り
run-lab-start = ▶ { $title }（{ $lab }、{ $locale }）: { $pages } ページ、{ $blocks } ブロック
run-lab-done = { $lab }（{ $locale }）: { $duration }
run-suite-hook = スイートフック { $file } { $phase }: { $status }
run-cleanup = ラボの後片付け { $file }: { $status }
run-ms = { $ms } ミリ秒
run-seconds = { $seconds } 秒
run-minutes = { $minutes } 分 { $seconds } 秒
run-status-passed = 成功
run-status-failed = 失敗
run-status-skipped = スキップ
run-status-timed-out = タイムアウト
run-status-warning = 警告
run-status-interrupted = 中断
run-warning-unexpected-success = expectError=true ですが、ブロックは成功しました
run-skip-test-false = test=false
run-skip-notest = 実行対象外（.notest）
run-skip-orphan = 実行対象外（原文ページがありません）
run-skip-no-cluster = 実行対象外（クラスターなし）
run-lab-no-cluster = ✗ { $lab }（{ $locale }）: クラスターが必要なため実行しません: { $reason }
run-skip-after-failure = このページの前のブロックが失敗しました
run-skip-bail = 失敗したため --bail で停止
run-skip-from = --from より前
run-skip-only = --only に一致しません
run-skip-step = プロンプトでスキップ
run-skip-quit = プロンプトで終了
run-skip-suite-hook = スイートフックの before が失敗しました
run-skip-interrupted = 中断されました
run-skip-session-lost = ラボのシェルが終了しました
run-skip-resume = 再開元の実行で実行済み
run-resume-at = { $page } から再開します。シェルの状態は { $dir } に { $after } の後で保存されたものです
run-resume-at-start = ラボの最初のページ { $page } から再開します。復元する状態はありません
run-resume-done = { $dir } ではすべてのページが成功しています。再開するものはありません
run-resume-fresh-work-dir = 以前の実行の作業ディレクトリがもうありません。新しいディレクトリを使うため、前のページで作られたファイルはありません
run-step-prompt = このブロックを実行しますか？ [r] 実行、[s] スキップ、[q] 終了:

## 失敗

run-failure-exit = ブロックが終了コード { $code } で失敗しました
run-failure-timeout = ブロックが { $seconds } 秒でタイムアウトしたため、起動したプロセスごと強制終了しました
run-failure-hook = フック { $name }（{ $phase }）が終了コード { $code } で失敗しました
run-failure-hook-timeout = フック { $name }（{ $phase }）がタイムアウトしました
run-failure-hook-expectations = フック { $name }（{ $phase }）: 満たされない期待値があります
run-failure-interrupted = ブロックの実行中に中断されました
run-failure-session-lost = ブロックの実行中にラボのシェルが終了しました（`exit` を実行したか、自分のシェルを終了させていませんか？）
run-failure-command = コマンド（{ $line } 行目）:
run-failure-output = 出力の最後の部分:
run-failure-hook-output = フック { $name }（{ $phase }）の出力の最後の部分:
run-failure-log = ログ:
run-failure-sample = コマンドの出力が { $at } の出力例と一致しません
run-failure-sample-diff = 出力例（-）と実際の出力（+）、ページの行番号付き:
run-diff-hidden = { $count } 行を省略
run-diff-elided = { $count } 行に相当
run-junit-unexpected-success = expectError=true ですが、ブロックは成功しました
run-junit-block-failed = { $kind }（終了コード { $code }）
run-junit-hook-failed = フック { $name }（{ $phase }）が終了コード { $code } で失敗しました
run-junit-hook-timed-out = フック { $name }（{ $phase }）がタイムアウトしました
run-junit-block-output = ブロックの出力

## まとめ

run-summary = { $labs } ラボ、{ $blocks } ブロック: 成功 { $passed }、失敗 { $failed }、タイムアウト { $timed_out }、スキップ { $skipped }、警告 { $warnings }（{ $duration }）
run-summary-logs = ブロックの出力:
run-summary-work = 調査用に残した作業ディレクトリ:
run-summary-json = JSON レポート:
run-summary-junit = JUnit レポート:
run-summary-durations = 所要時間の記録先:

## ドライラン

run-dry-shard = シャード { $shard }: { $labs } ラボ
run-dry-expected = ページごとの予想実行時間（--record-durations の記録、なければブロックごとに 1 秒と wait）:
run-dry-estimated = 約 { $duration }（未記録）
run-dry-not-run = 実行しない
run-dry-lab-total = ラボの予想実行時間: { $duration }
run-dry-bound = 実行は最長 { $minutes } 分: 各ブロックの timeout と wait、フックの timeout の合計です（labrun は timeout でブロックを終了させます）
run-dry-required = 受講者に示す所要時間（::required-time）: { $minutes } 分 = { $formula }、5 分単位に切り上げ。実行時間: { $source }
run-dry-total = { $labs } ラボ: 予想実行時間 { $duration }、実行は最長 { $minutes } 分

## prepare-environment（ラボのシェル内）

run-prepare-usage = 使い方: prepare-environment <ラボ ID>
run-prepare-missing-tool = prepare-environment: `{ $tool }` が必要ですが、インストールされていません。インストールしてからラボをもう一度実行してください
run-prepare-missing-hint = prepare-environment: 終了コード 127 は、スクリプトが呼び出すコマンドがインストールされていないことを示します
run-prepare-cleaning = prepare-environment: { $id } を片付けています（{ $file }）
run-prepare-setting-up = prepare-environment: { $id } を準備しています（{ $file }）
run-prepare-no-setup = prepare-environment: { $id } に準備は必要ありません
run-prepare-failed = prepare-environment: { $file } が終了コード { $code } で失敗しました
run-requires-missing = ラボ { $lab }（{ $locale }）の prepare-environment { $environment } には `{ $tool }` が必要ですが、PATH にありません
run-requires-refused = { $problems }
  何も実行していません。足りないものをインストールするか（{ $file } の prepare-environment で必須と指定されています）、--dry-run でラボの内容を確認してください

## labrun report merge

report-unreadable = レポート { $file } を読み込めません: { $detail }
report-mixed-formats = JSON と JUnit XML のレポートが混在しています。形式ごとにまとめてください
report-junit-needs-json = --junit を使うには、入力が JSON レポートである必要があります
