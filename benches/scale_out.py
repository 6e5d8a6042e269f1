"""Throughput of pseudonymisation on existing engines versus the in-process call.

    python benches/scale_out.py ENGINE WORKERS [ROWS]

ENGINE is inprocess, spark, dask or polars; WORKERS the number of worker processes (Spark
local[WORKERS], Dask's process scheduler on a pool of WORKERS
processes started once; ignored in process and for
Polars, which runs in one process on every core). Pseudonymises one name column and one document
column of ROWS rows (default 200,000) and prints one line: engine, workers, rows, seconds (best
of 3, after one warm-up run), rows per second, microseconds per row. Data preparation (creating
and caching the engine's DataFrame) is not timed; for Spark and Dask an identity pass over the
same data is timed too and printed as the engine's own cost per row.
scripts/bench-scale-out runs every configuration.
"""

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

import ona

COLUMNS = {"full_name": "name", "passport": "document"}
FIRST = ["Айгуль", "Gulnara", "Марина", "Zeynep", "Dilnoza", "Olena", "Nur", "Ayşe", "Farida"]
LAST = ["Сейткали", "Karimova", "Ivanova", "Yılmaz", "Tashkentova", "Shevchenko", "Binti Ali"]


def frame(rows):
    return pd.DataFrame(
        {
            "id": range(rows),
            "full_name": [
                f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]} {i % 1013}" for i in range(rows)
            ],
            "passport": [f"N{i:08d}" for i in range(rows)],
        }
    )


def best(run, repeat=3):
    run()  # warm-up: JVM, worker processes, key file read once per process
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def inprocess(data, key, workers):
    table = pa.Table.from_pandas(data, preserve_index=False)
    p = ona.Pseudonymiser.from_key_file(key, "kz/almaty")

    def run():
        for column, kind in COLUMNS.items():
            p.pseudonymise_many(table.column(column), kind)

    return best(run), None


def spark(data, key, workers):
    from pyspark.sql import SparkSession

    import ona.spark

    session = (
        SparkSession.builder.master(f"local[{workers}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    df = session.createDataFrame(data).repartition(2 * workers).cache()
    df.count()
    out = ona.spark.pseudonymise(df, key, "kz/almaty", COLUMNS)
    same = df.mapInArrow(lambda batches: batches, df.schema)
    seconds = best(lambda: out.write.format("noop").mode("overwrite").save())
    baseline = best(lambda: same.write.format("noop").mode("overwrite").save())
    session.stop()
    return seconds, baseline


def dask(data, key, workers):
    import dask.dataframe as dd

    import ona.dask

    ddf = dd.from_pandas(data, npartitions=2 * workers).persist(scheduler="sync")
    out = ona.dask.pseudonymise(ddf, key, "kz/almaty", COLUMNS)
    same = ddf.map_partitions(lambda f: f)

    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:  # started once, like a cluster's

        def run(collection):
            return lambda: collection.compute(scheduler="processes", pool=pool)

        return best(run(out)), best(run(same))


def polars(data, key, workers):
    import polars as pl

    import ona.polars

    lazy = pl.from_pandas(data).lazy()
    return best(lambda: ona.polars.pseudonymise(lazy, key, "kz/almaty", COLUMNS).collect()), None


def main():
    engine, workers = sys.argv[1], int(sys.argv[2])
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
    data = frame(rows)
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "pseudonym.key"
        ona.new_pseudonym_key_file(key)
        seconds, baseline = {"inprocess": inprocess, "spark": spark, "dask": dask, "polars": polars}[
            engine
        ](data, key, workers)
    line = (
        f"{engine:9} workers={workers} rows={rows} seconds={seconds:.3f} "
        f"rows/s={rows / seconds:,.0f} us/row={1e6 * seconds / rows:.2f}"
    )
    if baseline is not None:
        line += f" (identity pass: {1e6 * baseline / rows:.2f} us/row)"
    print(line, flush=True)


if __name__ == "__main__":
    main()
