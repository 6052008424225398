# labrun の基本メッセージ（日本語）。各ジョブは自分のファイルを隣に持つ。

severity-error = エラー
severity-warning = 警告

## ページ読み込み時の診断

diag-file-not-utf8 = ファイルが正しい UTF-8 ではありません。UTF-8 で保存してください
diag-front-matter-unterminated = `---` で始まったフロントマターが閉じられていません。後ろに `---` の行を追加してください
diag-front-matter-invalid-yaml = フロントマターが正しい YAML ではありません: { $detail }
diag-front-matter-not-a-mapping = フロントマターは `key: value` 形式の YAML マッピングである必要があります
diag-front-matter-position-not-a-number = `{ $key }` には数値（`3` や `2.5` など）を指定してください（`{ $value }` は使えません）
diag-fence-duplicate-annotation = アノテーション `{ $key }` が 2 回指定されています。1 つにしてください
diag-fence-bad-annotation-value = `{ $key }={ $value }` は無効です: { $expected } を指定してください
diag-fence-unknown-annotation = 不明なアノテーション `{ $key }` は無視します。使えるアノテーション: { $known }
diag-fence-unknown-annotation-suggest = 不明なアノテーション `{ $key }` は無視します。`{ $suggestion }` の誤りではありませんか？
diag-fence-unterminated = コードブロックが閉じられていません。閉じるフェンスを追加してください
diag-fence-unterminated-heredoc = ヒアドキュメントが終わっていません: ブロックの終わりまでに `{ $delimiter }` の行がありません
diag-fence-unterminated-quote = このコマンドで開いた引用符がブロックの終わりまでに閉じられていません
diag-fence-no-commands = bash ブロックに `$ ` で始まるコマンド行がありません。`$ ` を付けるか、`raw=true` または `test=false` を指定してください
diag-directive-unmatched-close = この `:::` に対応するコンテナディレクティブがありません
diag-directive-malformed = ディレクティブを読み取れません: 閉じられていない { $what ->
        [quote] 引用符
        [brace] `{"{"}`
        [label] `[`
       *[other] { $what }
    }
diag-directive-unterminated-container = コンテナディレクティブ `:::{ $name }` が閉じられていません。`:::` の行を追加してください

## プロジェクトとコンテンツのエラー

error-unknown-lab = `{ $name }` という名前のラボはありません{ $suggestions ->
        [none] {""}
       *[other] 。候補: { $suggestions }
    }
error-config = { $file }:{ $line }:{ $col }: 設定が正しくありません: { $detail }
error-io = { $path } を読み込めません: { $detail }
error-unknown-locale = このプロジェクトにはロケール `{ $locale }` がありません。使えるロケール: { $locales }
error-content = コンテンツに { $count } 件のエラーがあります。修正してから再実行してください（`labrun check` ですべての問題を確認できます）
error-lang-all-not-here = このコマンドは一度に 1 つのロケールだけを扱います。--lang で指定してください（例: --lang ja）
config-no-locales = `locales` には少なくとも 1 つのロケールを指定してください
config-source-locale-unknown = ソースロケール `{ $locale }` がロケール一覧（{ $locales }）にありません
config-bad-variable = 変数名 `{ $name }` には英数字と `_` だけが使えます
config-path-escapes = `{ $key }: { $path }` にはプロジェクト内のパスを指定してください
config-bad-exclude = `exclude` のグロブ `{ $glob }` が正しくありません: { $detail }
config-unknown-rule = `{ $rule }` はどのルールも指していません。ルール ID は docs/check.md にあります（`area/name`、`area/*`、`*`）
config-unknown-rule-suggest = `{ $rule }` はどのルールも指していません。`{ $suggestion }` のことですか？
config-bad-environment-pattern = 環境のパターン `{ $pattern }` に使えるのは英数字、`/`、`_`、`.`、`-` とワイルドカード `*`、`?` だけです
config-bad-tool = `{ $tool }` はコマンド名ではありません。`az` や `kubectl` のように 1 語で書いてください

## コマンドライン

label-error = エラー
cli-path-locale-conflict = `{ $path }` はロケール `{ $locale }` のコンテンツですが、--lang は `{ $lang }` を指定しています。--lang を外すか、`{ $lang }` のページを指定してください
about-labrun = Markdown で書かれたワークショップのラボを実行・検証・翻訳管理します
help-lang = メッセージとコンテンツの言語（en, ja）。省略時、メッセージは環境のロケール、コンテンツはソースロケール
help-config = 使用する labrun.yaml（省略時は現在のディレクトリから上へ探します）
about-plan = ラボのページと実行されるブロックを順に表示します（何も実行しません）
help-plan-lab = ラボ: コンテンツのパス（networking/network-policies）、ページ、または prepare-environment の ID
help-plan-format = 出力形式

## labrun plan

plan-header = { $title }（{ $lab }、{ $locale }）: { $pages } ページ、{ $blocks } ブロック。実行は最長 { $minutes } 分
plan-page-notest = 実行しません（.notest）
plan-page-orphan = 実行しません（原文ページがありません）
plan-timeout = タイムアウト { $seconds } 秒
plan-wait = 待機 { $seconds } 秒
plan-hook = フック { $name }
plan-hook-missing = フック { $name }（スクリプトがありません）
plan-expect-error = エラーを期待
plan-raw = raw スクリプト
plan-verify-output = 出力を出力例と照合
plan-skip = スキップ（test=false）
cli-heading-usage = 使い方:
cli-heading-commands = コマンド
cli-heading-arguments = 引数
cli-heading-options = オプション
cli-help-flag = ヘルプを表示します
cli-version-flag = バージョンを表示します
cli-default-value = [既定値: { $value }]
cli-possible-values = [指定できる値: { $values }]
durations-not-an-object = 所要時間ファイルは `/<path>.md` からミリ秒への JSON オブジェクトである必要があります
durations-bad-value = `{ $page }` の所要時間には 0 以上のミリ秒数を指定してください
error-invalid-file = { $file }:{ $line }:{ $col }: このファイルは使えません: { $detail }
error-no-content = ロケール `{ $locale }` のページがありません: { $dir } が存在しません。コンテンツプロジェクト（labrun.yaml または content/<locale>/ があるディレクトリ）の中で実行するか、--config でその labrun.yaml を指定してください
files-symlink = { $file } はシンボリックリンクです。labrun はリンク越しに書き込みません（リンク先のファイルを自分で変更するか、リンクをファイルに置き換えてください）
files-outside = { $file } は（シンボリックリンクをたどると）{ $root } の外にあります。labrun はその中にしか書き込みません
files-io = { $file } に書き込めません: { $detail }
config-bad-locale = ロケール `{ $locale }` は名前ではありません: 英字・数字・`-`・`_` だけを使ってください（例: `ja`、`pt-BR`）
files-read-outside = { $dir } はプロジェクト { $root } の外を指しています（シンボリックリンク？）。labrun はプロジェクト内のコンテンツしか読みません
