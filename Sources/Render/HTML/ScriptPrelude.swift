/// What every inline output script starts with: its data (`__DATA__`, replaced with JSON by the Swift side), its
/// own `<div>` found from `document.currentScript` (front ends re-create script elements when they insert an
/// output; the id is the fallback), a guard so a re-run script builds nothing twice, and `el`, which makes an
/// element with a style and text. `wrap` puts a script's body after it inside one function.
enum ScriptPrelude {
    static func wrap(_ body: String) -> String {
        "(function () {\n" + prelude + "\n" + body + "\n})();\n"
    }

    private static let prelude = #"""
          var D = __DATA__;
          var me = document.currentScript;
          var root = (me && me.parentElement) || document.getElementById(D.id);
          if (!root || root.getAttribute("data-ready")) return;
          root.setAttribute("data-ready", "1");
          function el(tag, css, text) {
            var e = document.createElement(tag);
            if (css) e.style.cssText = css;
            if (text !== undefined) e.textContent = text;
            return e;
          }
        """#
}
