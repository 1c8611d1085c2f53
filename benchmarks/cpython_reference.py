"""CPython reference for `stride bench`'s interpreter section. Reads a JSON list of cases
({name, setup, code, reps}) on standard input, runs each cell's code at module level as a notebook cell runs
(set-up not timed, one warm-up, best of at least reps runs and 0.5 s) and prints {name: seconds}."""
import json, sys, time

out = {}
for case in json.load(sys.stdin):
    env = {}
    exec(case["setup"], env)
    code = compile(case["code"], case["name"], "exec")
    exec(code, env)  # warm-up
    # best of at least reps runs and at least 0.5 s of runs (as stride bench's Bench.best)
    best, runs, spent = float("inf"), 0, 0.0
    while runs < int(case["reps"]) or (spent < 0.5 and runs < 10000):
        t0 = time.perf_counter()
        exec(code, env)
        t = time.perf_counter() - t0
        best, runs, spent = min(best, t), runs + 1, spent + t
    out[case["name"]] = best
print(json.dumps(out))
