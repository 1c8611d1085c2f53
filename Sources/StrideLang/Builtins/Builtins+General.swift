import CNN
import Foundation

extension Builtins {
    static let general: [Builtin] = [
        B(
            "general", "print",
            [
                rest("items", .any), p("separator", .string, .string(" "), label: true),
                p("terminator", .string, .string("\n"), label: true),
            ], .none,
            "Writes the items to stdout, separated by a space.", "print(\"loss\", 0.25)"
        ) { a in
            let sep = try a.string("separator"), term = try a.string("terminator")
            let text = try a.restValues.map { try a.interp.printed($0, a.span) }.joined(separator: sep) + term
            a.interp.host.write(text, to: .stdout)
            return .none
        },
        B("general", "eprint", [rest("items", .any)], .none, "Writes the items to stderr.", "eprint(\"warning:\", 3)") {
            a in
            let text = try a.restValues.map { try a.interp.printed($0, a.span) }.joined(separator: " ") + "\n"
            a.interp.host.write(text, to: .stderr)
            return .none
        },
        B("general", "type", [p("v", .any)], .string, "The name of a value's type.", "type(ReLU())  // \"ReLU\"") { a in
            .string(try a.value("v").typeName)
        },
        B(
            "general", "help", [p("f", .any, .none)], .none,
            "Shows the documentation of a builtin, layer, method or user function; help() gives an overview.",
            "help(conv2d)"
        ) { a in
            let f = try a.optional("f")
            a.interp.host.page(f.map { Help.text(for: $0.0) } ?? Help.overview)
            return .none
        },
        B(
            "general", "assert", [p("condition", .any), p("message", .string, .string("assertion failed"))], .none,
            "Stops with AssertionError and the message when the condition is false.",
            "assert(1 + 1 == 2, \"arithmetic\")"
        ) { a in
            let (c, s) = try a.required("condition")
            let ok: Bool
            switch c {
            case .bool(let b): ok = b
            case .tensor(let t): ok = t.values.allSatisfy { $0 != 0 }
            default: throw a.error(.type, "the condition must be a Bool, got \(c.typeName)", s)
            }
            if !ok { throw StrideError(.assertion, try a.string("message"), span: a.span) }
            return .none
        },
        B(
            "general", "input", [p("prompt", .string, .string(""))], .string,
            "Reads a line of text (in Jupyter through the stdin channel).", "let name = input(\"name? \")"
        ) { a in
            do {
                return .string(try a.interp.host.readLine(prompt: try a.string("prompt")))
            } catch let e as HostInputError {
                throw a.error(.stdin, e.message)
            }
        },
        B("general", "clock", [], .float, "Monotonic time in seconds, for timing.", "let t0 = clock()") { a in
            .float(a.interp.now())
        },
        B(
            "general", "clear_output", [p("wait", .bool, .bool(false), label: true)], .none,
            "Clears the cell's output (with wait: true, when the next output arrives).", "clear_output()"
        ) { a in
            a.interp.host.clearOutput(wait: try a.bool("wait"))
            return .none
        },
        B(
            "general", "exit", [], .none,
            "Ends the session after this cell (jupyter console, stride repl); also `quit`.",
            "exit"
        ) { a in
            a.interp.host.requestExit()
            return .none
        },
        B(
            "general", "quit", [], .none,
            "Ends the session after this cell (jupyter console, stride repl); also `exit`.",
            "quit"
        ) { a in
            a.interp.host.requestExit()
            return .none
        },
        B(
            "general", "seed", [p("n", .int)], .none,
            "Seeds the random generator: every random draw after it is reproducible.",
            "seed(0)"
        ) { a in
            GlobalRandom.seed(UInt64(bitPattern: Int64(try a.int("n"))))
            return .none
        },
    ]

    static let numbers: [Builtin] = [
        B(
            "numbers", "Int", [p("v", .any)], .int,
            "Converts a number (truncating), Bool, String or one-element tensor to Int.",
            "Int(3.9)  // 3",
            statics: [("max", { .int(Int.max) }), ("min", { .int(Int.min) })]
        ) { a in
            let (v, s) = try a.required("v")
            switch v {
            case .int: return v
            case .float(let d): return .int(try Shape.integer(d, "\(formatFloat(d))"))
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let str):
                guard let x = Int(str.trimmingCharacters(in: .whitespaces)) else {
                    throw a.error(.value, "\"\(str)\" is not an integer", s)
                }
                return .int(x)
            case .tensor(let t) where t.count == 1: return .int(try Shape.integer(t.item(), "the tensor's value"))
            default: throw a.error(.type, "cannot convert a \(v.typeName) to Int", s)
            }
        },
        B(
            "numbers", "Float", [p("v", .any)], .float, "Converts a number, String or one-element tensor to Float.",
            "Float(7) / 2  // 3.5",
            statics: [("infinity", { .float(.infinity) }), ("nan", { .float(.nan) }), ("pi", { .float(.pi) })]
        ) { a in
            let (v, s) = try a.required("v")
            switch v {
            case .int(let x): return .float(Double(x))
            case .float: return v
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let str):
                guard let x = Double(str.trimmingCharacters(in: .whitespaces)) else {
                    throw a.error(.value, "\"\(str)\" is not a number", s)
                }
                return .float(x)
            case .tensor(let t) where t.count == 1: return .float(try t.item())
            default: throw a.error(.type, "cannot convert a \(v.typeName) to Float", s)
            }
        },
        B("numbers", "String", [p("v", .any)], .string, "The printed form of any value.", "String(3.5)  // \"3.5\"") {
            a in
            .string(try a.interp.printed(try a.value("v"), a.span))
        },
        B(
            "numbers", "abs", [p("x", .tensorLike)], .any, "Absolute value of a number, or elementwise of a tensor.",
            "abs(-3)  // 3"
        ) { a in
            try numberOrTensor(a, int: { Swift.abs($0) }, float: { Swift.abs($0) }, tensor: { try $0.abs() })
        },
        B(
            "numbers", "sqrt", [p("x", .tensorLike)], .any,
            "Square root of a number (Float), or elementwise of a tensor.",
            "sqrt(2.0)"
        ) { a in
            try numberOrTensor(a, int: nil, float: { $0.squareRoot() }, tensor: { try $0.sqrt() })
        },
        B("numbers", "exp", [p("x", .tensorLike)], .any, "e to the power x, for a number or elementwise.", "exp(1.0)") {
            a in
            try numberOrTensor(a, int: nil, float: { Foundation.exp($0) }, tensor: { try $0.exp() })
        },
        B("numbers", "log", [p("x", .tensorLike)], .any, "Natural logarithm of a number or elementwise.", "log(10.0)") {
            a in
            try numberOrTensor(a, int: nil, float: { Foundation.log($0) }, tensor: { try $0.log() })
        },
        B(
            "numbers", "round", [p("x", .number), p("digits", .int, .int(0), label: true)], .number,
            "Rounds a number (half away from zero) to `digits` decimals.", "round(3.14159, digits: 2)  // 3.14"
        ) { a in
            let v = try a.value("x")
            if case .int = v { return v }
            let m = Foundation.pow(10.0, Double(try a.int("digits")))
            return .float((try a.double("x") * m).rounded() / m)
        },
        B(
            "numbers", "min", [rest("items", .any)], .any,
            "The smallest of numbers, of a list, or of a tensor's elements.",
            "min(3, 1, 2)  // 1"
        ) { a in
            try extremum(a, isMax: false)
        },
        B(
            "numbers", "max", [rest("items", .any)], .any,
            "The largest of numbers, of a list, or of a tensor's elements.",
            "max([3, 1, 2])  // 3"
        ) { a in
            try extremum(a, isMax: true)
        },
    ]

    static func numberOrTensor(
        _ a: Args, int: ((Int) -> Int)?, float: (Double) -> Double, tensor: (Tensor) throws -> Tensor
    ) throws -> Value {
        let (v, s) = try a.required("x")
        switch v {
        case .int(let x):
            if let int { return .int(int(x)) }
            return .float(float(Double(x)))
        case .float(let d): return .float(float(d))
        case .tensor(let t): return .tensor(try tensor(t))
        case .list: return .tensor(try tensor(a.interp.toTensor(v, s, "x")))
        default: throw a.error(.type, "expected a number or a tensor, got \(v.typeName)", s)
        }
    }

    static func extremum(_ a: Args, isMax: Bool) throws -> Value {
        var items = a.restValues
        if items.count == 1 {
            let v = items[0]
            switch v {
            case .tensor(let t): return .tensor(isMax ? try t.max() : try t.min())
            case .range(let lo, let hi):
                guard lo < hi else { throw a.error(.value, "\(isMax ? "max" : "min") of an empty range") }
                return .int(isMax ? hi - 1 : lo)
            default: items = try a.interp.elements(v, a.span)
            }
        }
        guard var best = items.first else { throw a.error(.value, "\(isMax ? "max" : "min") of an empty sequence") }
        for v in items.dropFirst() {
            if case .bool(true) = try a.interp.binary(isMax ? .gt : .lt, v, best, a.span) { best = v }
        }
        return best
    }

    static let collections: [Builtin] = [
        B(
            "collections", "map",
            [
                p("xs", .any, doc: "a list, range, tuple, tensor (its rows) or generator"),
                p("f", .function),
            ], .list, "Applies a function or closure to each element, giving a list.",
            "map([1, 2, 3], { x in x * x })  // [1, 4, 9]", receiver: .list
        ) { a in
            let f = try a.callable("f")
            let next = try a.interp.iterator(try a.value("xs"), a.spanOf("xs"))
            var out: [Value] = []
            while let v = try next() { out.append(try a.interp.apply(f, [v], span: a.span)) }
            return .list(ListRef(out))
        },
        B(
            "collections", "filter", [p("xs", .any), p("f", .function)], .list,
            "The elements for which the function returns true.", "filter([1, 2, 3, 4], { x in x % 2 == 0 })  // [2, 4]",
            receiver: .list
        ) { a in
            let f = try a.callable("f")
            let next = try a.interp.iterator(try a.value("xs"), a.spanOf("xs"))
            var out: [Value] = []
            while let v = try next() {
                let keep = try a.interp.apply(f, [v], span: a.span)
                if try a.interp.truth(keep, a.span, "filter's function") { out.append(v) }
            }
            return .list(ListRef(out))
        },
        B(
            "collections", "sorted",
            [
                p("xs", .any),
                p(
                    "by", .function, .none, label: true,
                    doc: "a closure (a, b) in … that is true when a comes before b"),
            ], .list,
            "The elements in increasing order, or in the order `by` defines.",
            "sorted([3, 1, 2], by: { (a, b) in a > b })  // [3, 2, 1]", receiver: .list
        ) { a in
            let items = try a.interp.elements(try a.value("xs"), a.spanOf("xs"))
            let by = try a.optional("by")?.0
            var failure: (any Error)? = nil
            let interp = a.interp, span = a.span
            let out = items.sorted { x, y in
                guard failure == nil else { return false }
                do {
                    if let by {
                        return try interp.truth(try interp.apply(by, [x, y], span: span), span, "sorted's by")
                    }
                    return try interp.truth(try interp.binary(.lt, x, y, span), span, "sorted")
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return .list(ListRef(out))
        },
        B(
            "collections", "zip", [p("a", .any), p("b", .any)], .list,
            "Pairs up elements of two sequences into a list of tuples (as long as the shorter).",
            "zip([1, 2], [\"a\", \"b\"])  // [(1, \"a\"), (2, \"b\")]"
        ) { a in
            let ia = try a.interp.iterator(try a.value("a"), a.spanOf("a"))
            let ib = try a.interp.iterator(try a.value("b"), a.spanOf("b"))
            var out: [Value] = []
            while let x = try ia(), let y = try ib() { out.append(.tuple(TupleRef([x, y]))) }
            return .list(ListRef(out))
        },
        B(
            "collections", "enumerate", [p("xs", .any)], .list, "(index, element) pairs of a sequence.",
            "enumerate([\"a\", \"b\"])  // [(0, \"a\"), (1, \"b\")]"
        ) { a in
            let items = try a.interp.elements(try a.value("xs"), a.spanOf("xs"))
            return .list(ListRef(items.enumerated().map { .tuple(TupleRef([.int($0.offset), $0.element])) }))
        },
    ]
}
