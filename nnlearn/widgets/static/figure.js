// A small figure drawn by the browser: the kernel sends a scene (panels with data limits, and items: images,
// lines, markers, edge segments, circles, texts) with its arrays as binary buffers; this view keeps only the
// newest scene and paints it on the next animation frame. Explorers whose picture follows a slider use it so a
// drag repaints at the display's pace instead of waiting for a PNG from the kernel.

const TEXT = "#222222";
const MUTED = "#777777";

function f32(view) {
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function u8(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function fmt(x) {
  const a = Math.abs(x);
  if (a === 0) return "0";
  if (a < 0.01) return x.toExponential(0);  // 0.001 as 1e-3, not 0.00 (log-scale ticks)
  if (a >= 100 || Number.isInteger(x)) return String(Math.round(x * 100) / 100);
  return x.toFixed(a < 1 ? 2 : 1);
}

const REF = "IPY_MODEL_";
const MAX_REQUESTS = 3;  // control values on their way to the kernel at once while a slider is dragged
// Which view of a figure follows a control (a figure shown twice must not ask twice for every move).
const followers = new WeakMap();

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "nnl-livefig";
  const holder = document.createElement("div");
  holder.className = "nnl-live-holder jupyter-matplotlib-canvas-div";  // found as "the figure" by tools
  const canvas = document.createElement("canvas");
  canvas.className = "nnl-live-canvas";
  canvas.dataset.frames = "0";
  holder.appendChild(canvas);
  root.appendChild(holder);
  el.appendChild(root);
  const ctx = canvas.getContext("2d");
  const ratio = window.devicePixelRatio || 1;
  const offscreen = document.createElement("canvas");
  let scene = null;
  let fresh = false;
  let scheduled = false;
  let painted = 0;
  let alive = true;
  const palettes = {};

  function loadPalettes() {
    for (const name of ["palette", "palette_light", "palette_viridis"]) {
      const bytes = model.get(name);
      if (bytes) palettes[name] = bytes instanceof DataView ? u8(bytes) : new Uint8Array(bytes.buffer || bytes);
    }
  }
  loadPalettes();

  function color(palette, value) {
    const p = palettes[palette] || palettes.palette;
    const k = Math.max(0, Math.min(255, Math.floor((value + 1) * 128))) * 4;
    return `rgb(${p[k]},${p[k + 1]},${p[k + 2]})`;
  }

  // The scene's size in CSS pixels; a narrower output area (a side panel open, Notebook 7, a small screen)
  // scales the picture down with its proportions kept.
  let shownSize = "";
  function size(width, height) {
    if (shownSize !== `${width}x${height}`) {
      shownSize = `${width}x${height}`;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.maxWidth = "100%";
      canvas.style.height = "auto";
      holder.style.width = `${width}px`;
      holder.style.maxWidth = "100%";
    }
  }

  function mapper(panel) {
    const [x, y, w, h] = panel.box;
    const [x0, x1] = panel.xlim;
    const ly = panel.ylog ? Math.log10 : (v) => v;  // ylog: a log-scale y axis
    const y0 = ly(panel.ylim[0]);
    const y1 = ly(panel.ylim[1]);
    return {
      x: (v) => x + ((v - x0) / (x1 - x0)) * w,
      y: (v) => y + h - ((ly(v) - y0) / (y1 - y0)) * h,
    };
  }

  function drawAxes(panel) {
    const [x, y, w, h] = panel.box;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(x, y, w, h);
    if (panel.title) {
      ctx.fillStyle = panel.title_color || TEXT;
      ctx.font = `${panel.title_bold ? "bold " : ""}12px sans-serif`;
      ctx.textAlign = "center";
      ctx.fillText(panel.title, x + w / 2, y - 6);
    }
    if (!panel.axes) return;
    const m = mapper(panel);
    ctx.font = "10px sans-serif";
    ctx.fillStyle = MUTED;
    ctx.textAlign = "center";
    const xt = panel.xticks || [panel.xlim[0], panel.xlim[1]];
    xt.forEach((v) => ctx.fillText(fmt(v), m.x(v), y + h + 12));
    ctx.textAlign = "right";
    const yt = panel.yticks || [panel.ylim[0], panel.ylim[1]];
    const yl = panel.yticklabels;  // optional labels for the y ticks (e.g. "10⁻³" on a log10 axis)
    yt.forEach((v, i) => ctx.fillText(yl ? yl[i] : fmt(v), x - 4, m.y(v) + 3));
    ctx.fillStyle = TEXT;
    ctx.font = "11px sans-serif";
    ctx.textAlign = "center";
    if (panel.xlabel) ctx.fillText(panel.xlabel, x + w / 2, y + h + 25);
    if (panel.ylabel) {
      ctx.save();
      ctx.translate(x - 26, y + h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(panel.ylabel, 0, 0);
      ctx.restore();
    }
  }

  function drawItem(item, panel, data) {
    const m = mapper(panel);
    const kind = item.kind;
    if (kind === "image") {
      const [h, w] = item.shape;
      const bytes = data[item.buffer];
      offscreen.width = w;
      offscreen.height = h;
      const c = offscreen.getContext("2d");
      const image = c.createImageData(w, h);
      if (item.rgba) {
        image.data.set(bytes.subarray(0, w * h * 4));
      } else {
        const p = palettes[item.palette] || palettes.palette;
        for (let i = 0, q = 0; i < w * h; i++, q += 4) {
          const k = bytes[i] * 4;
          image.data[q] = p[k]; image.data[q + 1] = p[k + 1]; image.data[q + 2] = p[k + 2]; image.data[q + 3] = 255;
        }
      }
      c.putImageData(image, 0, 0);
      const [e0, e1, e2, e3] = item.extent;
      const left = m.x(e0), right = m.x(e1), top = m.y(e3), bottom = m.y(e2);
      ctx.save();
      ctx.imageSmoothingEnabled = !!item.smooth;
      ctx.translate(left, bottom);
      ctx.scale(1, -1);  // row 0 is the bottom of the plane (origin="lower")
      ctx.drawImage(offscreen, 0, 0, w, h, 0, 0, right - left, bottom - top);
      ctx.restore();
    } else if (kind === "line") {
      const xy = data[item.buffer];
      ctx.strokeStyle = item.color || TEXT;
      ctx.lineWidth = item.width || 1.5;
      ctx.globalAlpha = item.alpha === undefined ? 1 : item.alpha;
      ctx.setLineDash(item.dash || []);
      ctx.beginPath();
      for (let k = 0; k < xy.length; k += 2) {
        if (k === 0) ctx.moveTo(m.x(xy[k]), m.y(xy[k + 1])); else ctx.lineTo(m.x(xy[k]), m.y(xy[k + 1]));
      }
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    } else if (kind === "markers") {
      const xy = data[item.buffer];
      ctx.fillStyle = item.color || TEXT;
      ctx.strokeStyle = item.edge || "#000000";
      ctx.lineWidth = item.edge_width === undefined ? 1 : item.edge_width;
      const r = item.radius || 4;
      for (let k = 0; k < xy.length; k += 2) {
        ctx.beginPath();
        const px = m.x(xy[k]), py = m.y(xy[k + 1]);
        if (item.shape === "diamond") {  // corners r away, as matplotlib's "D"
          ctx.moveTo(px, py - r); ctx.lineTo(px + r, py); ctx.lineTo(px, py + r); ctx.lineTo(px - r, py);
          ctx.closePath();
        } else if (item.shape === "star") {  // five points r away, as matplotlib's "*" (inner radius 0.382 r)
          for (let i = 0; i < 10; i++) {
            const a = -Math.PI / 2 + (i * Math.PI) / 5, q = i % 2 ? 0.381966 * r : r;
            if (i === 0) ctx.moveTo(px + q * Math.cos(a), py + q * Math.sin(a));
            else ctx.lineTo(px + q * Math.cos(a), py + q * Math.sin(a));
          }
          ctx.closePath();
        } else {
          ctx.arc(px, py, r, 0, 2 * Math.PI);
        }
        ctx.fill();
        if (item.edge) ctx.stroke();
      }
    } else if (kind === "segments") {
      const s = data[item.buffer];
      const values = item.values ? data[item.values] : null;  // palette colours, or one colour for all
      const widths = item.widths ? data[item.widths] : null;
      ctx.lineCap = "round";
      for (let n = 0; n < s.length / 4; n++) {
        const width = widths ? widths[n] : (item.width || 1.5);
        if (width <= 0.02) continue;
        ctx.strokeStyle = values ? color(item.palette, values[n]) : (item.color || TEXT);
        ctx.lineWidth = width;
        ctx.beginPath();
        ctx.moveTo(m.x(s[4 * n]), m.y(s[4 * n + 1]));
        ctx.lineTo(m.x(s[4 * n + 2]), m.y(s[4 * n + 3]));
        ctx.stroke();
      }
    } else if (kind === "circles") {
      const xy = data[item.buffer];
      const values = data[item.values];
      ctx.strokeStyle = TEXT;
      ctx.lineWidth = 1;
      for (let n = 0; n < values.length; n++) {
        ctx.fillStyle = color(item.palette, values[n]);
        ctx.beginPath();
        ctx.arc(m.x(xy[2 * n]), m.y(xy[2 * n + 1]), item.radius || 14, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    } else if (kind === "bars") {
      const r = data[item.buffer];  // (n, 4) rectangles x0, y0, x1, y1 in data units
      const values = item.values ? data[item.values] : null;  // palette colours, or one colour for all
      ctx.globalAlpha = item.alpha === undefined ? 1 : item.alpha;
      for (let n = 0; n < r.length / 4; n++) {
        const x0 = m.x(r[4 * n]), y0 = m.y(r[4 * n + 1]), x1 = m.x(r[4 * n + 2]), y1 = m.y(r[4 * n + 3]);
        if (!Number.isFinite(x0 + y0 + x1 + y1)) continue;
        ctx.fillStyle = values ? color(item.palette, values[n])
          : item.colors ? item.colors[n % item.colors.length] : (item.color || TEXT);
        ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
      }
      ctx.globalAlpha = 1;
    } else if (kind === "labels") {
      // Texts at (n, 2) points, each on a box like matplotlib's text bbox. Per-label settings are one value for
      // all or a list: texts, colors, fills, edges ("none": no box/outline), edge_widths, bold; "" draws nothing.
      const xy = data[item.buffer];
      const one = (v, n, d) => (v === undefined ? d : Array.isArray(v) ? v[n] : v);
      const size = item.size || 11, pad = item.pad || 0;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (let n = 0; n < xy.length / 2; n++) {
        const text = one(item.texts, n, "");
        if (!text) continue;
        ctx.font = `${one(item.bold, n, false) ? "bold " : ""}${size}px sans-serif`;
        // a box of a set size in data units (width, height), or one that fits the text
        const w = item.width ? Math.abs(m.x(item.width) - m.x(0)) : ctx.measureText(text).width + 2 * pad;
        const h = item.height ? Math.abs(m.y(item.height) - m.y(0)) : 1.2 * size + 2 * pad;
        const anchor = item.baseline === "top" ? h / 2 : item.baseline === "bottom" ? -h / 2 : 0;
        const px = m.x(xy[2 * n]), py = m.y(xy[2 * n + 1]) + anchor;
        const fill = one(item.fills, n, "none"), edge = one(item.edges, n, "none");
        if (fill !== "none" || edge !== "none") {
          ctx.beginPath();
          if (ctx.roundRect) ctx.roundRect(px - w / 2, py - h / 2, w, h, item.round || 0);
          else ctx.rect(px - w / 2, py - h / 2, w, h);
          if (fill !== "none") { ctx.fillStyle = fill; ctx.fill(); }
          if (edge !== "none") { ctx.strokeStyle = edge; ctx.lineWidth = one(item.edge_widths, n, 1); ctx.stroke(); }
        }
        ctx.fillStyle = one(item.colors, n, TEXT);
        ctx.fillText(text, px, py);
      }
      ctx.textBaseline = "alphabetic";
    } else if (kind === "text") {
      const [x, y, w, h] = panel.box;
      const px = item.coords === "axes" ? x + item.x * w : m.x(item.x);
      const py = item.coords === "axes" ? y + h - item.y * h : m.y(item.y);
      ctx.font = `${item.bold ? "bold " : ""}${item.size || 11}px sans-serif`;
      ctx.textAlign = item.align || "center";
      ctx.textBaseline = item.baseline || "alphabetic";
      if (item.background) {  // a box behind the text (matplotlib's bbox): background_alpha, pad, border
        const t = ctx.measureText(item.text);
        const pad = item.pad === undefined ? 4 : item.pad;
        const bx = px - t.actualBoundingBoxLeft - pad;
        const by = py - t.actualBoundingBoxAscent - pad;
        const bw = t.actualBoundingBoxLeft + t.actualBoundingBoxRight + 2 * pad;
        const bh = t.actualBoundingBoxAscent + t.actualBoundingBoxDescent + 2 * pad;
        ctx.fillStyle = item.background;
        ctx.globalAlpha = item.background_alpha === undefined ? 1 : item.background_alpha;
        ctx.fillRect(bx, by, bw, bh);
        ctx.globalAlpha = 1;
        if (item.border) {
          ctx.strokeStyle = item.border;
          ctx.lineWidth = 1;
          ctx.strokeRect(bx, by, bw, bh);
        }
      }
      ctx.fillStyle = item.color || TEXT;
      ctx.fillText(item.text, px, py);
      ctx.textBaseline = "alphabetic";
    }
  }

  function paint() {
    scheduled = false;
    if (!alive || !scene) return;
    const s = scene;
    size(s.width, s.height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, s.width, s.height);
    s.panels.forEach((panel) => drawAxes(panel));
    s.items.forEach((item) => {
      const panel = s.panels[item.panel];
      ctx.save();
      if (panel.clip !== false) {
        ctx.beginPath();
        ctx.rect(...panel.box);
        ctx.clip();
      }
      drawItem(item, panel, s.data);
      ctx.restore();
    });
    s.panels.forEach((panel) => {
      if (!panel.axes) return;
      ctx.strokeStyle = panel.frame_color || "#bbbbbb";
      ctx.lineWidth = panel.frame_width || 1;
      ctx.strokeRect(...panel.box);
    });
    painted += 1;
    canvas.dataset.frames = String(painted);
    if (s.answer && s.answer.view === me) recordLatency(s.answer.seq);
  }

  // For benchmarks: the time from each slider change this view sent to the first paint that shows it (or a
  // later value), in ms, the last 2000 of them, as canvas.nnlInputToPaint.
  const changedAt = new Map();
  canvas.nnlInputToPaint = [];
  function recordLatency(answered) {
    const now = performance.now();
    for (const [k, t] of changedAt) {
      if (k > answered) continue;
      canvas.nnlInputToPaint.push(now - t);
      changedAt.delete(k);
    }
    if (canvas.nnlInputToPaint.length > 2000) canvas.nnlInputToPaint.splice(0, 1000);
  }

  // Following the controls: while a slider is dragged, send its new value to the kernel at once, with at most
  // three requests on their way (ipywidgets' own sync waits for the kernel to go idle after every message).
  const me = Math.random().toString(36).slice(2);
  const linked = [];
  let pending = null;
  let pendingSince = 0;
  let inFlight = 0;
  let sentAt = 0;
  let seq = 0;

  function flush() {
    if (!alive || !pending) return;
    if (inFlight >= MAX_REQUESTS && performance.now() - sentAt < 2000) return;  // an answer lost (kernel restarted): go on
    if (inFlight >= MAX_REQUESTS) inFlight = 0;
    seq += 1;
    inFlight += 1;
    sentAt = performance.now();
    changedAt.set(seq, pendingSince);
    if (changedAt.size > 100) changedAt.delete(changedAt.keys().next().value);  // answers lost: forget them
    model.send({ type: "controls", view: me, seq, values: pending });
    pending = null;
  }

  function onControl(name, control) {
    // A value the kernel set (an update or the echo of our own sync) is not the learner's move: skip it.
    if (control._state_lock && Object.prototype.hasOwnProperty.call(control._state_lock, "value")) return;
    if (!followers.has(control)) followers.set(control, me);  // the view that followed it is gone
    if (followers.get(control) !== me) return;
    if (!pending) pendingSince = performance.now();
    pending = { ...(pending || {}), [name]: control.get("value") };
    flush();
  }

  // While a followed slider is dragged, its own ipywidgets sync would send every value a second time (and make
  // the kernel go busy and idle again for each): it is held back until the drag has paused for SYNC_PAUSE ms, then
  // sends the final value as usual, so the kernel ends with ipywidgets' own record of it.
  const SYNC_PAUSE = 300;
  function deferSync(control) {
    if (control.__nnlDeferred) return;
    const original = control.save_changes;
    let timer = null;
    control.__nnlDeferred = true;
    control.save_changes = function (callbacks) {
      const diff = this._buffered_state_diff || {};
      const onlyValue = Object.keys(diff).length === 1 && Object.prototype.hasOwnProperty.call(diff, "value");
      if (!onlyValue || !followers.has(this)) return original.call(this, callbacks);
      clearTimeout(timer);
      timer = setTimeout(() => original.call(this, callbacks), SYNC_PAUSE);
    };
  }

  async function follow() {
    const names = model.get("control_names") || [];
    const refs = model.get("controls") || [];
    const manager = model.widget_manager;
    if (!manager || !manager.get_model) return;
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k];
      if (typeof ref !== "string" || !ref.startsWith(REF)) continue;
      try {
        const control = await manager.get_model(ref.slice(REF.length));
        if (!alive || !control) return;
        if (!followers.has(control)) followers.set(control, me);
        const handler = () => onControl(names[k], control);
        control.on("change:value", handler);
        linked.push([control, handler]);
        deferSync(control);
      } catch (error) {
        console.warn("nnlearn: cannot follow a control; ipywidgets syncs it instead", error);
      }
    }
  }
  follow();

  function onMessage(msg, buffers) {
    if (msg && msg.answer && msg.answer.view === me) {
      inFlight = Math.max(0, inFlight - 1);
      flush();
    }
    if (!msg || msg.type !== "scene") return;
    const data = {};
    msg.names.forEach((name, k) => {
      data[name] = msg.dtypes[k] === "float32" ? f32(buffers[k]) : u8(buffers[k]);
    });
    scene = { ...msg, data };  // an older scene not painted yet is dropped here
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(paint);
    }
  }

  model.on("msg:custom", onMessage);
  model.on("change:palette", loadPalettes);
  model.send({ type: "hello" });
  return () => {
    alive = false;
    linked.forEach(([control, handler]) => {
      control.off("change:value", handler);
      if (followers.get(control) === me) followers.delete(control);
    });
    model.off("msg:custom", onMessage);
    model.off("change:palette", loadPalettes);
  };
}

export default { render };
