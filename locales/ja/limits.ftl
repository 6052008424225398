# コンテンツ・labrun.yaml・フラグから読む数値の範囲（src/limits.rs）。
limits-expected-seconds = { $min } から { $max } までの整数の秒数
limits-expected-minutes = 0 から { $max } までの分数（数値）
limits-out-of-range = `{ $value }` は範囲外です: { $expected } を指定してください
limits-expected = { $expected } を指定してください
config-out-of-range = `{ $key }: { $value }` は範囲外です: { $expected } を指定してください
yaml-too-deep = 入れ子が { $max } 階層を超えています。labrun はこれより深い YAML を読みません
yaml-alias-budget = エイリアスが複製するアンカーのデータが { $mib } MiB を超えています（"billion laughs" 型の YAML 爆弾では？）。labrun はここで読むのをやめます
