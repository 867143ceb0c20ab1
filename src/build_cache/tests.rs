use super::*;

/// An output folder's path in a scratch folder of its own (the output is
/// never made: the cache sits beside it).
fn output(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-cache-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir.join("public")
}

fn entry(n: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| n.wrapping_add(i as u8)).collect()
}

#[test]
fn what_one_build_keeps_the_next_finds() {
    let out = output("keeps");
    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(1), None);
    cache.put(1, &entry(1, 100));
    cache.put(2, &entry(2, 0));
    cache.finish();
    drop(cache);

    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(1), Some(entry(1, 100)));
    assert_eq!(cache.get(2), Some(Vec::new()));
    assert_eq!(cache.get(3), None);
    cache.put(3, &entry(3, 10));
    cache.finish();
    drop(cache);
    assert_eq!(BuildCache::open(&out).get(3), Some(entry(3, 10)));
}

#[test]
fn a_build_that_fails_before_there_is_a_cache_leaves_none() {
    let out = output("failed");
    let cache = BuildCache::open(&out);
    cache.put(1, &entry(1, 100));
    drop(cache);
    let beside: Vec<_> = fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn damaged_bytes_are_not_used_and_a_cut_entry_is_cut_off() {
    let out = output("damaged");
    let cache = BuildCache::open(&out);
    cache.put(1, &entry(1, 100));
    cache.put(2, &entry(2, 100));
    cache.put(3, &entry(3, 100));
    cache.finish();
    drop(cache);
    let path = BuildCache::path(&out);
    let mut bytes = fs::read(&path).unwrap();
    // A byte of entry 2's bytes changed, and entry 3 cut short.
    let second = MAGIC.len() + (HEAD + 100) + HEAD + 50;
    bytes[second] ^= 0xff;
    bytes.truncate(bytes.len() - 30);
    fs::write(&path, &bytes).unwrap();

    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(1), Some(entry(1, 100)));
    assert_eq!(cache.get(2), None, "its checksum no longer matches");
    assert_eq!(cache.get(3), None, "cut short");
    cache.put(2, &entry(2, 100));
    cache.put(4, &entry(4, 5));
    cache.finish();
    drop(cache);
    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(2), Some(entry(2, 100)), "the later entry wins");
    assert_eq!(
        cache.get(4),
        Some(entry(4, 5)),
        "appended after the last whole entry"
    );
}

#[test]
fn a_file_that_is_not_a_cache_is_left_alone() {
    let out = output("not-ours");
    let path = BuildCache::path(&out);
    fs::write(&path, "my notes").unwrap();
    let cache = BuildCache::open(&out);
    assert!(!cache.is_on());
    cache.put(1, b"x");
    cache.finish();
    assert_eq!(fs::read_to_string(&path).unwrap(), "my notes");
}

#[test]
fn a_file_mostly_of_unused_entries_is_written_again_with_the_used_ones() {
    let out = output("compact");
    let big = 200_000;
    let cache = BuildCache::open(&out);
    for key in 0..20 {
        cache.put(key, &entry(key as u8, big));
    }
    cache.finish();
    drop(cache);
    let path = BuildCache::path(&out);
    let before = fs::metadata(&path).unwrap().len();

    // A build that uses two of them and adds one.
    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(5), Some(entry(5, big)));
    assert_eq!(cache.get(7), Some(entry(7, big)));
    cache.put(100, &entry(100, 10));
    cache.finish();
    drop(cache);
    let after = fs::metadata(&path).unwrap().len();
    assert!(after < before / 5, "{after} of {before} bytes");
    let cache = BuildCache::open(&out);
    assert_eq!(cache.get(5), Some(entry(5, big)));
    assert_eq!(cache.get(7), Some(entry(7, big)));
    assert_eq!(cache.get(100), Some(entry(100, 10)));
    assert_eq!(cache.get(6), None);
    let beside: Vec<_> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, vec![path.file_name().unwrap().to_owned()]);
}

#[test]
fn the_default_keeps_nothing() {
    let cache = BuildCache::default();
    cache.put(1, b"x");
    assert_eq!(cache.get(1), None);
    cache.finish();
}
