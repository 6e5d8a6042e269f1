//! STREAM chunk sizes shared by the writer and the reader.

/// Plaintext bytes in every non-final chunk; the final chunk holds fewer (possibly none).
pub const CHUNK_LEN: usize = 64 * 1024;
/// Poly1305 tag appended to every chunk.
pub const TAG_LEN: usize = 16;
/// Bytes of a full (non-final) chunk on the wire.
pub const WIRE_CHUNK_LEN: usize = CHUNK_LEN + TAG_LEN;
/// Ed25519 signature length: the last bytes of the payload stream.
pub const SIGNATURE_LEN: usize = 64;
