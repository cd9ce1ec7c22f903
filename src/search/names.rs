//! Entity names as the search box needs them: every word start of every folded name in
//! one sorted list, so completing "lei j" is a binary search instead of folding and
//! scanning every name on each keystroke; and each entity's place in name order, so facet
//! values that tie on counts compare as numbers.
//!
//! Built with the entity table (at load, or when a sharded index's table arrives) and
//! never changed after.

use crate::model::Entity;
use crate::text::fold;

#[derive(Debug, Default)]
pub(super) struct Names {
    folded: Vec<String>,
    /// (entity, byte offset of a word start in its folded name), in the order of the
    /// folded name from that offset on.
    starts: Vec<(u32, u32)>,
    /// Per entity, its place when entities are ordered by name (ties by entity order).
    rank: Vec<u32>,
}

impl Names {
    pub(super) fn new(entities: &[Entity]) -> Names {
        let folded: Vec<String> = entities.iter().map(|e| fold(&e.name).into_owned()).collect();
        let mut starts: Vec<(u32, u32)> = Vec::new();
        for (e, name) in folded.iter().enumerate() {
            starts.push((e as u32, 0));
            starts.extend(name.match_indices(' ').map(|(at, _)| (e as u32, at as u32 + 1)));
        }
        let tail = |&(e, at): &(u32, u32)| folded.get(e as usize).and_then(|n| n.get(at as usize..)).unwrap_or("");
        crate::sort::sort_by(&mut starts, &|a, b| tail(a).cmp(tail(b)).then(a.cmp(b)));
        let by_name = crate::sort::order_of(entities.len(), &|a, b| {
            entities.get(a).map(|e| e.name.as_str()).cmp(&entities.get(b).map(|e| e.name.as_str()))
        });
        let mut rank = vec![0u32; entities.len()];
        for (r, e) in by_name.into_iter().enumerate() {
            if let Some(slot) = rank.get_mut(e) {
                *slot = r as u32;
            }
        }
        Names { folded, starts, rank }
    }

    /// Entities with a name word (or the name itself) starting with `want`, already
    /// folded; each once, in entity order.
    pub(super) fn word_starts(&self, want: &str) -> Vec<u32> {
        let tail = |&(e, at): &(u32, u32)| self.folded.get(e as usize).and_then(|n| n.get(at as usize..)).unwrap_or("");
        let from = self.starts.partition_point(|s| tail(s) < want);
        let mut found: Vec<u32> = self
            .starts
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| tail(s).starts_with(want))
            .map(|&(e, _)| e)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Entity `e`'s place in name order.
    pub(super) fn rank(&self, e: usize) -> u32 {
        self.rank.get(e).copied().unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityType;

    fn entity(name: &str) -> Entity {
        Entity { id: format!("person:{}", crate::model::slug(name)), name: name.into(), ty: EntityType::Person }
    }

    #[test]
    fn word_starts_and_name_order() {
        let names = Names::new(&[entity("Lei Jun"), entity("Jun Lei"), entity("Émile Zola"), entity("Leila")]);
        for (want, found) in [
            ("lei", &[0u32, 1, 3][..]),
            ("lei j", &[0]),
            ("jun", &[0, 1]),
            ("emile", &[2]),
            ("zo", &[2]),
            ("ei", &[]),
            ("", &[0, 1, 2, 3]),
        ] {
            assert_eq!(names.word_starts(want), found, "{want:?}");
        }
        // Name order as strings compare: Jun Lei, Lei Jun (a space sorts first), Leila, Émile Zola.
        let ranks: Vec<u32> = (0..5).map(|e| names.rank(e)).collect();
        assert_eq!(ranks, [1, 0, 3, 2, u32::MAX]);
    }
}
