import Foundation

/// A value from a restricted pickle: what a PyTorch state dict and the usual training checkpoint hold.
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// Keys in insertion order (OrderedDict and dict alike).
    case dict([(PickleValue, PickleValue)])
    case tensor(Tensor)
    /// A storage reference from a persistent id: its archive key and element type.
    case storage(key: String, type: String)
    /// A global the unpickler allows (a storage type, OrderedDict, a tensor rebuild function).
    case global(String)
}

/// Python's pickle, restricted to what `torch.save(model.state_dict(), …)` writes: the opcodes of protocols 2
/// to 5 that build numbers, strings, tuples, lists and dicts, and only these globals: `collections.OrderedDict`,
/// `torch._utils._rebuild_tensor_v2`, `torch._utils._rebuild_parameter` and the typed storage classes. Any other
/// global (such as `os.system`) or opcode is refused with an error naming it, before anything is called: a file
/// never runs code. Tensors are made by the caller's `rebuild` from their storages.
struct Unpickler {
    static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
        "torch.BoolStorage", "builtins.set", "builtins.frozenset",
    ]

    let b: [UInt8]
    let name: String
    /// Makes a tensor from `_rebuild_tensor_v2`'s arguments: storage, offset, size, stride.
    let rebuild: (_ storage: PickleValue, _ offset: Int, _ size: [Int], _ stride: [Int]) throws -> Tensor
    var pos = 0
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]

    init(
        _ bytes: [UInt8], name: String,
        rebuild: @escaping (PickleValue, Int, [Int], [Int]) throws -> Tensor
    ) {
        b = bytes
        self.name = name
        self.rebuild = rebuild
    }

    func fail(_ what: String) -> CNNError { CNNError.io("\(name): \(what)") }

    mutating func byte() throws -> UInt8 {
        guard pos < b.count else { throw fail("the pickle ends early (truncated)") }
        defer { pos += 1 }
        return b[pos]
    }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= b.count - pos else { throw fail("the pickle ends early (a \(n)-byte field)") }
        defer { pos += n }
        return Array(b[pos..<(pos + n)])
    }

    mutating func uint(_ n: Int) throws -> Int {
        let raw = try bytes(n)
        var v: UInt64 = 0
        for (k, x) in raw.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
        guard v < 1 << 62 else { throw fail("a length of \(v) bytes") }
        return Int(v)
    }

    mutating func line() throws -> String {
        guard let end = b[pos...].firstIndex(of: 0x0A) else { throw fail("the pickle ends early (a text line)") }
        defer { pos = end + 1 }
        return String(decoding: b[pos..<end], as: UTF8.self)
    }

    mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw fail("corrupt pickle (the stack is empty)") }
        return v
    }

    mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast(), m <= stack.count else { throw fail("corrupt pickle (no mark)") }
        defer { stack.removeSubrange(m...) }
        return Array(stack[m...])
    }

    mutating func global(_ module: String, _ attr: String) throws -> PickleValue {
        let full = "\(module).\(attr)"
        guard Self.allowedGlobals.contains(full) else {
            throw CNNError.io(
                "\(name): refused to load: the pickle calls '\(full)', which a state dict never needs "
                    + "(Stride reads only tensors, numbers, strings, lists and dictionaries, and never runs code)")
        }
        return .global(full)
    }

    /// Runs the pickle to its STOP and returns the value it built.
    mutating func load() throws -> PickleValue {
        var steps = 0
        while true {
            steps += 1
            if steps & 0xFFF == 0 { try Cancellation.check() }
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()  // PROTO
            case 0x95: _ = try bytes(8)  // FRAME
            case 0x2E: return try pop()  // STOP
            case 0x28: marks.append(stack.count)  // MARK
            case 0x7D: stack.append(.dict([]))  // EMPTY_DICT
            case 0x5D: stack.append(.list([]))  // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))  // EMPTY_TUPLE
            case 0x4E: stack.append(.none)
            case 0x88: stack.append(.bool(true))
            case 0x89: stack.append(.bool(false))
            case 0x4B: stack.append(.int(Int(try byte())))  // BININT1
            case 0x4D: stack.append(.int(try uint(2)))  // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x8A:  // LONG1
                let n = Int(try byte())
                guard n <= 8 else { throw fail("an integer of \(n) bytes is out of range") }
                let raw = try bytes(n)
                var v: UInt64 = 0
                for (k, x) in raw.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
                if n > 0 && n < 8 && raw[n - 1] & 0x80 != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) }
                stack.append(.int(Int(Int64(bitPattern: v))))
            case 0x47:  // BINFLOAT, big-endian
                let raw = try bytes(8)
                stack.append(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x58: stack.append(.string(String(decoding: try bytes(try uint(4)), as: UTF8.self)))
            case 0x8C: stack.append(.string(String(decoding: try bytes(Int(try byte())), as: UTF8.self)))
            case 0x8D: stack.append(.string(String(decoding: try bytes(try uint(8)), as: UTF8.self)))
            case 0x55: stack.append(.string(String(decoding: try bytes(Int(try byte())), as: UTF8.self)))
            case 0x54: stack.append(.string(String(decoding: try bytes(try uint(4)), as: UTF8.self)))
            case 0x43: stack.append(.bytes(try bytes(Int(try byte()))))  // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(try bytes(try uint(4))))  // BINBYTES
            case 0x71: memo[Int(try byte())] = stack.last  // BINPUT
            case 0x72: memo[try uint(4)] = stack.last  // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last  // MEMOIZE
            case 0x68, 0x6A:  // BINGET, LONG_BINGET
                let k = op == 0x68 ? Int(try byte()) : try uint(4)
                guard let v = memo[k] else { throw fail("corrupt pickle (memo \(k) is unset)") }
                stack.append(v)
            case 0x63: stack.append(try global(try line(), try line()))  // GLOBAL
            case 0x93:  // STACK_GLOBAL
                let attr = try pop()
                let module = try pop()
                guard case .string(let m) = module, case .string(let a) = attr else {
                    throw fail("corrupt pickle (STACK_GLOBAL)")
                }
                stack.append(try global(m, a))
            case 0x85: stack.append(.tuple([try pop()]))
            case 0x86:
                let y = try pop()
                let x = try pop()
                stack.append(.tuple([x, y]))
            case 0x87:
                let z = try pop()
                let y = try pop()
                let x = try pop()
                stack.append(.tuple([x, y, z]))
            case 0x74: stack.append(.tuple(try popMark()))  // TUPLE
            case 0x6C: stack.append(.list(try popMark()))  // LIST
            case 0x64: stack.append(.dict(try pairs(try popMark())))  // DICT
            case 0x61:  // APPEND
                let v = try pop()
                try appendTo(&stack, [v])
            case 0x65: try appendTo(&stack, try popMark())  // APPENDS
            case 0x73:  // SETITEM
                let v = try pop()
                let k = try pop()
                try setItems(&stack, [(k, v)])
            case 0x75: try setItems(&stack, try pairs(try popMark()))  // SETITEMS
            case 0x51:  // BINPERSID
                stack.append(try persistent(try pop()))
            case 0x52:  // REDUCE
                let args = try pop()
                let f = try pop()
                stack.append(try call(f, args))
            case 0x62:  // BUILD: state on an object we built (OrderedDict's _metadata, a tensor's hooks): ignored
                _ = try pop()
            default:
                throw fail(String(format: "refused to load: pickle opcode 0x%02X is not one a state dict uses", op))
            }
        }
    }

    func pairs(_ items: [PickleValue]) throws -> [(PickleValue, PickleValue)] {
        guard items.count % 2 == 0 else { throw fail("corrupt pickle (an odd number of dict items)") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    func appendTo(_ stack: inout [PickleValue], _ items: [PickleValue]) throws {
        guard case .list(var xs) = stack.last else { throw fail("corrupt pickle (APPEND to a non-list)") }
        xs.append(contentsOf: items)
        stack[stack.count - 1] = .list(xs)
    }

    func setItems(_ stack: inout [PickleValue], _ items: [(PickleValue, PickleValue)]) throws {
        guard case .dict(var d) = stack.last else { throw fail("corrupt pickle (SETITEM on a non-dict)") }
        for (k, v) in items {
            if let i = d.firstIndex(where: { same($0.0, k) }) { d[i].1 = v } else { d.append((k, v)) }
        }
        stack[stack.count - 1] = .dict(d)
    }

    func same(_ a: PickleValue, _ b: PickleValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        default: return false
        }
    }

    /// `('storage', torch.FloatStorage, key, location, numel)`.
    func persistent(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let t) = pid, t.count >= 3, case .string("storage") = t[0], case .global(let type) = t[1]
        else {
            throw fail("refused to load: an unknown persistent reference \(pid)")
        }
        let key: String
        switch t[2] {
        case .string(let s): key = s
        case .int(let i): key = String(i)
        default: throw fail("a storage with a bad key")
        }
        return .storage(key: key, type: type)
    }

    func ints(_ v: PickleValue, _ what: String) throws -> [Int] {
        guard case .tuple(let xs) = v else { throw fail("\(what) is not a tuple") }
        return try xs.map { x in
            guard case .int(let i) = x else { throw fail("\(what) holds a non-integer") }
            return i
        }
    }

    func call(_ f: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let fn) = f, case .tuple(let a) = args else {
            throw fail("refused to load: the pickle calls something that is not an allowed function")
        }
        switch fn {
        case "collections.OrderedDict":
            return .dict([])
        case "torch._utils._rebuild_tensor_v2":
            guard a.count >= 4, case .int(let offset) = a[1] else { throw fail("bad _rebuild_tensor_v2 arguments") }
            return .tensor(try rebuild(a[0], offset, try ints(a[2], "a tensor's size"), try ints(a[3], "its stride")))
        case "torch._utils._rebuild_parameter":
            guard let t = a.first, case .tensor = t else { throw fail("bad _rebuild_parameter arguments") }
            return t
        case "builtins.set", "builtins.frozenset":
            guard let first = a.first, case .list(let xs) = first else { return .list([]) }
            return .list(xs)
        default:
            throw fail("refused to load: the pickle calls '\(fn)'")
        }
    }
}
