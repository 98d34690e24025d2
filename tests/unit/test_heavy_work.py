"""Issue 10, defect 6: heavy reads run in their own bounded pool; beyond it they are refused at
once with BUSY, and light work is not held up by them."""

from __future__ import annotations

import asyncio
import threading

import pytest
from graphql import GraphQLError

from schema.heavy_work import HeavyWork


def test_heavy_reads_are_bounded_and_light_work_goes_on_meanwhile() -> None:
    gate = threading.Event()

    def heavy_read() -> str:
        gate.wait(30)  # a bound, not a measurement: released below
        return "verified"

    async def scenario() -> list[str]:
        heavy = HeavyWork(workers=1, waiting=1)
        running = [asyncio.create_task(heavy.run(heavy_read)) for _ in range(2)]
        await asyncio.sleep(0)  # both have taken their slot
        with pytest.raises(GraphQLError) as busy:
            await heavy.run(heavy_read)
        assert busy.value.extensions == {"code": "BUSY"}
        light = await asyncio.to_thread(lambda: "page of cases")  # while both heavy wait
        assert not gate.is_set()
        gate.set()
        done = await asyncio.gather(*running)
        assert await heavy.run(lambda: "again") == "again"  # slots given back
        heavy.close()
        return [light, *done]

    assert asyncio.run(scenario()) == ["page of cases", "verified", "verified"]
