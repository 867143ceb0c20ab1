//! [`ShadowEntry`]: hayagriva's entry fields mirrored for serde, to check
//! a `references.yaml` entry more strictly than hayagriva does.
//!
//! Unknown keys are refused (hayagriva ignores them), and a value of the wrong
//! kind is reported with its field's name and path rather than serde's
//! "data did not match any variant".

use std::fmt;
use std::marker::PhantomData;

use hayagriva::types::{
    Date, Duration, DurationRange, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, PersonsWithRoles, Publisher, QualifiedUrl, SerialNumber,
};
use serde::de::{self, Deserializer, IgnoredAny, IntoDeserializer, Visitor};
use serde::Deserialize;

/// Mirrors hayagriva's entry fields to catch what hayagriva ignores (unknown
/// keys) and to locate what it rejects (the path and line of a bad value).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
pub(super) struct ShadowEntry {
    #[serde(rename = "type")]
    entry_type: Option<EntryType>,
    #[serde(default, deserialize_with = "one_or_many")]
    parent: Vec<ShadowEntry>,
    title: Option<FormatString>,
    #[serde(default, deserialize_with = "one_or_many")]
    author: Vec<Person>,
    date: Option<Date>,
    #[serde(default, deserialize_with = "one_or_many")]
    editor: Vec<Person>,
    #[serde(default, deserialize_with = "one_or_many")]
    affiliated: Vec<PersonsWithRoles>,
    #[serde(default, deserialize_with = "publisher")]
    publisher: Option<Publisher>,
    location: Option<FormatString>,
    organization: Option<FormatString>,
    #[serde(default, deserialize_with = "issue")]
    issue: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "chapter")]
    chapter: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "volume")]
    volume: Option<MaybeTyped<Numeric>>,
    volume_total: Option<Numeric>,
    #[serde(default, deserialize_with = "edition")]
    edition: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "page_range")]
    page_range: Option<MaybeTyped<PageRanges>>,
    page_total: Option<Numeric>,
    #[serde(default, deserialize_with = "time_range")]
    time_range: Option<MaybeTyped<DurationRange>>,
    #[serde(default, deserialize_with = "runtime")]
    runtime: Option<MaybeTyped<Duration>>,
    url: Option<QualifiedUrl>,
    #[serde(alias = "serial")]
    #[serde(default, deserialize_with = "serial_number")]
    serial_number: Option<SerialNumber>,
    language: Option<IgnoredAny>,
    archive: Option<FormatString>,
    archive_location: Option<FormatString>,
    call_number: Option<FormatString>,
    note: Option<FormatString>,
    #[serde(rename = "abstract")]
    abstract_: Option<FormatString>,
    genre: Option<FormatString>,
}

/// The end of the message for a value of the wrong kind (serde's untagged enums
/// say only "data did not match any variant", without the field).
pub(super) const WRONG_KIND: &str = "` has a value of the wrong kind";

/// Deserializes an optional `T`, naming `field` when the value has the wrong kind.
/// serde reports an untagged enum that took no variant only by its message,
/// and the error type is the deserializer's own here, so its text is read.
fn named<'de, D, T>(deserializer: D, field: &str) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map_err(|e| {
        if e.to_string().contains("did not match any variant") {
            de::Error::custom(format!("`{field}{WRONG_KIND}"))
        } else {
            e
        }
    })
}

macro_rules! named_fields {
    ($($name:ident: $t:ty = $field:literal;)*) => {$(
        fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$t>, D::Error> {
            named(deserializer, $field)
        }
    )*};
}

named_fields! {
    issue: MaybeTyped<Numeric> = "issue";
    chapter: MaybeTyped<Numeric> = "chapter";
    volume: MaybeTyped<Numeric> = "volume";
    edition: MaybeTyped<Numeric> = "edition";
    page_range: MaybeTyped<PageRanges> = "page-range";
    time_range: MaybeTyped<DurationRange> = "time-range";
    runtime: MaybeTyped<Duration> = "runtime";
    serial_number: SerialNumber = "serial-number";
    publisher: Publisher = "publisher";
}

/// One value or a list of them (hayagriva's convention), keeping the inner error.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one value or a list")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| vec![t])
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(OneOrMany(PhantomData))
}
