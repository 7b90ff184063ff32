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
  if (a >= 100 || Number.isInteger(x)) return String(Math.round(x * 100) / 100);
  return x.toFixed(a < 1 ? 2 : 1);
}

const REF = "IPY_MODEL_";
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

  function size(width, height) {
    if (canvas.style.width !== `${width}px` || canvas.style.height !== `${height}px`) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      holder.style.width = `${width}px`;
      holder.style.height = `${height}px`;
    }
  }

  function mapper(panel) {
    const [x, y, w, h] = panel.box;
    const [x0, x1] = panel.xlim;
    const [y0, y1] = panel.ylim;
    return {
      x: (v) => x + ((v - x0) / (x1 - x0)) * w,
      y: (v) => y + h - ((v - y0) / (y1 - y0)) * h,
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
    yt.forEach((v) => ctx.fillText(fmt(v), x - 4, m.y(v) + 3));
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
      // Bars from 0 to each height: (n, 2) rows of (x, height); width in data units, colours one per bar.
      const xh = data[item.buffer];
      const half = (item.width || 0.8) / 2;
      for (let n = 0; n < xh.length / 2; n++) {
        const left = m.x(xh[2 * n] - half), right = m.x(xh[2 * n] + half), top = m.y(xh[2 * n + 1]), zero = m.y(0);
        ctx.fillStyle = item.colors ? item.colors[n % item.colors.length] : (item.color || TEXT);
        ctx.fillRect(left, Math.min(top, zero), right - left, Math.abs(zero - top));
      }
    } else if (kind === "text") {
      const [x, y, w, h] = panel.box;
      const px = item.coords === "axes" ? x + item.x * w : m.x(item.x);
      const py = item.coords === "axes" ? y + h - item.y * h : m.y(item.y);
      ctx.fillStyle = item.color || TEXT;
      ctx.font = `${item.size || 11}px sans-serif`;
      ctx.textAlign = item.align || "center";
      ctx.textBaseline = item.baseline || "alphabetic";
      if (item.background) {  // a box behind the text (matplotlib's bbox): colour, background_alpha, pad
        const tw = ctx.measureText(item.text).width, th = item.size || 11, pad = item.pad === undefined ? 2 : item.pad;
        const left = item.align === "left" ? px : item.align === "right" ? px - tw : px - tw / 2;
        const top = { top: py, middle: py - th / 2, bottom: py - th }[ctx.textBaseline] ?? py - 0.8 * th;
        ctx.fillStyle = item.background;
        ctx.globalAlpha = item.background_alpha === undefined ? 1 : item.background_alpha;
        ctx.beginPath();
        if (ctx.roundRect) ctx.roundRect(left - pad, top - pad, tw + 2 * pad, th + 2 * pad, pad);
        else ctx.rect(left - pad, top - pad, tw + 2 * pad, th + 2 * pad);
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.fillStyle = item.color || TEXT;
      }
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
  }

  // Following the controls: while a slider is dragged, send its new value to the kernel at once, with at most
  // two requests on their way (ipywidgets' own sync waits for the kernel to go idle after every message).
  const me = Math.random().toString(36).slice(2);
  const linked = [];
  let pending = null;
  let inFlight = 0;
  let sentAt = 0;
  let seq = 0;

  function flush() {
    if (!alive || !pending) return;
    if (inFlight >= 2 && performance.now() - sentAt < 2000) return;  // an answer lost (kernel restarted): go on
    if (inFlight >= 2) inFlight = 0;
    seq += 1;
    inFlight += 1;
    sentAt = performance.now();
    model.send({ type: "controls", view: me, seq, values: pending });
    pending = null;
  }

  function onControl(name, control) {
    // A value the kernel set (an update or the echo of our own sync) is not the learner's move: skip it.
    if (control._state_lock && Object.prototype.hasOwnProperty.call(control._state_lock, "value")) return;
    if (!followers.has(control)) followers.set(control, me);  // the view that followed it is gone
    if (followers.get(control) !== me) return;
    pending = { ...(pending || {}), [name]: control.get("value") };
    flush();
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
