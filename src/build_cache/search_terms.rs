//! Search documents' counted terms in the build cache: a document whose
//! text is found is not split into terms and counted again.
//!
//! The key is a hash of all of the document's text that the index reads
//! (title, other names, headings, summary, body), the word rules of its
//! language and which Trellis it is; the entry holds its terms and their
//! counts (`DocTerms`), small numbers in as few bytes as they need.

use xxhash_rust::xxh3::Xxh3;

use super::codec::{Decoder, Encoder};
use super::BuildCache;
use crate::search::doc_terms::DocTerms;
use crate::search::index::Document;
use crate::search::text::Analyzer;

/// `d`'s terms from `cache`, or counted by `count` (and added) when it
/// does not hold them.
pub(crate) fn counted(
    cache: &BuildCache,
    analyzer: Analyzer,
    d: &Document,
    count: impl FnOnce() -> DocTerms,
) -> DocTerms {
    let Some(key) = cache.is_on().then(|| key(analyzer, d)).flatten() else {
        return count();
    };
    if let Some(terms) = cache.get(key).and_then(|bytes| decode(&bytes)) {
        return terms;
    }
    let terms = count();
    cache.put(key, &encode(&terms));
    terms
}

fn key(analyzer: Analyzer, d: &Document) -> Option<u128> {
    let mut hash = Xxh3::new();
    hash.update(b"terms 1\0");
    hash.update(&crate::pipeline::unchanged::executable()?.to_le_bytes());
    hash.update(analyzer.name().as_bytes());
    let fields = [
        std::slice::from_ref(&d.title),
        &d.aliases[..],
        &d.headings[..],
        std::slice::from_ref(&d.summary),
        std::slice::from_ref(&d.body),
    ];
    // Each field's count of texts, and each text's length: no two
    // documents hash the same bytes.
    for texts in fields {
        hash.update(&(texts.len() as u64).to_le_bytes());
        for text in texts {
            hash.update(&(text.len() as u64).to_le_bytes());
            hash.update(text.as_bytes());
        }
    }
    Some(hash.digest128())
}

/// The terms' text, then for each term its length (doubled, plus one when
/// it is in the title) and its three counts, then the fields' lengths.
fn encode(t: &DocTerms) -> Vec<u8> {
    let mut e = Encoder::with_capacity(t.text.len() + 5 * t.ends.len() + 32);
    e.str(&t.text);
    e.var(t.ends.len() as u64);
    let mut start = 0;
    for ((&end, counts), &in_title) in t.ends.iter().zip(&t.counts).zip(&t.title) {
        e.var(((end - start) as u64) << 1 | u64::from(in_title));
        start = end;
        for &c in counts {
            e.var(u64::from(c));
        }
    }
    for &len in &t.lengths {
        e.var(len as u64);
    }
    e.into_bytes()
}

fn decode(bytes: &[u8]) -> Option<DocTerms> {
    let mut d = Decoder::new(bytes);
    let text = d.string()?;
    let n = usize::try_from(d.var()?).ok()?;
    if n > text.len() {
        return None;
    }
    let mut t = DocTerms {
        ends: Vec::with_capacity(n),
        counts: Vec::with_capacity(n),
        title: Vec::with_capacity(n),
        text,
        lengths: [0; 3],
    };
    let mut end = 0usize;
    for _ in 0..n {
        let len = d.var()?;
        end = end.checked_add(usize::try_from(len >> 1).ok()?)?;
        if !t.text.is_char_boundary(end) {
            return None;
        }
        t.ends.push(end);
        t.title.push(len & 1 == 1);
        let mut counts = [0u32; 3];
        for c in &mut counts {
            *c = u32::try_from(d.var()?).ok()?;
        }
        t.counts.push(counts);
    }
    for len in &mut t.lengths {
        *len = usize::try_from(d.var()?).ok()?;
    }
    (end == t.text.len() && d.is_done()).then_some(t)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use crate::search::index::{Kind, Options, SearchIndex};

    use super::*;

    fn documents() -> Vec<Document> {
        (0..40)
            .map(|i| Document {
                kind: Kind::Article,
                title: format!("Trust and repair, part {i}"),
                aliases: if i % 3 == 0 {
                    vec!["alliance".to_string()]
                } else {
                    Vec::new()
                },
                url: format!("a{i}/index.html"),
                context: "Basics".to_string(),
                summary: "Why ruptures happen and how they mend.".to_string(),
                headings: vec![format!("Heading {i}"), "Consent, señales".to_string()],
                body: "Sessions build a working alliance over time; ".repeat(i + 1),
            })
            .collect()
    }

    /// Every file of the index written from `docs` through `cache`.
    fn index_files(docs: Vec<Document>, cache: &BuildCache) -> BTreeMap<String, Vec<u8>> {
        let files = Mutex::new(BTreeMap::new());
        let batches = docs.chunks(7).map(<[Document]>::to_vec).collect::<Vec<_>>();
        SearchIndex::write_files(batches.into_iter(), &Options::default(), cache, |f| {
            files.lock().unwrap().insert(f.path, f.bytes);
        });
        files.into_inner().unwrap()
    }

    /// The files that differ between two indexes, by name.
    fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        names
            .into_iter()
            .filter(|n| a.get(*n) != b.get(*n))
            .cloned()
            .collect()
    }

    #[test]
    fn an_index_made_from_kept_terms_is_the_one_counted_anew() {
        let dir = std::env::temp_dir().join(format!("trellis-terms-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("public");
        let plain = index_files(documents(), &BuildCache::default());

        let cache = BuildCache::open(&out);
        let files = index_files(documents(), &cache);
        assert!(files == plain, "{:?}", differing(&files, &plain));
        cache.finish();
        assert_eq!(cache.found(), 0);
        drop(cache);

        // One document changed: the others' terms come from the cache.
        let mut docs = documents();
        docs[5].body.push_str(" A new sentence about consent.");
        let expected = index_files(docs.clone(), &BuildCache::default());
        assert!(expected != plain);
        let cache = BuildCache::open(&out);
        let files = index_files(docs, &cache);
        assert!(files == expected, "{:?}", differing(&files, &expected));
        assert_eq!(cache.found(), documents().len() - 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
