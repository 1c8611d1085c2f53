/// The activation explorer's script: plain ES5 and the DOM, nothing loaded. It finds its own `<div>` from
/// `document.currentScript` (front ends re-create script elements when they insert an output), hides the
/// fallback picture and builds the page from `__DATA__`, which `ActivationExplorer` replaces with JSON.
enum ExplorerScript {
    static let source = ScriptPrelude.wrap(
        #"""
          function decode(b) {
            var s = atob(b), u = new Uint8Array(s.length);
            for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
            return new Float32Array(u.buffer);
          }
          // a hovered value: six significant digits
          function fmt(v) {
            if (!isFinite(v)) return String(v);
            var a = Math.abs(v);
            return (a !== 0 && (a < 0.001 || a >= 1e5)) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
          }
          // a legend's number: three significant digits, as Legend.number in Swift
          function fmt3(v) {
            if (!isFinite(v)) return String(v);
            if (v === 0) return "0";
            var a = Math.abs(v);
            if (a < 1e-4 || a >= 1e6) return v.toExponential(2).replace(/\.?0+e/, "e");
            return String(Number(v.toPrecision(3)));
          }
          // the one legend: a colour bar with min, 0 (diverging scales), max under it
          function legend(width) {
            var g = el("div", "width: " + width + "px; font-size: 11px; margin-top: 2px; line-height: normal");
            g.className = "stride-legend";
            var barc = el("canvas", "display: block; width: " + width + "px; height: 8px");
            barc.width = 120; barc.height = 1;
            var labels = el("div", "display: flex; justify-content: space-between");
            var lo = el("span"), zero = el("span", "", "0"), hi = el("span");
            labels.appendChild(lo); labels.appendChild(zero); labels.appendChild(hi);
            g.appendChild(barc); g.appendChild(labels);
            return { box: g, bar: barc, lo: lo, zero: zero, hi: hi };
          }
          function drawLegend(g, r) {
            g.lo.textContent = fmt3(r[0]); g.hi.textContent = fmt3(r[1]);
            g.zero.style.visibility = r[2] === D.lut.diverging ? "visible" : "hidden";
            var ctx = g.bar.getContext("2d"), img = ctx.createImageData(120, 1);
            for (var x = 0; x < 120; x++) {
              var q = Math.round(x * 256 / 119) * 3;
              img.data[4 * x] = r[2][q]; img.data[4 * x + 1] = r[2][q + 1];
              img.data[4 * x + 2] = r[2][q + 2]; img.data[4 * x + 3] = 255;
            }
            ctx.putImageData(img, 0, 0);
          }
          var fallback = root.querySelector(".stride-explore-fallback");
          if (fallback) fallback.style.display = "none";
          var bar = el("div", "margin: 2px 0 6px 0");
          var sel = el("select");
          sel.className = "stride-explore-scale";
          [["layer", "colour scale per layer"], ["map", "colour scale per map"]].forEach(function (o) {
            var op = el("option", "", o[1]); op.value = o[0]; sel.appendChild(op);
          });
          bar.appendChild(sel);
          var info = el("span", "margin-left: 12px; font-family: monospace",
                        "hover a cell: its value, position and receptive field; click a map to enlarge it");
          info.className = "stride-explore-info";
          bar.appendChild(info);
          root.appendChild(bar);
          var zoom = el("div", "display: none; margin: 4px 0 8px 0; padding: 6px; border: 1px solid #ccc");
          zoom.className = "stride-explore-zoom";
          root.appendChild(zoom);
          var S = D.sections;
          S.forEach(function (s, k) {
            s.values = decode(s.data);
            s.index = k;
            var side = Math.max(1, Math.min(s.h, s.w));
            s.scale = s.flat ? Math.max(8, Math.min(24, Math.floor(480 / s.w)))
                             : Math.max(1, Math.min(Math.ceil(96 / side), Math.floor(480 / s.w) || 1));
            var lo = Infinity, hi = -Infinity;
            for (var i = 0; i < s.values.length; i++) {
              var v = s.values[i];
              if (isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
            }
            if (!isFinite(lo)) { lo = 0; hi = 1; }
            s.lo = lo; s.hi = hi;
            // one colour map per layer, whatever the scale: diverging when its values have both signs
            s.diverging = lo < 0 && hi > 0;
            var box = el("div", "margin: 0 0 10px 0");
            var cap = el("div", "margin-bottom: 2px",
                          s.name + (s.name === s.type ? "" : " " + s.type) + " \u2014 [" + s.shape.join(", ") + "]" +
                          (s.maps < s.total ? " (first " + s.maps + " of " + s.total + " maps)" : "") +
                          (s.flat && s.h > 1 ? " (in rows of " + s.w + ")" : ""));
            cap.className = "stride-explore-caption";
            box.appendChild(cap);
            var row = el("div", "display: flex; flex-wrap: wrap; gap: 4px; align-items: flex-start");
            s.views = [];
            for (var m = 0; m < s.maps; m++) {
              var wrap = el("div", "position: relative; line-height: 0");
              var cv = el("canvas", "image-rendering: pixelated; cursor: crosshair; width: " + s.w * s.scale +
                          "px; height: " + s.h * s.scale + "px");
              cv.width = s.w; cv.height = s.h;
              cv.className = "stride-explore-map";
              cv.setAttribute("data-section", k); cv.setAttribute("data-map", m);
              cv.setAttribute("role", "img");
              cv.setAttribute("aria-label", s.name + " map " + m);
              var hl = el("div", "position: absolute; display: none; pointer-events: none; " +
                          "border: 2px solid #ff2d95; box-sizing: border-box");
              var own = legend(Math.max(60, s.w * s.scale));
              own.box.style.display = "none";
              var column = el("div", "");
              wrap.appendChild(cv); wrap.appendChild(hl);
              column.appendChild(wrap); column.appendChild(own.box);
              row.appendChild(column);
              s.views.push({ canvas: cv, hl: hl, map: m, legend: own });
              attach(cv, s, m, false);
            }
            box.appendChild(row);
            s.legend = legend(160);
            box.appendChild(s.legend.box);
            root.appendChild(box);
          });
          function range(s, m) {
            if (sel.value === "layer") return [s.lo, s.hi];
            var lo = Infinity, hi = -Infinity, n = s.count;
            for (var i = m * n; i < (m + 1) * n; i++) {
              var v = s.values[i];
              if (isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
            }
            return isFinite(lo) ? [lo, hi] : [0, 1];
          }
          function paint(cv, s, m) {
            var r = range(s, m), lo = r[0], hi = r[1];
            var lut = s.diverging ? D.lut.diverging : D.lut.viridis;
            if (s.diverging) { var a = Math.max(-lo, hi, 1e-30); lo = -a; hi = a; }
            var span = hi > lo ? hi - lo : 1;
            var ctx = cv.getContext("2d"), img = ctx.createImageData(s.w, s.h), n = s.count;
            for (var i = 0; i < s.w * s.h; i++) {
              var o = 4 * i;
              if (i >= n) { img.data[o] = img.data[o + 1] = img.data[o + 2] = 255; img.data[o + 3] = 255; continue; }
              var v = s.values[m * n + i];
              if (isNaN(v)) {
                img.data[o] = 255; img.data[o + 1] = 0; img.data[o + 2] = 255; img.data[o + 3] = 255;
                continue;
              }
              var q = Math.max(0, Math.min(256, Math.round((v - lo) * 256 / span))) * 3;
              img.data[o] = lut[q]; img.data[o + 1] = lut[q + 1]; img.data[o + 2] = lut[q + 2]; img.data[o + 3] = 255;
            }
            ctx.putImageData(img, 0, 0);
            return [lo, hi, lut];
          }
          function paintAll() {
            var perMap = sel.value === "map";
            S.forEach(function (s) {
              var last;
              s.views.forEach(function (v) {
                last = paint(v.canvas, s, v.map);
                v.legend.box.style.display = perMap ? "" : "none";
                if (perMap) drawLegend(v.legend, last);
              });
              s.legend.box.style.display = perMap || !last ? "none" : "";
              if (last && !perMap) drawLegend(s.legend, last);
            });
            if (zoom.view) paint(zoom.view.canvas, zoom.view.s, zoom.view.m);
          }
          function position(s, m, y, x) {
            if (s.flat) {
              var i = y * s.w + x;
              return s.rank === 1 ? [i] : [0, i];
            }
            if (s.rank === 4) return [0, m, y, x];
            if (s.rank === 3) return [m, y, x];
            return [y, x];
          }
          function clear() {
            S.forEach(function (s) { s.views.forEach(function (v) { v.hl.style.display = "none"; }); });
          }
          function outlineView(s, v, r) {
            var y0 = Math.max(0, r[0]), y1 = Math.min(s.h - 1, r[1]);
            var x0 = Math.max(0, r[2]), x1 = Math.min(s.w - 1, r[3]);
            if (y1 < y0 || x1 < x0) return;
            var st = v.hl.style;
            st.left = x0 * s.scale + "px"; st.top = y0 * s.scale + "px";
            st.width = (x1 - x0 + 1) * s.scale + "px"; st.height = (y1 - y0 + 1) * s.scale + "px";
            st.display = "block";
          }
          // the field graph (FieldGraph in Swift): the same walk, link by link from the hovered node back
          var G = D.graph || { nodes: [], links: [] };
          var into = G.nodes.map(function () { return []; });
          G.links.forEach(function (l) { into[l.t].push(l); });
          function join(a, b) {
            if (!a) return b;
            if (!b) return a;
            return [Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.max(a[3], b[3])];
          }
          function whole(n) { return [0, G.nodes[n].h - 1, 0, G.nodes[n].w - 1]; }
          function span(t, a, b) {
            var lo = Infinity, hi = -Infinity, n = t.length / 2;
            for (var i = Math.max(a, 0); i <= Math.min(b, n - 1); i++) {
              if (t[2 * i] <= t[2 * i + 1]) { lo = Math.min(lo, t[2 * i]); hi = Math.max(hi, t[2 * i + 1]); }
            }
            return lo <= hi ? [lo, hi] : null;
          }
          function read(l, r) {
            if (!l.r) return whole(l.s);
            var v = span(l.r, r[0], r[1]), h = span(l.c, r[2], r[3]);
            return v && h ? [v[0], v[1], h[0], h[1]] : null;
          }
          function sources(m, c, tc, sc) {
            var lo, hi;
            if (m[0] === "all") { lo = 0; hi = sc; }
            else if (m[0] === "offset") { lo = c + m[1]; hi = lo + 1; }
            else if (m[0] === "groups") {
              if (tc % m[1] || sc % m[1]) { lo = 0; hi = sc; }
              else { var g = Math.floor(c / (tc / m[1])), z = sc / m[1]; lo = g * z; hi = lo + z; }
            }
            else if (m[0] === "near") { lo = c - m[1]; hi = c + m[2] + 1; }
            else { lo = m[1]; hi = m[2]; }
            return [Math.max(0, lo), Math.min(sc, hi)];
          }
          function rectOf(reg, c) { return join(reg.per[c] || null, reg.all); }
          function follow(l, reg, R) {
            var t = G.nodes[l.t], s = G.nodes[l.s], out = R[l.s] || { all: null, per: {} }, got = false;
            var hi = Math.min(l.hi, t.c);
            if (l.m[0] === "flat") {
              // feature f is cell (f mod h·w) of channel f / (h·w)
              var hw = Math.max(1, l.m[1] * l.m[2]);
              for (var f = l.lo; f < hi; f++) {
                if (!rectOf(reg, f)) continue;
                var ch = Math.floor(f / hw), at = f % hw, yy = Math.floor(at / l.m[2]), xx = at % l.m[2];
                if (ch < s.c) { out.per[ch] = join([yy, yy, xx, xx], out.per[ch] || null); got = true; }
              }
              if (got) R[l.s] = out;
              return;
            }
            if (l.m[0] === "all" || l.m[0] === "range" || !l.r) {
              var j = null;
              for (var c = l.lo; c < hi; c++) j = join(rectOf(reg, c), j);
              var r = j && read(l, j);
              if (!r) return;
              var k = sources(l.m, 0, t.c, s.c);
              if (k[1] - k[0] === s.c) out.all = join(r, out.all);
              else for (var q = k[0]; q < k[1]; q++) out.per[q] = join(r, out.per[q] || null);
              got = true;
            } else {
              for (var c2 = l.lo; c2 < hi; c2++) {
                var rc = rectOf(reg, c2), r2 = rc && read(l, rc);
                if (!r2) continue;
                var k2 = sources(l.m, c2, t.c, s.c);
                for (var q2 = k2[0]; q2 < k2[1]; q2++) out.per[q2] = join(r2, out.per[q2] || null);
                got = true;
              }
            }
            if (got) R[l.s] = out;
          }
          function fieldOf(node, c, y, x) {
            var R = G.nodes.map(function () { return null; });
            var n = G.nodes[node], first = { all: null, per: {} };
            // a tensor that is not N×C×H×W is one cell of one channel
            y = Math.min(y, n.h - 1); x = Math.min(x, n.w - 1);
            first.per[Math.min(c, n.c - 1)] = [y, y, x, x];
            R[node] = first;
            for (var t = node; t >= 0; t--) {
              if (!R[t]) continue;
              var reg = R[t];
              into[t].forEach(function (l) { follow(l, reg, R); });
            }
            return R;
          }
          function unionOf(reg) {
            var r = reg.all;
            for (var k in reg.per) r = join(reg.per[k], r);
            return r;
          }
          // the features of a vector section a field covers, in its rows of cells
          function flatRect(o, reg) {
            if (reg.all || G.nodes[o.node].c === 1) return [0, o.h - 1, 0, o.w - 1];
            var lo = Infinity, hi = -Infinity;
            for (var k in reg.per) { lo = Math.min(lo, +k); hi = Math.max(hi, +k); }
            if (lo > hi) return null;
            var r0 = Math.floor(lo / o.w), r1 = Math.floor(hi / o.w);
            return r0 === r1 ? [r0, r0, lo % o.w, hi % o.w] : [r0, r1, 0, o.w - 1];
          }
          function hover(s, m, y, x) {
            var i = y * s.w + x;
            if (i >= s.count) return;
            var v = s.values[m * s.count + i];
            var pos = position(s, m, y, x);
            var text = s.name + "[" + pos.join(", ") + "] = " + fmt(v);
            info.textContent = text;
            info.setAttribute("data-value", String(v));
            info.setAttribute("data-section", s.index);
            info.setAttribute("data-position", pos.join(","));
            info.removeAttribute("data-field");
            clear();
            if (!s.flat) outlineView(s, s.views[m], [y, y, x, x]);
            if (s.node === undefined || !G.nodes.length) return;
            var R = fieldOf(s.node, s.flat ? i : m, s.flat ? 0 : y, s.flat ? 0 : x);
            S.forEach(function (o) {
              if (o.index >= s.index || o.node === undefined || o.node === s.node || !R[o.node]) return;
              o.views.forEach(function (w) {
                var r = o.flat ? flatRect(o, R[o.node]) : rectOf(R[o.node], w.map);
                if (r) outlineView(o, w, r);
              });
            });
            var f = R[0] && unionOf(R[0]);
            if (f && s.index > 0) {
              info.textContent = text + " \u2014 receptive field: input rows " + f[0] + "\u2013" + f[1] +
                                 ", cols " + f[2] + "\u2013" + f[3];
              info.setAttribute("data-field", f.join(","));
            }
          }
          // the readout again beside the pointer, so it is in view however far the maps are scrolled
          root.style.position = "relative";
          var tip = el("div", "position: absolute; display: none; pointer-events: none; z-index: 3; max-width: 420px; " +
                       "padding: 3px 6px; font-family: monospace; font-size: 11px; background: #fffbe6; " +
                       "border: 1px solid #d4a72c; box-shadow: 0 1px 3px rgba(0,0,0,0.2)");
          tip.className = "stride-explore-tip";
          root.appendChild(tip);
          function attach(cv, s, m, big) {
            cv.addEventListener("mousemove", function (e) {
              var b = cv.getBoundingClientRect();
              var x = Math.floor((e.clientX - b.left) / b.width * s.w);
              var y = Math.floor((e.clientY - b.top) / b.height * s.h);
              if (x >= 0 && y >= 0 && x < s.w && y < s.h) {
                hover(s, m, y, x);
                var r = root.getBoundingClientRect();
                tip.textContent = info.textContent;
                tip.style.left = (e.clientX - r.left + 14) + "px";
                tip.style.top = (e.clientY - r.top + 14) + "px";
                tip.style.display = "block";
              }
            });
            cv.addEventListener("mouseleave", function () { clear(); tip.style.display = "none"; });
            if (!big) cv.addEventListener("click", function () { enlarge(s, m); });
          }
          function enlarge(s, m) {
            zoom.innerHTML = "";
            var head = el("div", "margin-bottom: 4px", s.name + " map " + m + " [" + s.h + "\u00d7" + s.w + "] ");
            var close = el("button", "margin-left: 8px", "close");
            close.addEventListener("click", function () { zoom.style.display = "none"; zoom.view = null; });
            head.appendChild(close);
            zoom.appendChild(head);
            var f = Math.max(1, Math.floor(320 / Math.max(s.w, s.h)));
            var cv = el("canvas", "image-rendering: pixelated; cursor: crosshair; width: " + s.w * f +
                        "px; height: " + s.h * f + "px");
            cv.width = s.w; cv.height = s.h;
            cv.className = "stride-explore-zoomed";
            zoom.appendChild(cv);
            zoom.view = { canvas: cv, s: s, m: m };
            attach(cv, s, m, true);
            zoom.style.display = "block";
            paint(cv, s, m);
          }
          sel.addEventListener("change", paintAll);
          paintAll();
        """#)
}
