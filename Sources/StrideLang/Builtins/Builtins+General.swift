import CNN
import Foundation

extension Builtins {
    static let general: [Builtin] = [
        B("general", "print", "print(items…, separator: \" \", terminator: \"\\n\")", "Writes the items to stdout, separated by a space.", "print(\"loss\", loss)") { a, i in
            let sep = try a.string(nil, "separator", default: " "), term = try a.string(nil, "terminator", default: "\n")
            let text = (0..<a.count).compactMap { a.at($0)?.printed }.joined(separator: sep) + term
            i.host.write(text, to: .stdout)
            return .none
        },
        B("general", "eprint", "eprint(items…)", "Writes the items to stderr.", "eprint(\"warning:\", x.shape)") { a, i in
            i.host.write((0..<a.count).compactMap { a.at($0)?.printed }.joined(separator: " ") + "\n", to: .stderr)
            return .none
        },
        B("general", "type", "type(v)", "The name of a value's type.", "type(conv)  // \"Conv2d\"") { a, _ in .string(try a.value(0, "v").typeName) },
        B("general", "Int", "Int(v)", "Converts a number (truncating), Bool, String or one-element tensor to Int.", "Int(3.9)  // 3") { a, _ in
            let v = try a.value(0, "v")
            switch v {
            case .int: return v
            case .float(let d):
                guard d.isFinite, Swift.abs(d) < 9.2e18 else { throw a.error(.value, "\(d) cannot be converted to Int") }
                return .int(Int(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s): guard let x = Int(s.trimmingCharacters(in: .whitespaces)) else { throw a.error(.value, "\"\(s)\" is not an integer") }; return .int(x)
            case .tensor(let t) where t.count == 1: return .int(try Shape.integer(t.item(), "the value"))
            default: throw a.error(.type, "cannot convert a \(v.typeName) to Int")
            }
        },
        B("general", "Float", "Float(v)", "Converts a number, String or one-element tensor to Float.", "Float(7) / 2  // 3.5") { a, _ in
            let v = try a.value(0, "v")
            switch v {
            case .int(let x): return .float(Double(x))
            case .float: return v
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let s): guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else { throw a.error(.value, "\"\(s)\" is not a number") }; return .float(x)
            case .tensor(let t) where t.count == 1: return .float(try t.item())
            default: throw a.error(.type, "cannot convert a \(v.typeName) to Float")
            }
        },
        B("general", "String", "String(v)", "The printed form of any value.", "String(3.5)  // \"3.5\"") { a, _ in .string(try a.value(0, "v").printed) },
        B("general", "abs", "abs(x)", "Absolute value of a number, or elementwise of a tensor.", "abs(-3)  // 3") { a, i in
            try numberOrTensor(&a, i, int: { Swift.abs($0) }, float: { Swift.abs($0) }, tensor: { try $0.abs() })
        },
        B("general", "sqrt", "sqrt(x)", "Square root of a number (Float), or elementwise of a tensor.", "sqrt(2.0)") { a, i in
            try numberOrTensor(&a, i, int: nil, float: { $0.squareRoot() }, tensor: { try $0.sqrt() })
        },
        B("general", "exp", "exp(x)", "e to the power x, for a number or elementwise.", "exp(1.0)") { a, i in
            try numberOrTensor(&a, i, int: nil, float: { Foundation.exp($0) }, tensor: { try $0.exp() })
        },
        B("general", "log", "log(x)", "Natural logarithm of a number or elementwise.", "log(10.0)") { a, i in
            try numberOrTensor(&a, i, int: nil, float: { Foundation.log($0) }, tensor: { try $0.log() })
        },
        B("general", "round", "round(x, digits: 0)", "Rounds a number (half away from zero) to `digits` decimals.", "round(3.14159, digits: 2)  // 3.14") { a, i in
            let digits = try a.int(nil, "digits", default: 0)
            let v = try a.value(0, "x")
            if case .int = v { return v }
            let d = try i.number(v, a.spanOf(0)), m = Foundation.pow(10.0, Double(digits))
            return .float((d * m).rounded() / m)
        },
        B("general", "min", "min(a, b, …) or min(list) or min(tensor)", "The smallest of numbers, of a list, or of a tensor's elements.", "min(3, 1, 2)  // 1") { a, i in
            try extremum(&a, i, isMax: false)
        },
        B("general", "max", "max(a, b, …) or max(list) or max(tensor)", "The largest of numbers, of a list, or of a tensor's elements.", "max([3, 1, 2])  // 3") { a, i in
            try extremum(&a, i, isMax: true)
        },
        B("general", "clock", "clock()", "Monotonic time in seconds, for timing.", "let t0 = clock(); …; print(clock() - t0)") { _, _ in
            .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
        },
        B("general", "input", "input(prompt: \"\")", "Reads a line of text (in Jupyter through the stdin channel).", "let name = input(\"name? \")") { a, i in
            let prompt = try a.string(0, "prompt", default: "")
            do { return .string(try i.host.readLine(prompt: prompt)) }
            catch let e as HostInputError { throw a.error(.stdin, e.message) }
        },
        B("general", "help", "help(f)", "Shows the documentation of a builtin, layer, method or user function.", "help(conv2d)") { a, i in
            let v = try a.value(0, "f")
            i.host.page(Help.text(for: v))
            return .none
        },
        B("general", "assert", "assert(condition, message)", "Stops with AssertionError and the message when the condition is false.", "assert(allclose(a, b), \"a and b differ\")") { a, i in
            let c = try a.value(0, "condition")
            let msg = try a.string(1, "message", default: "assertion failed")
            let ok: Bool
            switch c {
            case .bool(let b): ok = b
            case .tensor(let t): ok = t.values.allSatisfy { $0 != 0 }
            default: throw a.error(.type, "the condition must be a Bool, got \(c.typeName)", a.spanOf(0))
            }
            if !ok { throw StrideError(.assertion, msg, span: a.span) }
            return .none
        },
        B("general", "map", "map(f, xs)", "Applies a function to each element, giving a list.", "map(relu, [x1, x2])") { a, i in
            let f = try a.value(0, "f"), xs = try a.value(1, "xs")
            let next = try i.iterator(xs, a.spanOf(1))
            var out: [Value] = []
            while let v = try next() { out.append(try i.apply(f, [v], a.span)) }
            return .list(ListRef(out))
        },
        B("general", "zip", "zip(a, b)", "Pairs up elements of two sequences into a list of tuples (as long as the shorter).", "for (name, m) in zip(names, models) { … }") { a, i in
            let ia = try i.iterator(a.value(0, "a"), a.spanOf(0)), ib = try i.iterator(a.value(1, "b"), a.spanOf(1))
            var out: [Value] = []
            while let x = try ia(), let y = try ib() { out.append(.tuple([x, y])) }
            return .list(ListRef(out))
        },
        B("general", "seed", "seed(n)", "Seeds the random generator: every random draw after it is reproducible.", "seed(0)") { a, _ in
            let n = try a.int(0, "n")
            GlobalRandom.seed(UInt64(bitPattern: Int64(n)))
            return .none
        },
        B("general", "clear_output", "clear_output(wait: false)", "Clears the cell's output (with wait: true, when the next output arrives).", "clear_output()") { a, i in
            i.host.clearOutput(wait: try a.bool(nil, "wait", default: false))
            return .none
        },
    ]

    static func numberOrTensor(_ a: inout Arguments, _ i: Interpreter, int: ((Int) -> Int)?, float: (Double) -> Double, tensor: (Tensor) throws -> Tensor) throws -> Value {
        let v = try a.value(0, "x")
        switch v {
        case .int(let x): if let int { return .int(int(x)) }; return .float(float(Double(x)))
        case .float(let d): return .float(float(d))
        case .tensor(let t): return .tensor(try tensor(t))
        case .list: return .tensor(try tensor(i.toTensor(v, a.spanOf(0), "x")))
        default: throw a.error(.type, "expected a number or a tensor, got \(v.typeName)", a.spanOf(0))
        }
    }

    static func extremum(_ a: inout Arguments, _ i: Interpreter, isMax: Bool) throws -> Value {
        var items: [Value]
        if a.count == 1 {
            let v = try a.value(0, "x")
            switch v {
            case .tensor(let t):
                if let d = try a.optInt(nil, "dim") { return .tensor(isMax ? try t.max(dim: d, keepdim: a.bool(nil, "keepdim", default: false)) : try t.min(dim: d, keepdim: a.bool(nil, "keepdim", default: false))) }
                return .tensor(isMax ? try t.max() : try t.min())
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .range(let lo, let hi): items = (lo..<hi).map { .int($0) }
            default: items = [v]
            }
        } else {
            items = (0..<a.count).compactMap { a.at($0) }
        }
        guard var best = items.first else { throw a.error(.value, "\(isMax ? "max" : "min") of an empty sequence") }
        for v in items.dropFirst() {
            if case .bool(true) = try i.binary(isMax ? ">" : "<", v, best, a.span) { best = v }
        }
        return best
    }
}
