"""CPython reference for `stride bench`'s interpreter section. Reads a JSON list of cases
({name, setup, code, reps}) on standard input, runs each cell's code at module level as a notebook cell runs
(set-up not timed, one warm-up, best of reps) and prints {name: seconds}."""
import json, sys, time

out = {}
for case in json.load(sys.stdin):
    env = {}
    exec(case["setup"], env)
    code = compile(case["code"], case["name"], "exec")
    exec(code, env)  # warm-up
    best = float("inf")
    for _ in range(int(case["reps"])):
        t0 = time.perf_counter()
        exec(code, env)
        best = min(best, time.perf_counter() - t0)
    out[case["name"]] = best
print(json.dumps(out))
