//! Sealed exports: the encrypted, signed, streaming `.ona` format (issue 4).
