//! Hostile sizes and characters through the import path the CLI and the browser share:
//! each case is handled correctly or refused with a clear error, never a hang or a panic,
//! and the engine built from what did load always answers.

use newslens::import::Importer;
use newslens::search::{Engine, SearchRequest};

/// Imports `files`, builds, opens the bytes, and searches for `query`: (articles found, warnings).
fn import_and_search(files: &[(&str, Vec<u8>)], query: &str) -> (usize, Vec<String>) {
    let mut imp = Importer::new("").expect("importer");
    for (name, bytes) in files {
        imp.add_file(name, bytes);
    }
    let warnings: Vec<String> = imp.warnings().iter().map(|w| w.to_string()).collect();
    let Ok(index) = imp.build() else { return (0, warnings) };
    let engine = Engine::from_bytes(&newslens::format::write(&index)).expect("a fresh index opens");
    let req = SearchRequest { query: query.into(), limit: 10, facet_limit: 10, ..SearchRequest::default() };
    let res = engine.search(&req).expect("search answers");
    for h in &res.hits {
        engine.article(&h.id, query).expect("articles open");
    }
    (res.articles, warnings)
}

#[test]
fn a_50_mb_article_is_refused_by_name_and_the_rest_loads() {
    let huge = "word ".repeat(10 * 1024 * 1024).into_bytes(); // 50 MiB
    let (found, warnings) =
        import_and_search(&[("huge.txt", huge), ("ok.txt", b"Small story\n\nA harbour story.".to_vec())], "harbour");
    assert_eq!(found, 1);
    assert!(
        warnings.iter().any(|w| w.starts_with("huge.txt:") && w.contains("over the 16777216-byte limit")),
        "{warnings:?}"
    );
}

#[test]
fn a_50_mb_item_in_a_collection_is_skipped_with_a_warning() {
    let big = format!("{{\"id\":\"big\",\"title\":\"Big\",\"body\":\"{}\"}}", "word ".repeat(10 * 1024 * 1024));
    let jsonl = format!("{big}\n{{\"id\":\"small\",\"title\":\"Small\",\"body\":\"A harbour story.\"}}\n");
    let (found, warnings) = import_and_search(&[("mixed.jsonl", jsonl.into_bytes())], "harbour");
    assert_eq!(found, 1);
    assert!(warnings.iter().any(|w| w.contains("\"big\"") && w.contains("limit for one article")), "{warnings:?}");
}

#[test]
fn deep_nesting_is_an_error_or_flattened_never_a_stack_overflow_or_a_hang() {
    let depth = 100_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("[{{\"title\": {}1{}}}]", "{\"a\":".repeat(depth), "}".repeat(depth));
    let xml = format!("<rss><channel>{}</channel></rss>", "<item>".repeat(depth));
    let html =
        format!("<html><title>Deep</title><body>{}<p>The deep harbour text, long enough to be the story of this page.</p></body></html>", "<div>".repeat(depth));
    let files = [
        ("arrays.json", arrays.into_bytes()),
        ("objects.json", objects.into_bytes()),
        ("deep.xml", xml.into_bytes()),
        ("deep.html", html.into_bytes()),
        ("ok.txt", b"Fine\n\nA harbour story.".to_vec()),
    ];
    let (found, warnings) = import_and_search(&files, "harbour");
    // The page loads, flattened below html5ever's quadratic depths, with its text.
    assert_eq!(found, 2, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.starts_with("deep.html") && w.contains("flattened")), "{warnings:?}");
    for name in ["arrays.json", "objects.json"] {
        assert!(warnings.iter().any(|w| w.starts_with(name)), "{name}: {warnings:?}");
    }
}

#[test]
fn odd_characters_are_kept_and_searchable() {
    // (file name, bytes, a query that must find it)
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("invalid-utf8.txt", b"Caf\xe9 news\n\nThe caf\xe9 in Lyon \xff\xfe reopened.".to_vec(), "lyon"),
        ("nul.txt", b"Null bytes\n\nBefore\0after the harbour\0 story.".to_vec(), "harbour"),
        ("rtl.txt", "שלום עולם\n\nחדשות מירושלים היום. مرحبا بالعالم في القاهرة.".as_bytes().to_vec(), "ירושלים"),
        ("emoji.txt", "Rocket 🚀 launch\n\nThe 🚀 rocket flew over Kourou 👩‍🚀 today.".as_bytes().to_vec(), "kourou"),
        (
            "combining.txt",
            "Cafe\u{301} society\n\nThe cafe\u{301} in Zu\u{308}rich opened.".as_bytes().to_vec(),
            "café",
        ),
        ("controls.txt", b"Bell\x07 and escape\x1b[31m\n\nText with \x08 controls in Oslo.".to_vec(), "oslo"),
    ];
    for (name, bytes, query) in cases {
        let (found, warnings) = import_and_search(&[(name, bytes)], query);
        assert_eq!(found, 1, "{name}: {query:?} not found; {warnings:?}");
    }
}

#[test]
fn many_tiny_articles_in_one_jsonl_all_load() {
    let n = 100_000;
    let jsonl: String =
        (0..n).map(|i| format!("{{\"id\":\"t{i}\",\"title\":\"Note {i}\",\"body\":\"Tiny note {i}.\"}}\n")).collect();
    let (found, warnings) = import_and_search(&[("tiny.jsonl", jsonl.into_bytes())], "tiny");
    assert_eq!(found, n, "{warnings:?}");
}
