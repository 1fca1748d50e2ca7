//! Sorting session ids: a heapsort of a few hundred bytes of wasm instead of the standard
//! library's quicksort (about 4 KB of wasm for the two instances the core used; issue #10).
//! O(n log n) in the worst case, so an answer with many sessions stays cheap.

/// A session id and where it sits.
pub type Id<'a> = (&'a str, usize);

/// The ids with their positions, sorted by id (then position).
pub fn sorted_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<Id<'a>> {
    let mut out: Vec<Id<'a>> = ids.enumerate().map(|(i, id)| (id, i)).collect();
    sort_ids(&mut out);
    out
}

/// Sorts `ids` by id, then position (not stable; equal pairs are indistinguishable).
pub fn sort_ids(ids: &mut [Id<'_>]) {
    let n = ids.len();
    for root in (0..n / 2).rev() {
        sift_down(ids, root, n);
    }
    for end in (1..n).rev() {
        ids.swap(0, end);
        sift_down(ids, 0, end);
    }
}

fn less(ids: &[Id<'_>], a: usize, b: usize) -> bool {
    matches!((ids.get(a), ids.get(b)), (Some(x), Some(y)) if x < y)
}

/// Moves `ids[root]` down the heap `ids[..end]` to where it belongs.
fn sift_down(ids: &mut [Id<'_>], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(ids, child, child + 1) {
            child += 1;
        }
        if !less(ids, root, child) {
            return;
        }
        ids.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort() {
        let words: Vec<String> = (0..300u32)
            .map(|i| format!("sess_{}", i.wrapping_mul(2_654_435_761) % 97))
            .collect();
        for len in [0, 1, 2, 3, 7, 64, 300] {
            let mut ids: Vec<Id<'_>> = words
                .iter()
                .take(len)
                .enumerate()
                .map(|(i, w)| (w.as_str(), i))
                .collect();
            let mut want = ids.clone();
            want.sort_unstable();
            sort_ids(&mut ids);
            assert_eq!(ids, want, "{len} ids");
        }
    }
}
