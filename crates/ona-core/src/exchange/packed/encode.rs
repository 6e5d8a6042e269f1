//! The packed encoder: a serde `Serializer` writing the compact form described in the module
//! docs of [`super`].

use super::wire::{
    interned, pack_pseudonym, put_varint, CodecError, Dict, TAG_DICT, TAG_LITERAL, TAG_PSEUDONYM,
};
use serde::ser::{self, Serialize};
use std::fmt::{Display, Write};

/// Encodes values into one block body, with the block's string dictionary.
#[derive(Default)]
pub(crate) struct Encoder {
    pub(crate) out: Vec<u8>,
    dict: Dict,
    scratch: String,
}

impl Encoder {
    /// Clears the body and the dictionary for a new block (keeping the allocations).
    pub(crate) fn reset(&mut self) {
        self.out.clear();
        self.dict.clear();
    }

    /// Where the body and the dictionary stand, to undo a record that failed part-way.
    pub(crate) fn checkpoint(&self) -> (usize, usize) {
        (self.out.len(), self.dict.len())
    }

    /// Forgets everything written since `checkpoint`.
    pub(crate) fn rollback(&mut self, (len, words): (usize, usize)) {
        self.out.truncate(len);
        self.dict.truncate(words);
    }

    fn string(&mut self, s: &str) {
        if let Some(i) = self.dict.get(s) {
            put_varint(&mut self.out, TAG_DICT + u64::from(i));
        } else if let Some(bits) = pack_pseudonym(s) {
            put_varint(&mut self.out, TAG_PSEUDONYM);
            self.out.extend_from_slice(&bits);
        } else {
            put_varint(&mut self.out, TAG_LITERAL);
            put_varint(&mut self.out, s.len() as u64);
            self.out.extend_from_slice(s.as_bytes());
            if interned(s.len(), self.dict.len()) {
                self.dict.insert(s);
            }
        }
    }
}

/// Most fields a packed struct may have.
pub(crate) const MAX_FIELDS: usize = 64;

/// A struct being written: where its presence bitmap goes, and which fields were present.
pub(crate) struct Struct<'a> {
    enc: &'a mut Encoder,
    start: usize,
    field: usize,
    bits: u64,
}

impl Struct<'_> {
    fn mark(&mut self, present: bool) -> Result<(), CodecError> {
        if self.field == MAX_FIELDS {
            return Err(unsupported("a struct of more than 64 fields"));
        }
        self.bits |= u64::from(present) << self.field;
        self.field += 1;
        Ok(())
    }
}

fn unsupported(what: &str) -> CodecError {
    CodecError(format!("the packed form cannot hold {what}"))
}

impl<'a> ser::Serializer for &'a mut Encoder {
    type Ok = ();
    type Error = CodecError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Struct<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), CodecError> {
        self.out.push(u8::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), CodecError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), CodecError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), CodecError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), CodecError> {
        put_varint(&mut self.out, ((v << 1) ^ (v >> 63)) as u64);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), CodecError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), CodecError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), CodecError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), CodecError> {
        put_varint(&mut self.out, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), CodecError> {
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), CodecError> {
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), CodecError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CodecError> {
        self.string(v);
        Ok(())
    }
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> Result<(), CodecError> {
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        let _ = write!(s, "{v}");
        self.string(&s);
        self.scratch = s;
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CodecError> {
        put_varint(&mut self.out, v.len() as u64);
        self.out.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), CodecError> {
        self.out.push(0);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CodecError> {
        self.out.push(1);
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CodecError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CodecError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
    ) -> Result<(), CodecError> {
        self.serialize_u32(i)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), CodecError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), CodecError> {
        put_varint(&mut self.out, u64::from(i));
        v.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, CodecError> {
        let len = len.ok_or_else(|| unsupported("a sequence of unknown length"))?;
        put_varint(&mut self.out, len as u64);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, CodecError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, CodecError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, CodecError> {
        put_varint(&mut self.out, u64::from(i));
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, CodecError> {
        let len = len.ok_or_else(|| unsupported("a map of unknown length"))?;
        put_varint(&mut self.out, len as u64);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Struct<'a>, CodecError> {
        let start = self.out.len();
        Ok(Struct { enc: self, start, field: 0, bits: 0 })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Struct<'a>, CodecError> {
        put_varint(&mut self.out, u64::from(i));
        self.serialize_struct("", 0)
    }
    fn is_human_readable(&self) -> bool {
        // Values keep their text forms (dates as `2025-03`), as in JSON.
        true
    }
}

macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Encoder {
            type Ok = ();
            type Error = CodecError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CodecError> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), CodecError> {
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Encoder {
    type Ok = ();
    type Error = CodecError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), CodecError> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CodecError> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CodecError> {
        Ok(())
    }
}

impl Struct<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CodecError> {
        self.mark(true)?;
        v.serialize(&mut *self.enc)
    }
    fn close(self) -> Result<(), CodecError> {
        // The bitmap goes before the fields: now that every field is known, put it there.
        let at = self.start;
        let bytes = self.bits.to_le_bytes();
        self.enc.out.splice(at..at, bytes[..self.field.div_ceil(8)].iter().copied());
        Ok(())
    }
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        v: &T,
    ) -> Result<(), CodecError> {
        self.field(v)
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), CodecError> {
        self.mark(false)
    }
    fn end(self) -> Result<(), CodecError> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Struct<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        v: &T,
    ) -> Result<(), CodecError> {
        self.field(v)
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), CodecError> {
        self.mark(false)
    }
    fn end(self) -> Result<(), CodecError> {
        self.close()
    }
}
