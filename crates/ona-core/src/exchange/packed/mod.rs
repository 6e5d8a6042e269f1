//! The packed form of pseudonymised records: a compact binary encoding of a stream of
//! [`PseudoCase`]s, for sealed exports between machines. It holds exactly what the JSON form
//! holds (decoding gives back equal records) in about a tenth of the bytes, and is several times
//! faster to write and to read. JSON Lines stays the form for people and other tools; `ona
//! report` reads either.
//!
//! ```text
//! stream = MAGIC block*                      MAGIC = "ona-packed-cases/1\n"
//! block  = varint(body length) varint(record count) body
//! body   = value(PseudoCase){record count}
//! ```
//!
//! Varints are unsigned LEB128 in their shortest form. A value is written by the shape of its
//! Rust type (the serde data model), in the order of the type's declaration:
//!
//! | shape | bytes |
//! | --- | --- |
//! | bool | `0` or `1` |
//! | unsigned / signed integer | varint / zigzag varint |
//! | string | varint tag: `0` literal (varint length, UTF-8); `1` pseudonym (16 bytes, the 128 bits of its 26 base32 characters, big-endian); `n ≥ 2` the block's dictionary entry `n − 2` |
//! | option | `0`, or `1` then the value |
//! | sequence, map | varint count, then the elements (keys and values) |
//! | struct | presence bitmap of ⌈fields / 8⌉ bytes (bit `i` of byte `i / 8`, least significant first, set when field `i` is written), then the present fields |
//! | enum variant | varint variant index, then its content |
//!
//! A literal of at most 64 bytes enters the block's dictionary (at most 4096 strings) when it
//! is written, so a repeated string (a domain, a centre, a code, a date) costs one or two bytes
//! after its first use. The dictionary starts empty in every block, so blocks are independent:
//! they can be written and read in parallel. Fields a record leaves out in JSON
//! (`skip_serializing_if`) are absent from the bitmap here and take their defaults on reading.
//!
//! The layout follows the field order of [`PseudoCase`] and its parts: changing that order or
//! adding a field changes the format, and the golden test in this module says so. The magic then
//! moves to `/2`.

mod decode;
mod encode;
#[cfg(test)]
mod tests;
mod wire;

use crate::pseudonym::PseudoCase;
use decode::Decoder;
use encode::Encoder;
use serde::{Deserialize, Serialize};
use std::io::{self, BufReader, Read, Write};
use wire::put_varint;

/// The first bytes of a packed stream.
pub const MAGIC: &[u8] = b"ona-packed-cases/1\n";
/// Largest block body a reader accepts.
pub const MAX_BLOCK_LEN: usize = 16 << 20;
/// Most elements a list (sequence or map) of a record may have on reading. A case with more
/// children, services or follow-ups than this is not a case.
pub const MAX_LIST_LEN: usize = 10_000;
/// Most bytes one record may decode to on reading: its strings, and 32 bytes per list element.
/// Genuine records take a few kilobytes; the cap stops a small block of dictionary references
/// from expanding a thousandfold in memory.
pub const MAX_DECODED_PER_RECORD: usize = 16 << 20;
/// A block is closed once its body reaches this size.
const BLOCK_TARGET: usize = 256 << 10;

/// Whether `head` (the first bytes of a file) starts a packed stream.
pub fn is_packed(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// The length in bytes of the block that starts `data` (its header and body), `Ok(None)` while
/// `data` holds less than its header; a malformed header or a body over [`MAX_BLOCK_LEN`] is an
/// error. For readers that receive a stream in pieces and cut it into whole blocks.
pub fn framed_block_len(data: &[u8]) -> Result<Option<usize>, PackedError> {
    let malformed = |detail: String| PackedError::Malformed { block: 0, record: 0, detail };
    let mut pos = 0;
    let mut header = [0u64; 2];
    for value in &mut header {
        let start = pos;
        let Some(end) = data[start..].iter().position(|b| b & 0x80 == 0) else {
            if data.len() - start > 10 {
                return Err(malformed("varint longer than 10 bytes".into()));
            }
            return Ok(None);
        };
        *value = wire::get_varint(&data[..start + end + 1], &mut pos)
            .map_err(|e| malformed(e.to_string()))?;
    }
    let body = usize::try_from(header[0])
        .ok()
        .filter(|l| *l <= MAX_BLOCK_LEN)
        .ok_or_else(|| malformed(format!("a block is larger than {MAX_BLOCK_LEN} bytes")))?;
    Ok(Some(pos + body))
}

/// Packed records could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackedError {
    /// Reading or writing failed (for a sealed export: it did not verify).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The data does not start with [`MAGIC`].
    #[error("not packed pseudonymised records (no `ona-packed-cases/1` header)")]
    NotPacked,
    /// The data ends inside a block.
    #[error("packed records end inside block {block}")]
    Truncated {
        /// The block (from 1).
        block: u64,
    },
    /// A block or record is malformed.
    #[error("packed records, block {block}, record {record}: {detail}")]
    Malformed {
        /// The block (from 1).
        block: u64,
        /// The record within the block (from 1; 0 for the block header).
        record: u64,
        /// What is wrong.
        detail: String,
    },
    /// A record cannot be packed (a type the format does not hold).
    #[error("a record cannot be packed: {0}")]
    Encode(String),
}

/// Packs records into blocks in memory: push records, then [`take`](Self::take) the finished
/// blocks (each call closes the open block). Independent encoders produce independent blocks, so
/// several threads can pack parts of one stream; concatenated after [`MAGIC`] in order, their
/// output is the stream.
#[derive(Default)]
pub struct BlockEncoder {
    enc: Encoder,
    count: u64,
    out: Vec<u8>,
}

impl BlockEncoder {
    /// An encoder with no records.
    pub fn new() -> BlockEncoder {
        BlockEncoder::default()
    }

    /// Packs one record, closing the block when it is full.
    pub fn push(&mut self, case: &PseudoCase) -> Result<(), PackedError> {
        let before = self.enc.checkpoint();
        if let Err(e) = case.serialize(&mut self.enc) {
            self.enc.rollback(before);
            return Err(PackedError::Encode(e.to_string()));
        }
        self.count += 1;
        if self.enc.out.len() >= BLOCK_TARGET {
            self.close();
        }
        Ok(())
    }

    fn close(&mut self) {
        if self.count == 0 {
            return;
        }
        put_varint(&mut self.out, self.enc.out.len() as u64);
        put_varint(&mut self.out, self.count);
        self.out.extend_from_slice(&self.enc.out);
        self.enc.reset();
        self.count = 0;
    }

    /// Closes the open block and returns every finished block since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        self.close();
        std::mem::take(&mut self.out)
    }

    /// Closes the open block and appends every finished block since the last call to `out`
    /// (the encoder keeps its buffers for the next records).
    pub fn take_into(&mut self, out: &mut Vec<u8>) {
        self.close();
        out.extend_from_slice(&self.out);
        self.out.clear();
    }

    /// Whether finished blocks are waiting to be taken (without closing the open one).
    pub fn has_blocks(&self) -> bool {
        !self.out.is_empty()
    }
}

/// Writes a packed stream: [`MAGIC`], then blocks of records as they fill.
pub struct PackedWriter<W: Write> {
    inner: W,
    enc: BlockEncoder,
}

impl<W: Write> PackedWriter<W> {
    /// Starts a stream on `inner` (writes [`MAGIC`]).
    pub fn new(mut inner: W) -> io::Result<PackedWriter<W>> {
        inner.write_all(MAGIC)?;
        Ok(PackedWriter { inner, enc: BlockEncoder::new() })
    }

    /// Writes one record (buffered into the current block).
    pub fn write(&mut self, case: &PseudoCase) -> Result<(), PackedError> {
        self.enc.push(case)?;
        if self.enc.has_blocks() {
            self.inner.write_all(&self.enc.take())?;
        }
        Ok(())
    }

    /// Writes the last block, flushes, and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.inner.write_all(&self.enc.take())?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// Reads a packed stream record by record (also an [`Iterator`]). Memory holds one block.
pub struct PackedReader<R: Read> {
    inner: BufReader<R>,
    block: Vec<u8>,
    pos: usize,
    left: u64,
    dict: Vec<String>,
    blocks: u64,
    record: u64,
    failed: bool,
}

impl<R: Read> PackedReader<R> {
    /// Reads and checks [`MAGIC`].
    pub fn new(inner: R) -> Result<PackedReader<R>, PackedError> {
        let mut inner = BufReader::with_capacity(256 << 10, inner);
        let mut head = [0u8; MAGIC.len()];
        let mut got = 0;
        while got < head.len() {
            match inner.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        if !is_packed(&head[..got]) {
            return Err(PackedError::NotPacked);
        }
        Ok(PackedReader {
            inner,
            block: Vec::new(),
            pos: 0,
            left: 0,
            dict: Vec::new(),
            blocks: 0,
            record: 0,
            failed: false,
        })
    }

    fn malformed(&self, detail: impl ToString) -> PackedError {
        PackedError::Malformed {
            block: self.blocks,
            record: self.record,
            detail: detail.to_string(),
        }
    }

    /// One varint of a block header; `None` at a clean end of the stream (`first`).
    fn header_varint(&mut self, first: bool) -> Result<Option<u64>, PackedError> {
        let mut bytes = Vec::with_capacity(10);
        loop {
            let mut b = [0u8; 1];
            match self.inner.read(&mut b) {
                Ok(0) if first && bytes.is_empty() => return Ok(None),
                Ok(0) => return Err(PackedError::Truncated { block: self.blocks }),
                Ok(_) => bytes.push(b[0]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
            if b[0] & 0x80 == 0 || bytes.len() > 10 {
                let mut pos = 0;
                return wire::get_varint(&bytes, &mut pos).map(Some).map_err(|e| self.malformed(e));
            }
        }
    }

    /// Reads the next block; `false` at the end of the stream.
    fn next_block(&mut self) -> Result<bool, PackedError> {
        self.blocks += 1;
        self.record = 0;
        let Some(len) = self.header_varint(true)? else {
            return Ok(false);
        };
        let count = self.header_varint(false)?.unwrap_or(0);
        let len = usize::try_from(len).ok().filter(|l| *l <= MAX_BLOCK_LEN).ok_or_else(|| {
            self.malformed(format!("a block is larger than {MAX_BLOCK_LEN} bytes"))
        })?;
        if count == 0 || count > len as u64 {
            return Err(self.malformed("a block's record count does not fit its length"));
        }
        self.block.resize(len, 0);
        self.inner.read_exact(&mut self.block).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => PackedError::Truncated { block: self.blocks },
            _ => PackedError::Io(e),
        })?;
        self.pos = 0;
        self.left = count;
        self.dict.clear();
        Ok(true)
    }

    /// The reader inside (for a sealed export: to check it verified). Data it had buffered
    /// beyond the last record read is dropped.
    pub fn into_inner(self) -> R {
        self.inner.into_inner()
    }

    /// The next record, or `None` at the end of the stream.
    pub fn read(&mut self) -> Result<Option<PseudoCase>, PackedError> {
        if self.failed {
            return Ok(None);
        }
        let result = self.read_inner();
        self.failed = result.is_err();
        result
    }

    fn read_inner(&mut self) -> Result<Option<PseudoCase>, PackedError> {
        if self.left == 0 && !self.next_block()? {
            return Ok(None);
        }
        self.record += 1;
        self.left -= 1;
        let mut de = Decoder::new(&self.block, self.pos, &mut self.dict);
        let case = PseudoCase::deserialize(&mut de);
        let pos = de.pos;
        let case = case.map_err(|e| self.malformed(e))?;
        self.pos = pos;
        if self.left == 0 && self.pos != self.block.len() {
            return Err(self.malformed("bytes left over after the block's records"));
        }
        Ok(Some(case))
    }
}

impl<R: Read> Iterator for PackedReader<R> {
    type Item = Result<PseudoCase, PackedError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.read().transpose()
    }
}
