import CNN
import StrideLang
import Testing

@testable import stride

/// The fuzzer's program generator: the same seed gives the same programs, and most of them parse (so the fuzzer
/// reaches the evaluator, not only the parser).
@Suite struct ProgramGeneratorTests {
    func programs(seed: UInt64, count: Int) -> [String] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            var gen = Gen(rng: &rng)
            return gen.program()
        }
    }

    @Test func aSeedGivesTheSamePrograms() {
        #expect(programs(seed: 11, count: 20) == programs(seed: 11, count: 20))
        #expect(programs(seed: 11, count: 20) != programs(seed: 12, count: 20))
    }

    @Test func mostGeneratedProgramsParse() {
        let all = programs(seed: 3, count: 200)
        let parsed = all.filter { (try? Parser.parse($0)) != nil }.count
        #expect(parsed > all.count / 2, "only \(parsed) of \(all.count) generated programs parse")
    }
}
