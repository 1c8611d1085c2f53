public import CNN
import Foundation

/// `conv_demo(x, w, b)`: the lecture's convolution demo. The padded input, each filter with its bias and the
/// output volume are drawn as tables of numbers (readable without a script); the inline script steps through
/// the output cells (step, play, pause), outlines the current window in every input channel and the filter
/// in use, and writes the arithmetic out: `0·(−1) + 0·0 + … + b = −3`.
public enum ConvDemo {
    /// The numbers a demo shows; `output` comes from the runtime's convolution, not from the script.
    public struct Volume {
        /// C×Hp×Wp, already padded (zeros in the padding).
        public var input: Tensor
        public var padding: IntPair
        /// K×C×kh×kw.
        public var weight: Tensor
        /// K values.
        public var bias: [Double]
        /// K×OH×OW.
        public var output: Tensor
        public var stride: IntPair

        public init(input: Tensor, padding: IntPair, weight: Tensor, bias: [Double], output: Tensor, stride: IntPair) {
            self.input = input
            self.padding = padding
            self.weight = weight
            self.bias = bias
            self.output = output
            self.stride = stride
        }
    }

    public static func bundle(_ v: Volume) throws -> MIMEBundle {
        let id = "stride-conv-\(UUID().uuidString.prefix(8))"
        let (c, hp, wp) = (v.input.shape[0], v.input.shape[1], v.input.shape[2])
        let (k, kh, kw) = (v.weight.shape[0], v.weight.shape[2], v.weight.shape[3])
        let (oh, ow) = (v.output.shape[1], v.output.shape[2])
        let x = v.input.values, w = v.weight.values, o = v.output.values
        func table(_ vals: [Double], _ off: Int, _ rows: Int, _ cols: Int, cls: String, pad: IntPair? = nil) -> String {
            var s = "<table class=\"\(cls)\" style=\"border-collapse: collapse; margin: 2px 0 6px 0\">"
            for r in 0..<rows {
                s += "<tr>"
                for q in 0..<cols {
                    let inPad = pad.map { r < $0.h || r >= rows - $0.h || q < $0.w || q >= cols - $0.w } ?? false
                    s +=
                        "<td style=\"border: 1px solid #bbb; width: 24px; height: 20px; text-align: center; "
                        + "\(inPad ? "color: #999; background: #f3f3f3" : "")\">"
                        + "\(number(vals[off + r * cols + q]))</td>"
                }
                s += "</tr>"
            }
            return s + "</table>"
        }
        func column(_ title: String, _ body: String) -> String {
            "<div style=\"display: inline-block; vertical-align: top; margin-right: 18px\">"
                + "<div style=\"font-weight: bold; margin-bottom: 4px\">\(title)</div>\(body)</div>"
        }
        var inputs = ""
        for ch in 0..<c {
            inputs += "<div>x[:, :, \(ch)]</div>" + table(x, ch * hp * wp, hp, wp, cls: "stride-conv-x", pad: v.padding)
        }
        var filters = ""
        for f in 0..<k {
            var panels = ""
            for ch in 0..<c {
                panels +=
                    "<div>w\(f)[:, :, \(ch)]</div>" + table(w, (f * c + ch) * kh * kw, kh, kw, cls: "stride-conv-w")
            }
            filters +=
                "<div class=\"stride-conv-filter\" style=\"display: inline-block; vertical-align: top; "
                + "margin-right: 10px; padding: 2px\"><div style=\"font-weight: bold\">Filter W\(f) "
                + "(\(c)×\(kh)×\(kw))</div>\(panels)<div>Bias b\(f)</div>"
                + table(v.bias, f, 1, 1, cls: "stride-conv-b") + "</div>"
        }
        var outputs = ""
        for f in 0..<k {
            outputs += "<div>o[:, :, \(f)]</div>" + table(o, f * oh * ow, oh, ow, cls: "stride-conv-o")
        }
        let padText = v.padding.h == v.padding.w ? "\(v.padding.h)" : "\(v.padding.h)×\(v.padding.w)"
        let strideText = v.stride.h == v.stride.w ? "\(v.stride.h)" : "\(v.stride.h)×\(v.stride.w)"
        let data: [String: Any] = [
            "id": id, "c": c, "hp": hp, "wp": wp, "k": k, "kh": kh, "kw": kw, "oh": oh, "ow": ow,
            "sh": v.stride.h, "sw": v.stride.w, "x": x, "w": w, "b": v.bias, "o": o,
        ]
        let json = String(
            data: try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]), encoding: .utf8)
        let html =
            "<div class=\"stride-conv-demo\" id=\"\(id)\" style=\"font-family: sans-serif; font-size: 12px\">"
            + "<div style=\"margin-bottom: 6px\">Input volume \(c)×\(hp - 2 * v.padding.h)×\(wp - 2 * v.padding.w) "
            + "(padding \(padText), shown padded), \(k) filter\(k == 1 ? "" : "s") of \(c)×\(kh)×\(kw), stride "
            + "\(strideText) → output volume \(k)×\(oh)×\(ow)</div>"
            + column("Input Volume (+pad \(padText))", inputs) + column("Filters", filters)
            + column("Output Volume", outputs)
            + "<script>\(ConvDemoScript.source.replacingOccurrences(of: "__DATA__", with: json ?? "{}"))</script></div>"
        var text = ["<conv demo: input \(c)×\(hp)×\(wp) padded, \(k) filters \(kh)×\(kw), stride \(strideText)>"]
        for f in 0..<k {
            text.append("output volume o[:, :, \(f)]:")
            for r in 0..<oh {
                text.append("  " + (0..<ow).map { number(o[(f * oh + r) * ow + $0]) }.joined(separator: " "))
            }
        }
        return MIMEBundle(data: ["text/html": html, "text/plain": text.joined(separator: "\n")])
    }

    /// Integers as integers, other values to four significant digits, negatives with a minus sign (U+2212).
    static func number(_ v: Double) -> String {
        let s = v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int(v)) : String(format: "%.4g", v)
        return s.replacingOccurrences(of: "-", with: "−")
    }
}
