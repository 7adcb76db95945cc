// An HTML block whose Mermaid diagrams (<pre class="mermaid">) are drawn with the Mermaid build
// the docs site bundles, sent by the kernel once per view: nothing is fetched from the network.
// The HTML comes from eventcat's autoescaped templates and the docs site's sanitiser.
function loadMermaid(model) {
  if (!globalThis.mermaid) {
    const script = document.createElement("script");
    script.textContent = model.get("_library");
    document.head.appendChild(script);
    globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  }
  return globalThis.mermaid;
}

let counter = 0;

async function draw(model, el) {
  el.innerHTML = model.get("html");
  const blocks = el.querySelectorAll("pre.mermaid");
  if (!blocks.length) return;
  const mermaid = loadMermaid(model);
  for (const block of blocks) {
    const source = block.textContent;
    try {
      const { svg } = await mermaid.render(`ecd-mermaid-${++counter}`, source);
      const figure = document.createElement("div");
      figure.className = "ecd-diagram";
      figure.innerHTML = svg;
      block.replaceWith(figure);
    } catch (error) {
      block.title = `Mermaid could not draw this diagram: ${error}`;
    }
  }
}

export default {
  render({ model, el }) {
    el.classList.add("ecd-page-view");
    const redraw = () => draw(model, el);
    model.on("change:html", redraw);
    redraw();
  },
};
