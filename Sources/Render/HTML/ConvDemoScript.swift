/// The convolution demo's script (plain ES5): controls above the tables, highlights and the arithmetic of the
/// current output cell. Output cells are visited filter by filter, row by row, as in the lecture's demo.
enum ConvDemoScript {
    static let source = ScriptPrelude.wrap(
        #"""
          function num(v) {
            var s = (Math.round(v) === v && Math.abs(v) < 1e15) ? String(v) : String(Number(v.toPrecision(4)));
            return s.replace("-", "\u2212");
          }
          function term(v) { return v < 0 ? "(" + num(v) + ")" : num(v); }
          var xs = root.querySelectorAll("table.stride-conv-x");
          var ws = root.querySelectorAll("table.stride-conv-w");
          var bs = root.querySelectorAll("table.stride-conv-b");
          var os = root.querySelectorAll("table.stride-conv-o");
          var filters = root.querySelectorAll(".stride-conv-filter");
          var bar = el("div", "margin: 4px 0 8px 0");
          var prev = el("button", "", "\u25c0 step"), play = el("button", "margin: 0 6px", "play");
          var next = el("button", "", "step \u25b6");
          prev.className = "stride-conv-prev"; play.className = "stride-conv-play"; next.className = "stride-conv-next";
          var where = el("span", "margin-left: 12px; font-weight: bold");
          where.className = "stride-conv-position";
          bar.appendChild(prev); bar.appendChild(play); bar.appendChild(next); bar.appendChild(where);
          var arith = el("div", "font-family: monospace; margin: 4px 0 10px 0; white-space: pre-wrap");
          arith.className = "stride-conv-arith";
          root.insertBefore(arith, root.children[1] || null);
          root.insertBefore(bar, arith);
          var total = D.k * D.oh * D.ow, step = 0, timer = null;
          var marked = [];
          function mark(cell, css) {
            cell.setAttribute("data-old", cell.style.cssText);
            cell.style.cssText += ";" + css;
            marked.push(cell);
          }
          function unmark() {
            marked.forEach(function (c) { c.style.cssText = c.getAttribute("data-old"); });
            marked = [];
            for (var f = 0; f < filters.length; f++) filters[f].style.outline = "";
          }
          function show() {
            unmark();
            var f = Math.floor(step / (D.oh * D.ow)), i = Math.floor(step / D.ow) % D.oh, j = step % D.ow;
            var y0 = i * D.sh, x0 = j * D.sw;
            var lines = [], sum = 0;
            for (var c = 0; c < D.c; c++) {
              var parts = [];
              for (var a = 0; a < D.kh; a++) {
                for (var b = 0; b < D.kw; b++) {
                  var xv = D.x[(c * D.hp + y0 + a) * D.wp + x0 + b];
                  var wv = D.w[((f * D.c + c) * D.kh + a) * D.kw + b];
                  sum += xv * wv;
                  parts.push(term(xv) + "\u00b7" + term(wv));
                  mark(xs[c].rows[y0 + a].cells[x0 + b],
                       "outline: 2px solid #1f77b4; outline-offset: -2px; background: #d6e8f7");
                  mark(ws[f * D.c + c].rows[a].cells[b], "background: #d6e8f7");
                }
              }
              lines.push("x[:, :, " + c + "] \u2299 w" + f + "[:, :, " + c + "]: " + parts.join(" + "));
            }
            sum += D.b[f];
            var out = D.o[(f * D.oh + i) * D.ow + j];
            lines.push("sum of the " + D.c + " channels + b" + f + " = " + num(sum - D.b[f]) + " + " + term(D.b[f]) +
                       " = " + num(out));
            arith.textContent = lines.join("\n");
            arith.setAttribute("data-value", String(out));
            arith.setAttribute("data-cell", f + "," + i + "," + j);
            where.textContent = "output o[" + i + ", " + j + ", " + f + "] (filter W" + f + ", row " + i +
                                ", column " + j +
                                ") \u2014 step " + (step + 1) + " of " + total;
            mark(os[f].rows[i].cells[j], "outline: 2px solid #d62728; outline-offset: -2px; background: #fbe0e0");
            mark(bs[f].rows[0].cells[0], "background: #d6e8f7");
            filters[f].style.outline = "2px solid #1f77b4";
          }
          function go(d) { step = (step + d + total) % total; show(); }
          function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "play"; } }
          prev.addEventListener("click", function () { stop(); go(-1); });
          next.addEventListener("click", function () { stop(); go(1); });
          play.addEventListener("click", function () {
            if (timer) { stop(); return; }
            play.textContent = "pause";
            timer = setInterval(function () { if (!root.isConnected) { stop(); return; } go(1); }, 900);
          });
          show();
        """#)
}
