# labrun lsp: 言語サーバーのメッセージ（日本語）。

lsp-no-project = { $dir } に labrun のプロジェクトがありません: { $detail }
lsp-translation-stale = 翻訳元のページ { $source } は、この翻訳の作成後に変更されています。ここにカーソルを合わせると変更内容が表示されます。翻訳を更新したら「レビュー済みにする」を実行してください
lsp-translation-unstamped = この翻訳には翻訳元のハッシュが記録されていません。{ $source } と内容が一致したら「レビュー済みにする」を実行してください
lsp-hover-current = { $source } の翻訳: 最新です（翻訳元ページのハッシュを記録しています）
lsp-hover-stale = **古い翻訳です。** { $source } は、この翻訳の元になった版 { $commit }（{ $date }、「{ $subject }」）から次のように変更されています:
lsp-hover-stale-no-history = **古い翻訳です。** { $source } はこの翻訳の作成後に変更されていますが、履歴を読めません: { $detail }
lsp-hover-variable = `VAR::{ $name }` の値は `{ $value }` です（labrun.yaml）
lsp-hover-variable-unknown = `VAR::{ $name }` には値がありません。labrun.yaml の `variables` に `{ $name }` を追加してください
lsp-action-replace = `{ $from }` を `{ $to }` に置き換える
lsp-action-mark-reviewed = レビュー済みにする（翻訳元ページのハッシュを記録）
lsp-stamped = { $file }: レビュー済みにしました（翻訳元のハッシュ { $hash }）
lsp-stamped-buffer = { $file }: エディター上でレビュー済みにしました（翻訳元のハッシュ { $hash }）。変更を残すにはページを保存してください

## フェンスの注釈（補完とともに表示）

lsp-annotation-test = test=false: 実行時にこのブロックを飛ばします
lsp-annotation-timeout = timeout=秒数: これより長くかかるとブロックは失敗します
lsp-annotation-wait = wait=秒数: ブロックの後、次に進む前に待ちます
lsp-annotation-hook = hook=名前: ブロックの前後に tests/hook-名前.sh を実行します（tests/hook-名前.yaml があればその期待値も確認します）
lsp-annotation-hooktimeout = hookTimeout=秒数: フックにかけてよい時間です
lsp-annotation-expecterror = expectError=true: このブロックは失敗するのが正しい動作です
lsp-annotation-raw = raw=true: `$ ` のプロンプトなしで、ブロック全体を一つのスクリプトとして実行します

## コマンドライン

about-lsp = プロジェクトのページをエディターに提供する言語サーバー（stdio）です（入力中の診断、ホバー、定義へ移動、補完、修正、翻訳のレビュー）
help-lsp-stdio = 標準入出力で通信します（唯一の方式です。エディターの汎用クライアントが渡すため受け付けます）
