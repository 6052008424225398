# labrun drift（日本語）。

about-drift = 原文ページより古くなった翻訳や、原文と同じラボを実行しなくなった翻訳を見つけます
help-drift-target = ラボ（コンテンツパスまたは prepare-environment の ID）、ページ、またはいずれかのロケールのファイルやディレクトリ。省略時はすべて
help-drift-format = 出力形式
help-drift-fail_on = 終了コードを 1 にするステータス（カンマ区切り: stale, unstamped, unverifiable, missing, orphan, diverged。`none` で常に 0）
help-drift-explain = 翻訳ページ PAGE の作成後に原文ページがどう変わったかを表示します（git が必要）
about-drift-stamp = レビュー済みの翻訳に、原文ページの現在のハッシュを記録します
help-drift-stamp-pages = 翻訳ページ: ファイル、またはロケールのルートからの相対パス（翻訳ロケールが複数あるときは --lang も指定）
help-drift-stamp-force = 原文と同じラボを実行しなくなったページでもスタンプします

## ステータスと表

drift-status-current = 最新
drift-status-stale = 古い
drift-status-unstamped = ハッシュなし
drift-status-unverifiable = 検証不可
drift-status-missing = 未翻訳
drift-status-orphan = 原文なし
drift-status-diverged = 不一致
drift-col-lab = ラボ
drift-col-source = ページ数
drift-col-translated = 翻訳率
drift-row-total = 合計
drift-header = 翻訳のずれ { $source } → { $locale }: 原文 { $pages } ページ、最新の翻訳は { $percent }{ $orphans ->
        [0] {""}
       *[other] 、原文のない翻訳 { $orphans } 件
    }{ $diverged ->
        [0] {""}
       *[other] 、原文と異なるラボを実行する翻訳 { $diverged } 件
    }
drift-all-current = { $count ->
        [0] 翻訳対象のページはありません。
       *[other] { $count } 件の翻訳はすべて最新で、原文と同じラボを実行します。
    }
drift-no-translations = このプロジェクトには翻訳ロケールがありません（`locales` にソースロケールしかありません）
drift-value-none = （なし）

## 指摘

drift-finding-stale = 翻訳後に原文ページが変更されています（記録 { $recorded }、現在 { $actual }）。変更点は `{ $command }` で確認できます
drift-finding-stale-malformed = `{ $field }: { $recorded }` は MD5 ハッシュではないため、原文のどの版とも一致しません
drift-finding-unstamped = フロントマターに原文のハッシュがありません。翻訳のレビュー後に `{ $command }` を実行してください
drift-finding-git-stale = 翻訳の最後のコミット { $commit }（{ $date }）以降、原文ページ{ $count ->
        [0] にコミットされていない変更があります
       *[other] は { $count } 件のコミットで変更されています
    }。`{ $command }` で変更内容を確認できます
drift-finding-git-before-source = 翻訳が最後にコミットされたのは { $commit }（{ $date }）で、原文ページがまだ存在しない時点です。原文ページと照らし合わせてレビューし、もう一度コミットしてください
drift-finding-git-uncommitted = 翻訳がまだコミットされていないため、どの版の原文から翻訳したかを git の履歴から判断できません
drift-git-no-repository = `drift: {"{"}source: git{"}"}` は git の履歴を比較しますが、{ $dir } は git リポジトリにありません（または git がインストールされていません）
drift-git-shallow = { $file } の履歴は shallow clone によりコミット { $commit } で途切れているため、翻訳の最後のコミットがわかりません。履歴をすべて取得してください（`git fetch --unshallow`。GitHub Actions では actions/checkout に `fetch-depth: 0` を指定）
drift-finding-unverifiable = `{ $field }` は非公開のアルゴリズムで計算されるため、検証できません
drift-finding-missing = まだ翻訳されていません
drift-finding-orphan = 原文ページ { $source } が存在しません（名前の変更または削除）
drift-finding-orphan-suggest = 原文ページ { $source } が存在しません。{ $suggestion } に名前が変わった可能性があります

## 構造の違い

drift-block-only-source = 翻訳に { $block } ブロック（`{ $command }`）がありません
drift-block-only-source-plain = 翻訳に { $block } ブロックがありません
drift-block-only-translation = { $block } ブロック（`{ $command }`）が翻訳にだけあります
drift-block-only-translation-plain = { $block } ブロックが翻訳にだけあります
drift-language-changed = フェンスの言語が違います: { $source } ↔ { $translation }
drift-annotation-changed = アノテーションが違います: `{ $source }` ↔ `{ $translation }`
drift-annotation-only-source = 翻訳にアノテーション `{ $annotation }` がありません
drift-annotation-only-translation = アノテーション `{ $annotation }` が翻訳にだけあります
drift-command-changed = コマンドが違います: `{ $source }` ↔ `{ $translation }`
drift-sample-changed = `{ $command }` の出力例が違います（verifyOutput=true のため実行時に照合されます）: `{ $source }` ↔ `{ $translation }`
drift-command-only-source = 翻訳にコマンド `{ $command }` がありません
drift-command-only-translation = コマンド `{ $command }` が翻訳にだけあります
drift-prompt-missing-translation = 翻訳で `$ ` プロンプトが抜けています: `{ $command }` が出力として扱われ、実行されません
drift-prompt-missing-source = 原文で `$ ` プロンプトが抜けています: `{ $command }` は原文では出力扱いですが、翻訳では実行されます
drift-directive-only-source = 翻訳にディレクティブ `{ $directive }` がありません
drift-directive-only-translation = ディレクティブ `{ $directive }` が翻訳にだけあります
drift-attribute-changed = `{ $directive }` の属性 `{ $attribute }` が違います: `{ $source }` ↔ `{ $translation }`
drift-attribute-only-source = 翻訳の `{ $directive }` に属性 `{ $attribute }="{ $value }"` がありません
drift-attribute-only-translation = `{ $directive }` の属性 `{ $attribute }="{ $value }"` が翻訳にだけあります
drift-callouts-changed = `::yaml` の説明項目の数が違います: 原文 { $source } 件、翻訳 { $translation } 件
drift-ordering-changed = フロントマターの `{ $key }` が違います: { $source } ↔ { $translation }

## ページの特定

drift-outside-content = { $path } はこのプロジェクトのどのロケールのコンテンツにも含まれていません
drift-page-not-found = 原文にも翻訳にも `{ $page }` というページはありません
drift-page-is-directory = { $page } はディレクトリです。ページを指定してください
drift-choose-locale = { $page }: --lang で翻訳ロケールを選んでください（{ $locales }）
drift-no-translation = { $file } がありません。このページは翻訳されていません

## --explain

drift-explain-git-missing = `git` がインストールされていないか、PATH にありません。--explain は git で原文ページの履歴を読みます
drift-explain-not-a-repository = { $path } は git リポジトリの中にないため、履歴を検索できません
drift-explain-git-failed = `{ $command }` が失敗しました: { $detail }
drift-explain-orphan = { $translation } の原文ページ { $source } が存在しません
drift-explain-orphan-suggest = { $translation } の原文ページ { $source } が存在しません。{ $suggestion } に名前が変わった可能性があります（翻訳もそこへ移動してください）
drift-explain-unstamped = { $file } には原文のハッシュが記録されていないため、比較する版がありません
drift-explain-unverifiable = { $file } に記録されている `{ $field }` はアルゴリズムが非公開のため、履歴と照合できません
drift-explain-current = { $file } は最新です。現在の { $source } から翻訳されているため、反映すべき変更はありません
drift-explain-git-current = { $file } は最新です。翻訳の最後のコミット { $commit }（{ $date }）以降、{ $source } は変更されていないため、反映すべき変更はありません
drift-explain-git-stale = { $file } が最後にコミットされたのは { $commit }（{ $date }、「{ $subject }」）です。その後 { $source } { $count ->
        [0] にはコミットされていない変更があります
       *[other] は { $count } 件のコミットで変更されています
    }。翻訳に反映すべき変更:
drift-explain-git-before-source = { $file } が最後にコミットされたのは { $commit }（{ $date }）で、{ $source } がまだ存在しない時点です。原文ページ全体が翻訳にとって新しい内容です
drift-explain-git-uncommitted = { $file } はまだコミットされていないため、どの版の原文から翻訳したかを git の履歴から判断できません
drift-explain-found = { $file }（ハッシュ { $recorded }）は、コミット { $commit }（{ $date }、「{ $subject }」）時点の { $source } から翻訳されています。翻訳に反映すべき変更:
drift-explain-no-match = { $file } に記録されたハッシュ { $recorded } と一致する版が、{ $source } の git 履歴にありません（{ $searched } 件のコミットを検索）。コミットされていない版か、別のファイルから翻訳された可能性があります

## stamp

drift-not-stamped = スタンプしませんでした
drift-stamped = { $file } にスタンプしました（{ $field }: { $old } → { $new }）
drift-stamp-already = { $file } はすでに最新です
drift-stamp-orphan = { $file } の原文ページがありません（{ $source } が存在しません）
drift-stamp-diverged = { $file } は原文と同じラボを実行しなくなっています（上記の { $count } 件の違い）。翻訳を修正するか、--force を付けてスタンプしてください
drift-stamp-unverifiable = { $file }:{ $line }: `ms.openlocfilehash` は Microsoft のツールが非公開のアルゴリズムで書き込む値のため、labrun は上書きしません
drift-stamp-unsupported-value = { $file }:{ $line }: ハッシュのフィールドの値が単純なスカラーでも引用符付きのスカラーでもありません。手で編集してください
drift-stamp-bad-front-matter = { $file }: フロントマターを読み取れません（上記のエラーを参照）。先に修正してください
drift-stamp-verify-failed = { $file }: スタンプ後のページを正しく読み直せないため、変更しませんでした
drift-stamp-write-failed = { $file } に書き込めません: { $detail }。ページは変更されていません
