public import CNN
import Foundation

/// One row of the explorer: an activation (the whole batch; image 0 is shown) and its node in the field
/// graph.
public struct ExplorerSection {
    public var name: String
    public var typeName: String
    public var tensor: Tensor
    /// The tensor's node in the explorer's `FieldGraph` (nil: no receptive fields for it).
    public var node: Int?

    public init(name: String, typeName: String, tensor: Tensor, node: Int?) {
        self.name = name
        self.typeName = typeName
        self.tensor = tensor
        self.node = node
    }
}

/// `explore(model, x)`: every layer's activation maps in one self-contained interactive page fragment (inline
/// script and data, nothing fetched): hovering a cell shows its value and position and outlines its receptive
/// field in the input and every earlier layer; clicking a map enlarges it; the colour scale is per layer or per
/// map. The bundle also carries `image/png` (all maps stacked) and `text/plain` for front ends that run no
/// script, and the HTML shows that picture until its script runs.
public enum ActivationExplorer {
    /// Values sent per section at most (maps beyond are left out, with a note).
    public static let maxValuesPerSection = 65_536

    public static func bundle(
        _ sections: [ExplorerSection], fields: FieldGraph? = nil, maxMaps: Int = 16
    ) throws -> MIMEBundle {
        let id = "stride-explore-\(UUID().uuidString.prefix(8))"
        var payload: [[String: Any]] = []
        var text = ["activation explorer (hover a cell for its value and receptive field):"]
        for s in sections {
            try Cancellation.check()
            let p = try part(s, maxMaps: maxMaps)
            payload.append(p.json)
            let label = s.name == s.typeName ? s.name : "\(s.name) \(s.typeName)"
            text.append("  \(label): \(shapeString(s.tensor.shape))" + (p.note.map { " (\($0))" } ?? ""))
        }
        let lut: [String: [Int]] = [
            "viridis": lutBytes(.viridis), "diverging": lutBytes(.diverging),
        ]
        var object: [String: Any] = ["id": id, "sections": payload, "lut": lut]
        if let fields { object["graph"] = graphJSON(fields) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        // `</` cannot end the script early: JSON escapes nothing else that HTML would read
        let json = (String(data: data, encoding: .utf8) ?? "{}").replacingOccurrences(of: "</", with: "<\\/")
        let still = try ActivationGrid.composite(
            sections.map { ($0.name, $0.typeName, $0.tensor) }, maxMaps: maxMaps)
        let png = try still.image.png().base64EncodedString()
        // what shows where the script does not run (an untrusted notebook, a sanitising viewer): every layer's
        // maps with its name, shape and legend, and how to turn the live view on
        var fallback =
            "<div class=\"stride-explore-fallback\"><div class=\"stride-explore-trust\" style=\"padding: 4px 8px; "
            + "margin-bottom: 6px; background: #fff8c5; border: 1px solid #d4a72c\">A still picture of every layer's "
            + "maps: the live explorer (hover a cell for its value and receptive field) runs when the notebook is "
            + "trusted (File ▸ Trust Notebook, or <code>jupyter trust</code>) and the cell is run again.</div>"
        for s in sections {
            let label = s.name == s.typeName ? s.name : "\(s.name) \(s.typeName)"
            fallback += try ActivationGrid.figure(label, s.tensor, maxMaps: maxMaps)
        }
        fallback += "</div>"
        let html = """
            <div class="stride-explore" id="\(id)" style="font-family: sans-serif; font-size: 12px">\
            \(fallback)\
            <script>\(ExplorerScript.source.replacingOccurrences(of: "__DATA__", with: json))</script></div>
            """
        return MIMEBundle(
            data: ["text/html": html, "image/png": png, "text/plain": text.joined(separator: "\n")],
            metadata: ["image/png": ["width": still.image.width, "height": still.image.height]])
    }

    /// A section as the script reads it: image 0's maps as base64 little-endian Float32, their geometry, and
    /// the window over the previous section.
    private static func part(_ s: ExplorerSection, maxMaps: Int) throws -> (json: [String: Any], note: String?) {
        let t = s.tensor
        var first = try withNoGrad { try t.detach().floating() }
        if t.ndim == 4 || t.ndim == 2 { first = try first.index([.index(0)]) }
        var maps = 1, h = 1, w = 1, flat = false
        switch first.ndim {
        case 3:
            (maps, h, w) = (first.shape[0], first.shape[1], first.shape[2])
        case 2:
            (h, w) = (first.shape[0], first.shape[1])
        default:
            // a vector is wrapped into rows (about twice as wide as high) so it reads as a strip of cells
            flat = true
            let n = first.count
            w = n <= 16 ? Swift.max(n, 1) : Int(Double(2 * n).squareRoot().rounded(.up))
            h = Swift.max(1, (n + w - 1) / w)
        }
        let perMap = flat ? first.count : h * w
        let shown = Swift.max(0, Swift.min(maps, maxMaps, Swift.max(1, maxValuesPerSection / Swift.max(perMap, 1))))
        let values = perMap == 0 ? [] : Array(first.values.prefix(shown * perMap))
        let floats = values.map { Float($0) }
        let b64 = floats.withUnsafeBytes { Data($0).base64EncodedString() }
        var json: [String: Any] = [
            "name": s.name, "type": s.typeName, "shape": t.shape, "rank": t.ndim, "maps": shown, "total": maps,
            "h": h, "w": w, "flat": flat, "count": perMap, "data": b64,
        ]
        if let node = s.node { json["node"] = node }
        let note = shown < maps ? "showing the first \(shown) of \(maps) maps" : nil
        return (json, note)
    }

    /// The field graph as the script walks it: per node its channels and size, per link its target and
    /// source, target channels, channel map, and row and column tables (pairs; an empty span is [1, 0]).
    private static func graphJSON(_ g: FieldGraph) -> [String: Any] {
        func table(_ t: [ClosedRange<Int>?]) -> [Int] {
            t.flatMap { $0.map { [$0.lowerBound, $0.upperBound] } ?? [1, 0] }
        }
        func map(_ m: ChannelMap) -> [Any] {
            switch m {
            case .all: ["all"]
            case .offset(let k): ["offset", k]
            case .groups(let n): ["groups", n]
            case .near(let b, let a): ["near", b, a]
            case .range(let r): ["range", r.lowerBound, r.upperBound]
            case .flattened(let h, let w): ["flat", h, w]
            }
        }
        let nodes: [[String: Any]] = g.nodes.map { ["c": $0.channels, "h": $0.height, "w": $0.width] }
        let links: [[String: Any]] = g.links.map { l in
            var j: [String: Any] = [
                "t": l.target, "s": l.source, "lo": l.channels.lowerBound, "hi": l.channels.upperBound, "m": map(l.map),
            ]
            if let r = l.rows, let c = l.cols {
                j["r"] = table(r)
                j["c"] = table(c)
            }
            return j
        }
        return ["nodes": nodes, "links": links]
    }

    private static func lutBytes(_ c: Colormap) -> [Int] {
        (0...256).flatMap { i -> [Int] in
            let (r, g, b) = c.color(Double(i) / 256)
            return [Int(r), Int(g), Int(b)]
        }
    }
}
