import Testing

@testable import stride

/// The benchmark's timing: the best of several runs, after a warm-up run.
@Suite struct BenchTableTests {
    @Test func bestIsTheFastestRunAfterAWarmUp() {
        var calls = 0
        let t = Bench.best(3) { calls += 1 }
        #expect(calls >= 4)  // one warm-up and at least three timed runs
        #expect(t >= 0 && t < 0.1)
    }
}
