#!/bin/bash
# py-spy (with idle frames) of a parallel import's processes, 1M lines, 2 workers
cd /work/main
.venv/bin/python benchmarks/import_processes.py /work/scale10m/10000000/import.ndjson --lines 1000000 -- --workers 2 --memory-mb 3000 > /tmp/spy-import.log 2>&1 &
sleep 45
pids=$(pgrep -f "pact-ledger import /tmp" | sort -n)
echo "pids: $pids"
for p in $pids; do
  .venv/bin/py-spy record --idle --nonblocking -r 50 -d 30 -f raw -o /tmp/spy-$p.txt -p $p > /dev/null 2>&1 &
done
wait
echo done
