import ArgumentParser
import CNN
import Foundation
import Render
import StrideLang

/// Benchmarks, each compared with PyTorch CPU (same thread count, same run) when available.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Time conv, pooling, linear, a LeNet-5 step, rendering and the interpreter; compare with PyTorch when installed."
    )
    @Option(
        help: "Python with torch for the reference (default: $STRIDE_BENCH_PYTHON, .venv-bench/bin/python, python3).")
    var python: String?
    @Flag(help: "Skip the PyTorch reference.") var noReference = false

    func best(_ reps: Int, _ f: () throws -> Void) rethrows -> Double {
        try f()
        var b = Double.infinity
        for _ in 0..<reps {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try f()
            b = min(b, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return b
    }

    func run() throws {
        GlobalRandom.seed(0)
        var rows: [(String, Double, String)] = []  // name, seconds, extra (GFLOP/s or images/s)
        let convCases: [(String, [Int], Int, Int, Int, Int)] = [
            ("conv 64x64x32x32->64 3x3 p1", [64, 64, 32, 32], 64, 3, 1, 1),
            ("conv 64x128x16x16->128 3x3 p1", [64, 128, 16, 16], 128, 3, 1, 1),
            ("conv 32x3x227x227->96 11x11 s4", [32, 3, 227, 227], 96, 11, 4, 0),
            ("conv 64x3x32x32->64 3x3 p1", [64, 3, 32, 32], 64, 3, 1, 1),
        ]
        for (name, shape, k, f, s, p) in convCases {
            let x = try Tensor.randn(shape); x.requiresGrad = true
            let w = try Tensor.randn([k, shape[1], f, f]); w.requiresGrad = true
            let b = try Tensor.randn([k]); b.requiresGrad = true
            let opt = Conv2dOptions(stride: s, padding: p)
            let oh = (shape[2] + 2 * p - f) / s + 1, ow = (shape[3] + 2 * p - f) / s + 1
            let flops = 2.0 * Double(shape[0] * k * oh * ow * shape[1] * f * f)
            let tf = try best(3) { _ = try withNoGrad { try x.conv2d(w, bias: b, opt) } }
            rows.append((name + " fwd", tf, String(format: "%.1f GFLOP/s", flops / tf / 1e9)))
            let tb = try best(3) {
                x.grad = nil; w.grad = nil; b.grad = nil
                let y = try x.conv2d(w, bias: b, opt)
                try y.backward(gradient: Tensor.ones(y.shape))
            }
            rows.append((name + " fwd+bwd", tb, String(format: "%.1f GFLOP/s", 3 * flops / tb / 1e9)))
        }
        let xp = try Tensor.randn([64, 64, 56, 56])
        rows.append(
            ("max_pool2d 64x64x56x56 k2", try best(5) { _ = try withNoGrad { try xp.maxPool2d(kernel: (2, 2)) } }, ""))
        let xl = try Tensor.randn([64, 4096]), wl = try Tensor.randn([4096, 4096]), bl = try Tensor.randn([4096])
        let tl = try best(5) { _ = try withNoGrad { try linear(xl, wl, bl) } }
        rows.append(("linear 64x4096->4096", tl, String(format: "%.1f GFLOP/s", 2.0 * 64 * 4096 * 4096 / tl / 1e9)))
        let model = try LeNet5()
        let sgd = try SGD(model.parameters, lr: 0.01, momentum: 0.9)
        let xb = try Tensor.randn([64, 1, 32, 32]), yb = try Tensor((0..<64).map { Double($0 % 10) }, shape: [64])
        let ts = try best(10) {
            sgd.zeroGrad(); let l = try crossEntropy(model(xb), yb); try l.backward(); try sgd.step()
        }
        rows.append(("lenet5 sgd step b64", ts, String(format: "%.0f images/s", 64 / ts)))
        let act = try Tensor.randn([64, 112, 112])
        rows.append(("show 64x112x112 activation", try best(5) { _ = try TensorImage.bundle(act) }, ""))
        // interpreter overhead
        let host = QuietHost()
        let session = Session(host: host)
        _ = session.execute("var s = 0\nlet a = randn(2, 2)\nlet c = randn(2, 2)", cell: 1)
        rows.append(
            ("interp 100k scalar adds", best(3) { _ = session.execute("s = 0\nfor i in 0..<100000 { s = s + 1 }") }, "")
        )
        rows.append(
            ("interp 10k tiny tensor adds", best(3) { _ = session.execute("for i in 0..<10000 { a + c }") }, ""))

        let ref = noReference ? [:] : reference()
        let w0 = rows.map { $0.0.count }.max() ?? 30
        print(
            "threads: \(ProcessInfo.processInfo.activeProcessorCount)"
                + (ref.isEmpty
                    ? "   (no PyTorch reference found: pip install torch into .venv-bench or set STRIDE_BENCH_PYTHON)"
                    : "   reference: PyTorch CPU, same run"))
        print(
            "case".padding(toLength: w0, withPad: " ", startingAt: 0) + "   stride ms    torch ms   ratio   throughput")
        for (name, t, extra) in rows {
            var line = name.padding(toLength: w0, withPad: " ", startingAt: 0) + String(format: "  %10.3f", t * 1000)
            if let r = ref[name] {
                line += String(format: "  %10.3f  %5.2fx", r * 1000, t / r)
            } else {
                line += "           -       -"
            }
            print(line + "   " + extra)
        }
        print("(ratio = stride time / PyTorch time; below 1 is faster than PyTorch)")
    }

    func reference() -> [String: Double] {
        let env = ProcessInfo.processInfo.environment
        let candidates = [python, env["STRIDE_BENCH_PYTHON"], ".venv-bench/bin/python", ".venv/bin/python", "python3"]
            .compactMap { $0 }
        let script = [
            "benchmarks/torch_reference.py",
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "../../benchmarks/torch_reference.py"
            ).path,
        ]
        .first { FileManager.default.fileExists(atPath: $0) }
        guard let script else { return [:] }
        for py in candidates {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [py, script, String(ProcessInfo.processInfo.activeProcessorCount)]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus == 0, let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Double] {
                return obj
            }
        }
        return [:]
    }
}
