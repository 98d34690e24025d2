#!/bin/bash
# Quiet-machine measurement batch (twelfth session).
cd /work/main
P=.venv/bin/python
run() { name=$1; shift; echo "=== $name $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> /tmp/s12/q/index.log; timeout 1800 "$@" > /tmp/s12/q/$name.log 2>&1; echo "    done $(date +%H:%M:%S) rc $?" >> /tmp/s12/q/index.log; }
run append-one-a $P benchmarks/bench_append.py --paths one --backend both --runs 3
run append-eight-a $P benchmarks/bench_append.py --paths eight --runs 3
run verify-a $P benchmarks/bench_verify.py --part verify --ledger /tmp/s12/l115k.sqlite --backend both --runs 5 --no-before
run projections-10k $P benchmarks/bench_projections.py --events 10000 --backend both --runs 3
run import-10k $P benchmarks/bench_import.py --events 10000 --runs 3
run append-one-b $P benchmarks/bench_append.py --paths one --backend both --runs 3
run append-eight-b $P benchmarks/bench_append.py --paths eight --runs 3
run verify-b $P benchmarks/bench_verify.py --part verify --ledger /tmp/s12/l115k.sqlite --backend sqlite --runs 5 --no-before
echo ALLDONE >> /tmp/s12/q/index.log
