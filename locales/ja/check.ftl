# labrun check: 検出結果、出力、コマンドラインのヘルプ（日本語）。

## 検出結果

check-yaml-callout-count = `::yaml` のパスは { $paths } 個ですが、直後の番号付きリストの項目は { $callouts } 個です。パスごとに 1 項目を同じ順序で書いてください
check-directive-unknown = 不明なディレクティブ `{ $name }` です。使用できるもの: { $allowed }
check-directive-unknown-suggest = 不明なディレクティブ `{ $name }` です。`{ $suggestion }` のことですか？
check-directive-missing-attribute = `::{ $name }` には属性 `{ $attr }` が必要です
check-directive-bad-attribute-value = `{ $attr }="{ $value }"` は正しくありません: { $expected }を指定してください
check-expected-whole-number = 整数
check-required-time-no-duration = `::required-time` に表示する時間がありません: ラボ `{ $lab }` の所要時間が `{ $file }` に記録されていません。ラボを実行して記録するか、`estimatedLabExecutionTimeMinutes` を指定してください
check-required-time-bad-durations = 所要時間ファイルが、ページのパスからミリ秒への JSON オブジェクトになっていません: { $detail }
check-fence-missing-hook = `hook={ $name }` のフックファイルがありません: ページと同じ場所に `{ $file }` を追加してください
check-fence-unused-hook = フック `{ $name }` は `{ $dir }` のページのどのブロックからも使われていません。ブロックに `hook={ $name }` を付けるか、ファイルを削除してください
check-sample-raw = `raw=true` のブロックに `verifyOutput=true` を付けても何も照合されません。ブロック全体がスクリプトなので出力例がありません。どちらかを外してください
check-sample-before-commands = 最初のコマンド（{ $line } 行目）より前に出力例があります。これを出力するコマンドがないため、実行時に照合できません。出力するコマンドの後ろに移してください
check-sample-background = このコマンドはバックグラウンド（`&`）で実行されます。その出力は後に実行されるコマンドの出力に混ざるため、{ $line } 行目の出力例と区別できません。出力をリダイレクトする（`>file 2>&1 &`）か、`verifyOutput` のないブロックで実行してください
check-front-matter-missing-title = ページにタイトルがありません: フロントマターに `title:` を追加してください（または `#` 見出しを書いてください）
check-front-matter-duplicate-position = `{ $key }: { $position }` は `{ $other }` と同じ位置です。並び順を保つため、兄弟ページには異なる位置を指定してください
check-reference-unknown-variable = `VAR::{ $name }` に値がありません: labrun.yaml の `variables` に `{ $name }` を追加してください
check-link-broken = リンク先 `{ $dest }` がありません
check-link-broken-anchor = `{ $dest }`: { $page }に見出しまたはアンカー `#{ $anchor }` がありません
check-link-broken-image = 画像 `{ $dest }` がありません
check-translation-orphan = この翻訳の原文ページ { $source } が存在しないため、サイトはこのページをビルドせず、実行でもスキップされます。削除するか、原文の移動先に合わせて移動してください{ $hooks ->
        [none] {""}
       *[other] 。フック { $hooks } は削除された原文の横にありました
    }
check-translation-orphan-suggest = この翻訳の原文ページ { $source } が存在しないため、サイトはこのページをビルドせず、実行でもスキップされます。原文はおそらく { $suggestion } に移動しました（翻訳もそこへ移動してください）{ $hooks ->
        [none] {""}
       *[other] 。フック { $hooks } は削除された原文の横にありました
    }
check-this-page = このページ

## 出力

check-summary-ok = { $pages } ページ（{ $locales }）を検査しました: 問題はありません
check-summary = { $pages } ページ（{ $locales }）を検査しました: エラー { $errors } 件、警告 { $warnings } 件
check-junit-failure = 問題 { $count } 件
check-path-not-found = ファイルまたはディレクトリがありません: { $path }

## 監視（`check --watch`）

check-watch-start = { $dirs } 個のディレクトリの変更を監視しています（Ctrl-C で終了）
check-watch-cycle = { $files } が変更されました: { $pages } ページを { $ms } ms で再検査しました
check-watch-reloaded = { $files } が変更されました: プロジェクト全体を { $ms } ms で読み直しました
check-watch-failed = 再検査できません: { $detail }
check-watch-junit = --watch は変更のたびにレポートを出力しますが、JUnit XML は一回の実行につき一つの文書です。--format human、json、github のいずれかを指定してください

## コマンドライン

about-check = クラスターなしで全ロケールの全ページを検査します: ディレクティブ、マニフェストとそのパス、コードブロック、フック、フロントマター、変数、リンク
help-check-paths = 指定したファイルやディレクトリの検出結果だけを報告します（ページ間のリンクを解決するため、プロジェクト全体は読み込みます）
help-check-format = 出力形式
help-check-deny = この重大度も失敗として扱います（`warnings`）
help-check-pedantic = 既定では無効の pedantic ルールも警告として報告します（docs/check.md を参照）
help-check-watch = プロジェクトを読み込んだまま、ページ・マニフェスト・フック・labrun.yaml が変わるたびに再検査します（変更の影響する範囲だけを検査します）
