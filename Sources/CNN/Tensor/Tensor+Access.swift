/// Reading and writing elements, copies, conversions and views of the whole tensor.
extension Tensor {
    /// Typed pointer to the first element (`storage` + `offset`); contiguous tensors only.
    @inline(__always) func data<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.pointer(T.self) + offset
    }

    /// Storage index of the element at a multi-index (already validated).
    @inline(__always) func storageIndex(_ idx: [Int]) -> Int {
        var p = offset
        for d in 0..<idx.count { p &+= idx[d] &* strides[d] }
        return p
    }

    /// The element at a multi-index, negative indices counting from the end (bounds checked).
    public func element(_ idx: [Int]) throws -> Double {
        storage.get(try storageIndex(checking: idx))
    }

    /// Writes one element in place (bounds, read-only and autograd rules checked; bumps the version).
    public func setElement(_ idx: [Int], _ v: Double) throws {
        let p = try storageIndex(checking: idx)
        try checkWritable()
        if dtype == .int64 { _ = try Shape.integer(v, "a value written into an int64 tensor") }
        storage.set(p, v)
        storage.bump()
    }

    /// Writes one element at a storage index the caller computed and bounds-checked (read-only and autograd rules
    /// checked; bumps the version).
    @inline(__always) public func setElement(storageIndex p: Int, _ v: Double) throws {
        try checkWritable()
        if dtype == .int64 { _ = try Shape.integer(v, "a value written into an int64 tensor") }
        storage.set(p, v)
        storage.bump()
    }

    /// Storage index of an element after checking the index against the shape.
    public func storageIndex(checking idx: [Int]) throws -> Int {
        guard idx.count == ndim else {
            throw CNNError.index(
                "\(idx.count) indices for a tensor of shape \(shapeString(shape)) (\(ndim) dimension\(ndim == 1 ? "" : "s"))"
            )
        }
        var p = offset
        for d in 0..<idx.count {
            let n = shape[d]
            let i = idx[d] < 0 ? idx[d] &+ n : idx[d]
            guard i >= 0 && i < n else {
                throw CNNError.index("index \(idx[d]) is out of bounds for dimension \(d) with size \(n)")
            }
            p &+= i &* strides[d]
        }
        return p
    }

    /// Throws unless in-place writes are allowed: not read-only, and not a tensor autograd tracks (a leaf
    /// that requires grad, or a result in a graph), as PyTorch forbids.
    public func checkWritable() throws {
        guard !isReadOnly else {
            throw CNNError.value(
                "this tensor is read-only (a layer's recorded output, or an expanded view); use .clone() for a copy you can change"
            )
        }
        guard !requiresGrad else {
            throw CNNError.value(
                "in-place write into a tensor that requires grad; use x.detach() or set requires_grad = false first")
        }
    }

    /// Visits the storage index of every element in row-major order (no interrupt checks: for small
    /// tensors and for loops that check themselves).
    @inline(__always) func forEachStorageIndex(_ body: (Int) throws -> Void) rethrows {
        if isContiguous {
            for i in 0..<count { try body(offset &+ i) }
            return
        }
        if count == 0 { return }
        let nd = ndim
        var idx = [Int](repeating: 0, count: nd)
        var p = offset
        for _ in 0..<count {
            try body(p)
            var k = nd - 1
            while k >= 0 {
                idx[k] += 1
                p &+= strides[k]
                if idx[k] < shape[k] { break }
                p &-= strides[k] &* shape[k]
                idx[k] = 0
                k -= 1
            }
        }
    }

    /// All elements as Doubles, row-major.
    public var values: [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        forEachStorageIndex { out.append(storage.get($0)) }
        return out
    }

    /// The one value of a tensor with one element.
    public func item() throws -> Double {
        guard count == 1 else {
            throw CNNError.value(
                "item() needs a tensor with one element, got shape \(shapeString(shape)) (\(count) elements)")
        }
        return storage.get(offset)
    }

    /// A view with the same elements and no graph history (shares storage and version; read-only stays so).
    public func detach() -> Tensor {
        let t = Tensor(viewOf: storage, shape: shape, strides: strides, offset: offset, count: count)
        t.isReadOnly = isReadOnly
        return t
    }

    /// A read-only view with no graph (what a layer records as its `output`).
    public func readOnlyView() -> Tensor {
        let t = detach()
        t.isReadOnly = true
        return t
    }

    /// A view of the same storage with another shape and strides (the caller keeps it in bounds).
    func view(shape newShape: [Int], strides newStrides: [Int], offset newOffset: Int) -> Tensor {
        let n = newShape.reduce(1, &*)
        let t = Tensor(viewOf: storage, shape: newShape, strides: newStrides, offset: newOffset, count: n)
        t.isReadOnly = isReadOnly
        return t
    }

    /// A deep copy into fresh contiguous storage, with no graph history.
    /// A copy with storage of its own (differentiable: the gradient passes through, as `torch.clone`).
    public func clone() throws -> Tensor {
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        try copyElements(into: out)
        return record(out, .clone, [self]) { g in [g] }
    }

    /// This tensor if contiguous, else a contiguous copy (differentiable).
    public func contiguous() throws -> Tensor {
        if isContiguous { return self }
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        try copyElements(into: out)
        return record(out, .contiguous, [self]) { g in [g] }
    }

    /// Copies the elements, row-major, into a contiguous tensor of the same count and dtype.
    func copyElements(into out: Tensor) throws {
        let es = dtype.byteSize
        if isContiguous {
            (out.storage.raw + out.offset * es).copyMemory(from: storage.raw + offset * es, byteCount: count * es)
            return
        }
        switch dtype {
        case .float32:
            try StridedKernels.gather(data(Float.self), strides: strides, shape: shape, out.data(Float.self))
        case .float64:
            try StridedKernels.gather(data(Double.self), strides: strides, shape: shape, out.data(Double.self))
        case .int64:
            try StridedKernels.gather(data(Int64.self), strides: strides, shape: shape, out.data(Int64.self))
        }
    }

    /// Converts to another element type (differentiable between the floating types). A float becoming an
    /// Int64 must be finite and in range, and is truncated toward zero.
    public func to(_ dt: DType) throws -> Tensor {
        if dt == dtype { return self }
        let src = try contiguous()
        let out = try Tensor(shape: shape, dtype: dt, zeroed: false)
        let n = count
        switch (dtype, dt) {
        case (.float32, .float64):
            let s = src.data(Float.self), d = out.data(Double.self)
            for i in 0..<n { d[i] = Double(s[i]) }
        case (.float64, .float32):
            let s = src.data(Double.self), d = out.data(Float.self)
            for i in 0..<n { d[i] = Float(s[i]) }
        case (.int64, .float32):
            let s = src.data(Int64.self), d = out.data(Float.self)
            for i in 0..<n { d[i] = Float(s[i]) }
        case (.int64, .float64):
            let s = src.data(Int64.self), d = out.data(Double.self)
            for i in 0..<n { d[i] = Double(s[i]) }
        default:
            let d = out.data(Int64.self)
            for i in 0..<n {
                d[i] = Int64(try Shape.integer(src.storage.get(src.offset + i), "element \(i) converted to int64"))
            }
        }
        guard dtype.isFloatingPoint, dt.isFloatingPoint else { return out }
        let from = dtype
        return record(out, named: "\(Primitive.convert.rawValue)(\(dt))", [self]) { g in [try g.to(from)] }
    }

    /// This tensor in a floating type: itself when already floating, else a Float32 copy (what ops that
    /// compute in floating point do with Int64 input, as true division does).
    public func floating() throws -> Tensor { dtype.isFloatingPoint ? self : try to(.float32) }

    /// Fills every element with `v`, in place (bumps the version); returns self.
    @discardableResult public func filled(_ v: Double) -> Tensor {
        storage.bump()
        guard isContiguous else {
            forEachStorageIndex { storage.set($0, v) }
            return self
        }
        let n = count
        switch dtype {
        case .float32:
            let p = data(Float.self), f = Float(v)
            for i in 0..<n { p[i] = f }
        case .float64:
            let p = data(Double.self)
            for i in 0..<n { p[i] = v }
        case .int64:
            let p = data(Int64.self), k = Int64(clampingForInt: v)
            for i in 0..<n { p[i] = k }
        }
        return self
    }
}
