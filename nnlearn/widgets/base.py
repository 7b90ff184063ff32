"""Explorer: named controls, one figure, and the wiring between them, displayed as one widget.

The pattern (../shared/STYLE.md, "compute, then draw, then wire"): a control's value changes, the explorer asks a
compute function from ``nnlearn.plots`` for arrays, and an ``update_<noun>`` function puts them into the existing
artists. Nothing is re-plotted.

How the figure reaches the screen:

- With ipympl (``%matplotlib widget``) the figure lives on an ipympl canvas widget inside the explorer and
  redraws with ``draw_idle()``; explorers that animate (the Playground) redraw only the artists that changed,
  over a saved background (blitting).
- Without it (plain inline backend, or no frontend at all) the figure is rendered with Agg into an
  ``ipywidgets.Image`` under the controls, refreshed after every change once the explorer is on screen.
- Either way the explorer's notebook output also carries a PNG of the current figure (``_repr_mimebundle_``),
  so GitHub, nbviewer and nbval's stored outputs show a real picture, while JupyterLab shows the live widget.

An error in a callback is shown in the explorer's ``Output`` widget: in a notebook it appears under the
explorer (JupyterLab would otherwise send it to the log console); outside a kernel, e.g. in a test that sets
``control.value``, it is raised as usual.
"""

from __future__ import annotations

import base64
import html
import io
import threading
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as widgets
import numpy as np
import matplotlib
from matplotlib.figure import Figure

from ..plots._style import FACECOLOR

__all__ = ["Explorer", "live_backend", "new_figure"]

_LIVE_BACKENDS = {"widget", "ipympl", "module://ipympl.backend_nbagg"}


def live_backend() -> bool:
    """True when matplotlib's backend is ipympl (``%matplotlib widget``), so figures can be live widgets.

    Shapes: none (reads matplotlib's backend name -> a bool).

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")            # what tests and scripts use: pictures, no live canvas
        >>> live_backend()
        False
    """
    return matplotlib.get_backend().lower() in _LIVE_BACKENDS


def new_figure(figsize: tuple[float, float], dpi: float = 100, live: bool | None = None) -> Figure:
    """A Figure with a white face, made without pyplot so it is never displayed twice.

    ``live`` (default: ``live_backend()``) puts it on an ipympl canvas widget; otherwise on an Agg canvas.

    Shapes: figsize (width, height) in inches -> a Figure of (width * dpi, height * dpi) pixels.

    Example:
        >>> fig = new_figure((3.0, 2.0), dpi=50, live=False)
        >>> type(fig.canvas).__name__, fig.canvas.get_width_height()
        ('FigureCanvasAgg', (150, 100))
    """
    live = live_backend() if live is None else live
    fig = Figure(figsize=figsize, dpi=dpi, facecolor=FACECOLOR)
    if live:
        backend = matplotlib.get_backend()
        from ipympl.backend_nbagg import Canvas, FigureManager

        if matplotlib.get_backend() != backend:  # importing ipympl switches everyone's backend: not ours to do
            matplotlib.use(backend)

        canvas = Canvas(fig)
        with warnings.catch_warnings():  # ipympl 0.10's toolbar trips a traitlets deprecation warning: not ours
            warnings.simplefilter("ignore", DeprecationWarning)
            FigureManager(canvas, 0)  # gives the canvas its toolbar and the message handling it expects
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig


class Explorer:
    """Base class of the interactive explorers.

    Attributes: ``controls`` (name -> ipywidget, each with the CSS class ``nnl-<name>``), ``figure``,
    ``artists`` (name -> matplotlib artist), ``readout`` (an HTML line, class ``nnl-readout``), ``output``
    (where errors appear, class ``nnl-output``), ``widget`` (the whole layout). ``update()`` recomputes
    and redraws from the controls' current values.

    Subclasses build controls with ``add_control``, the figure with ``new_figure``, and implement ``update``.

    Shapes: no arrays of its own; the artists hold the arrays the subclass's compute function returns.

    Example:
        >>> import ipywidgets as widgets
        >>> class Square(Explorer):                 # the smallest explorer: one slider, one point at (x, x²)
        ...     def __init__(self):
        ...         super().__init__(live=False)
        ...         self.add_control("x", widgets.FloatSlider(value=1.0, min=-3.0, max=3.0))
        ...         ax = self.new_figure((2.0, 2.0)).add_subplot()
        ...         (self.artists["point"],) = ax.plot([1.0], [1.0], "o")
        ...     def update(self):
        ...         x = self.controls["x"].value
        ...         self.artists["point"].set_data([x], [x * x])
        ...         self.set_readout(f"{x:.1f}² = {x * x:.1f}")
        ...         self.redraw()
        >>> explorer = Square()
        >>> explorer.controls["x"].value = 3.0        # the observer calls update()
        >>> explorer.artists["point"].get_ydata(), explorer.readout_text
        ([9.0], '3.0² = 9.0')
    """

    title = "Explorer"

    def __init__(self, live: bool | None = None):
        self.live = live_backend() if live is None else bool(live)
        self.controls: dict[str, widgets.Widget] = {}
        self.figure: Figure | None = None
        self.artists: dict[str, Any] = {}
        self.readout = widgets.HTML(value="")
        self.readout.add_class("nnl-readout")
        self.output = widgets.Output()
        self.output.add_class("nnl-output")
        self.last_error: BaseException | None = None
        # Widget messages can be handled on a kernel subshell thread (JupyterLab 4.4+) while a cell or another
        # message runs: every callback holds this lock, so an explorer never trains or draws twice at once.
        # Re-entrant: a callback may set a control whose observer runs inside it.
        self._lock = getattr(self, "_lock", None) or threading.RLock()
        self.hidden: list[str] = []
        self._widget: widgets.Widget | None = None
        self._image: widgets.Image | None = None
        self._keys: widgets.Widget | None = None  # ExplorerKeys, made with the layout
        self._displayed = False
        self._dynamic: list[Any] = []
        self._background = None
        self._draw_connection: int | None = None
        # Draw into the Agg buffer even when nothing is on screen (benchmarks measure the real drawing path).
        self.render_offscreen = False

    # ------------------------------------------------------------------ building
    def new_figure(self, figsize: tuple[float, float], dpi: float = 100) -> Figure:
        """Make this explorer's figure (live ipympl canvas or Agg, see the module docstring)."""
        self.figure = new_figure(figsize, dpi, live=self.live)
        self._draw_connection = self.figure.canvas.mpl_connect("draw_event", self._on_draw)
        return self.figure

    def add_control(self, name: str, control: widgets.Widget,
                    on_change: Callable[[dict], Any] | None = None) -> widgets.Widget:
        """Register a control under ``name``: CSS class ``nnl-<name>``, and ``on_change(change)`` (default: a
        full ``update()``) called through the error-catching wrapper whenever its value changes."""
        control.add_class(f"nnl-{name}")
        self.controls[name] = control
        if "value" in control.trait_names():
            handler = on_change if on_change is not None else (lambda change: self.update())
            control.observe(self.callback(handler), names="value")
        return control

    def callback(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a widget callback so an error is shown in the explorer (and kept in ``last_error``)."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            return self._guard(function, *args, **kwargs)

        return guarded

    def _guard(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # An error goes through the Output widget: in a kernel it shows the traceback under the explorer and
        # swallows the error; outside a kernel (tests, scripts) it lets the error propagate. Only an error enters
        # it: entering an Output sends two widget messages to the browser (its msg_id set and cleared), which
        # for every slider move or Playground frame doubled the page's work.
        with self._lock:
            try:
                result = function(*args, **kwargs)
            except Exception as error:
                self.last_error = error
                with self.output:
                    raise
        if self.last_error is not None:  # a later success clears an old error message
            self.last_error = None
            self.output.clear_output()
        return result

    def hide(self, names: Iterable[str]) -> None:
        """Hide controls by name (they keep working from Python)."""
        if isinstance(names, str):
            names = [names]
        for name in names:
            if name not in self.controls:
                raise ValueError(f"Unknown control {name!r}. This explorer has: {', '.join(self.controls)}.")
            self.controls[name].layout.display = "none"
            if name not in self.hidden:
                self.hidden.append(name)

    # ------------------------------------------------------------------ updating
    def update(self) -> None:
        """Recompute from the controls' values, update the artists in place and redraw."""
        raise NotImplementedError

    def set_readout(self, text: str) -> None:
        """Show one line of live numbers under the controls."""
        self.readout_text = text
        self.readout.value = f"<code style='font-size: 13px'>{html.escape(text)}</code>"

    def set_dynamic(self, artists: Iterable[Any]) -> None:
        """The artists that change from frame to frame: they are redrawn alone over a saved background."""
        for artist in self._dynamic:
            artist.set_animated(False)
        self._dynamic = [artist for artist in artists if artist is not None]
        for artist in self._dynamic:
            artist.set_animated(True)
        self._background = None

    def _on_draw(self, event: Any) -> None:
        canvas = self.figure.canvas
        if not self._dynamic or canvas.is_saving():
            return
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._draw_dynamic()

    def _draw_dynamic(self) -> None:
        for artist in self._dynamic:
            if artist.get_visible():
                self.figure.draw_artist(artist)

    def render(self, full: bool = True) -> None:
        """Draw into the canvas' pixel buffer now: everything (``full``), or only the changing artists over
        the saved background when there is one."""
        canvas = self.figure.canvas
        if full or not self._dynamic or self._background is None:
            canvas.draw()  # the draw_event handler saves the background and adds the changing artists
            return
        canvas.restore_region(self._background)
        self._draw_dynamic()
        canvas.blit(self.figure.bbox)

    def redraw(self, full: bool = True) -> None:
        """Show the updated artists: ``draw_idle`` (or a blit) on a live canvas; a fresh PNG otherwise."""
        if self.figure is None:
            return
        canvas = self.figure.canvas
        if self.live:
            front_end_ready = not getattr(canvas, "syncing_data_url", True)
            if full or not self._dynamic or self._background is None or not front_end_ready:
                canvas.draw_idle()
            else:
                self.render(full=False)
        elif self._displayed and self._image is not None:
            self.render(full=full)
            self._image.value = self._buffer_png()
        elif self.render_offscreen:
            self.render(full=full)

    def _buffer_png(self) -> bytes:
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.figure.canvas.buffer_rgba())).convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def to_png(self) -> bytes:
        """The current figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.figure.dpi, facecolor=FACECOLOR)
        return buffer.getvalue()

    # ------------------------------------------------------------------ display
    def control_rows(self) -> list[widgets.Widget]:
        """The rows of controls above the figure (subclasses arrange them)."""
        return [widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))]

    @property
    def widget(self) -> widgets.Widget:
        """The whole explorer as one ipywidget: controls, readout, figure, the error output, and (hidden) the
        ExplorerKeys that lets its sliders and dropdowns take their arrow keys in the browser."""
        if self._widget is None:
            from .live import ExplorerKeys

            self._keys = ExplorerKeys()
            self._widget = widgets.VBox([*self.control_rows(), self.readout, self._figure_view(), self.output,
                                         self._keys])
            self._widget.add_class("nnl-explorer")
        return self._widget

    def _figure_view(self) -> widgets.Widget:
        """The widget that shows the picture: the live ipympl canvas, or a PNG image updated on each redraw."""
        if self.live:
            return self.figure.canvas
        self._image = widgets.Image(format="png")
        self._image.add_class("nnl-figure")
        return self._image

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        layout = self.widget
        self._displayed = True
        if self.live:
            png = self.to_png()
        else:
            self.render(full=True)
            png = self._buffer_png()
            self._image.value = png
        bundle = layout._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle

    def show(self) -> None:
        """Display the explorer (the same as leaving it as the last value of a cell)."""
        from IPython.display import display

        display(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.summary()}>"

    def summary(self) -> str:
        """One line saying what the explorer shows now."""
        return self.title

    def close(self) -> None:
        """Close every widget of the explorer (and the live canvas)."""
        for control in self.controls.values():
            control.close()
        for extra in (self.readout, self.output, self._image, self._keys, self._widget):
            if extra is not None:
                extra.close()
        if self.live and self.figure is not None:
            self.figure.canvas.close()
