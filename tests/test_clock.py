"""The model's clock (``sim.model.clock``): its plain calls and SimPy's events keep one
order — ties broken by the order they were scheduled in, as with ``Timeout`` — and a
failing SimPy process crashes the run as SimPy's own stepping does."""

from __future__ import annotations

import math

import pytest
import simpy

from sim.model.clock import Clock, RunTimeout


def test_calls_and_simpy_events_at_the_same_time_fire_in_the_order_scheduled():
    env, fired = Clock(), []
    for k in range(6):  # alternate the two kinds, all at t = 2, then one earlier
        if k % 2:
            simpy.Timeout(env, 2.0).callbacks.append(lambda _e, k=k: fired.append(k))
        else:
            env.call_in(2.0, fired.append, k)
    env.call_at(1.0, fired.append, "first")

    def process():
        yield env.timeout(2.0)
        fired.append("process")

    env.process(process())  # its timeout is scheduled when it starts, at t = 0, last
    assert env.run_until(math.inf) == 10  # 7 calls and timeouts; the process: start, timeout, end
    assert fired == ["first", 0, 1, 2, 3, 4, 5, "process"]
    assert env.now == 2.0


def test_events_at_the_horizon_or_later_are_not_run():
    env, fired = Clock(), []
    env.call_in(5.0, fired.append, "in")
    env.call_in(10.0, fired.append, "at")
    assert env.run_until(10.0) == 1 and fired == ["in"] and env.peek() == 10.0


def test_a_failing_process_crashes_the_run_as_simpy_does():
    env = Clock()

    def broken():
        yield env.timeout(1.0)
        raise ValueError("bad input at hour 1")

    env.process(broken())
    with pytest.raises(ValueError, match="bad input at hour 1") as info:
        env.run_until(5.0)
    assert isinstance(info.value.__cause__, ValueError)  # a copy, caused by the original


def test_a_run_past_its_wall_clock_limit_stops():
    env = Clock()
    for k in range(5_000):
        env.call_in(float(k), lambda _arg: None)
    with pytest.raises(RunTimeout):
        env.run_until(math.inf, time_limit_s=0.0)
