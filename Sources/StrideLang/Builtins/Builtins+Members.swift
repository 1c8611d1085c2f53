import CNN
import Foundation

extension Builtins {
    /// A member of receiver type `r` (not a plain function).
    static func member(
        _ r: Receiver, _ name: String, _ params: [Param], _ returns: ValueType, _ summary: String, _ example: String,
        property: Bool = false,
        fast: (@Sendable (UnsafeBufferPointer<Value>, Interpreter, Span) throws -> Value)? = nil,
        _ run: @escaping @Sendable (inout Args) throws -> Value
    ) -> Builtin {
        let receiverType: ValueType
        switch r {
        case .tensor: receiverType = .tensor
        case .layer: receiverType = .layer
        case .list: receiverType = .list
        case .tuple: receiverType = .tuple
        case .dict: receiverType = .dict
        case .string: receiverType = .string
        case .range: receiverType = .range
        case .optimizer: receiverType = .optimizer
        case .generator: receiverType = .generator
        case .function: receiverType = .function
        }
        return B(
            r.rawValue, name, [p("self", receiverType)] + params, returns, summary, example, receiver: r,
            function: false,
            property: property, fast: fast, run)
    }

    static func layerOf(_ a: Args) throws -> any Layer { try a.layer("self") }

    static let layerMembers: [Builtin] = [
        member(
            .layer, "output", [], .optional(.tensor),
            "The activation of the layer's most recent forward pass (read-only).",
            "Linear(2, 2).output", property: true
        ) { a in
            try layerOf(a).output.map { .tensor($0) } ?? .none
        },
        member(
            .layer, "parameters", [], .listOf(.tensor), "Every parameter, in state-dict order.",
            "Linear(2, 2).parameters",
            property: true
        ) { a in
            .list(ListRef(try layerOf(a).parameters.map { .tensor($0) }))
        },
        member(
            .layer, "training", [], .bool, "Whether the layer is in training mode (settable).", "Dropout(0.5).training",
            property: true
        ) { a in
            .bool(try layerOf(a).isTraining)
        },
        member(
            .layer, "count", [], .int, "The number of layers in a Sequential (or of sublayers).",
            "Sequential(ReLU(), ReLU()).count",
            property: true
        ) { a in
            let l = try layerOf(a)
            if let q = l as? Sequential { return .int(q.layers.count) }
            return .int(l.children.count)
        },
        member(
            .layer, "layers", [], .listOf(.layer), "The layers of a Sequential (or the sublayers), in order.",
            "Sequential(ReLU()).layers", property: true
        ) { a in
            let l = try layerOf(a)
            if let q = l as? Sequential { return .list(ListRef(q.layers.map { .layer($0) })) }
            return .list(ListRef(l.children.map { .layer($0.1) }))
        },
        member(
            .layer, "train", [p("on", .bool, .bool(true))], .none, "Training mode for the layer and every sublayer.",
            "Dropout(0.5).train()"
        ) { a in
            try layerOf(a).train(try a.bool("on"))
            return .none
        },
        member(
            .layer, "eval", [], .none, "Evaluation mode (dropout off, running statistics) for every sublayer.",
            "Dropout(0.5).eval()"
        ) { a in
            try layerOf(a).eval()
            return .none
        },
        member(.layer, "zero_grad", [], .none, "Clears every parameter's gradient.", "Linear(2, 2).zero_grad()") { a in
            try layerOf(a).zeroGrad()
            return .none
        },
        member(
            .layer, "forward", [p("x", .tensorLike)], .tensor, "Runs the layer (the same as calling it).",
            "Linear(2, 3).forward(ones(1, 2))"
        ) { a in
            let l = try layerOf(a), x = try a.tensor("x")
            return .tensor(try a.interp.callingLayer(a.span) { try l(x) })
        },
        member(
            .layer, "append", [p("layer", .layer)], .none, "Adds a layer (or a function) to a Sequential.",
            "Sequential(ReLU()).append(Tanh())"
        ) { a in
            guard let q = try layerOf(a) as? Sequential else {
                throw a.error(.type, "only a Sequential can append layers")
            }
            q.append(try a.layer("layer"))
            return .none
        },
        member(
            .layer, "freeze", [], .none,
            "Stops gradients to every parameter (requires_grad = false), for transfer learning.",
            "LeNet5().freeze()"
        ) { a in
            try layerOf(a).freeze()
            return .none
        },
        member(.layer, "unfreeze", [], .none, "Makes every parameter trainable again.", "LeNet5().unfreeze()") { a in
            try layerOf(a).freeze(false)
            return .none
        },
        member(
            .layer, "state_dict", [], .dict, "Parameters and buffers by PyTorch state-dict name (shared, not copied).",
            "Linear(2, 2).state_dict().keys"
        ) { a in
            .dict(DictRef(try layerOf(a).stateDict.map { (.string($0.0), .tensor($0.1)) }))
        },
    ]

    static func optimizerOf(_ a: Args) throws -> any Optimizer {
        let (v, s) = try a.required("self")
        guard case .optimizer(let o) = v else { throw a.error(.type, "not an optimiser: \(v.typeName)", s) }
        return o
    }

    static let optimizerMembers: [Builtin] = [
        member(
            .optimizer, "lr", [], .float, "The learning rate (settable).", "SGD(Linear(2, 2), lr: 0.1).lr",
            property: true
        ) { a in
            .float(try optimizerOf(a).lr)
        },
        member(
            .optimizer, "params", [], .listOf(.tensor), "The parameters it updates.",
            "SGD(Linear(2, 2), lr: 0.1).params",
            property: true
        ) { a in
            .list(ListRef(try optimizerOf(a).params.map { .tensor($0) }))
        },
        member(
            .optimizer, "step", [], .none, "Updates every parameter from its gradient.",
            "SGD(Linear(2, 2), lr: 0.1).step()"
        ) { a in
            try optimizerOf(a).step()
            return .none
        },
        member(
            .optimizer, "zero_grad", [], .none, "Clears the gradients of the optimiser's parameters.",
            "SGD(Linear(2, 2), lr: 0.1).zero_grad()"
        ) { a in
            try optimizerOf(a).zeroGrad()
            return .none
        },
    ]

    static func listOf(_ a: Args) throws -> ListRef {
        let (v, s) = try a.required("self")
        guard case .list(let l) = v else { throw a.error(.type, "not a list: \(v.typeName)", s) }
        return l
    }

    static let listMembers: [Builtin] = [
        member(
            .list, "count", [], .int, "The number of elements.", "[1, 2, 3].count", property: true,
            fast: { a, _, _ in
                guard case .list(let l) = a[0] else { return .none }
                return .int(l.items.count)
            }
        ) { a in .int(try listOf(a).items.count) },
        member(.list, "isEmpty", [], .bool, "Whether the list has no elements.", "[].isEmpty", property: true) { a in
            .bool(try listOf(a).items.isEmpty)
        },
        member(.list, "first", [], .any, "The first element, or nil.", "[1, 2].first", property: true) { a in
            try listOf(a).items.first ?? .none
        },
        member(.list, "last", [], .any, "The last element, or nil.", "[1, 2].last", property: true) { a in
            try listOf(a).items.last ?? .none
        },
        member(
            .list, "append", [p("v", .any)], .none, "Adds an element at the end.", "var xs = [1]; xs.append(2)",
            fast: { a, _, _ in
                guard case .list(let l) = a[0] else { return .none }
                l.items.append(a[1])
                return .none
            }
        ) { a in
            try listOf(a).items.append(try a.value("v"))
            return .none
        },
        member(
            .list, "insert", [p("v", .any), p("at", .int, label: true)], .none, "Inserts an element at a position.",
            "var xs = [1, 3]; xs.insert(2, at: 1)"
        ) { a in
            let l = try listOf(a)
            let i = try a.int("at")
            guard i >= 0 && i <= l.items.count else {
                throw a.error(.index, "position \(i) is out of range for inserting into \(l.items.count) elements")
            }
            l.items.insert(try a.value("v"), at: i)
            return .none
        },
        member(.list, "pop", [], .any, "Removes and returns the last element.", "var xs = [1, 2]; xs.pop()") { a in
            guard let last = try listOf(a).items.popLast() else { throw a.error(.index, "pop from an empty list") }
            return last
        },
        member(
            .list, "remove", [p("at", .int, label: true)], .any, "Removes and returns the element at a position.",
            "var xs = [1, 2]; xs.remove(at: 0)"
        ) { a in
            let l = try listOf(a)
            let i = try a.interp.intIndex(.int(try a.int("at")), l.items.count, a.spanOf("at"))
            return l.items.remove(at: i)
        },
        member(.list, "contains", [p("v", .any)], .bool, "Whether an element equals v.", "[1, 2].contains(2)") { a in
            let v = try a.value("v")
            for x in try listOf(a).items where try a.interp.equal(x, v, a.span) { return .bool(true) }
            return .bool(false)
        },
        member(.list, "reversed", [], .list, "The elements in reverse order (a new list).", "[1, 2, 3].reversed()") {
            a in
            .list(ListRef(try listOf(a).items.reversed()))
        },
    ]

    static func dictOf(_ a: Args) throws -> DictRef {
        let (v, s) = try a.required("self")
        guard case .dict(let d) = v else { throw a.error(.type, "not a dictionary: \(v.typeName)", s) }
        return d
    }

    static let dictMembers: [Builtin] = [
        member(.dict, "count", [], .int, "The number of entries.", "[\"a\": 1].count", property: true) { a in
            .int(try dictOf(a).count)
        },
        member(.dict, "isEmpty", [], .bool, "Whether there are no entries.", "[:].isEmpty", property: true) { a in
            .bool(try dictOf(a).count == 0)
        },
        member(.dict, "keys", [], .list, "The keys, in insertion order.", "[\"a\": 1, \"b\": 2].keys", property: true) {
            a in
            .list(ListRef(try dictOf(a).keys.map(\.value)))
        },
        member(
            .dict, "values", [], .list, "The values, in insertion order.", "[\"a\": 1, \"b\": 2].values", property: true
        ) { a in
            .list(ListRef(try dictOf(a).pairs.map(\.1)))
        },
        member(
            .dict, "contains", [p("key", .any)], .bool, "Whether the dictionary has the key.",
            "[\"W1\": 1].contains(\"W1\")"
        ) { a in
            .bool(try dictOf(a)[try a.interp.dictKey(a.value("key"), a.spanOf("key"))] != nil)
        },
        member(
            .dict, "get", [p("key", .any), p("default", .any, .none, label: true)], .any,
            "The value for a key, or the default (nil) when it is missing.", "[\"a\": 1].get(\"b\", default: 0)"
        ) { a in
            try dictOf(a)[try a.interp.dictKey(a.value("key"), a.spanOf("key"))] ?? a.value("default")
        },
        member(
            .dict, "remove", [p("key", .any)], .any,
            "Removes an entry and returns its value (a KeyError when missing).",
            "var d = [\"a\": 1]; d.remove(\"a\")"
        ) { a in
            let d = try dictOf(a)
            let k = try a.interp.dictKey(a.value("key"), a.spanOf("key"))
            guard let v = d[k] else { throw a.interp.keyError(k, d, a.spanOf("key")) }
            d[k] = nil
            return v
        },
    ]

    static func stringOf(_ a: Args) throws -> String {
        let (v, s) = try a.required("self")
        guard case .string(let str) = v else { throw a.error(.type, "not a String: \(v.typeName)", s) }
        return str
    }

    static let stringMembers: [Builtin] = [
        member(.string, "count", [], .int, "The number of characters.", "\"abc\".count", property: true) { a in
            .int(try stringOf(a).count)
        },
        member(.string, "isEmpty", [], .bool, "Whether the string is empty.", "\"\".isEmpty", property: true) { a in
            .bool(try stringOf(a).isEmpty)
        },
        member(
            .string, "contains", [p("s", .string)], .bool, "Whether the string contains s.",
            "\"stride\".contains(\"id\")"
        ) { a in
            .bool(try stringOf(a).contains(try a.string("s")))
        },
        member(.string, "uppercased", [], .string, "The string in upper case.", "\"relu\".uppercased()") { a in
            .string(try stringOf(a).uppercased())
        },
        member(.string, "lowercased", [], .string, "The string in lower case.", "\"ReLU\".lowercased()") { a in
            .string(try stringOf(a).lowercased())
        },
        member(
            .string, "split", [p("separator", .string, .string(" "), label: true)], .list,
            "The pieces between separators.",
            "\"a,b\".split(separator: \",\")"
        ) { a in
            let sep = try a.string("separator")
            guard !sep.isEmpty else { throw a.error(.value, "the separator cannot be empty") }
            return .list(ListRef(try stringOf(a).components(separatedBy: sep).map { .string($0) }))
        },
    ]

    static let otherMembers: [Builtin] = [
        member(.tuple, "count", [], .int, "The number of elements.", "(1, 2).count", property: true) { a in
            guard case .tuple(let t) = try a.value("self") else { return .int(0) }
            return .int(t.items.count)
        },
        member(.range, "count", [], .int, "The number of integers in the range.", "(0..<10).count", property: true) {
            a in
            guard case .range(let lo, let hi) = try a.value("self") else { return .int(0) }
            return .int(hi - lo)
        },
        member(.range, "lowerBound", [], .int, "The first integer.", "(2..<5).lowerBound", property: true) { a in
            guard case .range(let lo, _) = try a.value("self") else { return .int(0) }
            return .int(lo)
        },
        member(.range, "upperBound", [], .int, "One past the last integer.", "(2..<5).upperBound", property: true) {
            a in
            guard case .range(_, let hi) = try a.value("self") else { return .int(0) }
            return .int(hi)
        },
        member(
            .generator, "count", [], .optional(.int), "The number of items, when known.",
            "batches(zeros(10, 1), size: 4).count", property: true
        ) { a in
            guard case .generator(let g) = try a.value("self") else { return .none }
            return g.count.map { .int($0) } ?? .none
        },
    ]
}
