//! One entity's page: the names it goes by, the roles that tie people to organisations,
//! what it was quoted saying, and its latest articles, gathered from the articles that
//! mention it (newest first, at most [`PAGE_ARTICLES`] of them, so a page over a million
//! articles costs what one over a hundred does).

use serde::Serialize;

use super::{ArticleRef, Engine};
use crate::error::{Error, Result};
use crate::index::Doc;

/// Articles an entity page reads, newest first.
pub const PAGE_ARTICLES: usize = 40;
/// Quotes an entity page lists.
const PAGE_QUOTES: usize = 30;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityPage {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// Articles that mention it, in the whole index.
    pub total: usize,
    /// How many of them this page was gathered from (newest first).
    pub read: usize,
    /// The ways articles write its name, most used first.
    pub aliases: Vec<Alias>,
    /// For a person, the organisations it has a role at; for an organisation, its people.
    pub roles: Vec<RoleLink>,
    pub quotes: Vec<QuoteView>,
    pub articles: Vec<ArticleRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alias {
    pub text: String,
    pub mentions: usize,
}

/// A role seen from one side: the entity at the other end, and the role as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleLink {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// "CEO", "founder, chairman and CEO"; empty for a plain affiliation.
    pub title: String,
    /// Articles stating it.
    pub articles: usize,
}

/// A quote as the reader and the entity page show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteView {
    pub speaker_id: String,
    pub speaker: String,
    pub text: String,
    pub confidence: f32,
    /// The article it is from (on an entity page; None in the article's own reader).
    pub article: Option<ArticleRef>,
}

impl Engine {
    /// The newest articles (at most [`PAGE_ARTICLES`]) that mention entity `e`, newest
    /// first: the highest numbers, as articles are numbered oldest first.
    pub(super) fn page_docs(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        let docs = self.entity_docs.get(e as usize).map_or(&[][..], Vec::as_slice);
        docs.get(docs.len().saturating_sub(PAGE_ARTICLES)..).unwrap_or_default().iter().rev().copied()
    }

    /// The page of an entity, by id. Articles whose text is not loaded yet (a sharded
    /// index: see `needs_entity`) are left out of `read`.
    pub fn entity(&self, id: &str) -> Result<EntityPage> {
        let e = self.entity_index(id).ok_or_else(|| Error::bad_request(format!("no entity “{id}” in this index")))?;
        let entity =
            self.index.entities.get(e as usize).ok_or_else(|| Error::corrupt("index damaged: entity table"))?;
        let mut page = EntityPage {
            id: entity.id.clone(),
            name: entity.name.clone(),
            ty: entity.ty.as_str(),
            total: self.entity_docs.get(e as usize).map_or(0, Vec::len),
            read: 0,
            aliases: Vec::new(),
            roles: Vec::new(),
            quotes: Vec::new(),
            articles: Vec::new(),
        };
        for d in self.page_docs(e) {
            let Some(doc) = self.doc(d as usize) else { continue };
            page.read += 1;
            if let Some(r) = self.article_ref(d as usize) {
                page.articles.push(r);
            }
            for m in doc.mentions.iter().filter(|m| m.entity == e) {
                let Some(surface) = doc.text.get(m.start as usize..m.end as usize) else { continue };
                let text = surface.split_whitespace().collect::<Vec<_>>().join(" ");
                match page.aliases.iter_mut().find(|a| a.text == text) {
                    Some(a) => a.mentions += 1,
                    None => page.aliases.push(Alias { text, mentions: 1 }),
                }
            }
            let mut stated: Vec<usize> = Vec::new();
            for r in &doc.roles {
                let other = match (r.person == e, r.org == e) {
                    (true, _) => r.org,
                    (_, true) => r.person,
                    _ => continue,
                };
                let Some(o) = self.index.entities.get(other as usize) else { continue };
                let k = match page.roles.iter().position(|l| l.id == o.id && l.title.eq_ignore_ascii_case(&r.title)) {
                    Some(k) => k,
                    None => {
                        page.roles.push(RoleLink {
                            id: o.id.clone(),
                            name: o.name.clone(),
                            ty: o.ty.as_str(),
                            title: r.title.clone(),
                            articles: 0,
                        });
                        page.roles.len() - 1
                    }
                };
                if !stated.contains(&k) {
                    stated.push(k);
                    if let Some(l) = page.roles.get_mut(k) {
                        l.articles += 1;
                    }
                }
            }
            for q in doc.quotes.iter().filter(|q| q.speaker == e) {
                if page.quotes.len() < PAGE_QUOTES {
                    page.quotes.extend(self.quote_view(doc, q, self.article_ref(d as usize)));
                }
            }
        }
        crate::sort::sort_by(&mut page.aliases, &|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.text.cmp(&b.text)));
        // An affiliation without a title says less than a named role with the same entity.
        let titled: Vec<String> = page.roles.iter().filter(|r| !r.title.is_empty()).map(|r| r.id.clone()).collect();
        page.roles.retain(|r| !r.title.is_empty() || !titled.contains(&r.id));
        crate::sort::sort_by(&mut page.roles, &|a, b| b.articles.cmp(&a.articles).then_with(|| a.name.cmp(&b.name)));
        Ok(page)
    }

    pub(super) fn quote_view(
        &self,
        doc: &Doc,
        q: &crate::index::DocQuote,
        article: Option<ArticleRef>,
    ) -> Option<QuoteView> {
        let speaker = self.index.entities.get(q.speaker as usize)?;
        Some(QuoteView {
            speaker_id: speaker.id.clone(),
            speaker: speaker.name.clone(),
            text: doc.text.get(q.start as usize..q.end as usize)?.trim().to_string(),
            confidence: q.confidence,
            article,
        })
    }

    /// An article's roles as the reader lists them: (person, organisation, title).
    pub(super) fn role_views(&self, doc: &Doc) -> Vec<ArticleRole> {
        doc.roles
            .iter()
            .filter_map(|r| {
                let p = self.index.entities.get(r.person as usize)?;
                let o = self.index.entities.get(r.org as usize)?;
                Some(ArticleRole {
                    person_id: p.id.clone(),
                    person: p.name.clone(),
                    org_id: o.id.clone(),
                    org: o.name.clone(),
                    title: r.title.clone(),
                })
            })
            .collect()
    }
}

/// A role as an article's reader lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRole {
    pub person_id: String,
    pub person: String,
    pub org_id: String,
    pub org: String,
    pub title: String,
}
