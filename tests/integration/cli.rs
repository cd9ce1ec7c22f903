//! The `newslens` binary end to end: index the seeds, search, list entities.

use std::process::Command;

use serde_json::Value;

use crate::common::seeds_dir;

fn newslens(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_newslens")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("newslens-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn index_then_search_with_entity_filters() {
    let out = temp_dir("index");
    let seeds = seeds_dir();
    let (ok, _, err) = newslens(&["index", seeds.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("indexed 4 of 4 articles"), "{err}");

    let (ok, stdout, err) = newslens(&["search", out.to_str().unwrap(), "SU7", "--json"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["total"], 3);
    let hit = &v["hits"][0];
    assert!(hit["id"].is_string() && hit["title"].is_string() && hit["score"].is_number());
    assert!(hit["snippet"].as_array().unwrap().iter().any(|s| s["kind"] == "hit"));
    assert!(v["facets"].as_array().unwrap().iter().any(|g| g["type"] == "person"));

    // --entity takes an id or TYPE:Display Name.
    for filter in ["org:huawei", "org:Huawei"] {
        let (ok, stdout, err) = newslens(&["search", out.to_str().unwrap(), "", "--entity", filter, "--json"]);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["total"], 2, "{filter}");
    }
    let (ok, _, err) = newslens(&["search", out.to_str().unwrap(), "", "--entity", "org:Nobody Inc"]);
    assert!(!ok);
    assert!(err.contains("no entity"), "{err}");
}

#[test]
fn entities_json_uses_character_offsets() {
    let seed = seeds_dir().join("003_d46702537c126cfa.txt");
    let (ok, stdout, err) = newslens(&["entities", seed.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let article = &v[0];
    assert_eq!(article["id"], "003_d46702537c126cfa");
    let text: Vec<char> = article["text"].as_str().unwrap().chars().collect();
    let mentions = article["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        let surface: String = text[s..e].iter().collect();
        assert_eq!(surface, m["text"].as_str().unwrap());
        assert!(m["entity"].as_str().unwrap().starts_with(&format!("{}:", m["type"].as_str().unwrap())));
    }
    // "Paco León" sits after a non-ASCII character's worth of text: offsets are code points.
    assert!(mentions.iter().any(|m| m["entity"] == "person:paco-leon" && m["text"] == "Paco León"));
}

#[test]
fn bad_files_are_warnings_and_the_rest_load() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("good.txt"), "A fine story\n\nIt has words.").unwrap();
    std::fs::write(dir.join("empty.txt"), "\n\n").unwrap();
    std::fs::write(dir.join("latin1.txt"), b"Caf\xe9 news\n\nBody").unwrap();
    let out = dir.join("out");
    let (ok, _, err) = newslens(&["index", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("empty.txt") && err.contains("no title"), "{err}");
    // Legacy bytes load, read as Windows-1252, and the file is named.
    assert!(err.contains("latin1.txt: not valid UTF-8") && err.contains("Windows-1252"), "{err}");
    assert!(err.contains("indexed 2 of 2"), "{err}");
    let (ok, stdout, _) = newslens(&["search", out.to_str().unwrap(), "café", "--json"]);
    assert!(ok);
    assert!(stdout.contains("\"Café news\""), "{stdout}");

    // Nothing loadable: the build fails.
    let only_bad = temp_dir("allbad");
    std::fs::write(only_bad.join("empty.txt"), "").unwrap();
    let (ok, _, err) = newslens(&["index", only_bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("no article could be loaded"), "{err}");
}

#[test]
fn a_non_index_file_is_refused_clearly() {
    let dir = temp_dir("notindex");
    let f = dir.join("index.newslens");
    std::fs::write(&f, b"hello").unwrap();
    let (ok, _, err) = newslens(&["search", f.to_str().unwrap(), "x"]);
    assert!(!ok);
    assert!(err.contains("not a newslens index"), "{err}");
}

#[test]
fn markdown_folders_with_dates_sort_and_filter() {
    let dir = temp_dir("markdown");
    std::fs::write(
        dir.join("older.md"),
        "---\ntitle: Rover lands on Mars\ndate: 2021-02-18\nsource: Space Wire\n---\n\nThe *rover* landed on Mars.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("newer.markdown"),
        "+++\ntitle = \"Rover finds water\"\ndate = \"2023-07-01\"\n+++\n\nThe rover found water.\n",
    )
    .unwrap();
    std::fs::write(dir.join("undated.md"), "# Rover museum opens\n\nA rover is on show.\n").unwrap();
    std::fs::write(dir.join("baddate.md"), "---\ntitle: Rover news\ndate: soon\n---\nRover text.\n").unwrap();
    let out = dir.join("out");
    let (ok, _, err) = newslens(&["index", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("baddate.md") && err.contains("\"soon\""), "{err}");
    assert!(err.contains("indexed 4 of 4"), "{err}");

    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", out.to_str().unwrap()];
        all.extend_from_slice(args);
        all.push("--json");
        let (ok, stdout, err) = newslens(&all);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&["rover", "--sort", "date"])[..2], ["newer", "older"]);
    assert_eq!(ids(&["rover after:2022"]), ["newer"]);
    assert_eq!(ids(&["rover before:2022-01-01"]), ["older"]);
    assert_eq!(ids(&["source:\"space wire\""]), ["older"]);
}

#[test]
fn json_and_json_lines_with_ids_mapping_and_warnings() {
    let dir = temp_dir("json");
    std::fs::write(
        dir.join("export.json"),
        r#"[{"guid": "story-1", "headline": "Tram line opens", "content": "The tram line opened on Monday.", "published_at": "2024-03-01"},
           {"headline": "Bridge repairs start", "content": "Repairs began."}]"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("feed.jsonl"),
        "{\"title\": \"Ferry fares rise\", \"text\": \"Fares rose.\"}\nnot json\n{\"text\": \"no title here\"}\n",
    )
    .unwrap();
    std::fs::write(dir.join("broken.json"), "[{\"title\": ").unwrap();
    let out = dir.join("out");
    let (ok, _, err) = newslens(&["index", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("feed.jsonl: line 2: not valid JSON"), "{err}");
    assert!(err.contains("feed.jsonl: line 3: no title"), "{err}");
    assert!(err.contains("broken.json: not valid JSON"), "{err}");
    assert!(err.contains("indexed 3 of 3"), "{err}");

    let (ok, stdout, err) = newslens(&["search", out.to_str().unwrap(), "", "--json", "--sort", "date"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids[0], "story-1");
    assert!(ids.contains(&"export#2") && ids.contains(&"feed#1"), "{ids:?}");

    // A mapping names fields the defaults do not know.
    std::fs::write(dir.join("odd.json"), r#"[{"k": "x1", "h": "Odd names", "b": "Body."}]"#).unwrap();
    let odd = dir.join("odd.json");
    let (ok, _, err) =
        newslens(&["index", odd.to_str().unwrap(), "-o", out.to_str().unwrap(), "--map", "id=k,title=h,body=b"]);
    assert!(ok, "{err}");
    let (ok, _, err) = newslens(&["index", odd.to_str().unwrap(), "-o", out.to_str().unwrap(), "--map", "colour=c"]);
    assert!(!ok && err.contains("unknown field"), "{err}");
}

#[test]
fn html_pages_and_feeds_in_one_folder_with_broken_ones_as_warnings() {
    let dir = temp_dir("html-feeds");
    std::fs::create_dir_all(dir.join("site/2024")).unwrap();
    std::fs::write(
        dir.join("site/2024/tram.html"),
        r#"<html><head><title>Tram | City News</title><meta property="og:title" content="Tram line opens">
           <meta property="article:published_time" content="2024-03-01"></head>
           <body><nav><a href="/">Home</a></nav><article><p>The new tram line opened on Monday, carrying commuters across the river.</p>
           <p>Officials said ridership would reach twenty thousand a day.</p></article>
           <footer><p>Copyright City News, all rights reserved, every single page.</p></footer></body></html>"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("site/menu.html"),
        "<html><head><title>Menu</title></head><body><nav>Home</nav></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("ferries.rss"),
        r#"<rss version="2.0"><channel><title>Harbour Wire</title>
           <item><title>Ferry fares rise</title><guid>hw-1</guid><pubDate>Fri, 01 Mar 2024 08:00:00 GMT</pubDate>
             <description>&lt;p&gt;Ferry fares rose by a tenth on Friday.&lt;/p&gt;</description></item>
           <item><title>Harbour tunnel closes</title><link>https://hw.example/tunnel</link><description>The harbour tunnel closed for repairs"#,
    )
    .unwrap();
    // GBK bytes with no declaration: 小米 ("Xiaomi").
    std::fs::write(dir.join("gbk.txt"), b"\xd0\xa1\xc3\xd7 SU7\n\n\xd0\xa1\xc3\xd7 SU7 \xc9\xcf\xca\xd0.\n").unwrap();
    let out = dir.join("out");
    let (ok, _, err) = newslens(&["index", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("menu.html: article menu: no article text found"), "{err}");
    assert!(err.contains("ferries.rss: item 2 is cut off"), "{err}");
    assert!(err.contains("gbk.txt: not valid UTF-8") && err.contains("read as GBK"), "{err}");
    assert!(err.contains("indexed 3 of 3"), "{err}");

    for (query, id) in [("tram commuters", "tram"), ("ferry fares", "hw-1"), ("小米", "gbk")] {
        let (ok, stdout, err) = newslens(&["search", out.to_str().unwrap(), query, "--json"]);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["hits"][0]["id"], id, "{query}: {stdout}");
    }
    let (_, stdout, _) = newslens(&["search", out.to_str().unwrap(), "tram", "--json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["hits"][0]["date"], "2024-03-01");
    assert_eq!(v["hits"][0]["title"], "Tram line opens");
    let (_, stdout, _) = newslens(&["search", out.to_str().unwrap(), "ferry", "--json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["hits"][0]["source"], "Harbour Wire");
}

#[test]
fn an_archive_export_over_the_one_article_limit_loads_but_an_oversized_item_does_not() {
    let dir = temp_dir("big-jsonl");
    let file = dir.join("archive.jsonl");
    // 1,100 items of 16 KB: 17.6 MB in one file, over the 16 MiB one-article limit.
    let body = "word ".repeat(3200);
    let mut lines: Vec<String> = (0..1100)
        .map(|i| serde_json::json!({ "id": format!("a{i}"), "title": format!("Item {i}"), "body": body }).to_string())
        .collect();
    lines.push(serde_json::json!({ "id": "huge", "title": "Huge", "body": "x".repeat(17 << 20) }).to_string());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let loaded = newslens::cli::load(&[file], &Default::default());
    assert_eq!(loaded.articles.len(), 1100);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].reason.contains("\"huge\"") && loaded.warnings[0].reason.contains("limit"));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `newslens search … | head -1`: the reader goes away; no panic, no error.
    let out = temp_dir("pipe");
    let (ok, _, err) = newslens(&["index", seeds_dir().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(["search", out.to_str().unwrap(), "xiaomi", "--limit", "50"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(result.status.success(), "{stderr}");
}

/// Every index file under `dir`, relative to it.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out
}

#[test]
fn a_sharded_rebuild_keeps_unchanged_files_and_removes_every_stale_one() {
    let input = temp_dir("shard-in");
    let mut seeds: Vec<std::path::PathBuf> =
        std::fs::read_dir(seeds_dir()).unwrap().flatten().map(|e| e.path()).collect();
    seeds.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    seeds.sort();
    for p in &seeds {
        std::fs::copy(p, input.join(p.file_name().unwrap())).unwrap();
    }
    let (updated, fresh) = (temp_dir("shard-updated"), temp_dir("shard-fresh"));
    let index = |dir: &std::path::Path| {
        let (ok, _, err) =
            newslens(&["index", input.to_str().unwrap(), "-o", dir.to_str().unwrap(), "--layout", "sharded"]);
        assert!(ok, "{err}");
        err
    };
    index(&updated);
    let before = files_under(&updated);
    // One article changes: its fragment, extras, group names and some shards change.
    let first = input.join(seeds[0].file_name().unwrap());
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, text.replacen("\n\n", "\n\nA new opening paragraph about Brussels.\n\n", 1)).unwrap();
    let err = index(&updated);
    assert!(!err.contains(" 0 unchanged"), "nothing was kept: {err}");
    index(&fresh);
    let after = files_under(&updated);
    assert_ne!(before, after);
    assert_eq!(after, files_under(&fresh), "the rebuilt folder holds exactly what a fresh build writes");
    let (ok, stdout, err) = newslens(&["search", updated.to_str().unwrap(), "Brussels", "--json"]);
    assert!(ok, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["total"], 1);
}

#[test]
fn auto_layout_shards_only_a_corpus_too_large_for_one_file() {
    let (small, large, input) = (temp_dir("auto-small"), temp_dir("auto-large"), temp_dir("auto-in"));
    let (ok, _, err) = newslens(&["index", seeds_dir().to_str().unwrap(), "-o", small.to_str().unwrap()]);
    assert!(ok && err.contains("bytes)") && !err.contains("sharded"), "{err}");
    // Over the threshold in text alone: 600 articles of ~1.2 KB.
    let lines: Vec<String> = (0..600)
        .map(|i| {
            let body = format!("Story {i} tells of the harbour in town {i}. ").repeat(28);
            serde_json::json!({ "id": format!("s{i}"), "title": format!("Story number {i}"), "body": body }).to_string()
        })
        .collect();
    std::fs::write(input.join("stories.jsonl"), lines.join("\n")).unwrap();
    let (ok, _, err) = newslens(&["index", input.to_str().unwrap(), "-o", large.to_str().unwrap()]);
    assert!(ok && err.contains("sharded:"), "{err}");
    assert!(err.contains("indexed 600 of 600 articles"), "{err}");
    let (ok, stdout, err) = newslens(&["search", large.to_str().unwrap(), "harbour 599", "--json"]);
    assert!(ok, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["hits"][0]["id"], "s599");
}

/// `n` dated JSON Lines stories, numbered from `from`, one a day from 2020-01-01 on, each
/// of its own words (drawn from a fixed list by a generator seeded with its number), so
/// that they are neither copies nor related coverage of one another.
fn dated_stories(from: usize, n: usize) -> String {
    let words = [
        "harbour",
        "council",
        "vote",
        "storm",
        "bridge",
        "market",
        "school",
        "river",
        "budget",
        "festival",
        "police",
        "hospital",
        "railway",
        "farmers",
        "court",
        "museum",
        "airport",
        "strike",
        "election",
        "theatre",
        "factory",
        "harvest",
        "library",
        "stadium",
        "flood",
        "tunnel",
        "bakery",
        "ferry",
        "clinic",
        "orchestra",
    ];
    (from..from + n)
        .map(|i| {
            let (a, b) = (words[i % words.len()], words[(i / 7) % words.len()]);
            let mut seed = i as u64 * 2_654_435_761 + 1;
            let mut word = || {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                words[(seed >> 33) as usize % words.len()]
            };
            let said: Vec<String> = (0..60).map(|k| if k % 12 == 11 { format!("{}.", word()) } else { word().to_string() }).collect();
            let body = format!("Story {i} tells of the {a} and the {b} in town {i}, as Mayor Ann Lee said. {}", said.join(" "));
            let date = format!("{}-{:02}-{:02}", 2020 + i / 336, 1 + (i / 28) % 12, 1 + i % 28);
            serde_json::json!({ "id": format!("s{i}"), "title": format!("Story {i}: the {a}"), "body": body, "date": date })
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the CLI, which must succeed; its stderr (where it reports what it did).
fn run(args: &[&str]) -> String {
    let (ok, _, err) = newslens(args);
    assert!(ok, "{err}");
    err
}

/// How many files `newslens index` said it wrote.
fn files_written(report: &str) -> usize {
    report.split(" files written").next().and_then(|s| s.rsplit(' ').next()).unwrap().parse().unwrap()
}

/// Two index folders hold the same files with the same manifest.
fn assert_same_folder(a: &std::path::Path, b: &std::path::Path) {
    assert_eq!(files_under(a), files_under(b));
    assert_eq!(std::fs::read(a.join("index.newslens")).unwrap(), std::fs::read(b.join("index.newslens")).unwrap());
}

#[test]
fn an_update_writes_only_what_changed_and_equals_a_fresh_build() {
    let (input, extra, updated, fresh) =
        (temp_dir("upd-in"), temp_dir("upd-extra"), temp_dir("upd-index"), temp_dir("upd-fresh"));
    std::fs::write(input.join("stories.jsonl"), dated_stories(0, 900)).unwrap();
    let dir = updated.to_str().unwrap();
    run(&["index", input.to_str().unwrap(), "-o", dir, "--layout", "sharded"]);
    let before = files_under(&updated);

    // A newer story, the usual addition: its own files, the terms it has and the tables.
    std::fs::write(extra.join("new.jsonl"), dated_stories(900, 1)).unwrap();
    let err = run(&["index", extra.join("new.jsonl").to_str().unwrap(), "-o", dir, "--layout", "sharded", "--update"]);
    assert!(err.contains("update: 900 articles kept, 0 replaced, 1 added, 0 removed"), "{err}");
    let written = files_written(&err);
    let after = files_under(&updated);
    assert!(written * 4 < after.len(), "{written} of {} files written", after.len());
    assert!(before.intersection(&after).count() + written == after.len(), "the others are kept as they were");

    // A story replaced (same id, new text), with no input but the change.
    let changed = serde_json::json!({ "id": "s5", "title": "Story 5, corrected", "body": "The lighthouse reopened.", "date": "2020-01-06" });
    std::fs::write(extra.join("fix.jsonl"), changed.to_string()).unwrap();
    let err = run(&[
        "index",
        extra.join("fix.jsonl").to_str().unwrap(),
        "-o",
        dir,
        "--layout",
        "sharded",
        "--update",
        "--remove",
        "nope",
    ]);
    assert!(err.contains("update: 900 articles kept, 1 replaced, 0 added, 0 removed"), "{err}");
    assert!(err.contains("--remove nope: no article has this id"), "{err}");

    // Exactly what a fresh build of the same stories writes.
    let mut all: Vec<String> = dated_stories(0, 901).lines().map(String::from).collect();
    all[5] = changed.to_string();
    std::fs::write(input.join("stories.jsonl"), all.join("\n")).unwrap();
    run(&["index", input.to_str().unwrap(), "-o", fresh.to_str().unwrap(), "--layout", "sharded"]);
    assert_same_folder(&updated, &fresh);
    let total = |q: &str| {
        let (ok, stdout, err) = newslens(&["search", dir, q, "--json"]);
        assert!(ok, "{err}");
        serde_json::from_str::<Value>(&stdout).unwrap()["total"].clone()
    };
    assert_eq!(total("lighthouse"), 1);
    assert_eq!(total("\"story 900 tells\""), 1);
}

/// Every answer the CLI gives for `q` on the index in `dir`, as JSON.
fn answer(dir: &std::path::Path, q: &str, more: &[&str]) -> Value {
    let mut args = vec!["search", "--json", "--limit", "50"];
    args.extend_from_slice(more);
    // After "--", a query of only a negation ("-harbour") is not taken for an option.
    args.extend_from_slice(&["--", dir.to_str().unwrap(), q]);
    let (ok, stdout, err) = newslens(&args);
    assert!(ok, "{err}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn a_removal_leaves_a_hole_instead_of_renumbering_and_answers_as_a_fresh_build() {
    let (input, updated, fresh, extra) =
        (temp_dir("hole-in"), temp_dir("hole-index"), temp_dir("hole-fresh"), temp_dir("hole-extra"));
    std::fs::write(input.join("stories.jsonl"), dated_stories(0, 900)).unwrap();
    let dir = updated.to_str().unwrap();
    run(&["index", input.to_str().unwrap(), "-o", dir, "--layout", "sharded"]);
    let before = files_under(&updated);

    // The oldest story and one from the middle go: every later article keeps its number.
    let err = run(&["index", "-o", dir, "--layout", "sharded", "--update", "--remove", "s0", "--remove", "s450"]);
    assert!(err.contains("update: 898 articles kept, 0 replaced, 0 added, 2 removed"), "{err}");
    assert!(err.contains("2 numbers left empty"), "{err}");
    assert!(err.contains("indexed 898 of 898 articles"), "{err}");
    let written = files_written(&err);
    let after = files_under(&updated);
    assert!(written * 2 < after.len(), "{written} of {} files written", after.len());
    assert!(before.intersection(&after).count() + written == after.len(), "the others are kept as they were");

    let mut rest: Vec<String> = dated_stories(0, 900).lines().map(String::from).collect();
    rest.remove(450);
    rest.remove(0);
    std::fs::write(input.join("stories.jsonl"), rest.join("\n")).unwrap();
    run(&["index", input.to_str().unwrap(), "-o", fresh.to_str().unwrap(), "--layout", "sharded"]);
    // Holes are nowhere to be seen: not in counts, lists, facets or the timeline, not in a
    // query of only a negation, a filter or a date range, and scores are a fresh build's.
    let person: &[&str] = &["-e", "person:ann-lee"];
    let dates: &[&str] = &["--from", "2020-01", "--to", "2020-02", "--sort", "date"];
    for (q, more) in
        [("", &[][..]), ("harbour", &[]), ("-harbour", &[]), ("\"story 450 tells\"", &[]), ("council vote", &[])]
            .into_iter()
            .chain([("", person), ("", dates), ("-storm", dates)])
    {
        assert_eq!(answer(&updated, q, more), answer(&fresh, q, more), "{q} {more:?}");
    }
    assert_eq!(answer(&updated, "", &[])["total"], 898);

    // An older story added: numbers cannot stay, so it is numbered afresh, as a new build.
    let old = serde_json::json!({ "id": "early", "title": "An early story", "body": "The old mill burned.", "date": "2019-05-01" });
    std::fs::write(extra.join("early.jsonl"), old.to_string()).unwrap();
    let err =
        run(&["index", extra.join("early.jsonl").to_str().unwrap(), "-o", dir, "--layout", "sharded", "--update"]);
    assert!(err.contains("numbered afresh (an added or re-dated article sorts before a kept one)"), "{err}");
    rest.push(old.to_string());
    std::fs::write(input.join("stories.jsonl"), rest.join("\n")).unwrap();
    run(&["index", input.to_str().unwrap(), "-o", fresh.to_str().unwrap(), "--layout", "sharded"]);
    assert_same_folder(&updated, &fresh);
}

#[test]
fn an_update_of_a_folder_without_an_index_builds_one_and_needs_an_input_or_a_removal() {
    let (input, out) = (temp_dir("upd-new-in"), temp_dir("upd-new-out"));
    std::fs::write(input.join("stories.jsonl"), dated_stories(0, 3)).unwrap();
    let (ok, _, err) = newslens(&["index", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--update"]);
    assert!(ok && err.contains("no index there yet") && err.contains("indexed 3 of 3"), "{err}");
    let (ok, _, err) = newslens(&[
        "index",
        "-o",
        out.to_str().unwrap(),
        "--update",
        "--remove",
        "s0",
        "--remove",
        "s1",
        "--remove",
        "s2",
    ]);
    assert!(!ok && err.contains("the update would leave no article"), "{err}");
    let (ok, _, err) = newslens(&["index", "-o", out.to_str().unwrap(), "--remove", "s0"]);
    assert!(!ok && err.contains("--update"), "{err}");
}
