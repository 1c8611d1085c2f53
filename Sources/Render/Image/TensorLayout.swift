import CNN

/// How a tensor's maps are laid out in a picture: which maps (offset and channel count), the grid, the tile
/// size, the upscaling factor, and the sampling step for maps larger than the picture's limit.
struct TensorLayout {
    /// Every map: its first element's offset and its channels in one tile (1, or 3 for RGB).
    var maps: [(offset: Int, channels: Int)] = []
    /// The size of a map in the tensor.
    var sourceH = 1, sourceW = 1
    /// The size of a tile before upscaling (`source` sampled every `step` rows and columns).
    var tileH = 1, tileW = 1
    var cols = 1, rows = 1
    /// How many maps are drawn (bounded by the options' count and pixel limits).
    var shown = 0
    var step = 1
    /// Pixels per cell.
    var scale = 1
    /// Cells of a map past `valid` are left blank (the tail of a vector wrapped into rows).
    var valid = Int.max
    var rgb = false

    init(_ t: Tensor, _ opt: ImageOptions) throws {
        var H = 1, W = 1
        switch t.ndim {
        case 0, 1,
            2 where t.ndim < 2 || t.shape[0] == 1:
            // a vector (or a 1×F row, as after Flatten or Linear) is wrapped into rows about twice as wide as
            // high, so it reads as a strip of cells rather than a one-pixel line
            let n = t.count
            W = n <= 16 ? Swift.max(n, 1) : Int(Double(2 * n).squareRoot().rounded(.up))
            H = Swift.max(1, (n + W - 1) / W)
            valid = n
            maps = [(0, 1)]
        case 2:
            (H, W) = (t.shape[0], t.shape[1])
            maps = [(0, 1)]
        case 3:
            (H, W) = (t.shape[1], t.shape[2])
            maps = (0..<t.shape[0]).map { ($0 * H * W, 1) }
            cols = TensorImage.gridColumns(maps.count)
        case 4:
            (H, W) = (t.shape[2], t.shape[3])
            rgb = opt.rgb ?? (t.shape[1] == 3)
            if t.shape[1] == 1 && !rgb {
                maps = (0..<t.shape[0]).map { ($0 * H * W, 1) }
                cols = TensorImage.gridColumns(maps.count)
            } else if rgb {
                maps = (0..<t.shape[0]).map { ($0 * 3 * H * W, 3) }
                cols = TensorImage.gridColumns(maps.count)
            } else {
                maps = (0..<(t.shape[0] * t.shape[1])).map { ($0 * H * W, 1) }
                cols = t.shape[1]
            }
        default:
            throw CNNError.shape("show draws tensors of 1 to 4 dimensions, got shape \(shapeString(t.shape))")
        }
        // bound the count and the picture size
        shown = Swift.min(maps.count, opt.maxMaps)
        if H * W * shown > opt.maxPixels { shown = Swift.max(1, opt.maxPixels / Swift.max(H * W, 1)) }
        cols = Swift.max(1, Swift.min(cols, shown))
        rows = (shown + cols - 1) / cols
        // a map larger than the picture's limit is drawn from every `step`-th row and column (a 2048×2048 map
        // would otherwise be a 12 MB picture)
        (sourceH, sourceW) = (H, W)
        step = H * W > opt.maxPixels ? Int((Double(H * W) / Double(opt.maxPixels)).squareRoot().rounded(.up)) : 1
        tileH = (H + step - 1) / step
        tileW = (W + step - 1) / step
        let side = Swift.max(Swift.min(tileH, tileW), 1)
        scale = Swift.max(1, Swift.min((opt.minTile + side - 1) / side, cap(opt.maxPixels, perTile: shown)))
        if valid != Int.max {
            // cells of a vector at least 8 pixels square, as the size limit allows
            scale = Swift.max(scale, Swift.min(8, Swift.max(cap(opt.maxPixels, perTile: 1), 1)))
        }
    }

    /// The largest scale at which `count` tiles stay within `maxPixels`.
    func cap(_ maxPixels: Int, perTile count: Int) -> Int {
        Int((Double(maxPixels) / Double(Swift.max(tileH * tileW * count, 1))).squareRoot())
    }

    /// Upscales small results (a 10×10 confusion matrix, a few logits) to at least `minWidth` pixels wide.
    mutating func widen(toAtLeast minWidth: Int, maxPixels: Int) {
        guard cols * tileW * scale < minWidth else { return }
        let limit = cap(maxPixels, perTile: shown)
        scale = Swift.max(scale, Swift.min((minWidth + cols * tileW - 1) / (cols * tileW), Swift.max(limit, 1)))
    }

    /// Space between tiles.
    var gap: Int { shown > 1 ? Swift.max(2, scale) : 0 }

    var width: Int { Swift.max(cols * tileW * scale + (cols - 1) * gap, 1) }

    /// The colour bar's height (RGB tiles are each scaled to their own range: no bar describes them).
    var barHeight: Int { rgb ? 0 : Swift.max(6, Swift.min(12, tileH * scale / 6)) }

    func height(colorBar: Bool) -> Int {
        let bar = colorBar ? barHeight : 0
        return rows * tileH * scale + (rows - 1) * gap + (bar > 0 ? bar + gap + 2 : 0)
    }
}
