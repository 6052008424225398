//! Property tests: the Markdown engine never panics, whatever it is fed, and
//! every position it reports lies inside the input.

use std::path::Path;

use labrun::markdown::parse_page;
use proptest::prelude::*;

/// Fragments that exercise every construct the engine understands, so that
/// random lines combine into nearly-valid pages.
const FRAGMENTS: &[&str] = &[
    "---",
    "...",
    "title: \"x\"",
    "sidebar_position: 3",
    "weight: [",
    "tmdTranslationSourceHash: 'abc'",
    "```bash",
    "```bash wait=3 timeout=x hook=h expectError=true raw=true",
    "```",
    "~~~",
    "````yaml",
    "$ echo hi",
    "$ cat <<EOF",
    "$ cat <<-'E O'",
    "EOF",
    "\tEOF",
    "$ kubectl get pods \\",
    "$ echo 'open",
    "$ a |",
    "$",
    ":::tip Title",
    "::::details[x]",
    ":::",
    "::::",
    "::yaml{file=\"m.yaml\" paths=\"a,b.0,1.c\"}",
    "::yaml{file=\"",
    "::required-time",
    "::x[label{",
    "1. one",
    "2. two",
    "- item",
    "> [!NOTE]",
    "> quoted",
    "# Heading {#id}",
    "## <a name=\"x\"></a>T",
    "[l](./a.md#b)",
    "![i](img.png)",
    "[r][ref]",
    "[ref]: x.md",
    "VAR::NAME",
    "{{< shortcode >}}",
    "{{% s %}}",
    "<!-- labrun-disable x -->",
    "<a id='y'>",
    "    indented code",
    "| a | b |",
    "|---|---|",
    "",
    " ",
    "\u{feff}",
    "あいうえお",
    "é",
    "\\",
    "\"",
    "'",
];

fn markdownish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => "\\PC{0,20}",
    ];
    (proptest::collection::vec(line, 0..40), any::<bool>())
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

fn check(bytes: &[u8]) {
    let page = parse_page(Path::new("p.md"), "lab/p.md", "en", bytes);
    let text = String::from_utf8_lossy(bytes);
    let lines = text.split('\n').count() as u32 + 1;
    for d in &page.diagnostics {
        assert!(
            d.line >= 1 && d.line <= lines,
            "{d:?} outside {lines} lines"
        );
        assert!(d.col >= 1);
    }
    for b in &page.blocks {
        assert!(
            b.line >= 1 && b.line <= b.end_line && b.end_line <= lines,
            "{b:?}"
        );
        for c in &b.commands {
            assert!(c.line > b.line && c.line <= b.end_line, "{c:?} in {b:?}");
        }
    }
    for d in &page.directives {
        assert!(d.pos.line >= 1 && d.pos.line <= lines);
        if let Some(end) = d.end_line {
            assert!(end > d.pos.line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn markdown_shaped_text(text in markdownish()) {
        check(text.as_bytes());
    }
}
