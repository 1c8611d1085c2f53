import CNN
import Foundation

extension Builtins {
    static let general: [Builtin] = [
        B(.general, "print", .none, "Writes the items to stdout, separated by a space.", "print(\"loss\", 0.25)") { d in
            let items = d.rest("items", Value.self)
            let separator = d.label("separator", String.self, " ")
            let terminator = d.label("terminator", String.self, "\n")
            return { a in
                let text = try a.values(items).map { v, s in try printed(v, s) }.joined(separator: a[separator])
                a.context.write(text + (try a[terminator]), to: .stdout)
                return .none
            }
        },
        B(.general, "eprint", .none, "Writes the items to stderr.", "eprint(\"warning:\", 3)") { d in
            let items = d.rest("items", Value.self)
            return { a in
                let text = try a.values(items).map { v, s in try printed(v, s) }.joined(separator: " ")
                a.context.write(text + "\n", to: .stderr)
                return .none
            }
        },
        B(.general, "type", .string, "The name of a value's type.", "type(ReLU())  // \"ReLU\"") { d in
            let v = d.p("v", Value.self)
            return { a in .string(try a[v].typeName) }
        },
        B(
            .general, "help", .none,
            "Shows the documentation of a builtin, layer, method or user function; help() gives an overview.",
            "help(conv2d)"
        ) { d in
            let f = d.p("f", Value?.self)
            return { a in
                a.context.page(try a[f].map { Help.text(for: $0) } ?? Help.overview)
                return .none
            }
        },
        B(
            .general, "assert", .none, "Stops with AssertionError and the message when the condition is false.",
            "assert(1 + 1 == 2, \"arithmetic\")"
        ) { d in
            let condition = d.p("condition", Value.self)
            let message = d.p("message", String.self, "assertion failed")
            return { a in
                let (c, s) = a.raw(condition)
                let ok: Bool
                switch c {
                case .bool(let b): ok = b
                case .tensor(let t): ok = t.values.allSatisfy { $0 != 0 }
                default: throw a.error(.type, "the condition must be a Bool, got \(c.typeName)", s)
                }
                if !ok { throw StrideError(.assertion, try a[message], span: a.span) }
                return .none
            }
        },
        B(
            .general, "input", .string, "Reads a line of text (in Jupyter through the stdin channel).",
            "let name = input(\"name? \")"
        ) { d in
            let prompt = d.p("prompt", String.self, "")
            return { a in
                do {
                    return .string(try a.context.readLine(prompt: try a[prompt]))
                } catch let e as HostInputError {
                    throw a.error(.stdin, e.message)
                }
            }
        },
        B(.general, "clock", .float, "Monotonic time in seconds, for timing.", "let t0 = clock()") { _ in
            { _ in .float(monotonicSeconds()) }
        },
        B(
            .general, "clear_output", .none,
            "Clears the cell's output (with wait: true, when the next output arrives).", "clear_output()"
        ) { d in
            let wait = d.label("wait", Bool.self, false)
            return { a in
                a.context.clearOutput(wait: try a[wait])
                return .none
            }
        },
        exitBuiltin("exit", other: "quit"),
        exitBuiltin("quit", other: "exit"),
        B(
            .general, "seed", .none, "Seeds the random generator: every random draw after it is reproducible.",
            "seed(0)"
        ) { d in
            let n = d.p("n", Int.self)
            return { a in
                GlobalRandom.seed(UInt64(bitPattern: Int64(try a[n])))
                return .none
            }
        },
    ]

    static func exitBuiltin(_ name: String, other: String) -> Builtin {
        B(
            .general, name, .none, "Ends the session after this cell (jupyter console, stride repl); also `\(other)`.",
            name
        ) { _ in
            { a in
                a.context.requestExit()
                return .none
            }
        }
    }

    static let numbers: [Builtin] = [
        B(
            .numbers, "Int", .int, "Converts a number (truncating), Bool, String or one-element tensor to Int.",
            "Int(3.9)  // 3", statics: [("max", { .int(Int.max) }), ("min", { .int(Int.min) })]
        ) { d in
            let v = d.p("v", Value.self)
            return { a in
                let (x, s) = a.raw(v)
                switch x {
                case .int: return x
                case .float(let f): return .int(try Shape.integer(f, "\(formatFloat(f))"))
                case .bool(let b): return .int(b ? 1 : 0)
                case .string(let str):
                    guard let i = Int(str.trimmingCharacters(in: .whitespaces)) else {
                        throw a.error(.value, "\"\(str)\" is not an integer", s)
                    }
                    return .int(i)
                case .tensor(let t) where t.count == 1: return .int(try Shape.integer(t.item(), "the tensor's value"))
                default: throw a.error(.type, "cannot convert a \(x.typeName) to Int", s)
                }
            }
        },
        B(
            .numbers, "Float", .float, "Converts a number, String or one-element tensor to Float.",
            "Float(7) / 2  // 3.5",
            statics: [("infinity", { .float(.infinity) }), ("nan", { .float(.nan) }), ("pi", { .float(.pi) })]
        ) { d in
            let v = d.p("v", Value.self)
            return { a in
                let (x, s) = a.raw(v)
                switch x {
                case .int(let i): return .float(Double(i))
                case .float: return x
                case .bool(let b): return .float(b ? 1 : 0)
                case .string(let str):
                    guard let f = Double(str.trimmingCharacters(in: .whitespaces)) else {
                        throw a.error(.value, "\"\(str)\" is not a number", s)
                    }
                    return .float(f)
                case .tensor(let t) where t.count == 1: return .float(try t.item())
                default: throw a.error(.type, "cannot convert a \(x.typeName) to Float", s)
                }
            }
        },
        B(.numbers, "String", .string, "The printed form of any value.", "String(3.5)  // \"3.5\"") { d in
            let v = d.p("v", Value.self)
            return { a in
                let (x, s) = a.raw(v)
                return .string(try printed(x, s))
            }
        },
        numberOrTensor(
            "abs", torch: "torch.abs", "Absolute value of a number, or elementwise of a tensor.", "abs(-3)  // 3"
        ) { i, s in
            guard i != Int.min else {
                throw StrideError(.value, "integer overflow: abs(\(i)) does not fit in 64 bits; use Float", span: s)
            }
            return .int(Swift.abs(i))
        } float: {
            Swift.abs($0)
        } tensor: {
            try $0.abs()
        },
        numberOrTensor(
            "sqrt", torch: "torch.sqrt", "Square root of a number (Float), or elementwise of a tensor.", "sqrt(2.0)"
        ) { i, _ in
            .float(Double(i).squareRoot())
        } float: {
            $0.squareRoot()
        } tensor: {
            try $0.sqrt()
        },
        numberOrTensor("exp", torch: "torch.exp", "e to the power x, for a number or elementwise.", "exp(1.0)") {
            i, _ in
            .float(Foundation.exp(Double(i)))
        } float: {
            Foundation.exp($0)
        } tensor: {
            try $0.exp()
        },
        numberOrTensor("log", torch: "torch.log", "Natural logarithm of a number or elementwise.", "log(10.0)") {
            i, _ in
            .float(Foundation.log(Double(i)))
        } float: {
            Foundation.log($0)
        } tensor: {
            try $0.log()
        },
        B(
            .numbers, "round", .number, "Rounds a number (half away from zero) to `digits` decimals.",
            "round(3.14159, digits: 2)  // 3.14"
        ) { d in
            let x = d.p("x", Number.self)
            let digits = d.label("digits", Int.self, 0)
            return { a in
                switch try a[x] {
                case .int(let i): return .int(i)
                case .float(let f): return .float(roundedDecimal(f, digits: try a[digits]))
                }
            }
        },
        extremum(isMax: false),
        extremum(isMax: true),
    ]

    /// `x` rounded half away from zero to `digits` decimals; `x` itself when scaling would overflow or underflow
    /// (as Python's `round` for digits beyond a Double's precision).
    static func roundedDecimal(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        let d = Swift.max(-400, Swift.min(400, digits))
        let m = Foundation.pow(10.0, Double(d))
        let scaled = x * m
        guard m.isFinite, m > 0, scaled.isFinite else { return d > 0 ? x : (d < 0 ? 0 * x : x) }
        if Swift.abs(scaled) >= 0x1p52 { return x }  // no fractional digits left to round
        return scaled.rounded() / m
    }

    /// A function of a number or, elementwise, of a tensor (`abs`, `sqrt`, `exp`, `log`).
    static func numberOrTensor(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String,
        int: @escaping @Sendable (Int, Span) throws -> Value,
        float: @escaping @Sendable (Double) -> Double,
        tensor: @escaping @Sendable (Tensor) throws -> Tensor
    ) -> Builtin {
        B(.numbers, name, torch: torch, .any, summary, example) { d in
            let x = d.p("x", NumberOrTensor.self)
            return { a in
                let (v, s) = a.raw(x)
                switch v {
                case .int(let i): return try int(i, s)
                case .float(let f): return .float(float(f))
                case .tensor(let t): return .tensor(try rt(s) { try tensor(t) })
                case .list, .tuple: return .tensor(try rt(s) { try tensor(toTensor(v, s, "x")) })
                default: throw a.error(.type, "expected a number or a tensor, got \(v.typeName)", s)
                }
            }
        }
    }

    /// `max` and `min`, with PyTorch's meanings on tensors and Python's on numbers: `max(x)` of a tensor is its
    /// largest element (a 0-d tensor); `max(x, dim)` or `x.max(dim: d)` the (values, indices) along a dimension;
    /// `max(a, b)` of a tensor and another tensor or Float the elementwise maximum (`torch.maximum`); of numbers
    /// or a list, the largest.
    static func extremum(isMax: Bool) -> Builtin {
        let name = isMax ? "max" : "min"
        let word = isMax ? "largest" : "smallest"
        return B(
            .numbers, name, torch: "torch.\(name)", .any,
            "The \(word) of numbers or of a list; of a tensor, its \(word) element, or with dim the (values, indices) "
                + "along it, as torch.\(name); of two tensors, the elementwise \(isMax ? "maximum" : "minimum").",
            isMax ? "max(tensor([[1, 5], [7, 2]]), dim: 1)  // (tensor([5, 7]), tensor([1, 0]))" : "min(3, 1, 2)  // 1",
            receiver: .tensor
        ) { d in
            let items = d.rest("items", Value.self, doc: "numbers, a list, a tensor, or a tensor and a dim or tensor")
            let dimArg = d.label("dim", Int?.self)
            let keepdim = d.keepdim()
            return { a in
                let values = try a[items]
                let dim = try a[dimArg]
                if case .tensor(let t)? = values.first {
                    switch values.count {
                    case 1:
                        if let dim { return try valuesAndIndices(t, dim, try a[keepdim], isMax) }
                        return .tensor(isMax ? try t.max(keepdim: try a[keepdim]) : try t.min(keepdim: try a[keepdim]))
                    case 2:
                        if case .int(let d) = values[1] {
                            guard dim == nil else { throw a.error(.type, "dim given twice (by position and by label)") }
                            return try valuesAndIndices(t, d, try a[keepdim], isMax)
                        }
                        let other = try toTensor(values[1], a.span, "the second argument of \(name)", like: t)
                        return .tensor(try t.binary(isMax ? .maximum : .minimum, other))
                    default:
                        throw a.error(
                            .type, "of a tensor takes a dim or one other tensor, got \(values.count - 1) more arguments"
                        )
                    }
                }
                guard dim == nil else {
                    throw a.error(.type, "dim: applies to a tensor, got \(values.first?.typeName ?? "nothing")")
                }
                var list = values
                if list.count == 1 {
                    switch list[0] {
                    case .range(let lo, let hi):
                        guard lo < hi else { throw a.error(.value, "\(name) of an empty range") }
                        return .int(isMax ? hi - 1 : lo)
                    default: list = try elements(list[0], a.span)
                    }
                }
                guard var best = list.first else { throw a.error(.value, "\(name) of an empty sequence") }
                for v in list.dropFirst() {
                    if case .tensor = v {
                        throw a.error(.type, "of numbers cannot mix in a tensor; use \(name)(a, b) of two tensors")
                    }
                    if case .bool(true) = try binary(isMax ? .gt : .lt, v, best, a.span) { best = v }
                }
                return best
            }
        }
    }

    /// `(values, indices)` along `dim`, as torch.max(x, dim).
    static func valuesAndIndices(_ t: Tensor, _ dim: Int, _ keepdim: Bool, _ isMax: Bool) throws -> Value {
        let (v, i) = try t.extreme(dim: dim, keepdim: keepdim, max: isMax)
        return .tuple(TupleRef([.tensor(v), .tensor(i)]))
    }

    static let collections: [Builtin] = [
        B(
            .collections, "map", .list, "Applies a function or closure to each element, giving a list.",
            "map([1, 2, 3], { x in x * x })  // [1, 4, 9]", receiver: .list
        ) { d in
            let xs = d.p("xs", Value.self, doc: "a list, range, tuple, tensor (its rows) or generator")
            let f = d.p("f", Callable.self)
            return { a in
                let fn = try a[f]
                let next = try iterator(try a[xs], a.span(of: xs))
                let out = ListRef([])
                while let v = try next() { try out.append(try a.context.call(fn, [v])) }
                return .list(out)
            }
        },
        B(
            .collections, "filter", .list, "The elements for which the function returns true.",
            "filter([1, 2, 3, 4], { x in x % 2 == 0 })  // [2, 4]", receiver: .list
        ) { d in
            let xs = d.p("xs", Value.self)
            let f = d.p("f", Callable.self)
            return { a in
                let fn = try a[f]
                let next = try iterator(try a[xs], a.span(of: xs))
                let out = ListRef([])
                while let v = try next() {
                    if try truth(try a.context.call(fn, [v]), a.span, "filter's function") { try out.append(v) }
                }
                return .list(out)
            }
        },
        B(
            .collections, "sorted", .list, "The elements in increasing order, or in the order `by` defines.",
            "sorted([3, 1, 2], by: { (a, b) in a > b })  // [3, 2, 1]", receiver: .list
        ) { d in
            let xs = d.p("xs", Value.self)
            let byArg = d.label("by", Callable?.self, doc: "a closure (a, b) in … that is true when a comes before b")
            return { a in
                let items = try elements(try a[xs], a.span(of: xs))
                let by = try a[byArg]
                var failure: (any Error)? = nil
                let context = a.context, span = a.span
                let out = items.sorted { x, y in
                    guard failure == nil else { return false }
                    do {
                        if let by { return try truth(try context.call(by, [x, y]), span, "sorted's by") }
                        return try truth(try binary(.lt, x, y, span), span, "sorted")
                    } catch {
                        failure = error
                        return false
                    }
                }
                if let failure { throw failure }
                return .list(ListRef(out))
            }
        },
        B(
            .collections, "zip", .list,
            "Pairs up elements of two sequences into a list of tuples (as long as the "
                + "shorter).", "zip([1, 2], [\"a\", \"b\"])  // [(1, \"a\"), (2, \"b\")]"
        ) { d in
            let first = d.p("a", Value.self), second = d.p("b", Value.self)
            return { a in
                let ia = try iterator(try a[first], a.span(of: first))
                let ib = try iterator(try a[second], a.span(of: second))
                let out = ListRef([])
                while let x = try ia(), let y = try ib() { try out.append(.tuple(TupleRef([x, y]))) }
                return .list(out)
            }
        },
        B(
            .collections, "enumerate", .list, "(index, element) pairs of a sequence.",
            "enumerate([\"a\", \"b\"])  // [(0, \"a\"), (1, \"b\")]"
        ) { d in
            let xs = d.p("xs", Value.self)
            return { a in
                let items = try elements(try a[xs], a.span(of: xs))
                return .list(ListRef(items.enumerated().map { .tuple(TupleRef([.int($0.offset), $0.element])) }))
            }
        },
    ]
}
