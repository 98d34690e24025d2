"""The main thread's py-spy samples (raw format, idle frames included) of each process of a
parallel import, sorted into running Python, waiting on PostgreSQL and waiting on the pipe
(the parent's lines, the workers' outcomes); then a worker's most frequent PostgreSQL waits.

    python3 classify.py pyspy-*.raw.gz
"""
import collections
import gzip
import sys

for path in sys.argv[1:]:
    total, kinds, waits = 0, collections.Counter(), collections.Counter()
    for line in gzip.open(path, "rt"):
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit() or stack.startswith("Thread._bootstrap"):
            continue  # (the connection pools' threads, idle)
        n, frames = int(count), stack.split(";")
        total += n
        last = frames[-1]
        if "_recv" in last or "Connection.recv" in last:
            kinds["waiting on the pipe"] += n
        elif "wait" in last.lower() and "psycopg" in last:
            kinds["waiting on PostgreSQL"] += n
            waits[" < ".join(f.split(" (")[0] for f in reversed(frames[-5:]))] += n
        else:
            kinds["running Python"] += n
    print(f"{path}: {total} main-thread samples")
    for kind, n in kinds.most_common():
        print(f"  {n / total:6.1%}  {kind}")
    for stack, n in waits.most_common(4):
        print(f"      {n / total:6.1%}  {stack}")
