import Foundation
import StrideLang

/// The interrupt section: for each kind of long work, the time from an interrupt (sent 0.3 s into the work)
/// to the cell's end. Each work item is one long operation, not a loop, so what is measured is the kernels'
/// own cancellation checks (a loop's back-edge check would hide them). Goal: under 100 ms each.
enum InterruptBench {
    static let kinds: [(name: String, setup: String, work: String)] = [
        ("random generation randn(12000, 12000)", "", "let r = randn(12000, 12000)"),
        ("tensor creation full([12000, 12000])", "", "let r = full([12000, 12000], 0.5) + 1"),
        (
            "elementwise chain on 8000x8000", "let h = rand(8000, 8000) + 0.5",
            "let e = ((h * 2 + 1).exp() - h).sqrt().abs().log()"
        ),
        ("reduction std on 12000x12000", "let h = rand(12000, 12000)", "let s = h.std()"),
        ("matrix product 4000x4000", "let m = randn(4000, 4000)", "let p = m @ m"),
        (
            "convolution 64x128x64x64 3x3", "let x = randn(64, 128, 64, 64)\nlet w = randn(128, 128, 3, 3)",
            "let y = conv2d(x, w, nil, padding: 1)"
        ),
        ("max pooling 64x64x256x256", "let x = randn(64, 64, 256, 256)", "let y = max_pool2d(x, 2)"),
        (
            "backward through 8000x8000", "let a = randn(8000, 8000, requires_grad: true)",
            "backward((relu(a * 2 + 1) * a).sum())"
        ),
        ("rendering show(randn(64, 2048, 2048))", "let maps = randn(64, 2048, 2048)", "show(maps)"),
        ("file writing save 24000x12000", "let big = randn(24000, 12000)", "save(big, tempdir() + \"/big.npy\")"),
        (
            "file reading load 24000x12000",
            "let big = randn(24000, 12000)\nlet p = tempdir() + \"/big.npy\"\nsave(big, p)",
            "let back = load(p)"
        ),
        (
            "training loop LeNet-5",
            "let model = LeNet5()\nlet opt = SGD(model, lr: 0.01)\nlet xb = randn(64, 1, 32, 32)\nlet yb = arange(64) % 10",
            "for i in 0..<100000 { opt.zero_grad()\n backward(cross_entropy(model(xb), yb))\n opt.step() }"
        ),
    ]

    /// Each kind's latency in seconds (nil: the work ended before the interrupt, or was not interrupted).
    static func run() -> [(String, Double?, String)] {
        var out: [(String, Double?, String)] = []
        for kind in kinds {
            nonisolated(unsafe) let session = Session(host: QuietHost())
            if case .error(_, let ename, let evalue, _) = session.execute(kind.setup, cell: 1) {
                out.append((kind.name, nil, "set-up failed: \(ename): \(evalue)"))
                continue
            }
            nonisolated(unsafe) var outcome = ""
            nonisolated(unsafe) var ended: UInt64 = 0
            let done = DispatchSemaphore(value: 0)
            let started = DispatchTime.now().uptimeNanoseconds
            let thread = Thread {
                switch session.execute(kind.work, cell: 2) {
                case .ok:
                    let ran = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    outcome = String(format: "ran to completion in %.2f s", ran)
                case .error(_, let ename, _, _): outcome = ename
                }
                ended = DispatchTime.now().uptimeNanoseconds
                done.signal()
            }
            thread.stackSize = 16 << 20
            thread.start()
            usleep(300_000)
            let sent = DispatchTime.now().uptimeNanoseconds
            session.interrupt()
            done.wait()
            if outcome.hasPrefix("ran to completion"), ended > sent {
                // the work ended on its own after the interrupt was sent: that is the latency the user saw
                out.append((kind.name, Double(ended - sent) / 1e9, outcome + " (not interrupted)"))
            } else if outcome == "Interrupted" {
                let ran = Double(sent - started) / 1e9
                out.append((kind.name, Double(ended - sent) / 1e9, String(format: "interrupted %.2f s in", ran)))
            } else {
                out.append((kind.name, nil, outcome))
            }
            session.close()
        }
        return out
    }

    static func printTable(_ rows: [(String, Double?, String)]) {
        print("\n== interrupt latency (time from the interrupt to the cell's end; goal < 100 ms)")
        let w0 = rows.map(\.0.count).max() ?? 30
        for (name, latency, note) in rows {
            let value = latency.map { String(format: "%9.1f ms", $0 * 1000) } ?? "        -   "
            print(name.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + value + "   " + note)
        }
    }
}
