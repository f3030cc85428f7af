"""Fixtures: the loop guard and garbage collection of tests/kernel_free.py."""

from kernel_free import _collect_garbage, _no_leftover_running_loop

__all__ = ["_collect_garbage", "_no_leftover_running_loop"]
