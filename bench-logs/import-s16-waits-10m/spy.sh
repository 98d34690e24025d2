#!/bin/bash
# py-spy (idle frames included, 50 Hz, 30 s) of each process of the running 10M-line import
# (bench_scale.py --events 10000000 --import-workers 2, PACT_LEDGER_IMPORT_MEMORY_MB=6000);
# $1 names the sample (the share of the file read then). Classify with ../import-s15-waits/classify.py.
cd /work/main
out=bench-logs/import-s16-waits-10m
pids=$(pgrep -f "pact-ledger import /work/scale10m" | sort -n)
for p in $pids; do
  .venv/bin/py-spy record --idle --nonblocking -r 50 -d 30 -f raw -o /tmp/spy-$1-$p.txt -p $p > /dev/null 2>&1 &
done
wait
for p in $pids; do gzip -c /tmp/spy-$1-$p.txt > $out/pyspy-$1-$p.raw.gz; done
python3 bench-logs/import-s15-waits/classify.py $out/pyspy-$1-*.raw.gz > $out/classified-$1.txt
