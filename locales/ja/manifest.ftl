# ::yaml が表示するマニフェスト（ファイルとパスの解決）。check と render が共有する。

manifest-file-empty = `file` が空です。プロジェクトのルートからの相対パスで YAML ファイルを指定してください
manifest-file-absolute = `{ $file }` は絶対パスです。プロジェクトのルートからの相対パスで指定してください
manifest-file-escapes = `{ $file }` はプロジェクトの外を指しています。プロジェクト内のファイルを指定してください
manifest-file-not-found = プロジェクトにファイル `{ $file }` がありません
manifest-file-io = `{ $file }` を読み込めません: { $detail }
manifest-file-not-utf8 = `{ $file }` は UTF-8 として正しくありません。UTF-8 で保存してください
manifest-file-invalid-yaml = `{ $file }` は YAML として正しくありません（{ $line } 行 { $col } 列）: { $detail }

manifest-path-empty-segment = パス `{ $path }` に空の要素があります。キーは 1 つのドットで区切ってください
manifest-path-document-out-of-range = パス `{ $path }`: ドキュメント { $segment } はありません。このファイルのドキュメントは { $count } 個です（インデックスは 0 から）
manifest-path-not-found = パス `{ $path }`: { $depth ->
        [0] ドキュメントの最上位
       *[other] `{ $parent }` の下
    }にキー `{ $segment }` がありません
manifest-path-not-found-suggest = パス `{ $path }`: { $depth ->
        [0] ドキュメントの最上位
       *[other] `{ $parent }` の下
    }にキー `{ $segment }` がありません。`{ $suggestion }` のことですか？
manifest-path-index-out-of-range = パス `{ $path }`: インデックス { $segment } は範囲外です。{ $depth ->
        [0] ドキュメント最上位
       *[other] `{ $parent }` {""}
    }のシーケンスの要素は { $len } 個です（インデックスは 0 から）
manifest-path-not-a-mapping = パス `{ $path }`: { $depth ->
        [0] ドキュメント
       *[other] `{ $parent }`
    }はマッピングではないため、キー `{ $segment }` はありません
manifest-path-not-a-sequence = パス `{ $path }`: { $depth ->
        [0] ドキュメント
       *[other] `{ $parent }`
    }は単一の値のため、要素 { $segment } はありません
