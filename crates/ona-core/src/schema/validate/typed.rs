//! The fast path for typed records: a serde `Serializer` that walks a [`Case`] alongside the
//! compiled schema and checks what the Rust types cannot guarantee — text lengths, number ranges,
//! country and subdivision codes, list sizes — without building a JSON value.
//!
//! Types, codes, required and unknown fields are guaranteed by the types themselves, so for a
//! typed case this walk plus the rules over [`super::facts::Facts`] give the same verdict as the
//! JSON path (a test compares the two on many records).

use super::compiled::{Node, StringFormat};
use super::field_cache;
use super::problem::Problem;
use super::structural::{check_number, check_string, pointer, Seg};
use serde::ser::{self, Serialize};
use std::fmt;

/// Where the walk is and what it found.
pub(crate) struct State {
    path: Vec<Seg<'static>>,
    pub out: Vec<Problem>,
    /// Text of the value being checked, for values written with `collect_str` (dates).
    scratch: String,
}

impl State {
    pub(crate) fn new() -> State {
        State { path: Vec::with_capacity(8), out: Vec::new(), scratch: String::new() }
    }
}

/// Checks `value` against `node`, appending problems to `state`.
pub(crate) fn check<T: Serialize + ?Sized>(node: &Node, value: &T, state: &mut State) {
    // The walker never fails; an error here could only come from a custom Serialize impl.
    let _ = value.serialize(Walker { node, st: state });
}

/// The walker never fails; this error type only satisfies the trait.
#[derive(Debug)]
pub(crate) struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("serialisation error while validating")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Never
    }
}

struct Walker<'a, 'n> {
    node: &'n Node,
    st: &'a mut State,
}

impl Walker<'_, '_> {
    fn number(self, v: f64, shown: &dyn Fn() -> String) -> Result<(), Never> {
        let st = self.st;
        check_number(self.node, v, shown, &|| pointer(&st.path), &mut st.out);
        Ok(())
    }
}

/// Walks the elements of a list.
struct Seq<'a, 'n> {
    node: &'n Node,
    st: &'a mut State,
    index: usize,
}

macro_rules! numbers {
    ($($m:ident: $t:ty),*) => {$(
        fn $m(self, v: $t) -> Result<(), Never> {
            self.number(v as f64, &|| v.to_string())
        }
    )*};
}

impl<'a, 'n> ser::Serializer for Walker<'a, 'n> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Seq<'a, 'n>;
    type SerializeTuple = ser::Impossible<(), Never>;
    type SerializeTupleStruct = ser::Impossible<(), Never>;
    type SerializeTupleVariant = ser::Impossible<(), Never>;
    type SerializeMap = ser::Impossible<(), Never>;
    type SerializeStruct = Self;
    type SerializeStructVariant = ser::Impossible<(), Never>;

    numbers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
             serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
             serialize_f32: f32, serialize_f64: f64);

    fn serialize_bool(self, _: bool) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_char(self, c: char) -> Result<(), Never> {
        self.serialize_str(c.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, s: &str) -> Result<(), Never> {
        if let StringFormat::Code { from_enum: true, .. } = self.node.string {
            // A codelist value of a typed case is a variant of its Rust enum: always a code.
            return Ok(());
        }
        let st = self.st;
        check_string(self.node, s, &|| pointer(&st.path), &mut st.out);
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<(), Never> {
        use fmt::Write;
        if self.node.string == StringFormat::Date {
            // At a date node this is a `Date` (the one type there written through `Display`),
            // which holds a real day by construction: nothing to check, nothing to format.
            return Ok(());
        }
        let st = self.st;
        let mut text = std::mem::take(&mut st.scratch);
        text.clear();
        let _ = write!(text, "{v}");
        check_string(self.node, &text, &|| pointer(&st.path), &mut st.out);
        st.scratch = text;
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Never> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a, 'n>, Never> {
        Ok(Seq { node: self.node, st: self.st, index: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}

impl ser::SerializeStruct for Walker<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        if let Some(i) = field_cache::position(self.node, key) {
            let sub = &self.node.props[i].1;
            self.st.path.push(Seg::Key(key));
            check(sub, v, self.st);
            self.st.path.pop();
        }
        Ok(())
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        if let Some(item) = &self.node.items {
            self.st.path.push(Seg::Index(self.index));
            check(item, v, self.st);
            self.st.path.pop();
        }
        self.index += 1;
        Ok(())
    }
    fn end(self) -> Result<(), Never> {
        let n = self.index as u64;
        let at = || pointer(&self.st.path);
        if self.node.min_items.is_some_and(|m| n < m) {
            let at = at();
            let code = if at == "/children" {
                super::problem::ProblemCode::NoChildren
            } else {
                super::problem::ProblemCode::TooFewItems
            };
            self.st.out.push(Problem::new(at, code).with("min", self.node.min_items.unwrap_or(0)));
        }
        if let Some(max) = self.node.max_items.filter(|m| n > *m) {
            let p = Problem::new(at(), super::problem::ProblemCode::TooManyItems).with("max", max);
            self.st.out.push(p);
        }
        Ok(())
    }
}
