// The Playground drawn in the browser. The kernel sends each frame as a few binary arrays (see
// nnlearn.playground.PlaygroundRun.frame_buffers); this view paints one on each animation frame and tells the
// kernel (every second paint) which frame it painted. The kernel keeps a few frames on their way, so training and
// painting overlap, and it trains no more frames than the page paints; a frame sent after a change of settings
// drops the older ones still waiting, so nothing stale is shown.
//
// Colours come from the kernel (the palettes the matplotlib pictures use), so the live and the static picture
// look alike. Hover a neuron to see its output large over the decision surface; hover an edge to read its weight.

const W = 820;          // canvas size in CSS pixels: fits a 1280-pixel JupyterLab window with the file browser open
const H = 350;
const NET = { left: 46, right: 520, top: 30, bottom: H - 20 };
const SURF = { x: 560, y: 8, size: 254 };
const CURVE = { x: 560, y: 284, w: 254, h: 46 };
const TEXT = "#222222";
const MUTED = "#777777";
const TRAIN = "#333333";
const TEST = "#d55e00";
const MAX_WAITING = 8;  // frames kept for painting; the kernel sends no more than a few ahead of the paints

function f32(view) {
  // A DataView's offset need not be a multiple of 4: copy into an aligned buffer.
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function u8(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function paletteColor(palette, value) {
  // value in [-1, 1] -> "rgb(...)" from a 256 x 4 palette
  const k = Math.max(0, Math.min(255, Math.floor((value + 1) * 128))) * 4;
  return `rgb(${palette[k]},${palette[k + 1]},${palette[k + 2]})`;
}

function fmt(x) {
  if (!isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 0.001 || a >= 1000) ? x.toExponential(2) : x.toFixed(3);
}

function geometry(sizes, titles) {
  const n = sizes.length;
  const biggest = Math.max(...sizes);
  const span = NET.bottom - NET.top;
  const node = Math.max(14, Math.min(40, (span / biggest) / 1.3));
  const step = node * 1.3;
  const colStep = n > 1 ? (NET.right - NET.left - node) / (n - 1) : 0;
  const nodes = [];
  sizes.forEach((size, layer) => {
    const x = NET.left + layer * colStep;
    const height = (size - 1) * step + node;
    const y0 = NET.top + (span - height) / 2;
    for (let k = 0; k < size; k++) nodes.push({ layer, k, x, y: y0 + k * step, size: node });
  });
  const starts = [0];
  sizes.forEach((s) => starts.push(starts[starts.length - 1] + s));
  const edges = [];
  for (let layer = 0; layer < n - 1; layer++) {
    for (let i = 0; i < sizes[layer]; i++) {
      for (let j = 0; j < sizes[layer + 1]; j++) {
        const a = nodes[starts[layer] + i];
        const b = nodes[starts[layer + 1] + j];
        edges.push({ layer, i, j, x0: a.x + node, y0: a.y + node / 2, x1: b.x, y1: b.y + node / 2 });
      }
    }
  }
  return { sizes, titles, nodes, edges, starts, node };
}

function segmentDistance(px, py, e) {
  const dx = e.x1 - e.x0, dy = e.y1 - e.y0;
  const t = Math.max(0, Math.min(1, ((px - e.x0) * dx + (py - e.y0) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (e.x0 + t * dx), py - (e.y0 + t * dy));
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "nnl-live";
  const bar = document.createElement("div");
  bar.className = "nnl-live-bar";
  bar.innerHTML = 'Epoch <b class="nnl-live-epoch">0</b> <span class="nnl-live-details"></span>';
  const message = document.createElement("div");
  message.className = "nnl-live-message";
  // The canvas sits in a div with ipympl's class as well, so tools that look for "the figure canvas" of an
  // explorer (the browser tests) find this one.
  const holder = document.createElement("div");
  holder.className = "nnl-live-holder jupyter-matplotlib-canvas-div";
  const canvas = document.createElement("canvas");
  canvas.className = "nnl-live-canvas";
  canvas.dataset.frames = "0";
  const tip = document.createElement("div");
  tip.className = "nnl-live-tip";
  holder.append(canvas, tip, message);
  root.append(bar, holder);
  el.appendChild(root);

  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(W * ratio);
  canvas.height = Math.round(H * ratio);
  canvas.style.width = "100%";  // narrower front ends scale the picture down (hover maps through the scale)
  canvas.style.height = "auto";
  const ctx = canvas.getContext("2d");
  const epochEl = bar.querySelector(".nnl-live-epoch");
  const detailsEl = bar.querySelector(".nnl-live-details");

  // Offscreen canvases: the surface at its own resolution, all neuron pictures side by side, the data points.
  const surfaceCanvas = document.createElement("canvas");
  const neuronCanvas = document.createElement("canvas");
  const pointCanvas = document.createElement("canvas");
  const hoverCanvas = document.createElement("canvas");
  pointCanvas.width = Math.round(SURF.size * ratio);
  pointCanvas.height = Math.round(SURF.size * ratio);

  let waiting = [];        // frames not painted yet, painted in order one per animation frame
  let shown = null;        // the frame on screen (hover repaints it)
  let geo = null;
  let geoKey = "";
  let points = null;       // {rows: Float32Array, colors: [[r,g,b]...], key}
  let pointsKey = "";
  let hover = null;        // {node} or {edge}
  let scheduled = false;
  let painted = 0;
  let alive = true;
  let acked = 0;          // the newest frame this view has told the kernel it painted

  function paletteOf(name) {
    const bytes = model.get(name);
    if (!bytes) return null;
    return bytes instanceof DataView ? u8(bytes) : new Uint8Array(bytes.buffer || bytes);
  }
  let diverging = paletteOf("palette");
  let light = paletteOf("palette_light");

  function schedule() {
    if (!scheduled && alive) {
      scheduled = true;
      requestAnimationFrame(paint);
    }
  }

  function drawPointsLayer(f) {
    const c = pointCanvas.getContext("2d");
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.clearRect(0, 0, SURF.size, SURF.size);
    if (!points) return;
    const [e0, e1, e2, e3] = f.extent;
    const rows = points.rows;
    for (const test of [0, 1]) {
      if (test && !f.show_test) continue;
      for (let p = 0; p < rows.length; p += 4) {
        if (rows[p + 3] !== test) continue;
        const x = ((rows[p] - e0) / (e1 - e0)) * SURF.size;
        const y = SURF.size - ((rows[p + 1] - e2) / (e3 - e2)) * SURF.size;
        const rgb = points.colors[rows[p + 2]] || [0, 0, 0];
        c.fillStyle = `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
        c.beginPath();
        if (test) {
          c.moveTo(x, y - 3.2); c.lineTo(x + 3.2, y); c.lineTo(x, y + 3.2); c.lineTo(x - 3.2, y); c.closePath();
          c.lineWidth = 1.0; c.strokeStyle = "#000000";
        } else {
          c.arc(x, y, 2.4, 0, 2 * Math.PI);
          c.lineWidth = 0.5; c.strokeStyle = "#333333";
        }
        c.fill();
        c.stroke();
      }
    }
  }

  function putPixels(target, width, height, bytes, rgba, palette) {
    if (target.width !== width || target.height !== height) {
      target.width = width;
      target.height = height;
    }
    const c = target.getContext("2d");
    const image = c.createImageData(width, height);
    const out = image.data;
    if (rgba) {
      out.set(bytes.subarray(0, width * height * 4));
    } else {
      for (let p = 0, q = 0; p < width * height; p++, q += 4) {
        const k = bytes[p] * 4;
        out[q] = palette[k]; out[q + 1] = palette[k + 1]; out[q + 2] = palette[k + 2]; out[q + 3] = 255;
      }
    }
    c.putImageData(image, 0, 0);
  }

  function drawFlipped(source, sx, sy, sw, sh, x, y, w, h, smooth) {
    // Row 0 of every picture is the bottom of the plane (x2 going up), as imshow(origin="lower") draws it.
    ctx.save();
    ctx.imageSmoothingEnabled = smooth;
    ctx.translate(x, y + h);
    ctx.scale(1, -1);
    ctx.drawImage(source, sx, sy, sw, sh, 0, 0, w, h);
    ctx.restore();
  }

  let paintMs = 0;
  function paint() {
    scheduled = false;
    if (!alive) return;
    const started = performance.now();
    if (waiting.length) {
      shown = waiting.shift();
      upload(shown);
      // Acknowledge on paint, every second frame (the kernel keeps four in flight): the kernel trains only as
      // many frames as the page paints, and the page handles half as many messages.
      if (shown.seq - acked >= 2) {
        acked = shown.seq;
        model.send({ type: "ready", seq: shown.seq });
      }
      if (waiting.length) schedule();  // the next one on the next animation frame
    }
    if (!shown) return;
    const f = shown;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);

    // network: edges under the neuron pictures
    const edges = f.edges;
    ctx.lineCap = "butt";
    geo.edges.forEach((e, n) => {
      const width = edges[n * 3 + 2];
      if (width <= 0.02) return;
      ctx.strokeStyle = paletteColor(diverging, edges[n * 3 + 1]);
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(e.x0, e.y0);
      ctx.bezierCurveTo((e.x0 + e.x1) / 2, e.y0, (e.x0 + e.x1) / 2, e.y1, e.x1, e.y1);
      ctx.stroke();
    });
    const t = f.thumbnail;
    geo.nodes.forEach((node, n) => {
      drawFlipped(neuronCanvas, n * t, 0, t, t, node.x, node.y, node.size, node.size, false);
      ctx.lineWidth = hover && hover.node === n ? 2 : 0.6;
      ctx.strokeStyle = hover && hover.node === n ? TEXT : "#999999";
      ctx.strokeRect(node.x, node.y, node.size, node.size);
    });
    ctx.fillStyle = MUTED;
    ctx.font = "11px sans-serif";
    ctx.textAlign = "center";
    geo.sizes.forEach((size, layer) => {
      const first = geo.nodes[geo.starts[layer]];
      ctx.fillText(geo.titles[layer] || "", first.x + geo.node / 2, 16);
    });
    ctx.textAlign = "right";
    ctx.fillStyle = TEXT;
    (f.labels || []).forEach((label, k) => {
      const node = geo.nodes[k];
      if (node) ctx.fillText(label, node.x - 4, node.y + node.size / 2 + 4);
    });
    ctx.textAlign = "left";
    ctx.fillStyle = MUTED;
    ctx.font = "10px sans-serif";
    ctx.fillText(f.edge_note, NET.left, H - 6);

    // decision surface (or, while a neuron is hovered, that neuron's output, large)
    if (hover && hover.node !== undefined && f.hover === hover.node && f.hoverPixels) {
      // the kernel sent this neuron at the surface's resolution
      drawFlipped(hoverCanvas, 0, 0, hoverCanvas.width, hoverCanvas.height, SURF.x, SURF.y, SURF.size,
        SURF.size, false);
    } else if (hover && hover.node !== undefined) {
      drawFlipped(neuronCanvas, hover.node * t, 0, t, t, SURF.x, SURF.y, SURF.size, SURF.size, true);
    } else {
      drawFlipped(surfaceCanvas, 0, 0, surfaceCanvas.width, surfaceCanvas.height, SURF.x, SURF.y, SURF.size,
        SURF.size, false);
    }
    ctx.drawImage(pointCanvas, SURF.x, SURF.y, SURF.size, SURF.size);
    ctx.strokeStyle = "#bbbbbb";
    ctx.lineWidth = 1;
    ctx.strokeRect(SURF.x, SURF.y, SURF.size, SURF.size);
    if (hover && hover.node !== undefined) {
      const node = geo.nodes[hover.node];
      const name = node.layer === 0 ? (f.labels[node.k] || `feature ${node.k + 1}`)
        : `${geo.titles[node.layer].split(":")[0]}, neuron ${node.k + 1}`;
      ctx.font = "12px sans-serif";
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(SURF.x + 4, SURF.y + 4, ctx.measureText(name).width + 12, 18);
      ctx.fillStyle = TEXT;
      ctx.fillText(name, SURF.x + 10, SURF.y + 17);
    }
    drawCurve(f);
    painted += 1;
    canvas.dataset.frames = String(painted);
    paintMs = 0.9 * paintMs + 0.1 * (performance.now() - started);
    canvas.dataset.paintMs = paintMs.toFixed(2);  // the time a paint takes (a running average), for benchmarks
  }

  function drawCurve(f) {
    const loss = f.loss;
    const m = loss.length / 2;
    let top = 0;
    for (let k = 0; k < loss.length; k++) if (isFinite(loss[k]) && loss[k] > top) top = loss[k];
    top = top > 0 ? top * 1.08 : 1;
    ctx.strokeStyle = "#bbbbbb";
    ctx.lineWidth = 1;
    ctx.strokeRect(CURVE.x, CURVE.y, CURVE.w, CURVE.h);
    [[0, TRAIN, "train"], [1, TEST, "test"]].forEach(([row, color, label], n) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.4;
      ctx.beginPath();
      for (let k = 0; k < m; k++) {
        const x = CURVE.x + (m > 1 ? (k / (m - 1)) * CURVE.w : 0);
        const v = loss[row * m + k];
        const y = CURVE.y + CURVE.h - (isFinite(v) ? Math.min(v / top, 1) : 1) * CURVE.h;
        if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.fillStyle = color;
      ctx.font = "10px sans-serif";
      ctx.fillText(`${label} loss ${fmt(loss[row * m + m - 1])}`, CURVE.x + n * 130, CURVE.y + CURVE.h + 12);
    });
    ctx.fillStyle = MUTED;
    ctx.textAlign = "right";
    ctx.fillText(fmt(top), CURVE.x - 3, CURVE.y + 8);
    ctx.fillText("0", CURVE.x - 3, CURVE.y + CURVE.h);
    ctx.textAlign = "left";
  }

  function upload(f) {
    const key = JSON.stringify([f.sizes, f.titles]);
    if (key !== geoKey) {
      geo = geometry(f.sizes, f.titles);
      geoKey = key;
      canvas.nnlGeometry = geo;  // where each neuron and edge is drawn (CSS pixels), for tests and tools
      hover = null;
    }
    const r = f.resolution;
    putPixels(surfaceCanvas, r, r, f.surface, f.surface_rgba, light);
    const t = f.thumbnail;
    const n = f.neurons.length / (t * t);
    // all neuron pictures side by side: neuron k occupies columns k*t .. k*t+t-1
    const side = new Uint8Array(n * t * t);
    for (let k = 0; k < n; k++) {
      for (let row = 0; row < t; row++) {
        side.set(f.neurons.subarray((k * t + row) * t, (k * t + row) * t + t), row * n * t + k * t);
      }
    }
    putPixels(neuronCanvas, n * t, t, side, false, diverging);
    f.hoverPixels = false;
    if (f.names.includes("hover")) {
      putPixels(hoverCanvas, r, r, f.hover_image, false, diverging);
      f.hoverPixels = true;
    }
    const pk = `${f.data_version}/${f.show_test}/${JSON.stringify(f.extent)}`;
    if (pk !== pointsKey) {
      drawPointsLayer(f);
      pointsKey = pk;
    }
    const epochText = f.epoch.toLocaleString("en-US");
    if (epochEl.textContent !== epochText) epochEl.textContent = epochText;
    if (detailsEl.textContent !== f.details) detailsEl.textContent = f.details;
    if (message.textContent !== f.message) {
      message.textContent = f.message;
      message.style.display = f.message ? "block" : "none";
    }
  }

  function onMessage(msg, buffers) {
    if (!msg || msg.type !== "frame") return;
    const f = { ...msg };
    msg.names.forEach((name, k) => {
      const key = name === "hover" ? "hover_image" : name;  // f.hover is the neuron's number
      f[key] = msg.dtypes[k] === "float32" ? f32(buffers[k]) : u8(buffers[k]);
    });
    if (f.points) {
      points = { rows: f.points, colors: msg.group_colors };
      pointsKey = "";
    }
    // Frames are painted in order, one per animation frame; the kernel keeps only a few on their way, so the
    // queue stays short. A frame sent after a change of settings makes the older ones waiting out of date.
    if (f.flush) waiting = [];
    waiting.push(f);
    if (waiting.length > MAX_WAITING) waiting = waiting.slice(-MAX_WAITING);
    schedule();
  }

  function onMove(event) {
    if (!geo || !shown) return;
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * W;
    const y = ((event.clientY - box.top) / box.height) * H;
    let found = null;
    geo.nodes.forEach((node, n) => {
      if (x >= node.x && x <= node.x + node.size && y >= node.y && y <= node.y + node.size) found = { node: n };
    });
    if (!found) {
      let best = 5;
      geo.edges.forEach((e, n) => {
        const d = segmentDistance(x, y, e);
        if (d < best) { best = d; found = { edge: n }; }
      });
    }
    const before = hover && hover.node !== undefined ? hover.node : null;
    const now = found && found.node !== undefined ? found.node : null;
    if (before !== now) model.send({ type: "hover", node: now });
    hover = found;
    if (found && found.edge !== undefined) {
      const e = geo.edges[found.edge];
      const value = shown.edges[found.edge * 3];
      const from = e.layer === 0 ? (shown.labels[e.i] || `input ${e.i + 1}`) : `${geo.titles[e.layer].split(":")[0]} #${e.i + 1}`;
      const to = `${geo.titles[e.layer + 1].split(":")[0]} #${e.j + 1}`;
      tip.textContent = `${shown.edge_kind} ${fmt(value)}  (${from} → ${to}; model.layers[${e.layer}].weights[${e.i}, ${e.j}])`;
      const cssX = event.clientX - box.left;
      const cssY = event.clientY - box.top;
      tip.style.left = `${Math.max(0, Math.min(cssX + 12, box.width - 300))}px`;
      tip.style.top = `${cssY + 22}px`;
      tip.style.display = "block";
    } else {
      tip.style.display = "none";
    }
    canvas.style.cursor = found ? "crosshair" : "default";
    schedule();
  }

  function onLeave() {
    if (hover && hover.node !== undefined) model.send({ type: "hover", node: null });
    hover = null;
    tip.style.display = "none";
    schedule();
  }

  function onPalette() {
    diverging = paletteOf("palette");
    light = paletteOf("palette_light");
  }

  model.on("msg:custom", onMessage);
  model.on("change:palette", onPalette);
  canvas.addEventListener("mousemove", onMove);
  canvas.addEventListener("mouseleave", onLeave);
  model.send({ type: "hello" });  // the kernel answers with the current frame and the data points

  return () => {
    alive = false;
    model.off("msg:custom", onMessage);
    model.off("change:palette", onPalette);
  };
}

export default { render };
