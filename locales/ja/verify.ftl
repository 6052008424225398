# labrun verify、宣言的フック、事前チェック、リソースの残存検出（日本語）

## フックファイル (tests/hook-NAME.yaml) の診断

diag-hook-not-utf8 = フックファイルが UTF-8 ではありません。UTF-8 で保存してください
diag-hook-unreadable = フックファイルを読み込めません: { $detail }
diag-hook-empty = フックファイルの `before` にも `after` にも期待値がありません
diag-hook-yaml-syntax = フックファイルが正しい YAML ではありません: { $detail }
diag-hook-several-documents = フックファイルに書ける YAML ドキュメントは 1 つです。`---` 以降を削除するか、リストをまとめてください
diag-hook-not-a-mapping = フックファイルは `before` や `after` のリストを持つマッピングでなければなりません
diag-hook-item-not-a-mapping = 期待値は `resource: networkpolicy/default-deny` のようなマッピングで書いてください
diag-hook-unknown-key = 不明なキー `{ $key }` です。使えるキー: { $known }
diag-hook-unknown-key-suggest = 不明なキー `{ $key }` です。`{ $suggestion }` の間違いではありませんか？
diag-hook-duplicate-key = キー `{ $key }` が 2 回指定されています。1 つにしてください
diag-hook-bad-value = `{ $key }: { $value }` は無効です。期待される値: { $expected }
diag-hook-missing-resource = 期待値に `resource`（`kind/name`、または種類と `selector`）がありません
diag-hook-bad-resource = `{ $resource }` はリソースの指定として正しくありません。`kind/name`（`networkpolicy/default-deny`）または種類だけ（`pods`）で書いてください
diag-hook-bad-selector = `{ $selector }` はラベルセレクターとして正しくありません（例: `app=web`、`tier!=db`、`env in (a,b)`、`!canary`）
diag-hook-bad-regex = `{ $pattern }` は正規表現として正しくありません: { $detail }
diag-hook-jsonpath-root = `{ $path }` は RFC 9535 の JSONPath ではありません。`{ $suggestion }` のようにルート `$` から始めてください
diag-hook-bad-jsonpath = `{ $path }` は JSONPath として正しくありません（{ $position } 文字目）: { $detail }
diag-hook-operator-needs-jsonpath = `{ $key }` は `jsonpath` が選んだ値と比べます。`jsonpath: $.spec.replicas` のように `jsonpath` を追加してください
diag-hook-conflicting-keys = `{ $key }` と `{ $other }` は同時に指定できません
diag-hook-selector-with-name = `selector` はある種類のオブジェクトを選ぶためのものですが、`kind/name` ですでに 1 つに決まっています。名前かセレクターのどちらかを削除してください
diag-hook-count-with-name = `count` はある種類のオブジェクトを数えるものですが、`kind/name` では 1 つしかありません。`exists` か `absent` を使ってください
diag-hook-all-namespaces-with-name = 名前を指定したオブジェクトは 1 つの名前空間で探します。`allNamespaces` か名前のどちらかを削除してください
diag-hook-condition-needs-type = `condition` には `{"{"}type: Ready, status: "True"{"}"}` のように `type` が必要です

verify-expected-list = 期待値のリスト
verify-expected-timeout = 秒数（`30`）、または `500ms`、`30s`、`2m` のような時間（最大 1 時間）
verify-expected-text = 空でない文字列
verify-expected-bool = `true` または `false`
verify-expected-number = 数値
verify-expected-count = 0 以上の整数
verify-expected-count-test = 数値、または `equals`、`atLeast`、`atMost` を持つマッピング
verify-expected-namespace = 名前空間の名前（英小文字、数字、`-`）
verify-expected-condition = コンディションの種類（`Available`）、または `{"{"}type: …, status: …{"}"}`
verify-expected-condition-status = `"True"`、`"False"`、`"Unknown"` のいずれか

## 期待する内容

verify-expect-exists = オブジェクトが存在する
verify-expect-absent = オブジェクトが存在しない
verify-expect-some = オブジェクトが 1 つ以上存在する
verify-expect-none = オブジェクトが 1 つも存在しない
verify-expect-every = オブジェクトが 1 つ以上あり、そのすべてについて: { $predicate }
verify-expect-count = { $count }
verify-expect-count-where = { $predicate }オブジェクトが{ $count }
verify-expect-path = { $path } が { $test }
verify-expect-path-selects = { $path } が値を選ぶ
verify-expect-condition = コンディション { $condition } が { $status } である
verify-op-equals = { $value } と等しい
verify-op-matches = /{ $pattern }/ に一致する
verify-op-contains = { $value } を含む
verify-op-at-least = { $value } 以上である
verify-op-at-most = { $value } 以下である
verify-op-and = 、かつ{" "}
verify-count-exactly = ちょうど { $n } 個
verify-count-at-least = { $n } 個以上
verify-count-at-most = { $n } 個以下
verify-count-between = { $min } 個以上 { $max } 個以下
verify-count-any = 何個でもよい

## 実際の状態

verify-actual-not-found = 見つかりません
verify-actual-exists = オブジェクトが存在します
verify-actual-none = 該当するオブジェクトがありません
verify-actual-listed = { $count } 個: { $names }
verify-actual-count-where = { $count } 個中 { $passing } 個: { $names }
verify-actual-some-fail = { $count } 個中 { $failing } 個が条件を満たしません。{ $name }: { $actual }
verify-actual-count-where-none = { $count } 個のどれも条件を満たしません
verify-actual-value = { $value }
verify-actual-path-empty = パスが何も選びません
verify-actual-no-condition = オブジェクトにコンディション { $condition } がありません
verify-actual-condition = コンディション { $condition } は { $status }
verify-actual-condition-reason = コンディション { $condition } は { $status }（{ $reason }）
verify-actual-unreadable = クラスターを読み取れませんでした

## レポート

verify-report-hook = { $page }:{ $line } のフック { $hook }（{ $phase }）
verify-report-passed = { $count } 件の期待値をすべて満たしています（{ $seconds } 秒）
verify-report-failed = { $count } 件中 { $failed } 件の期待値を満たしていません
verify-report-timed-out = { $seconds } 秒間に { $attempts } 回確認しましたが満たされませんでした
verify-report-checked-once = 1 回だけ確認しました（タイムアウトなし）
verify-report-cancelled = { $attempts } 回確認したところで中断されました
verify-label-expected = 期待:
verify-label-actual = 実際:
verify-label-kubectl = kubectl:
verify-label-looked-at = 確認した JSON:
verify-label-note = 補足:
verify-fragment-more-lines = …（ほか { $count } 行）

## kubectl

verify-kube-missing = `{ $program }` がインストールされていないか、PATH にありません
verify-kube-spawn = `{ $program }` を起動できません: { $detail }
verify-kube-failed = `{ $command }` が失敗しました: { $detail }
verify-kube-timed-out = `{ $command }` が { $seconds } 秒以内に終わらなかったため停止しました
verify-kube-bad-output = `{ $command }` の出力が JSON ではありません: { $detail }
verify-kube-no-error-output = エラー出力はありません

## 事前チェック

verify-preflight-kubectl-missing = このラボは kubectl を使いますが、`{ $program }` がインストールされていないか、PATH にありません
verify-preflight-no-context = Kubernetes クラスターが設定されていません。kubectl に現在のコンテキストがありません（{ $detail }）
verify-preflight-unreachable = コンテキスト `{ $context }`（{ $server }）の Kubernetes API が応答しません: { $detail }
verify-preflight-hint-dry-run = クラスターなしでラボを確認するには `--dry-run` を、別のクラスターを使うには `--context` または `--kubeconfig` を指定してください
verify-preflight-run-hint = { $problem }何も実行していません。ヒント: { $hint }

## リソースの残存検出

verify-leaks-none = 残っているオブジェクトはありません（{ $resources } 種類のオブジェクトを比較）
verify-leaks-found = ラボの後に { $count } 個のオブジェクトが残っています:
verify-leaks-col-kind = 種類
verify-leaks-col-namespace = 名前空間
verify-leaks-col-name = 名前
verify-leaks-col-created = 作成日時

## labrun verify

about-verify = ブロックを実行せずに、ラボの宣言的フックを現在のクラスターの状態に対して評価します
help-verify-lab = ラボ: コンテンツのパス (networking/network-policies)、ページ、または prepare-environment の ID
help-verify-page = このページのフックだけを評価します（ラボ内またはロケール内のパス。.md は省略可）
help-verify-phase = 評価する期待値: ブロック実行前 (before) に確認するものか、実行後 (after) に確認するものか
help-verify-wait = 1 回だけ確認する代わりに、各期待値をタイムアウトまで繰り返し確認します
help-verify-context = 使用する kubeconfig のコンテキスト
help-verify-kubeconfig = 使用する kubeconfig ファイル
help-verify-format = 出力形式
verify-header = { $lab }（{ $phase }）を検証します。コンテキスト { $context }（{ $server }、Kubernetes { $version }）
verify-summary = フック { $hooks } 件、期待値 { $expectations } 件: { $failed ->
        [0] すべて満たしています
       *[other] { $failed } 件が失敗しました
    }
verify-unknown-page = このラボにページ `{ $page }` はありません。ページ: { $pages }
verify-nothing = { $lab } には `{ $phase }` の期待値を持つ宣言的フック (tests/hook-NAME.yaml) のあるブロックがありません
verify-preflight-failed = { $problem }何も確認していません。
