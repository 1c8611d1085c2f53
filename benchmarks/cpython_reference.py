"""CPython reference for `stride bench`'s interpreter section. Reads a JSON list of cases
({name, setup, code, reps}) on standard input, runs each cell's code at module level as a notebook cell runs
(set-up not timed, one warm-up, best of at least reps runs and 0.5 s) and prints {name: seconds}."""
import json, sys

from bench_timing import timeit

out = {}
for case in json.load(sys.stdin):
    env = {}
    exec(case["setup"], env)
    code = compile(case["code"], case["name"], "exec")
    out[case["name"]] = timeit(lambda: exec(code, env), int(case["reps"]))
print(json.dumps(out))
