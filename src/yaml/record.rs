//! Why a YAML file did not deserialize, as data.
//!
//! serde_yaml's errors have no kind: only their text says whether a key was
//! unknown or a value of the wrong type. serde itself does know: a type's
//! `Deserialize` impl reports each problem by calling one of the
//! constructors of [`de::Error`] (`unknown_field`, `missing_field`,
//! `invalid_type`, ...) on the deserializer's error type. This module runs a
//! failed parse again through a thin layer around serde_yaml's deserializer
//! whose error type is [`Recorded`]: those calls land here and are kept as a
//! [`Problem`], with the [`Segment`] path of the value they were about.
//! serde_yaml still reads every scalar and event, so its rules (`title:
//! 1984` is a string) are unchanged; the layer only watches.
//!
//! When a problem crosses back into serde_yaml (which needs its own error
//! type) it is stored in the [`State`] and passed on as a custom error, so
//! serde_yaml still adds its position. A parse that fails with no problem
//! recorded failed inside serde_yaml or libyaml: a syntax error or a limit.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

/// One step of the path to a value: a mapping's key or a sequence's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The value of this key.
    Key(String),
    /// The item at this index (from 0).
    Index(usize),
}

/// Writes a path as serde_yaml does: `questions[1].type`.
pub fn path_string(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// What a value turned out to be, when it was not what the type wanted:
/// serde's [`Unexpected`], owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Integer(i128),
    /// A number with a fraction.
    Float(f64),
    /// A string (or a single character).
    Str(String),
    /// `null`, `~` or nothing.
    Unit,
    /// A sequence (`- item` lines or `[...]`).
    Seq,
    /// A mapping (`key: value` lines or `{...}`).
    Map,
    /// Anything else, in serde's words.
    Other(String),
}

impl Found {
    fn from_unexpected(unexpected: Unexpected<'_>) -> Found {
        match unexpected {
            Unexpected::Bool(b) => Found::Bool(b),
            Unexpected::Unsigned(n) => Found::Integer(i128::from(n)),
            Unexpected::Signed(n) => Found::Integer(i128::from(n)),
            Unexpected::Float(f) => Found::Float(f),
            Unexpected::Char(c) => Found::Str(c.to_string()),
            Unexpected::Str(s) => Found::Str(s.to_string()),
            Unexpected::Unit | Unexpected::Option => Found::Unit,
            Unexpected::Seq => Found::Seq,
            Unexpected::Map => Found::Map,
            other => Found::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Found {
    /// In serde's words, as its messages have them (`string "three"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Bool(b) => Unexpected::Bool(*b).fmt(f),
            Found::Integer(n) => match (u64::try_from(*n), i64::try_from(*n)) {
                (Ok(n), _) => Unexpected::Unsigned(n).fmt(f),
                (_, Ok(n)) => Unexpected::Signed(n).fmt(f),
                _ => write!(f, "integer `{n}`"),
            },
            Found::Float(x) => Unexpected::Float(*x).fmt(f),
            Found::Str(s) => Unexpected::Str(s).fmt(f),
            Found::Unit => Unexpected::Unit.fmt(f),
            Found::Seq => Unexpected::Seq.fmt(f),
            Found::Map => Unexpected::Map.fmt(f),
            Found::Other(what) => f.write_str(what),
        }
    }
}

/// What a type's `Deserialize` impl said was wrong: one of serde's error
/// constructors and what it was called with.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A key the mapping does not take.
    UnknownField {
        /// The key as written.
        field: String,
        /// The keys it takes.
        expected: Vec<&'static str>,
    },
    /// A key the mapping needs is not there.
    MissingField(&'static str),
    /// A key written twice.
    DuplicateField(&'static str),
    /// A value that is none of the names the field takes.
    UnknownVariant {
        /// The value as written.
        variant: String,
        /// The names it takes.
        expected: Vec<&'static str>,
    },
    /// A value of the wrong type (a list where a string goes).
    InvalidType {
        /// What was written.
        found: Found,
        /// What the type wanted, in serde's words.
        expected: String,
    },
    /// A value of the right type that the type refuses.
    InvalidValue {
        /// What was written.
        found: Found,
        /// What the type wanted, in serde's words.
        expected: String,
    },
    /// A sequence or tuple of the wrong length.
    InvalidLength {
        /// How many items there were.
        len: usize,
        /// What the type wanted, in serde's words.
        expected: String,
    },
    /// A problem the type words itself (Trellis's own checks, a library's).
    Custom(String),
}

impl fmt::Display for Problem {
    /// serde's wording, which Trellis's messages keep where it is clear.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownField { field, .. } => write!(f, "unknown field `{field}`"),
            Problem::MissingField(field) => write!(f, "missing field `{field}`"),
            Problem::DuplicateField(field) => write!(f, "duplicate field `{field}`"),
            Problem::UnknownVariant { variant, .. } => write!(f, "unknown variant `{variant}`"),
            Problem::InvalidType { found, expected } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            Problem::InvalidValue { found, expected } => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            Problem::InvalidLength { len, expected } => {
                write!(f, "invalid length {len}, expected {expected}")
            }
            Problem::Custom(message) => f.write_str(message),
        }
    }
}

/// The error type the watched types see: serde_yaml's own error, or a
/// problem they reported.
#[derive(Debug)]
pub enum Recorded<E> {
    /// An error of serde_yaml's (or one already passed through it).
    Yaml(E),
    /// A problem a `Deserialize` impl reported.
    Data(Problem),
}

impl<E: fmt::Display> fmt::Display for Recorded<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recorded::Yaml(e) => e.fmt(f),
            Recorded::Data(problem) => problem.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Recorded<E> {}

impl<E: de::Error> de::Error for Recorded<E> {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Recorded::Data(Problem::Custom(msg.to_string()))
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Recorded::Data(Problem::InvalidType {
            found: Found::from_unexpected(unexp),
            expected: exp.to_string(),
        })
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Recorded::Data(Problem::InvalidValue {
            found: Found::from_unexpected(unexp),
            expected: exp.to_string(),
        })
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Recorded::Data(Problem::InvalidLength {
            len,
            expected: exp.to_string(),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Recorded::Data(Problem::UnknownVariant {
            variant: variant.to_string(),
            expected: expected.to_vec(),
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Recorded::Data(Problem::UnknownField {
            field: field.to_string(),
            expected: expected.to_vec(),
        })
    }

    fn missing_field(field: &'static str) -> Self {
        Recorded::Data(Problem::MissingField(field))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Recorded::Data(Problem::DuplicateField(field))
    }
}

/// What the layer saw during one parse.
#[derive(Default)]
pub struct State {
    /// The path to the value being read.
    path: RefCell<Vec<Segment>>,
    /// Whether a mapping's key is being read (its text is kept for the path).
    reading_key: Cell<bool>,
    /// The text of the key just read.
    key: RefCell<Option<String>>,
    /// The problem that is failing the parse, and the path it is about.
    problem: RefCell<Option<(Problem, Vec<Segment>)>>,
    /// A value serde_yaml refused without handing it to the type (the type
    /// wanted a number, say, and the YAML has a list): what the type wanted
    /// and the path. serde_yaml keeps what it found to itself.
    refused: RefCell<Option<(String, Vec<Segment>)>>,
    /// How many sequences and mappings are open.
    depth: Cell<usize>,
    /// The most that were open at once.
    deepest: Cell<usize>,
}

impl State {
    /// The problem that failed the parse, with its path; `None` when the
    /// parse failed inside serde_yaml.
    pub fn take_problem(&self) -> Option<(Problem, Vec<Segment>)> {
        self.problem.borrow_mut().take()
    }

    /// The value serde_yaml refused, if it did: what the type wanted there,
    /// and its path.
    pub fn take_refused(&self) -> Option<(String, Vec<Segment>)> {
        self.refused.borrow_mut().take()
    }

    /// Notes that serde_yaml refused the value being read, which wanted `expected`.
    fn refused_by_yaml(&self, expected: String) {
        if self.problem.borrow().is_none() {
            let path = self.path.borrow().clone();
            self.refused.borrow_mut().get_or_insert((expected, path));
        }
    }

    /// The deepest nesting of sequences and mappings the parse reached.
    pub fn deepest(&self) -> usize {
        self.deepest.get()
    }

    /// Passes `error` into serde_yaml's error type `E`, keeping a problem.
    fn pass_to_yaml<E: de::Error>(&self, error: Recorded<E>) -> E {
        match error {
            Recorded::Yaml(e) => e,
            Recorded::Data(problem) => {
                let message = problem.to_string();
                let path = self.path.borrow().clone();
                self.problem.borrow_mut().get_or_insert((problem, path));
                E::custom(message)
            }
        }
    }

    /// A value was read after all: whatever failed before was recovered from.
    fn recovered(&self) {
        self.problem.borrow_mut().take();
        self.refused.borrow_mut().take();
    }

    fn with_segment<T>(&self, segment: Segment, read: impl FnOnce() -> T) -> T {
        self.path.borrow_mut().push(segment);
        let value = read();
        self.path.borrow_mut().pop();
        value
    }

    fn nested<T>(&self, read: impl FnOnce() -> T) -> T {
        let depth = self.depth.get() + 1;
        self.depth.set(depth);
        self.deepest.set(self.deepest.get().max(depth));
        let value = read();
        self.depth.set(depth - 1);
        value
    }

    fn note_key(&self, key: impl FnOnce() -> String) {
        if self.reading_key.get() {
            *self.key.borrow_mut() = Some(key());
        }
    }
}

/// serde_yaml's deserializer `D`, watched.
pub struct Watched<'s, D> {
    /// The deserializer that reads the YAML.
    pub inner: D,
    /// What is seen.
    pub state: &'s State,
}

struct WatchedVisitor<'s, V> {
    inner: V,
    state: &'s State,
    /// Set when serde_yaml hands the value over: an error without it is
    /// serde_yaml's own refusal of the value's type.
    called: &'s Cell<bool>,
}

struct WatchedSeed<'s, S> {
    inner: S,
    state: &'s State,
}

struct WatchedSeq<'s, A> {
    inner: A,
    state: &'s State,
    index: usize,
}

struct WatchedMap<'s, A> {
    inner: A,
    state: &'s State,
    key: Option<String>,
}

struct WatchedEnum<'s, A> {
    inner: A,
    state: &'s State,
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
            let state = self.state;
            let expected = (&visitor as &dyn de::Expected).to_string();
            let called = Cell::new(false);
            let visitor = WatchedVisitor { inner: visitor, state, called: &called };
            let value = self.inner.$method($($arg,)* visitor);
            if value.is_err() && !called.get() {
                state.refused_by_yaml(expected);
            }
            value.map_err(Recorded::Yaml)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Watched<'_, D> {
    type Error = Recorded<D::Error>;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($($arg:ident: $ty:ty),*) $key:expr;)*) => {$(
        fn $method<E: de::Error>(self, $($arg: $ty),*) -> Result<Self::Value, E> {
            self.called.set(true);
            #[allow(clippy::redundant_closure_call)]
            self.state.note_key(|| ($key)($(&$arg),*));
            self.inner.$method($($arg),*).map_err(|e| self.state.pass_to_yaml(e))
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WatchedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(v: bool) |v: &bool| v.to_string();
        visit_i8(v: i8) |v: &i8| v.to_string();
        visit_i16(v: i16) |v: &i16| v.to_string();
        visit_i32(v: i32) |v: &i32| v.to_string();
        visit_i64(v: i64) |v: &i64| v.to_string();
        visit_i128(v: i128) |v: &i128| v.to_string();
        visit_u8(v: u8) |v: &u8| v.to_string();
        visit_u16(v: u16) |v: &u16| v.to_string();
        visit_u32(v: u32) |v: &u32| v.to_string();
        visit_u64(v: u64) |v: &u64| v.to_string();
        visit_u128(v: u128) |v: &u128| v.to_string();
        visit_f32(v: f32) |v: &f32| v.to_string();
        visit_f64(v: f64) |v: &f64| v.to_string();
        visit_char(v: char) |v: &char| v.to_string();
        visit_str(v: &str) |v: &&str| v.to_string();
        visit_borrowed_str(v: &'de str) |v: &&str| v.to_string();
        visit_string(v: String) |v: &String| v.clone();
        visit_bytes(v: &[u8]) |_: &&[u8]| String::from("?");
        visit_borrowed_bytes(v: &'de [u8]) |_: &&[u8]| String::from("?");
        visit_byte_buf(v: Vec<u8>) |_: &Vec<u8>| String::from("?");
        visit_none() || String::from("null");
        visit_unit() || String::from("null");
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.called.set(true);
        let state = self.state;
        let watched = Watched {
            inner: deserializer,
            state,
        };
        self.inner
            .visit_some(watched)
            .map_err(|e| state.pass_to_yaml(e))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.called.set(true);
        let state = self.state;
        let watched = Watched {
            inner: deserializer,
            state,
        };
        self.inner
            .visit_newtype_struct(watched)
            .map_err(|e| state.pass_to_yaml(e))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.called.set(true);
        let state = self.state;
        let watched = WatchedSeq {
            inner: seq,
            state,
            index: 0,
        };
        state.nested(|| {
            self.inner
                .visit_seq(watched)
                .map_err(|e| state.pass_to_yaml(e))
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.called.set(true);
        let state = self.state;
        let watched = WatchedMap {
            inner: map,
            state,
            key: None,
        };
        state.nested(|| {
            self.inner
                .visit_map(watched)
                .map_err(|e| state.pass_to_yaml(e))
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.called.set(true);
        let state = self.state;
        let watched = WatchedEnum { inner: data, state };
        self.inner
            .visit_enum(watched)
            .map_err(|e| state.pass_to_yaml(e))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WatchedSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        let state = self.state;
        let watched = Watched {
            inner: deserializer,
            state,
        };
        self.inner
            .deserialize(watched)
            .map_err(|e| state.pass_to_yaml(e))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for WatchedSeq<'_, A> {
    type Error = Recorded<A::Error>;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let state = self.state;
        let seed = WatchedSeed { inner: seed, state };
        let item = state.with_segment(Segment::Index(self.index), || {
            self.inner.next_element_seed(seed)
        });
        self.index += 1;
        if item.is_ok() {
            state.recovered();
        }
        item.map_err(Recorded::Yaml)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<'_, A> {
    type Error = Recorded<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let state = self.state;
        let seed = WatchedSeed { inner: seed, state };
        state.reading_key.set(true);
        let key = self.inner.next_key_seed(seed);
        state.reading_key.set(false);
        self.key = state.key.borrow_mut().take();
        key.map_err(Recorded::Yaml)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let state = self.state;
        let seed = WatchedSeed { inner: seed, state };
        let key = self.key.take().unwrap_or_else(|| String::from("?"));
        let value = state.with_segment(Segment::Key(key), || self.inner.next_value_seed(seed));
        if value.is_ok() {
            state.recovered();
        }
        value.map_err(Recorded::Yaml)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 's, A: EnumAccess<'de>> EnumAccess<'de> for WatchedEnum<'s, A> {
    type Error = Recorded<A::Error>;
    type Variant = WatchedEnum<'s, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let state = self.state;
        let seed = WatchedSeed { inner: seed, state };
        let (value, variant) = self.inner.variant_seed(seed).map_err(Recorded::Yaml)?;
        Ok((
            value,
            WatchedEnum {
                inner: variant,
                state,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for WatchedEnum<'_, A> {
    type Error = Recorded<A::Error>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        self.inner.unit_variant().map_err(Recorded::Yaml)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let seed = WatchedSeed {
            inner: seed,
            state: self.state,
        };
        self.inner
            .newtype_variant_seed(seed)
            .map_err(Recorded::Yaml)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let called = Cell::new(false);
        let visitor = WatchedVisitor {
            inner: visitor,
            state: self.state,
            called: &called,
        };
        self.inner
            .tuple_variant(len, visitor)
            .map_err(Recorded::Yaml)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let called = Cell::new(false);
        let visitor = WatchedVisitor {
            inner: visitor,
            state: self.state,
            called: &called,
        };
        self.inner
            .struct_variant(fields, visitor)
            .map_err(Recorded::Yaml)
    }
}
