## The content tree: site metadata files beside the pages.

content-category-invalid = this `_category_` file cannot be read, and the site build stops on it: { $detail }
content-category-not-an-object = it must hold fields such as `label: …` and `position: …`
content-category-bad-position = `position` must be a number, not { $value }
