"""CPU seconds of a benchmark's process and of the workers it ran, in one place: verify's
(`projections.parallel_hashing`) and a rebuild's build worker (`projections.parallel_build`)
count among its children once they have ended, or, forked by a fork server, as they reported
their own (`ELSEWHERE_CPU`)."""

from __future__ import annotations

import resource

from projections import parallel_build, parallel_hashing


def cpu_with_workers() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
            + parallel_build.ELSEWHERE_CPU[0] + parallel_hashing.ELSEWHERE_CPU[0])
