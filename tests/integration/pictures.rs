//! The timeline and the co-occurrence picture the page draws: counted over every matching
//! article, checked here against counts made independently from the articles themselves.

use crate::common::*;
use newslens::model::Article;
use newslens::search::SearchRequest;

fn article(id: &str, date: Option<&str>, body: &str) -> Article {
    Article {
        id: id.into(),
        title: format!("Story {id}"),
        paragraphs: vec![body.into()],
        source: None,
        date: date.map(Into::into),
        url: None,
    }
}

#[test]
fn timeline_counts_match_the_articles_and_ignore_the_chosen_range() {
    let articles = recombined_seeds(200);
    let e = engine_for(articles.clone());
    let req = SearchRequest::new("xiaomi");
    let res = e.search(&req).unwrap();
    let t = res.timeline.expect("dated articles give a timeline");
    assert_eq!(t.unit, "month", "a year of dates is drawn by month");
    assert_eq!(t.buckets.first().map(|b| b.key.as_str()), Some("2024-01"));
    assert_eq!(t.buckets.last().map(|b| b.key.as_str()), Some("2024-12"));
    assert_eq!(t.buckets.iter().map(|b| b.count).sum::<usize>() + t.undated, res.articles);

    // Independently: which of the articles the query matched, by month.
    let all = e.search(&SearchRequest { limit: 1000, ..req.clone() }).unwrap();
    let matched: Vec<&Article> = articles
        .iter()
        .filter(|a| all.hits.iter().any(|h| h.id == a.id || h.copies.iter().any(|c| c.id == a.id)))
        .collect();
    for b in &t.buckets {
        let want = matched.iter().filter(|a| a.date.as_deref().is_some_and(|d| d.starts_with(&b.key))).count();
        assert_eq!(b.count, want, "{}", b.key);
    }

    // A range keeps the articles in it and leaves the bars as they were.
    let ranged = SearchRequest { date_from: Some("2024-03".into()), date_to: Some("2024-05-31".into()), ..req.clone() };
    let r = e.search(&ranged).unwrap();
    let in_range: usize =
        t.buckets.iter().filter(|b| ("2024-03".."2024-06").contains(&b.key.as_str())).map(|b| b.count).sum();
    assert_eq!(r.articles, in_range);
    assert_eq!(r.timeline.unwrap().buckets, t.buckets);
    for h in &r.hits {
        assert!(h.date.as_deref().is_some_and(|d| ("2024-03-01"..="2024-05-31").contains(&d)), "{:?}", h.date);
    }

    let bad = SearchRequest { date_from: Some("March".into()), ..req };
    assert!(e.search(&bad).unwrap_err().to_string().contains("not YYYY"));
}

#[test]
fn timeline_units_follow_the_span_of_dates() {
    for (dates, unit, first, last) in [
        (vec!["2024-04-02", "2024-04-22"], "day", "2024-04-01", "2024-04-30"),
        (vec!["2023-11-28", "2024-04-22"], "month", "2023-11", "2024-04"),
        (vec!["1999-01-01", "2024-04-22"], "year", "1999", "2024"),
    ] {
        let articles: Vec<Article> =
            dates.iter().enumerate().map(|(i, d)| article(&format!("a{i}"), Some(d), "Harbour news.")).collect();
        let t = engine_for(articles).search(&SearchRequest::new("")).unwrap().timeline.unwrap();
        assert_eq!(t.unit, unit);
        assert_eq!(t.buckets.first().unwrap().key, first);
        assert_eq!(t.buckets.last().unwrap().key, last);
        assert_eq!(t.buckets.iter().map(|b| b.count).sum::<usize>(), 2);
    }
    // No dates at all: no timeline, and a range matches nothing.
    let undated = engine_for(vec![article("x", None, "Harbour news.")]);
    assert!(undated.search(&SearchRequest::new("")).unwrap().timeline.is_none());
    let r = undated.search(&SearchRequest { date_from: Some("2020".into()), ..SearchRequest::new("") }).unwrap();
    assert_eq!(r.total, 0);
}

#[test]
fn who_appears_with_whom_counts_shared_articles() {
    let e = engine_for(seed_articles());
    let res = e.search(&SearchRequest::new("")).unwrap();
    let co = res.together.expect("a single-file index has its entities");
    assert!(!co.nodes.is_empty() && co.nodes.len() <= 12);
    assert!(co.nodes.iter().all(|n| ["person", "org", "product"].contains(&n.ty)));
    assert!(co.nodes.windows(2).all(|w| w[0].count >= w[1].count), "most mentioned first");
    // Each node's count and each link's count, recomputed with entity filters.
    for n in &co.nodes {
        let r = e.search(&SearchRequest::new("").with_entities([n.id.as_str()])).unwrap();
        assert_eq!(n.count, r.articles, "{}", n.id);
    }
    for l in &co.links {
        let (a, b) = (&co.nodes[l.a], &co.nodes[l.b]);
        let both = if a.ty == b.ty {
            // Same type: filters would OR, so intersect the two result sets instead.
            let ids = |id: &str| {
                let r = e.search(&SearchRequest::new("").with_entities([id])).unwrap();
                r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
            };
            let (x, y) = (ids(&a.id), ids(&b.id));
            x.iter().filter(|id| y.contains(id)).count()
        } else {
            e.search(&SearchRequest::new("").with_entities([a.id.as_str(), b.id.as_str()])).unwrap().articles
        };
        assert_eq!(l.count, both, "{} with {}", a.id, b.id);
        assert!(l.a < l.b);
    }
    assert!(co.nodes.iter().any(|n| n.id == "person:lei-jun") && co.nodes.iter().any(|n| n.id == "org:xiaomi"));
}

#[test]
fn more_like_this_lists_other_stories_sharing_named_entities() {
    let mut articles = seed_articles();
    articles.extend(recombined_seeds(60));
    let e = engine_for(articles.clone());
    let named = |id: &str| -> Vec<String> {
        let v = e.article(id, "").unwrap();
        v.entities
            .into_iter()
            .filter(|x| !["date", "money", "quantity", "percent"].contains(&x.ty))
            .map(|x| x.id)
            .collect()
    };
    for a in articles.iter().take(8) {
        let view = e.article(&a.id, "").unwrap();
        assert!(!view.more.is_empty() && view.more.len() <= 5, "{}: {:?}", a.id, view.more);
        let own = named(&a.id);
        for m in &view.more {
            assert_ne!(m.id, a.id);
            assert!(!view.copies.iter().chain(&view.related).any(|c| c.id == m.id), "{} listed twice", m.id);
            assert!(named(&m.id).iter().any(|x| own.contains(x)), "{} shares nothing with {}", m.id, a.id);
        }
    }
}
