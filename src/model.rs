//! The data that flows between pipeline stages: an article as parsed, and the entity
//! mentions found in it. Kept apart from the stages so that the index can be built and
//! read without compiling the parser or the extractor (the viewer's wasm has neither).

use serde::{Deserialize, Serialize};

/// A cleaned article, ready to analyse. Its text is the title followed by the body
/// paragraphs, separated by blank lines; every offset in the library points into that text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Article {
    /// Stable id (see ARCHITECTURE.md, "Article id").
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Where the story came from, e.g. a "Sources: X" line or feed metadata.
    pub source: Option<String>,
    /// ISO 8601 date (YYYY-MM-DD) from metadata; never guessed from the text.
    pub date: Option<String>,
    pub url: Option<String>,
}

/// Separator between the title and each paragraph inside [`Article::text`].
pub const PARAGRAPH_SEPARATOR: &str = "\n\n";

impl Article {
    /// The article as one string: title, then paragraphs. This is the text that the CLI
    /// prints and that mention offsets refer to.
    pub fn text(&self) -> String {
        let mut text = self.title.clone();
        for p in &self.paragraphs {
            text.push_str(PARAGRAPH_SEPARATOR);
            text.push_str(p);
        }
        text
    }

    /// Byte ranges of the title (first) and of each paragraph inside [`Article::text`].
    pub fn spans(&self) -> Vec<(usize, usize)> {
        let mut spans = Vec::with_capacity(self.paragraphs.len() + 1);
        spans.push((0, self.title.len()));
        let mut at = self.title.len();
        for p in &self.paragraphs {
            at += PARAGRAPH_SEPARATOR.len();
            spans.push((at, at + p.len()));
            at += p.len();
        }
        spans
    }
}

/// The kinds of entity newslens knows. The lowercase names are part of every entity id,
/// so they never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    Org,
    Place,
    Product,
    Event,
    Date,
    Money,
    Quantity,
    Percent,
    Norp,
}

impl EntityType {
    /// In the order the viewer shows facet groups.
    pub const ALL: [EntityType; 10] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Place,
        EntityType::Product,
        EntityType::Event,
        EntityType::Norp,
        EntityType::Date,
        EntityType::Money,
        EntityType::Quantity,
        EntityType::Percent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Org => "org",
            EntityType::Place => "place",
            EntityType::Product => "product",
            EntityType::Event => "event",
            EntityType::Date => "date",
            EntityType::Money => "money",
            EntityType::Quantity => "quantity",
            EntityType::Percent => "percent",
            EntityType::Norp => "norp",
        }
    }

    /// Heading of the facet group.
    pub fn label(self) -> &'static str {
        match self {
            EntityType::Person => "People",
            EntityType::Org => "Organisations",
            EntityType::Place => "Places",
            EntityType::Product => "Products",
            EntityType::Event => "Events",
            EntityType::Date => "Dates",
            EntityType::Money => "Money",
            EntityType::Quantity => "Quantities",
            EntityType::Percent => "Percentages",
            EntityType::Norp => "Groups and nationalities",
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A canonical entity: what facets count and filters select.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entity {
    /// `<type>:<slug>`, e.g. `person:lei-jun`.
    pub id: String,
    pub ty: EntityType,
    /// How the viewer names it, e.g. "Lei Jun".
    pub name: String,
}

impl Entity {
    pub fn new(ty: EntityType, name: &str) -> Entity {
        Entity::with_key(ty, name, name)
    }

    /// An entity whose id comes from `key` while it is displayed as `name` (a date
    /// "April 22, 2024" has the key "2024-04-22").
    pub fn with_key(ty: EntityType, key: &str, name: &str) -> Entity {
        Entity { id: format!("{}:{}", ty.as_str(), slug(key)), ty, name: name.to_string() }
    }
}

/// One place in an article's text that names an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte range in [`Article::text`].
    pub start: usize,
    pub end: usize,
    pub entity: Entity,
    /// 0..=1: how sure the extractor is.
    pub confidence: f32,
}

/// A person's role at an organisation, as one article states it ("Xiaomi CEO Lei Jun").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub person: Entity,
    pub org: Entity,
    /// The role as written ("founder, chairman and CEO"); empty for a plain affiliation
    /// ("Lu Weibing from Xiaomi Group").
    pub title: String,
}

/// Words an article quotes, and who it says spoke them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub speaker: Entity,
    /// Byte range in [`Article::text`] of the quoted words, inside their quotation marks.
    pub start: usize,
    pub end: usize,
    /// 0..=1: how directly the text attributes it ("said X" beats "he said").
    pub confidence: f32,
}

/// What an article says about its entities beyond naming them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Relations {
    pub roles: Vec<Role>,
    pub quotes: Vec<Quote>,
}

/// The slug part of an entity id: folded to lowercase ASCII where possible, words joined
/// with '-'. Letters outside ASCII that have no folded form (CJK) are kept as they are.
pub fn slug(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c != '\'' {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (name, want) in [
            ("Lei Jun", "lei-jun"),
            ("LUXEED S7", "luxeed-s7"),
            ("Paco León", "paco-leon"),
            ("  Xiaomi  Group ", "xiaomi-group"),
            ("People's Republic", "peoples-republic"),
            ("雷军", "雷军"),
            ("5,000 CNY", "5-000-cny"),
        ] {
            assert_eq!(slug(name), want, "{name}");
        }
    }

    #[test]
    fn text_and_spans_agree() {
        let a = Article { title: "T".into(), paragraphs: vec!["One.".into(), "Two é.".into()], ..Default::default() };
        let text = a.text();
        let got: Vec<&str> = a.spans().iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["T", "One.", "Two é."]);
    }

    #[test]
    fn entity_type_names_round_trip() {
        for t in EntityType::ALL {
            assert_eq!(EntityType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EntityType::parse("people"), None);
    }
}
