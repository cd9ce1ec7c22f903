//! sort/: one sort routine and one set type for everything the viewer's wasm runs. Each
//! `sort_by` with its own closure is its own copy of the standard library's sort, 3–8 KB of
//! wasm apiece and over 50 KB in all before this module; comparing indices through `dyn Fn`
//! leaves one copy, which the viewer's download budget needs more than the nanoseconds an
//! indirect call costs per comparison. Likewise [`Set`], a sorted vector, stands in for
//! `HashSet` (whose table code is another 14 KB) where sets are a query's handful of terms
//! or filters.
//!
//! Invariant: every sort here is stable (ties keep their order) and total, so results never
//! depend on the sort algorithm.

use std::cmp::Ordering;

/// Indices `0..n` in the order `cmp` gives them, ties in index order.
pub fn order_of(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    idx
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = v;
        order_of(items.len(), &|a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// A set as a sorted vector: for the few items of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set<T>(Vec<T>);

impl<T> Default for Set<T> {
    fn default() -> Set<T> {
        Set(Vec::new())
    }
}

impl<T: Ord> Set<T> {
    pub fn new() -> Set<T> {
        Set(Vec::new())
    }

    /// Adds `x`; false when it was there already.
    pub fn insert(&mut self, x: T) -> bool {
        match self.0.binary_search(&x) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, x);
                true
            }
        }
    }

    pub fn contains(&self, x: &T) -> bool {
        self.0.binary_search(x).is_ok()
    }

    /// The items in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Ord> Extend<T> for Set<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for x in items {
            self.insert(x);
        }
    }
}

impl<T: Ord> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Set<T> {
        let mut v: Vec<T> = items.into_iter().collect();
        sort_by(&mut v, &|a, b| a.cmp(b));
        v.dedup();
        Set(v)
    }
}

/// Keeps the first `k` of `items` under `order`, sorted: a selection, then a sort of only
/// those, since a page of results or facet values is small and the matches may be many.
/// Ties keep the lower index first only if `order` says so: make it total.
pub fn keep_first(items: &mut Vec<usize>, k: usize, order: &dyn Fn(usize, usize) -> Ordering) {
    if k < items.len() {
        if let Some(last) = k.checked_sub(1) {
            items.select_nth_unstable_by(last, |&a, &b| order(a, b));
        }
        items.truncate(k);
    }
    items.sort_unstable_by(|&a, &b| order(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_each_item_once_in_order() {
        let mut s: Set<u32> = [5, 1, 5, 3].into_iter().collect();
        assert!(s.insert(2));
        assert!(!s.insert(3));
        assert!(s.contains(&5) && !s.contains(&4));
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [1, 2, 3, 5]);
        assert_eq!(s.len(), 4);
    }

    #[test]
    fn sorts_stably() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn keeps_the_first_k_in_order() {
        let keys = [5, 3, 9, 1, 7, 3];
        for k in 0..8 {
            let mut items: Vec<usize> = (0..keys.len()).collect();
            keep_first(&mut items, k, &|a, b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
            let mut want: Vec<usize> = (0..keys.len()).collect();
            want.sort_by_key(|&i| (keys[i], i));
            want.truncate(k);
            assert_eq!(items, want, "k = {k}");
        }
    }
}
