"""Scale-out on existing engines: ona.spark (PySpark in local mode), ona.dask (process workers)
and ona.polars give the same pseudonyms and problems as the in-process calls, and the tasks they
ship hold the key file's path, never the key.

The attacker of the key tests is whoever can read what the engine ships or stores: a pickled
Spark task or Dask graph (spilled to disk, logged, sent to a shared cluster). They find no form
of the 32 key bytes in it.
"""

import base64
import json
import os
import pickle
import sys

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import ona
from ona import _ona
import ona.dask
import ona.polars
import ona.spark
from ona._batches import PseudonymiseColumns

ROWS = 3000
COLUMNS = {"full_name": "name", "passport": "document", "note": "text"}
FIRST = ["Айгуль", "Gulnara", "Марина", "Zeynep", "Dilnoza", "Olena", "Nur", "Ayşe"]
LAST = ["Сейткали", "Karimova", "Ivanova", "Yılmaz", "Tashkentova", "Shevchenko", "Binti Ali"]


def identifiers(n=ROWS):
    """Names in several scripts, documents and free text, with nulls and placeholders that
    have no pseudonym."""
    rows = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // 3) % len(LAST)]}"
        if i % 97 == 0:
            name = None
        elif i % 89 == 0:
            name = "-"
        rows.append(
            {
                "id": i,
                "full_name": name,
                "passport": None if i % 53 == 0 else f"N{i:08d}",
                "note": f"room {i % 40}",
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "pseudonym.key"
    ona.new_pseudonym_key_file(path)
    return path


@pytest.fixture(scope="module")
def key_forms(key_file):
    """Every form the key could take inside a pickle: the file's text, the hex digits, the 32
    bytes, their base64."""
    text = key_file.read_text(encoding="utf-8").strip()
    hexkey = text.split()[-1]
    raw = bytes.fromhex(hexkey)
    return [
        text.encode(),
        hexkey.encode(),
        hexkey.upper().encode(),
        raw,
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
    ]


@pytest.fixture(scope="module")
def expected(key_file):
    """The in-process pseudonyms of every identifier column."""
    frame = identifiers()
    p = ona.Pseudonymiser.from_key_file(key_file, "kz/almaty")
    with pytest.warns(UserWarning):
        return {
            column: p.pseudonymise_many(
                [None if pd.isna(v) else v for v in frame[column]], kind
            )
            for column, kind in COLUMNS.items()
        }


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers run this interpreter, where ona is installed (Spark's default is `python3`).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ona-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def records_jsonl():
    """Case records as JSON text: valid ones, one with a wrong code, one that is not JSON."""
    texts = [json.dumps(r, ensure_ascii=False) for r in ona.synth(40, seed=5)]
    broken = json.loads(texts[3])
    broken["status"] = "X"
    texts[3] = json.dumps(broken, ensure_ascii=False)
    texts[7] = "{not json"
    texts[9] = None
    return texts


def expected_problems(texts):
    """Per record, the problems ona.validate finds, as (pointer, code, message)."""
    out = []
    for t in texts:
        if t is None:
            out.append(None)
            continue
        out.append([(p.pointer, p.code, p.message) for p in _ona.validate_texts([t], "en")])
    return out


def as_tuples(problems):
    return None if problems is None else [(p["pointer"], p["code"], p["message"]) for p in problems]


# --- Spark ------------------------------------------------------------------------------------


def test_spark_pseudonyms_are_the_in_process_ones(spark, key_file, expected):
    df = spark.createDataFrame(identifiers()).repartition(4)
    out = ona.spark.pseudonymise(df, key_file, "kz/almaty", COLUMNS).toPandas()
    out = out.sort_values("id").reset_index(drop=True)
    assert len(out) == ROWS
    for column in COLUMNS:
        got = [None if pd.isna(v) else v for v in out[column]]
        assert got == expected[column], column
    assert out["id"].tolist() == list(range(ROWS))


def test_spark_validate_gives_the_problems_of_ona_validate(spark):
    texts = records_jsonl()
    df = spark.createDataFrame(pd.DataFrame({"n": range(len(texts)), "value": texts}))
    rows = ona.spark.validate(df, column="value").orderBy("n").collect()
    got = [as_tuples(None if r["problems"] is None else [p.asDict() for p in r["problems"]]) for r in rows]
    want = expected_problems(texts)
    assert got == want
    assert got[3] and got[7] and got[0] == [] and got[9] is None


def test_spark_task_holds_the_path_not_the_key(spark, key_file, key_forms, monkeypatch):
    from pyspark import cloudpickle

    df = spark.createDataFrame(identifiers(50))
    shipped = []
    real = type(df).mapInArrow

    def spy(self, func, schema, *args, **kwargs):
        shipped.append(func)
        return real(self, func, schema, *args, **kwargs)

    monkeypatch.setattr(type(df), "mapInArrow", spy)
    out = ona.spark.pseudonymise(df, key_file, "kz/almaty", COLUMNS)
    assert out.count() == 50
    (func,) = shipped
    task = cloudpickle.dumps(func)
    assert str(key_file).encode() in task  # the path travels …
    for form in key_forms:
        assert form not in task  # … the key does not


def test_spark_refuses_bad_input_on_the_driver(spark, key_file, tmp_path):
    df = spark.createDataFrame(identifiers(5))
    with pytest.raises(TypeError, match="path of a pseudonym key file"):
        ona.spark.pseudonymise(df, key_file.read_bytes(), "kz/almaty", COLUMNS)
    with pytest.raises(FileNotFoundError):
        ona.spark.pseudonymise(df, tmp_path / "missing.key", "kz/almaty", COLUMNS)
    with pytest.raises(KeyError, match="nickname"):
        ona.spark.pseudonymise(df, key_file, "kz/almaty", {"nickname": "name"})
    with pytest.raises(ValueError, match="unknown identifier kind"):
        ona.spark.pseudonymise(df, key_file, "kz/almaty", {"full_name": "nom"})


# --- Dask -------------------------------------------------------------------------------------


def test_dask_pseudonyms_are_the_in_process_ones_in_worker_processes(key_file, expected):
    import dask.dataframe as dd

    ddf = dd.from_pandas(identifiers(), npartitions=4)
    out = ona.dask.pseudonymise(ddf, key_file, "kz/almaty", COLUMNS)
    frame = out.compute(scheduler="processes", num_workers=2)
    assert frame.index.tolist() == list(range(ROWS))
    for column in COLUMNS:
        got = [None if pd.isna(v) else v for v in frame[column]]
        assert got == expected[column], column


def test_dask_validate_gives_the_problems_of_ona_validate():
    import dask.dataframe as dd

    texts = records_jsonl()
    ddf = dd.from_pandas(pd.DataFrame({"value": texts}), npartitions=3)
    frame = ona.dask.validate(ddf, column="value").compute(scheduler="sync")
    got = [None if v is None or v is pd.NA else as_tuples(v) for v in frame["problems"].tolist()]
    assert got == expected_problems(texts)


def test_dask_graph_holds_the_path_not_the_key(key_file, key_forms):
    import cloudpickle
    import dask.dataframe as dd

    ddf = dd.from_pandas(identifiers(50), npartitions=2)
    out = ona.dask.pseudonymise(ddf, key_file, "kz/almaty", COLUMNS)
    graph = cloudpickle.dumps(dict(out.__dask_graph__()))
    assert str(key_file).encode() in graph
    for form in key_forms:
        assert form not in graph


# --- Polars and the in-process batch ----------------------------------------------------------


def test_polars_lazy_and_eager_pseudonyms_are_the_in_process_ones(key_file, expected):
    frame = pl.from_pandas(identifiers())
    lazy = ona.polars.pseudonymise(frame.lazy(), key_file, "kz/almaty", COLUMNS)
    for out in (lazy.collect(), ona.polars.pseudonymise(frame, key_file, "kz/almaty", COLUMNS)):
        for column in COLUMNS:
            assert out[column].to_list() == expected[column], column
        assert out["id"].to_list() == list(range(ROWS))


def test_polars_validate_gives_the_problems_of_ona_validate():
    texts = records_jsonl()
    out = ona.polars.validate(pl.DataFrame({"value": texts}), column="value")
    got = [None if v is None else as_tuples(v) for v in out["problems"].to_list()]
    assert got == expected_problems(texts)


def test_a_pseudonymiser_cannot_be_pickled_so_it_cannot_be_shipped(key_file):
    # A closure capturing a Pseudonymiser (which holds the key) fails to pickle instead of
    # carrying the key to the workers.
    p = ona.Pseudonymiser.from_key_file(key_file, "kz/almaty")
    with pytest.raises(TypeError):
        pickle.dumps(p)


def test_batch_spec_pickles_to_plain_data(key_file, key_forms):
    spec = PseudonymiseColumns.of(key_file, "kz/almaty", COLUMNS)
    data = pickle.dumps(spec)
    for form in key_forms:
        assert form not in data
    batch = pa.RecordBatch.from_pandas(identifiers(20), preserve_index=False)
    again = pickle.loads(data).apply(batch)
    assert again.schema.field("full_name").type == pa.string()
    assert again.column(0).to_pylist() == list(range(20))
