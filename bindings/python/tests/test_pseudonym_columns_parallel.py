"""Long columns, cut by the core over every core: the shared vectors' pseudonyms in order, from
lists, Arrow arrays of several chunks and slices, and pandas; nulled values counted and the
first one's position found across parts and chunks."""

import json

import pandas as pd
import pyarrow as pa
import pytest

import ona
from conftest import VECTORS

KIT = json.loads((VECTORS / "pseudonym" / "pseudonyms.json").read_text(encoding="utf-8"))


def pseudonymiser(domain):
    _, generation, hexkey = KIT["master_key"].split()
    return ona.Pseudonymiser(bytes.fromhex(hexkey), domain, generation=int(generation))


def groups():
    out = {}
    for v in KIT["vectors"]:
        out.setdefault((v["domain"], v["kind"]), []).append(v)
    return out.items()


def test_long_columns_of_the_shared_vectors_in_every_input_shape():
    for (domain, kind), vs in groups():
        times = 5000 // len(vs) + 1  # long enough to be cut over the cores
        inputs = [v["input"] for v in vs] * times + [None]
        want = [v["pseudonym"] for v in vs] * times + [None]
        p = pseudonymiser(domain)
        assert p.pseudonymise_many(inputs, kind) == want, (domain, kind)
        # Three chunks, the middle one a slice with an offset into a larger array.
        third = len(inputs) // 3
        middle = pa.array(["pad"] * 7 + inputs[third : 2 * third]).slice(7)
        chunked = pa.chunked_array([pa.array(inputs[:third]), middle, pa.array(inputs[2 * third :])])
        out = p.pseudonymise_many(chunked, kind)
        assert out.to_pylist() == want, (domain, kind)
        series = pd.Series(inputs, index=range(10, 10 + len(inputs)), dtype="string[pyarrow]")
        s_out = p.pseudonymise_many(series, kind)
        assert list(s_out.index) == list(series.index)
        assert [None if pd.isna(x) else x for x in s_out] == want


def test_the_first_nulled_value_is_found_in_a_later_part_and_chunk():
    p = pseudonymiser("kz/case-management")
    names = [f"Dinara Seitkazina{chr(ord('a') + i % 26)}{i}" for i in range(9000)]
    names[7001] = "N/A"
    names[8500] = "-"
    chunked = pa.chunked_array([pa.array(names[:4000]), pa.array(names[4000:])])
    with pytest.raises(ValueError, match=r"2 of 9000 values .* position 7001"):
        p.pseudonymise_many(chunked, "name", errors="raise")
    with pytest.warns(UserWarning, match=r"2 of 9000 values .* position 7001"):
        out = p.pseudonymise_many(names, "name")
    assert out[7001] is None and out[8500] is None
    assert out[7000] == p.pseudonym_of(names[7000], "name")
    assert out[::97] == [p.pseudonym_of(n, "name") for n in names[::97]]
