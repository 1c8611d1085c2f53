import Foundation
import StrideLang

/// The interpreter section: scalar code as course assignments write it, against CPython running the same
/// code (NumPy arrays where Stride uses tensors) in the same run. Each case is a cell; its set-up is not timed.
enum InterpreterBench {
    struct Case {
        var name: String
        var strideSetup = ""
        var stride: String
        var pythonSetup = ""
        var python: String
        var reps = 7
    }

    static let naiveConvStride = """
        for n in 0..<2 { for k in 0..<4 { for i in 0..<14 { for j in 0..<14 {
          var acc = 0.0
          for c in 0..<3 { for a in 0..<3 { for b in 0..<3 {
            acc += x[n, c, i + a, j + b].item() * w[k, c, a, b].item()
          } } }
          out[n, k, i, j] = acc
        } } } }
        """
    static let naiveConvPython = """
        for n in range(2):
            for k in range(4):
                for i in range(14):
                    for j in range(14):
                        acc = 0.0
                        for c in range(3):
                            for a in range(3):
                                for b in range(3):
                                    acc += x[n, c, i + a, j + b].item() * w[k, c, a, b].item()
                        out[n, k, i, j] = acc
        """

    static let cases: [Case] = [
        Case(
            name: "loop s += i % 7, 1M", stride: "var s = 0\nfor i in 0..<1000000 { s += i % 7 }",
            python: "s = 0\nfor i in range(1000000): s += i % 7"),
        Case(
            name: "recursive fib(22)", strideSetup: "func fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }",
            stride: "fib(22)", pythonSetup: "def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)",
            python: "fib(22)"),
        Case(
            name: "naive conv by element", strideSetup: "let x = randn(2, 3, 16, 16)\nlet w = randn(4, 3, 3, 3)",
            stride: "let out = zeros(2, 4, 14, 14)\n" + naiveConvStride,
            pythonSetup: "import numpy as np\nx = np.random.randn(2, 3, 16, 16).astype(np.float32)\n"
                + "w = np.random.randn(4, 3, 3, 3).astype(np.float32)",
            python: "out = np.zeros((2, 4, 14, 14), np.float32)\n" + naiveConvPython),
        Case(
            name: "xs.append(i * 2), 200k", stride: "var xs = []\nfor i in 0..<200000 { xs.append(i * 2) }",
            python: "xs = []\nfor i in range(200000): xs.append(i * 2)"),
        Case(
            name: "string interpolation, 50k", stride: "var s = \"\"\nfor i in 0..<50000 { s = \"\\(i)\" }",
            python: "s = ''\nfor i in range(50000): s = f'{i}'"),
        Case(
            name: "element read x[i, j], 90k", strideSetup: "let x = randn(300, 300)",
            stride: "var s = 0.0\nfor i in 0..<300 { for j in 0..<300 { s += x[i, j].item() } }",
            pythonSetup: "import numpy as np\nx = np.random.randn(300, 300).astype(np.float32)",
            python: "s = 0.0\nfor i in range(300):\n    for j in range(300): s += x[i, j].item()"),
        Case(
            name: "element write x[i, j] = v, 90k", strideSetup: "let x = zeros(300, 300)",
            stride: "for i in 0..<300 { for j in 0..<300 { x[i, j] = 1.5 } }",
            pythonSetup: "import numpy as np\nx = np.zeros((300, 300), np.float32)",
            python: "for i in range(300):\n    for j in range(300): x[i, j] = 1.5"),
        Case(
            name: "10k tiny tensor adds (PyTorch)", strideSetup: "let a = randn(2, 2)\nlet c = randn(2, 2)",
            stride: "for i in 0..<10000 { a + c }",
            pythonSetup: "import torch\na = torch.randn(2, 2)\nc = torch.randn(2, 2)",
            python: "for i in range(10000): a + c"),
    ]

    static func run() -> [BenchRow] {
        cases.compactMap { c in
            Bench.timeCell("interpreter", c.name, setup: c.strideSetup, code: c.stride, reps: c.reps)
        }
    }

    /// CPython's times for the same cases (`benchmarks/cpython_reference.py` reads them as JSON).
    static func reference(python: String?) -> [String: Double] {
        let payload = cases.map { ["name": $0.name, "setup": $0.pythonSetup, "code": $0.python, "reps": "\($0.reps)"] }
        guard let data = try? JSONSerialization.data(withJSONObject: payload) else { return [:] }
        let env = ProcessInfo.processInfo.environment
        let pythons = [python, env["STRIDE_BENCH_PYTHON"], ".venv/bin/python", "python3"].compactMap { $0 }
        return Bench.reference(script: "cpython_reference.py", pythons: pythons, input: data)
    }
}
