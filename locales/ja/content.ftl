## コンテンツツリー: ページの横に置くサイトのメタデータファイル

content-category-invalid = この `_category_` ファイルは読み取れず、サイトのビルドもここで止まります: { $detail }
content-category-not-an-object = `label: …` や `position: …` などのフィールドを書いてください
content-category-bad-position = `position` には数値を指定してください（{ $value } は使えません）
