// Keys for an explorer's own controls (the ExplorerKeys widget every explorer carries, hidden; runs once per page).
// JupyterLab and Jupyter Notebook 7 read key presses as notebook shortcuts: in Notebook 7, ArrowRight on a focused
// slider jumps to the next heading before the slider sees it; in both, ArrowDown on a focused dropdown moves to
// the next cell. A slider handle or a dropdown inside an nnlearn explorer gets Lumino's
// data-lm-suppress-shortcuts when it takes the focus, so its keys move it, as typing goes to a text box.

function keysToExplorerControls() {
  if (typeof document === "undefined" || globalThis.__nnlKeysToControls) return;
  globalThis.__nnlKeysToControls = true;
  document.addEventListener("focusin", (event) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(".noUi-handle, select")) return;
    if (target.closest(".nnl-explorer")) target.setAttribute("data-lm-suppress-shortcuts", "true");
  }, true);
}

export default {
  initialize() {
    keysToExplorerControls();
  },
  render() {
    keysToExplorerControls();
  },
};
