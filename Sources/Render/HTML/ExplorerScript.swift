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
          function fmt(v) {
            if (!isFinite(v)) return String(v);
            var a = Math.abs(v);
            return (a !== 0 && (a < 0.001 || a >= 1e5)) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
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
              wrap.appendChild(cv); wrap.appendChild(hl);
              row.appendChild(wrap);
              s.views.push({ canvas: cv, hl: hl, map: m });
              attach(cv, s, m, false);
            }
            box.appendChild(row);
            var legend = el("div", "display: flex; align-items: center; gap: 6px; margin-top: 2px; font-size: 11px");
            s.legendLo = el("span"); s.legendHi = el("span");
            s.legendBar = el("canvas", "width: 120px; height: 8px");
            s.legendBar.width = 120; s.legendBar.height = 1;
            legend.appendChild(s.legendLo); legend.appendChild(s.legendBar); legend.appendChild(s.legendHi);
            box.appendChild(legend);
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
            var lut = D.lut.viridis;
            if (lo < 0 && hi > 0) { var a = Math.max(-lo, hi); lo = -a; hi = a; lut = D.lut.diverging; }
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
            S.forEach(function (s) {
              var last;
              s.views.forEach(function (v) { last = paint(v.canvas, s, v.map); });
              if (!last) return;
              s.legendLo.textContent = fmt(last[0]); s.legendHi.textContent = fmt(last[1]);
              var ctx = s.legendBar.getContext("2d"), img = ctx.createImageData(120, 1);
              for (var x = 0; x < 120; x++) {
                var q = Math.round(x * 256 / 119) * 3;
                img.data[4 * x] = last[2][q]; img.data[4 * x + 1] = last[2][q + 1];
                img.data[4 * x + 2] = last[2][q + 2]; img.data[4 * x + 3] = 255;
              }
              ctx.putImageData(img, 0, 0);
              s.legendBar.style.display = sel.value === "layer" ? "" : "none";
              s.legendLo.style.display = s.legendHi.style.display = sel.value === "layer" ? "" : "none";
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
          function outline(s, r) {
            s.views.forEach(function (v) {
              var y0 = Math.max(0, r[0]), y1 = Math.min(s.h - 1, r[1]);
              var x0 = Math.max(0, r[2]), x1 = Math.min(s.w - 1, r[3]);
              if (y1 < y0 || x1 < x0) return;
              var st = v.hl.style;
              st.left = x0 * s.scale + "px"; st.top = y0 * s.scale + "px";
              st.width = (x1 - x0 + 1) * s.scale + "px"; st.height = (y1 - y0 + 1) * s.scale + "px";
              st.display = "block";
            });
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
            clear();
            if (!s.flat) outline({ views: [s.views[m]], h: s.h, w: s.w, scale: s.scale }, [y, y, x, x]);
            // walk back through the layers, widening the field by each window
            var r = s.flat ? null : [y, y, x, x];
            var fields = [];
            for (var k = s.index; k > 0; k--) {
              var win = S[k].window, prev = S[k - 1];
              if (!r || !win || S[k].flat || prev.flat) r = null;
              else r = [r[0] * win[2] - win[4], r[1] * win[2] - win[4] + win[0] - 1,
                        r[2] * win[3] - win[5], r[3] * win[3] - win[5] + win[1] - 1];
              var shown = r || [0, prev.h - 1, 0, prev.w - 1];
              outline(prev, shown);
              if (k === 1) fields.push("input rows " + Math.max(0, shown[0]) + "\u2013" +
                                       Math.min(prev.h - 1, shown[1]) +
                                       ", cols " + Math.max(0, shown[2]) + "\u2013" + Math.min(prev.w - 1, shown[3]));
            }
            if (fields.length) info.textContent = text + " \u2014 receptive field: " + fields[0];
          }
          function attach(cv, s, m, big) {
            cv.addEventListener("mousemove", function (e) {
              var b = cv.getBoundingClientRect();
              var x = Math.floor((e.clientX - b.left) / b.width * s.w);
              var y = Math.floor((e.clientY - b.top) / b.height * s.h);
              if (x >= 0 && y >= 0 && x < s.w && y < s.h) hover(s, m, y, x);
            });
            cv.addEventListener("mouseleave", clear);
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
