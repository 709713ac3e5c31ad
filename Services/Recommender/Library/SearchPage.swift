/// The search page served at `GET /`: one self-contained HTML document (inline CSS and JavaScript, no
/// outside assets) with a query box and a grid of result images, captions and scores from `/v1/search`.
enum SearchPage {
    /// The page, offering `methods` (the served model's) in a selector.
    static func html(methods: [String]) -> String {
        let options = methods.map { "<option value=\"\(escape($0))\">\(escape($0))</option>" }.joined()
        return template.replacingOccurrences(of: "<!--METHODS-->", with: options)
    }

    /// `text` safe inside HTML text and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static let template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>imgrec search</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #222; }
          header { padding: 1.2rem 1.5rem; background: #fff; border-bottom: 1px solid #ddd; }
          h1 { font-size: 1.2rem; margin: 0 0 .7rem; }
          form { display: flex; gap: .5rem; flex-wrap: wrap; }
          input[type=search] { flex: 1 1 20rem; font-size: 1rem; padding: .5rem .7rem; }
          select, button { font-size: 1rem; padding: .5rem .7rem; }
          #status { padding: .7rem 1.5rem; color: #666; min-height: 1.2rem; }
          #grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
                  gap: 1rem; padding: 0 1.5rem 2rem; }
          figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; overflow: hidden; }
          figure img { width: 100%; height: 180px; object-fit: cover; display: block; background: #eee; }
          figcaption { padding: .5rem .6rem; font-size: .9rem; }
          .score { color: #666; font-variant-numeric: tabular-nums; font-size: .8rem; margin-top: .3rem; }
        </style>
        </head>
        <body>
        <header>
          <h1>imgrec: find photos by describing them</h1>
          <form id="search">
            <input type="search" id="q" placeholder="two dogs looking out of a wooden hut" autofocus>
            <select id="method" title="ranking method"><option value="">default</option><!--METHODS--></select>
            <select id="k" title="results"><option>5</option><option selected>10</option><option>20</option>
              <option>50</option></select>
            <button type="submit">Search</button>
          </form>
        </header>
        <div id="status"></div>
        <main id="grid"></main>
        <script>
        const form = document.getElementById("search");
        const grid = document.getElementById("grid");
        const status = document.getElementById("status");
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const q = document.getElementById("q").value.trim();
          if (!q) { status.textContent = "Type a description first."; return; }
          const params = new URLSearchParams({ q, k: document.getElementById("k").value });
          const method = document.getElementById("method").value;
          if (method) params.set("method", method);
          status.textContent = "Searching…";
          grid.replaceChildren();
          history.replaceState(null, "", "?" + params);
          try {
            const response = await fetch("/v1/search?" + params);
            const body = await response.json();
            if (!response.ok) { status.textContent = body.error ? body.error.message : "Search failed."; return; }
            const notes = body.diagnostics || {};
            status.textContent = body.results.length + " result(s) by " + body.method +
              (notes.fallback ? " (" + notes.fallback + ")" : "") +
              (notes.unknown_terms ? "; unknown words: " + notes.unknown_terms : "");
            for (const result of body.results) {
              const figure = document.createElement("figure");
              const image = document.createElement("img");
              image.src = result.image_url || "";
              image.alt = result.caption;
              image.loading = "lazy";
              const caption = document.createElement("figcaption");
              caption.textContent = result.caption;
              const score = document.createElement("div");
              score.className = "score";
              score.textContent = "score " + result.score.toFixed(4) + " · " + result.file;
              caption.append(score);
              figure.append(image, caption);
              grid.append(figure);
            }
          } catch (error) {
            status.textContent = "The recommender could not be reached.";
          }
        });
        // A shared link such as /?q=stonehenge&k=5 fills the form and searches at once.
        const shared = new URLSearchParams(location.search);
        if (shared.get("q")) {
          document.getElementById("q").value = shared.get("q");
          for (const name of ["k", "method"]) {
            const select = document.getElementById(name);
            if ([...select.options].some((option) => option.value === shared.get(name))) {
              select.value = shared.get(name);
            }
          }
          form.requestSubmit();
        }
        </script>
        </body>
        </html>
        """
}
