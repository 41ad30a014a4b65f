"""Exact stationary values of the textbook queues the simplified model must become.

Everything here is closed form, so a table of exact values can be printed next
to the simulation without a second simulator to trust. Rates are per hour,
times in hours; ``scv`` is the squared coefficient of variation of the service
time (1 exponential, 0 deterministic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueValues:
    """The stationary quantities the suite compares, in the model's units."""

    p_wait: float  # probability an arriving report waits for a team
    wait_h: float  # mean wait for a team (hours), Wq
    waiting: float  # time-average number of reports waiting, Lq
    busy_officers: float  # time-average number of officers busy on site


def erlang_c(lam: float, mu: float, servers: int) -> float:
    """P(wait) of M/M/c, by the Erlang B recursion (stable where factorials overflow)."""
    a = lam / mu
    if a >= servers:
        raise ValueError(f"unstable: offered load {a:g} >= {servers} servers")
    b = 1.0
    for k in range(1, servers + 1):
        b = a * b / (k + a * b)
    rho = a / servers
    return b / (1 - rho + rho * b)


def mmc(lam: float, mean_service_h: float, servers: int, officers_per_job: int = 1) -> QueueValues:
    """M/M/c: ``servers`` teams each serving one job at a time at rate 1/mean."""
    mu = 1.0 / mean_service_h
    p = erlang_c(lam, mu, servers)
    wq = p / (servers * mu - lam)
    return QueueValues(p, wq, lam * wq, lam * mean_service_h * officers_per_job)


def pairs(lam: float, mean_service_h: float, officers: int) -> QueueValues:
    """Every job needs two officers at once: ``officers`` act as ``officers // 2`` servers.

    Officers are taken together and freed together, so the number free is always
    ``officers`` mod 2 plus an even number, and an odd officer out is never part of
    a team: the queue is exactly M/M/floor(c/2).
    """
    return mmc(lam, mean_service_h, officers // 2, officers_per_job=2)


def pollaczek_khinchine(lam: float, mean_service_h: float, scv: float) -> QueueValues:
    """M/G/1: Wq = lam E[S^2] / (2 (1 - rho)); an arrival waits iff the server is busy,
    which by PASTA happens with probability rho."""
    rho = lam * mean_service_h
    if rho >= 1:
        raise ValueError(f"unstable: utilisation {rho:g} >= 1")
    second_moment = mean_service_h**2 * (1 + scv)
    wq = lam * second_moment / (2 * (1 - rho))
    return QueueValues(rho, wq, lam * wq, rho)


def relaxation_h(lam: float, mean_service_h: float, servers: int, scv: float = 1.0) -> float:
    """Time scale on which the queue forgets its start (hours).

    For M/M/1 the queue length approaches equilibrium like exp(-t / tau) with
    tau = 1 / (mu (1 - sqrt(rho))^2) (Morse; Cohen, *The Single Server Queue*).
    When a queue forms, c busy servers act as one of rate c mu, so c mu stands
    for mu; the heavy-traffic diffusion's time scale grows with (1 + scv) / 2,
    which is 1 for exponential service. The warm-up and the bias allowance are
    both measured in this unit.
    """
    rate = servers / mean_service_h
    rho = lam / rate
    return (1 + scv) / 2 / (rate * (1 - math.sqrt(rho)) ** 2)
