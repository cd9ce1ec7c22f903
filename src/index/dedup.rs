//! Which articles are the same story? Syndicated copies (one wire story republished with a
//! new headline, a trimmed paragraph, a site's footer) become one group that a result shows
//! once, "also in N sources"; articles that share passages without being copies (a quote
//! or a background paragraph reused in a new story) are linked as related coverage.
//!
//! How: each article's body becomes the set of its 4-word shingles (over the analyzer's
//! terms, so case, punctuation and inflection do not matter), sketched by MinHash with
//! [`HASHES`] hash functions; locality-sensitive hashing over [`BANDS`] bands of two rows
//! finds candidate pairs without comparing every pair; each candidate's Jaccard similarity
//! and containment (the share of the shorter article found in the longer) are estimated
//! from the sketches.
//!
//! Thresholds, chosen on constructed pairs (tests/integration/dedup.rs builds them from
//! the seeds' vocabulary and prints what it measures; 128 hashes, 64 bands). Copies with
//! 2–6% of their words replaced, a new headline, a footer and often a paragraph trimmed:
//! Jaccard 0.45–0.87, containment 0.64–0.95. Different stories quoting two of the
//! original's six to nine paragraphs: Jaccard 0.06–0.29, containment 0.14–0.45. Hence
//! duplicates at Jaccard ≥ [`DUPLICATE_JACCARD`] and containment ≥
//! [`DUPLICATE_CONTAINMENT`] (all 30 copies grouped, no quoting story grouped), and related
//! coverage at containment ≥ [`RELATED_CONTAINMENT`] (25 of 30 linked: the rest never
//! became LSH candidates). Reported, not tuned for: a copy with 10% of its words replaced
//! scores 0.32–0.59 (27 of 30 grouped); a story quoting one paragraph of eight scores
//! under 0.1 and is rarely linked. An article of fewer than [`MIN_SHINGLES`] shingles is
//! never grouped: too short to tell a copy from a coincidence.

/// Words per shingle.
pub const SHINGLE: usize = 4;
/// MinHash functions per sketch (estimates carry a standard error of about 0.045).
pub const HASHES: usize = 128;
/// LSH bands: with two rows each, a pair of Jaccard 0.1 becomes a candidate with
/// probability 0.47, one of 0.2 with 0.93, one of 0.4 with 0.99998.
pub const BANDS: usize = 64;
const ROWS: usize = HASHES / BANDS;
pub const DUPLICATE_JACCARD: f32 = 0.4;
pub const DUPLICATE_CONTAINMENT: f32 = 0.6;
pub const RELATED_CONTAINMENT: f32 = 0.12;
pub const MIN_SHINGLES: u32 = 8;
/// Buckets bigger than this are boilerplate shared by many articles (a site's footer), not
/// evidence of a shared story: they are skipped.
const MAX_BUCKET: usize = 50;
/// Related articles kept per article, most overlapping first.
pub const MAX_RELATED: usize = 8;

/// A MinHash sketch of one article's shingles.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    mins: [u32; HASHES],
    shingles: u32,
}

/// FNV-1a: a fixed, dependency-free hash, so that the same articles always group the same.
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The per-function (xor, odd multiplier) pairs, from splitmix64.
fn seeds() -> [(u64, u64); HASHES] {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut out = [(0, 0); HASHES];
    for s in &mut out {
        *s = (next(), next() | 1);
    }
    out
}

impl Sketch {
    /// Sketches a sequence of terms.
    pub fn of<'a>(terms: impl Iterator<Item = &'a str>) -> Sketch {
        let terms: Vec<u64> = terms.map(|t| fnv(t.as_bytes(), 0xcbf2_9ce4_8422_2325)).collect();
        let mut mins = [u32::MAX; HASHES];
        let seeds = seeds();
        let mut hashes: Vec<u64> = terms
            .windows(SHINGLE)
            .map(|w| w.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, t| fnv(&t.to_le_bytes(), h)))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        for &x in &hashes {
            for (m, (xor, mul)) in mins.iter_mut().zip(seeds.iter()) {
                let v = ((x ^ xor).wrapping_mul(*mul) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Sketch { mins, shingles: hashes.len() as u32 }
    }

    /// Estimated (Jaccard, containment of the smaller in the larger).
    pub fn compare(&self, other: &Sketch) -> (f32, f32) {
        if self.shingles == 0 || other.shingles == 0 {
            return (0.0, 0.0);
        }
        let same = self.mins.iter().zip(other.mins.iter()).filter(|(a, b)| a == b).count();
        let j = same as f32 / HASHES as f32;
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        let shared = j / (1.0 + j) * (a + b);
        (j, (shared / a.min(b)).min(1.0))
    }
}

/// Groups of copies and related links, per article number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Links {
    /// Per article, the lowest article number in its group of copies (itself when alone).
    pub group: Vec<u32>,
    /// Per article, articles that share passages with it (not its copies), most first.
    pub related: Vec<Vec<u32>>,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while let Some(&p) = parent.get(x as usize) {
        if p == x {
            break;
        }
        let grand = parent.get(p as usize).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x as usize) {
            *slot = grand;
        }
        x = p;
    }
    x
}

/// Links articles by their sketches.
pub fn link(sketches: &[Sketch]) -> Links {
    let n = sketches.len();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut bucket: Vec<(u64, u32)> = Vec::with_capacity(n);
    for band in 0..BANDS {
        bucket.clear();
        for (d, s) in sketches.iter().enumerate() {
            if s.shingles < MIN_SHINGLES {
                continue;
            }
            let rows = s.mins.get(band * ROWS..(band + 1) * ROWS).unwrap_or_default();
            let key = rows.iter().fold(band as u64, |h, r| fnv(&r.to_le_bytes(), h));
            bucket.push((key, d as u32));
        }
        bucket.sort_unstable();
        for run in bucket.chunk_by(|a, b| a.0 == b.0) {
            if run.len() < 2 || run.len() > MAX_BUCKET {
                continue;
            }
            for (i, a) in run.iter().enumerate() {
                for b in run.iter().skip(i + 1) {
                    pairs.push((a.1, b.1));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();

    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut related: Vec<Vec<(f32, u32)>> = vec![Vec::new(); n];
    for &(a, b) in &pairs {
        let (Some(sa), Some(sb)) = (sketches.get(a as usize), sketches.get(b as usize)) else { continue };
        let (j, c) = sa.compare(sb);
        if j >= DUPLICATE_JACCARD && c >= DUPLICATE_CONTAINMENT {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            // The lower number leads: articles are numbered oldest first, so a story's
            // first publication leads it, and a later copy never changes who leads.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(p) = parent.get_mut(hi as usize) {
                *p = lo;
            }
        } else if c >= RELATED_CONTAINMENT {
            if let Some(list) = related.get_mut(a as usize) {
                list.push((c, b));
            }
            if let Some(list) = related.get_mut(b as usize) {
                list.push((c, a));
            }
        }
    }
    let group: Vec<u32> = (0..n as u32).map(|d| find(&mut parent, d)).collect();
    let related = related
        .into_iter()
        .enumerate()
        .map(|(d, mut list)| {
            let own = group.get(d).copied();
            list.retain(|(_, o)| group.get(*o as usize).copied() != own);
            list.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            list.dedup_by_key(|x| x.1);
            list.into_iter().take(MAX_RELATED).map(|(_, o)| o).collect()
        })
        .collect();
    Links { group, related }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn identical_texts_match_and_different_ones_do_not() {
        let a = "the quick brown fox jumps over the lazy dog while the cat sleeps in the warm sun all day long";
        let b =
            "markets fell sharply on monday as investors weighed new trade figures from the ministry of finance today";
        let (sa, sb) = (Sketch::of(words(a).into_iter()), Sketch::of(words(b).into_iter()));
        assert_eq!(sa.compare(&sa), (1.0, 1.0));
        assert!(sa.compare(&sb).0 < 0.1);
        assert_eq!(Sketch::of(std::iter::empty()).compare(&sa), (0.0, 0.0));
    }

    #[test]
    fn groups_copies_under_the_lowest_number() {
        let text = (0..60).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let other = (0..60).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" ");
        let s = |t: &str| Sketch::of(t.split_whitespace());
        let links = link(&[s(&other), s(&text), s(&text), s("too short")]);
        assert_eq!(links.group, [0, 1, 1, 3]);
        assert!(links.related.iter().all(Vec::is_empty));
    }
}
