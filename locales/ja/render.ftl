# labrun render と labrun time（日本語）。

## コマンドライン

about-render = 読者が見るとおりにページを表示します（ターミナル、または静的 HTML サイト）
help-render-target = ページ（getting-started/index.md）またはラボ（networking/network-policies）。--html で省略すると、ワークショップ全体
help-render-html = 表示する代わりに、静的 HTML サイトをこのディレクトリに書き出します。ラボとそのリンク先のページ、またはワークショップ全体です
help-render-vars = VAR::KEY を VALUE に置き換えます（labrun.yaml の variables より優先）。複数指定できます
about-time = ラボの所要時間の内訳（読む時間、実行時間、係数）を表示します
help-time-lab = ラボ: コンテンツのパス（networking/network-policies）、ページ、または prepare-environment の ID
help-time-format = 出力形式
render-bad-var = `--var { $value }` は KEY=VALUE の形式で指定してください。キーには英数字と `_` だけが使えます
render-wrote = { $pages } ページを { $dir } に書き出しました。{ $index } を開いてください
render-target-needed = ターミナルに表示するページかラボを指定してください（ワークショップ全体は --html OUT_DIR で書き出せます）
config-bad-time-factor = `render.time-factor` には 0 より大きく 100 以下の数値を指定してください（{ $value } は使えません）

## ページの部品

render-kind-tip = ヒント
render-kind-info = 情報
render-kind-note = メモ
render-kind-caution = 注意
render-kind-warning = 警告
render-kind-danger = 危険
render-kind-important = 重要
render-kind-details = 詳細
render-kind-tabs = タブ
render-kind-tab = タブ
render-unknown-variable = `VAR::{ $name }` に値がありません。labrun.yaml の `variables` に設定するか、`--var { $name }=…` を指定してください
render-yaml-no-file = `::yaml` に `file` 属性がありません
render-yaml-bad-zoom = `{ $key }="{ $value }"` には行数を整数で指定してください
render-yaml-zoomed = { $start }–{ $end } 行目
render-time-bad-estimate = `estimatedLabExecutionTimeMinutes="{ $value }"` には分数を数値で指定してください
render-time-no-lab = { $page } を含むラボがありません
render-time-label = 所要時間の目安: { $minutes } 分
render-time-formula = (読む時間 { $reading } 分 + 実行時間 { $execution } 分) × { $factor } = { $exact } 分
render-time-detail = { $formula }。実行時間は{ $source ->
        [recorded] 実測値
        [estimated] 見積もり
       *[upper-bound] 上限値
    }です
render-time-upper-bound-note = 上限値です: 実測値も見積もりもないため、ラボのタイムアウトと待ち時間をすべて足しています。

## HTML サイト

render-language-name = 日本語
render-html-languages = 言語
render-html-untranslated = まだ翻訳されていません
render-html-pages = ワークショップのページ
render-html-menu = ページ一覧
render-html-copy = コピー
render-html-copied = コピーしました
render-html-start = ここから始める
render-html-contents = 目次
render-html-pager = 前後のページ

## labrun time

time-header = { $title }（{ $lab }、{ $locale }）
time-col-page = ページ
time-col-words = 単語数
time-col-han = 漢字
time-col-kana = かな
time-col-hangul = ハングル
time-col-reading = 読む時間
time-col-recorded = 実測の実行時間
time-row-total = 合計
time-minutes = { $minutes } 分
time-seconds = { $seconds } 秒
time-reading = 読む時間
time-reading-rule = { $minutes } 分（1 分あたり 200 語、または漢字・かな・ハングル 500 文字）
time-execution = 実行時間
time-execution-value = { $minutes } 分、{ $source }
time-source-recorded = { $file } の実測値
time-source-estimated = estimatedLabExecutionTimeMinutes による見積もり
time-source-upper-bound = タイムアウトと待ち時間から求めた上限
time-factor = 係数
time-total = 合計
time-total-value = { $formula }、5 分単位に切り上げて { $minutes } 分
time-bad-estimate = { $file }:{ $line }: `estimatedLabExecutionTimeMinutes="{ $value }"` には分数を数値で指定してください
