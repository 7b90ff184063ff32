"""The neuron explorer in a real JupyterLab, plus checks that the browser harness itself sees what it should.

The harness checks run small notebooks from tests/notebooks/: one built like an explorer (slider, readout, ipympl
figure wired with observe + set_data + draw_idle) and one that shows each kind of error a lesson can show.
"""

from __future__ import annotations

import sys

import pytest

from .harness import distinct_colours, poll

pytestmark = pytest.mark.browser


def _changed_text(lab_page, locator, before: str) -> str:
    return poll(lambda: (locator.inner_text() != before, locator.inner_text()), 30,
                f"the readout of {lab_page.path} to change from {before!r}")


def test_harness_runs_an_explorer_like_notebook(lab_page):
    lab_page.open("notebooks/harness_selfcheck.ipynb")
    lab_page.run_all()
    lab_page.assert_no_errors()

    cells = lab_page.code_cells()
    assert all(c["count"] is not None for c in cells), "Run All must go past the raises-exception cell"
    printed = "".join(o.get("text", "") for o in cells[0]["outputs"] if o["output_type"] == "stream")
    assert f"kernel prefix: {sys.prefix}" in printed, f"the kernel is not this environment's Python: {printed!r}"
    # The tagged cell shows its error, and assert_no_errors above did not count it.
    assert [o.get("ename") for o in cells[1]["outputs"]] == ["ZeroDivisionError"]

    explorer = lab_page.widget(".nnl-explorer")
    readout = lab_page.widget(".nnl-readout", within=explorer)
    assert readout.inner_text() == "z = 1.00 * x"
    before = lab_page.wait_canvas_drawn(explorer)

    old, new = lab_page.move_slider(lab_page.widget(".nnl-weight_1"))
    assert (float(old), float(new)) == (1.0, 3.0)  # End moves the handle to the maximum, 3.0

    assert _changed_text(lab_page, readout, "z = 1.00 * x") == "z = 3.00 * x"
    after = lab_page.wait_canvas_changed(before, explorer)
    assert distinct_colours(after) > 1
    lab_page.assert_no_errors()


def test_harness_reports_every_kind_of_error(lab_page):
    lab_page.open("notebooks/harness_errors.ipynb")
    summary = lab_page.run_all()
    # Run All stops at the ValueError: five of the six code cells ran and the wait ended there, not at a timeout.
    assert (summary["cells_run"], summary["code_cells"]) == (5, 6)

    found = {(f["cell"], f["kind"]) for f in lab_page.errors()}
    # Cell 0 is markdown; cells 2, 3 and 5 each show one kind of error.
    assert found == {(2, "widget error"), (3, "stderr traceback"), (5, "error output")}
    with pytest.raises(AssertionError, match="ValueError: deliberate error"):
        lab_page.assert_no_errors()

    # Moving the slider of cell 4 runs a callback that raises: only the log console shows it.
    lab_page.move_slider(lab_page.widget(".nnl-failing-callback"))

    def logged() -> tuple[bool, list]:
        entries = [f["text"] for f in lab_page.errors() if f["kind"] == "log console"]
        return bool(entries), entries

    entries = poll(logged, 30, "the failing callback's traceback in the log console")
    assert any("RuntimeError: callback failed on purpose" in text for text in entries)


def test_neuron_explorer_reacts_to_weight_1(lab_page):
    lab_page.open("notebooks/neuron_explorer.ipynb")
    lab_page.run_all()
    lab_page.assert_no_errors()

    readout = lab_page.widget(".nnl-readout")
    for name in ("nnl-weight_1", "nnl-weight_2", "nnl-bias"):
        lab_page.widget(f".{name}")
    text_before = readout.inner_text()
    image_before = lab_page.wait_canvas_drawn()

    lab_page.move_slider(lab_page.widget(".nnl-weight_1"))

    _changed_text(lab_page, readout, text_before)
    image_after = lab_page.wait_canvas_changed(image_before)
    assert distinct_colours(image_after) > 1, "the figure is blank after moving weight_1"
    lab_page.assert_no_errors()


_STATUS_HOOK = """() => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  window.__nnlStatuses = [];
  kernel.statusChanged.connect((_, status) => window.__nnlStatuses.push(status));
}"""


def test_a_drag_leaves_the_kernel_status_alone_but_a_cell_still_shows_busy(lab_page):
    """With nnlearn's server setting (nnlearn.cli.server_config) the widget messages of a drag do not flip the
    page's kernel status (each flip redraws JupyterLab's indicators); running code still does."""
    lab_page.open("notebooks/neuron_explorer.ipynb")
    lab_page.run_all()
    lab_page.assert_no_errors()
    canvas = lab_page.widget(".nnl-live-canvas")
    handle = lab_page.widget(".nnl-weight_1 .noUi-handle")
    lab_page.wait_canvas_drawn()
    handle.scroll_into_view_if_needed()
    lab_page.page.evaluate(_STATUS_HOOK)
    frames_before = int(canvas.get_attribute("data-frames"))
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page = lab_page.page
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(4):
        page.mouse.move(x + (60 if k % 2 == 0 else -60), y, steps=10)
    page.mouse.up()
    poll(lambda: (int(canvas.get_attribute("data-frames")) >= frames_before + 10, canvas.get_attribute("data-frames")),
         30, "the canvas to repaint during the drag")
    page.wait_for_timeout(800)  # the slider's own sync after the drag pauses
    assert page.evaluate("() => window.__nnlStatuses") == []

    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                  ".requestExecute({code: 'import time; time.sleep(0.3)'}).done")
    statuses = poll(lambda: ("idle" in (s := page.evaluate("() => window.__nnlStatuses")), s), 30,
                    "the kernel status to go busy and back to idle while code runs")
    assert statuses[0] == "busy"


@pytest.mark.parametrize("notebook", ["neuron_explorer.ipynb", "neuron_explorer_ipympl.ipynb"])
def test_keys_move_an_explorers_slider_and_dropdown_in_both_front_ends(front_end_page, notebook):
    """A focused slider handle or dropdown of an nnlearn explorer, drawn by the browser or by ipympl, takes its
    arrow keys in JupyterLab and in Notebook 7 (ExplorerKeys, nnlearn/widgets/static/keys.js), where they would
    otherwise be notebook shortcuts; the kernel follows. Plain ipywidgets outside an explorer keep the front
    end's behaviour (test_slider_keys_reach_the_widget_in_jupyterlab_only)."""
    page = front_end_page
    page.open(f"notebooks/{notebook}")
    page.run_all()
    page.assert_no_errors()
    readout = page.widget(".nnl-readout")
    before = readout.inner_text()
    handle = page.widget(".nnl-weight_1 .noUi-handle")
    handle.scroll_into_view_if_needed()
    value = handle.get_attribute("aria-valuenow")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    poll(lambda: (handle.get_attribute("aria-valuenow") != value, handle.get_attribute("aria-valuenow")), 10,
         "weight_1's handle to move with ArrowRight")
    after = _changed_text(page, readout, before)
    assert float(handle.get_attribute("aria-valuenow")) > float(value)

    select = page.widget(".nnl-activation select")
    chosen = select.input_value()
    select.focus()
    select.press("ArrowDown")
    poll(lambda: (select.input_value() != chosen, select.input_value()), 10, "the activation dropdown to change")
    _changed_text(page, readout, after)
    page.assert_no_errors()
