"""Timing shared by the reference scripts, the same rule as `stride bench`'s Bench.best: after one warm-up run,
the best of at least `reps` runs and of at least 0.5 s of runs (at most 10,000), so a short case is not
measured inside one noisy moment of a shared machine."""
import time


def timeit(fn, reps):
    fn()
    best, runs, spent = float("inf"), 0, 0.0
    while runs < reps or (spent < 0.5 and runs < 10000):
        t0 = time.perf_counter()
        fn()
        t = time.perf_counter() - t0
        best, runs, spent = min(best, t), runs + 1, spent + t
    return best
