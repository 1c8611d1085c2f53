import CNN
import Foundation

extension Builtins {
    /// A layer member whose body needs only the layer.
    static func layerMember(
        _ name: String, _ returns: ValueType, _ summary: String, _ example: String, property: Bool = false,
        setter: PropertySetter? = nil, _ f: @escaping @Sendable (any Layer) throws -> Value
    ) -> Builtin {
        member(.layer, LayerArgument.self, name, returns, summary, example, property: property, setter: setter) {
            _, l in { a in try f(a[l]) }
        }
    }

    static let layerMembers: [Builtin] = [
        layerMember(
            "output", .optional(.tensor), "The activation of the layer's most recent forward pass (read-only).",
            "Linear(2, 2).output", property: true
        ) { $0.output.map { .tensor($0) } ?? .none },
        layerMember(
            "parameters", .listOf(.tensor), "Every parameter, in state-dict order.", "Linear(2, 2).parameters",
            property: true
        ) { .list(ListRef($0.parameters.map { .tensor($0) })) },
        layerMember(
            "training", .bool, "Whether the layer is in training mode (settable).", "Dropout(0.5).training",
            property: true,
            setter: { recv, v, _, s in
                guard case .layer(let l) = recv else { return }
                guard case .bool(let b) = v else { throw StrideError(.type, "training must be a Bool", span: s) }
                l.train(b)
            }
        ) { .bool($0.isTraining) },
        layerMember(
            "count", .int, "The number of layers in a Sequential (or of sublayers).",
            "Sequential(ReLU(), ReLU()).count",
            property: true
        ) { l in .int((l as? any IndexableLayers)?.count ?? l.children.count) },
        layerMember(
            "layers", .listOf(.layer), "The layers of a Sequential (or the sublayers), in order.",
            "Sequential(ReLU()).layers", property: true
        ) { l in .list(ListRef(((l as? any IndexableLayers)?.elements ?? l.children.map(\.1)).map { .layer($0) })) },
        member(
            .layer, LayerArgument.self, "train", .none, "Training mode for the layer and every sublayer.",
            "Dropout(0.5).train()"
        ) { d, l in
            let on = d.p("on", Bool.self, true)
            return { a in
                try a[l].train(a[on])
                return .none
            }
        },
        layerMember(
            "eval", .none, "Evaluation mode (dropout off, running statistics) for every sublayer.",
            "Dropout(0.5).eval()"
        ) {
            $0.eval()
            return .none
        },
        layerMember("zero_grad", .none, "Clears every parameter's gradient.", "Linear(2, 2).zero_grad()") {
            $0.zeroGrad()
            return .none
        },
        member(
            .layer, LayerArgument.self, "forward", .tensor, "Runs the layer (the same as calling it).",
            "Linear(2, 3).forward(ones(1, 2))"
        ) { d, l in
            let x = d.p("x", Tensor.self)
            return { a in
                let (layer, input) = (try a[l], try a[x])
                return .tensor(try a.context.callingLayers { try layer(input) })
            }
        },
        member(
            .layer, LayerArgument.self, "append", .none, "Adds a layer (or a function) to a Sequential.",
            "Sequential(ReLU()).append(Tanh())"
        ) { d, l in
            let layer = d.p("layer", LayerArgument.self)
            return { a in
                guard let q = try a[l] as? any IndexableLayers else {
                    throw a.error(.type, "only a Sequential can append layers")
                }
                q.append(try a[layer])
                return .none
            }
        },
        layerMember(
            "freeze", .none, "Stops gradients to every parameter (requires_grad = false), for transfer learning.",
            "LeNet5().freeze()"
        ) {
            $0.freeze()
            return .none
        },
        layerMember("unfreeze", .none, "Makes every parameter trainable again.", "LeNet5().unfreeze()") {
            $0.freeze(false)
            return .none
        },
        layerMember(
            "state_dict", .dict, "Parameters and buffers by PyTorch state-dict name (shared, not copied).",
            "Linear(2, 2).state_dict().keys"
        ) { .dict(DictRef($0.stateDict.map { (.string($0.0), .tensor($0.1)) })) },
    ]

    /// An optimiser member whose body needs only the optimiser.
    static func optimizerMember(
        _ name: String, _ returns: ValueType, _ summary: String, _ example: String, property: Bool = false,
        setter: PropertySetter? = nil, _ f: @escaping @Sendable (any Optimizer) throws -> Value
    ) -> Builtin {
        member(.optimizer, OptimizerArgument.self, name, returns, summary, example, property: property, setter: setter)
        { _, o in { a in try f(a[o]) } }
    }

    static let optimizerMembers: [Builtin] = [
        optimizerMember(
            "lr", .float, "The learning rate (settable).", "SGD(Linear(2, 2), lr: 0.1).lr", property: true,
            setter: { recv, v, _, s in
                guard case .optimizer(let o) = recv else { return }
                o.lr = try number(v, s, "lr")
            }
        ) { .float($0.lr) },
        optimizerMember(
            "params", .listOf(.tensor), "The parameters it updates.", "SGD(Linear(2, 2), lr: 0.1).params",
            property: true
        ) { .list(ListRef($0.params.map { .tensor($0) })) },
        optimizerMember(
            "step", .none, "Updates every parameter from its gradient.", "SGD(Linear(2, 2), lr: 0.1).step()"
        ) {
            try $0.step()
            return .none
        },
        optimizerMember(
            "zero_grad", .none, "Clears the gradients of the optimiser's parameters.",
            "SGD(Linear(2, 2), lr: 0.1).zero_grad()"
        ) {
            $0.zeroGrad()
            return .none
        },
    ]

    static let listMembers: [Builtin] = [
        member(.list, ListRef.self, "count", .int, "The number of elements.", "[1, 2, 3].count", property: true) {
            _, l in { a in .int(try a[l].items.count) }
        },
        member(.list, ListRef.self, "isEmpty", .bool, "Whether the list has no elements.", "[].isEmpty", property: true)
        { _, l in { a in .bool(try a[l].items.isEmpty) } },
        member(.list, ListRef.self, "first", .any, "The first element, or nil.", "[1, 2].first", property: true) {
            _, l in { a in try a[l].items.first ?? .none }
        },
        member(.list, ListRef.self, "last", .any, "The last element, or nil.", "[1, 2].last", property: true) {
            _, l in { a in try a[l].items.last ?? .none }
        },
        member(.list, ListRef.self, "append", .none, "Adds an element at the end.", "var xs = [1]; xs.append(2)") {
            d, l in
            let v = d.p("v", Value.self)
            return { a in
                try a[l].append(try a[v])
                return .none
            }
        },
        member(
            .list, ListRef.self, "insert", .none, "Inserts an element at a position.",
            "var xs = [1, 3]; xs.insert(2, at: 1)"
        ) { d, l in
            let v = d.p("v", Value.self), at = d.label("at", Int.self)
            return { a in
                let (list, i) = (try a[l], try a[at])
                guard i >= 0 && i <= list.items.count else {
                    throw a.error(
                        .index, "position \(i) is out of range for inserting into \(list.items.count) elements")
                }
                try list.insert(try a[v], at: i)
                return .none
            }
        },
        member(.list, ListRef.self, "pop", .any, "Removes and returns the last element.", "var xs = [1, 2]; xs.pop()") {
            _, l in
            { a in
                guard let last = try a[l].popLast() else { throw a.error(.index, "pop from an empty list") }
                return last
            }
        },
        member(
            .list, ListRef.self, "remove", .any, "Removes and returns the element at a position.",
            "var xs = [1, 2]; xs.remove(at: 0)"
        ) { d, l in
            let at = d.label("at", Int.self)
            return { a in
                let list = try a[l]
                let i = try intIndex(.int(try a[at]), list.items.count, a.span(of: at))
                return list.remove(at: i)
            }
        },
        member(.list, ListRef.self, "contains", .bool, "Whether an element equals v.", "[1, 2].contains(2)") { d, l in
            let v = d.p("v", Value.self)
            return { a in
                let x = try a[v]
                for item in try a[l].items where try equal(item, x, a.span) { return .bool(true) }
                return .bool(false)
            }
        },
        member(
            .list, ListRef.self, "reversed", .list, "The elements in reverse order (a new list).",
            "[1, 2, 3].reversed()"
        ) { _, l in { a in .list(ListRef(try a[l].items.reversed())) } },
    ]

    static let dictMembers: [Builtin] = [
        member(.dict, DictRef.self, "count", .int, "The number of entries.", "[\"a\": 1].count", property: true) {
            _, d in { a in .int(try a[d].count) }
        },
        member(.dict, DictRef.self, "isEmpty", .bool, "Whether there are no entries.", "[:].isEmpty", property: true) {
            _, d in { a in .bool(try a[d].count == 0) }
        },
        member(
            .dict, DictRef.self, "keys", .list, "The keys, in insertion order.", "[\"a\": 1, \"b\": 2].keys",
            property: true
        ) { _, d in { a in .list(ListRef(try a[d].keys.map(\.value))) } },
        member(
            .dict, DictRef.self, "values", .list, "The values, in insertion order.", "[\"a\": 1, \"b\": 2].values",
            property: true
        ) { _, d in { a in .list(ListRef(try a[d].pairs.map(\.1))) } },
        member(
            .dict, DictRef.self, "contains", .bool, "Whether the dictionary has the key.",
            "[\"W1\": 1].contains(\"W1\")"
        ) { sig, d in
            let key = sig.p("key", Value.self)
            return { a in .bool(try a[d][try dictKey(a[key], a.span(of: key))] != nil) }
        },
        member(
            .dict, DictRef.self, "get", .any, "The value for a key, or the default (nil) when it is missing.",
            "[\"a\": 1].get(\"b\", default: 0)"
        ) { sig, d in
            let key = sig.p("key", Value.self), fallback = sig.label("default", Value.self, .nilValue)
            return { a in try a[d][try dictKey(a[key], a.span(of: key))] ?? a[fallback] }
        },
        member(
            .dict, DictRef.self, "remove", .any, "Removes an entry and returns its value (a KeyError when missing).",
            "var d = [\"a\": 1]; d.remove(\"a\")"
        ) { sig, d in
            let key = sig.p("key", Value.self)
            return { a in
                let dict = try a[d]
                let k = try dictKey(a[key], a.span(of: key))
                guard let v = dict[k] else { throw keyError(k, dict, a.span(of: key)) }
                dict[k] = nil
                return v
            }
        },
    ]

    /// A string member whose body needs only the string.
    static func stringMember(
        _ name: String, _ returns: ValueType, _ summary: String, _ example: String, property: Bool = false,
        _ f: @escaping @Sendable (String) throws -> Value
    ) -> Builtin {
        member(.string, String.self, name, returns, summary, example, property: property) { _, s in
            { a in try f(a[s]) }
        }
    }

    static let stringMembers: [Builtin] = [
        stringMember("count", .int, "The number of characters.", "\"abc\".count", property: true) { .int($0.count) },
        stringMember("isEmpty", .bool, "Whether the string is empty.", "\"\".isEmpty", property: true) {
            .bool($0.isEmpty)
        },
        member(.string, String.self, "contains", .bool, "Whether the string contains s.", "\"stride\".contains(\"id\")")
        { d, str in
            let s = d.p("s", String.self)
            return { a in .bool(try a[str].contains(try a[s])) }
        },
        stringMember("uppercased", .string, "The string in upper case.", "\"relu\".uppercased()") {
            .string($0.uppercased())
        },
        stringMember("lowercased", .string, "The string in lower case.", "\"ReLU\".lowercased()") {
            .string($0.lowercased())
        },
        member(
            .string, String.self, "split", .list, "The pieces between separators.", "\"a,b\".split(separator: \",\")"
        ) { d, str in
            let separator = d.label("separator", String.self, " ")
            return { a in
                let sep = try a[separator]
                guard !sep.isEmpty else { throw a.error(.value, "the separator cannot be empty") }
                return .list(ListRef(try a[str].components(separatedBy: sep).map { .string($0) }))
            }
        },
    ]

    static let otherMembers: [Builtin] = [
        member(.tuple, TupleRef.self, "count", .int, "The number of elements.", "(1, 2).count", property: true) {
            _, t in { a in .int(try a[t].items.count) }
        },
        member(
            .range, IntRange.self, "count", .int, "The number of integers in the range.", "(0..<10).count",
            property: true
        ) { _, r in
            { a in
                let x = try a[r]
                return .int(try rangeCount(x.lower, x.upper, a.span))
            }
        },
        member(.range, IntRange.self, "lowerBound", .int, "The first integer.", "(2..<5).lowerBound", property: true) {
            _, r in { a in .int(try a[r].lower) }
        },
        member(
            .range, IntRange.self, "upperBound", .int, "One past the last integer.", "(2..<5).upperBound",
            property: true
        ) { _, r in { a in .int(try a[r].upper) } },
        member(
            .generator, Generator.self, "count", .optional(.int), "The number of items, when known.",
            "batches(zeros(10, 1), size: 4).count", property: true
        ) { _, g in { a in try a[g].count.map { .int($0) } ?? .none } },
    ]
}
