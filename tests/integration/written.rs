//! Behaviour on articles written for these tests: not the seeds, other sites' habits.

use crate::common::*;
use newslens::article::parse;

fn parsed(id: &str, raw: &str) -> newslens::model::Article {
    parse(id, raw).unwrap().article
}

fn corpus() -> Vec<newslens::model::Article> {
    vec![
        parsed(
            "harbour",
            "Harbour cranes return to Valparaíso\n\nHome | World | Business\n\nThe port authority said on Tuesday that cranes were returning.\n\nREAD MORE: Shipping rates climb again\n\nSpokeswoman Dana Whitfield said the cranes cost $40 million.\n\nShare this article\n\n© 2025 Example Wire. All rights reserved.",
        ),
        parsed(
            "orchard",
            "Orchard growers expect a late harvest\n\nGrowers in the valley are harvesting later than usual.\n\nDana Whitfield, an adviser to the growers' union, told reporters the frost was to blame.\n\nSource: Valley Gazette\n\nLeave a comment",
        ),
        parsed("rail", "Rail strike ends\n\nTrains ran again on Wednesday in León after a two-day strike."),
    ]
}

#[test]
fn chrome_is_dropped_and_source_kept() {
    let arts = corpus();
    assert_eq!(arts[0].paragraphs.len(), 2, "{:?}", arts[0].paragraphs);
    assert_eq!(arts[1].source.as_deref(), Some("Valley Gazette"));
    assert!(!arts[1].text().contains("Leave a comment"));
}

#[test]
fn stemming_and_folding_in_search() {
    let e = engine_for(corpus());
    assert_eq!(short_ids(&search(&e, "harvests", &[])), ["orc"]);
    assert_eq!(short_ids(&search(&e, "returned crane", &[])), ["har"]);
    assert_eq!(short_ids(&search(&e, "leon", &[])), ["rai"]);
    assert_eq!(short_ids(&search(&e, "VALPARAISO", &[])), ["har"]);
    assert_eq!(search(&e, "shipping", &[]).total, 0, "cross-link text is not indexed");
}

#[test]
fn a_person_named_in_two_stories_is_one_facet_value() {
    let e = engine_for(corpus());
    let r = search(&e, "", &["person:dana-whitfield"]);
    assert_eq!(sorted(short_ids(&r)), ["har", "orc"]);
    let money = r.facets.iter().find(|g| g.ty == "money").unwrap();
    assert_eq!(money.values[0].id, "money:40000000-usd");
}

#[test]
fn title_words_outrank_body_words() {
    let e = engine_for(vec![
        parsed("body", "Weather report\n\nA harvest festival is planned, with harvest stalls and harvest songs."),
        parsed("title", "Harvest begins\n\nFarmers started work early."),
    ]);
    assert_eq!(short_ids(&search(&e, "harvest", &[])), ["tit", "bod"]);
}
