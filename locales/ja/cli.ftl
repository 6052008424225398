# labrun のコマンドライン: ヘルプ、補完、man ページ、引数のエラー（日本語）。

about-help = labrun またはそのコマンドのヘルプを表示します
help-help-command = 説明するコマンド（labrun help run）。省略すると labrun 自体のヘルプです
about-completions = シェルの補完スクリプトを表示します（bash: labrun completions bash > /etc/bash_completion.d/labrun）
help-completions-shell = 補完するシェル
about-man = labrun の man ページを表示します（labrun man | man -l -）。コマンドごとのページを書き出すこともできます
help-man-out = labrun.1 を表示する代わりに、labrun.1 とコマンドごとのページ（labrun-run.1 など）をこのディレクトリに書き出します

## man ページの見出し

cli-man-name = 名前
cli-man-synopsis = 書式
cli-man-description = 説明
cli-man-options = オプション
cli-man-subcommands = コマンド
cli-man-version = バージョン
cli-man-extra = その他
cli-man-authors = 作者

## 引数のエラー（clap のエラーの種類）

cli-error-unknown-argument = 想定していない引数 '{ $arg }' があります
cli-error-unknown-subcommand = コマンド '{ $name }' はありません
cli-error-invalid-value = '{ $arg }' に '{ $value }' は指定できません
cli-error-invalid-value-because = '{ $arg }' に '{ $value }' は指定できません: { $reason }
cli-error-value-missing = '{ $arg }' には値が必要ですが、指定されていません
cli-error-possible-values = [指定できる値: { $values }]
cli-error-no-equals = '{ $arg }' に値を指定するには等号（=）が必要です
cli-error-too-many-values = '{ $arg }' の値 '{ $value }' は余分です。これ以上の値は指定できません
cli-error-wrong-number = '{ $arg }' には { $expected } 個の値が必要ですが、{ $actual } 個が指定されました
cli-error-repeated = 引数 '{ $arg }' は 1 回しか指定できません
cli-error-conflict = 引数 '{ $arg }' は '{ $other }' と同時に指定できません
cli-error-conflict-many = 引数 '{ $arg }' は次の引数と同時に指定できません:
cli-error-conflict-any = 引数 '{ $arg }' は、指定されたほかの引数と同時に指定できません
cli-error-missing-required = 次の必須の引数が指定されていません:
cli-error-missing-subcommand = '{ $name }' にはコマンドが必要ですが、指定されていません
cli-error-subcommands = [コマンド: { $values }]
cli-error-invalid-utf8 = UTF-8 として正しくない引数があります
cli-error-tip-similar = ヒント: よく似た{ $kind ->
        [argument] 引数
        [value] 値
       *[subcommand] コマンド
    }があります: '{ $suggestion }'
cli-error-tip-dashdash = ヒント: '{ $arg }' を値として渡すには '-- { $arg }' と指定してください
cli-error-more-info = 詳しくは '{ $help }' を参照してください。
