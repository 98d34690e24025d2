#!/bin/bash
# Status batch (fifteenth session): every row of the README's "Where issue 15 stands" table,
# one after another on an otherwise idle machine. Logs beside this script.
cd /work/main
P=.venv/bin/python
D=bench-logs/s15-status
L=${LEDGER:-/work/bench/l.sqlite}  # `pact-ledger demo --cases 9000`: 151,016 events
run() { name=$1; shift; echo "=== $name $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $D/index.log; timeout 2400 "$@" > $D/$name.log 2>&1; echo "    done $(date +%H:%M:%S) rc $?" >> $D/index.log; }
run append-one $P benchmarks/bench_append.py --paths one --backend both --runs 3
run append-eight $P benchmarks/bench_append.py --paths eight --runs 3
run verify $P benchmarks/bench_verify.py --part verify --ledger $L --backend both --runs 5 --no-before
run projections-10k $P benchmarks/bench_projections.py --events 10000 --backend both --runs 3
run import-10k $P benchmarks/bench_import.py --events 10000 --runs 3
run http-mutations $P benchmarks/bench_http.py --only mutations --client wrk --runs 3
run reads $P benchmarks/bench_reads.py --runs 3
run read-latency $P benchmarks/bench_read_latency.py --runs 3
echo ALLDONE >> $D/index.log
