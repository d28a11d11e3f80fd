// seqrec console: plain browser JavaScript against the recommender's /v1 API; no build step, nothing fetched
// from outside the server.
"use strict";

const CONFIG = Object.freeze({
  statsIntervalMs: 2000,
  modelIntervalMs: 30000,
  arrivalPollMs: 400,
  arrivalTimeoutMs: 20000,
  similarCount: 8,
  sparklinePoints: 40,
  recentUsers: 6,
  randomUserCeiling: 1000,
});
const SERIES_COLOURS = ["#3861fb", "#e8590c", "#138a5b", "#9c36b5", "#c92a2a", "#1098ad"];
const METRIC_ORDER = ["hr", "ndcg", "mrr"];
const CHART_SKIPPED = ["seconds"];
const CHART_CUTOFF = "@10";

const state = { user: null, recs: [], sending: false, eventsPerSecond: [], recentUsers: [], storeUsers: 0 };
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { "Accept": "application/json" }, ...options });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
  if (!response.ok) {
    const reason = body && (body.message || body.error) ? (body.message || body.error) : response.statusText;
    throw new Error(`${response.status}: ${reason}`);
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function setStatus(text, kind = "") {
  const status = $("status");
  status.textContent = text;
  status.className = "status " + kind;
}

function formatNumber(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// ---- user, history, recommendations ---------------------------------------------------------------------------

async function fetchHistory(user) {
  // The service's own default: 50 items, or its seen-window if smaller (a fixed n above that would be refused).
  const body = await api(`/v1/users/${encodeURIComponent(user)}/history`);
  return body.items || [];
}

async function fetchRecommendations(user) {
  const k = $("k-select").value;
  const excludeSeen = $("exclude-seen").checked;
  return api(`/v1/users/${encodeURIComponent(user)}/recommendations?k=${k}&excludeSeen=${excludeSeen}`);
}

function renderHistory(items, arrivedItem = null) {
  const list = $("history");
  list.replaceChildren();
  $("history-count").textContent = items.length ? `(${items.length} most recent)` : "";
  if (!items.length) {
    list.append(el("li", { class: "empty" }, "No interactions yet: recommendations fall back to popularity."));
    return;
  }
  items.forEach((item, i) => {
    const latest = i === items.length - 1;
    const classes = [latest ? "latest" : "", latest && item === arrivedItem ? "arrived" : ""].join(" ").trim();
    list.append(el("li", { class: classes, title: "show similar items", "data-item": item, onclick: () => showSimilar(item) },
      el("span", { class: "pos" }, i + 1), el("span", { class: "item" }, item)));
  });
  list.scrollTop = list.scrollHeight;
}

function renderRecommendations(answer, previous) {
  const list = $("recommendations");
  list.replaceChildren();
  const items = answer.items || [];
  const meta = $("recs-meta");
  meta.replaceChildren();
  meta.append(answer.fallback
    ? el("span", { class: "tag fallback" }, `fallback: ${answer.fallback}`)
    : el("span", { class: "tag model" }, "personalised"));
  if (answer.modelVersion) meta.append(` model ${answer.modelVersion}`);
  if (answer.unknownItems && answer.unknownItems.length) meta.append(` · unknown to the model: ${answer.unknownItems.join(", ")}`);
  if (!items.length) {
    list.append(el("li", { class: "empty" }, "Nothing to recommend."));
    return;
  }
  const scores = items.map((r) => r.score);
  const top = Math.max(...scores), bottom = Math.min(...scores);
  const previousRank = new Map(previous.map((item, i) => [item, i]));
  items.forEach((rec, i) => {
    const width = top === bottom ? 100 : 15 + 85 * (rec.score - bottom) / (top - bottom);
    let move = "", moveClass = "move";
    if (previous.length && !previousRank.has(rec.item)) { move = "new"; moveClass += " new"; }
    else if (previousRank.has(rec.item) && previousRank.get(rec.item) > i) { move = `▲${previousRank.get(rec.item) - i}`; moveClass += " up"; }
    else if (previousRank.has(rec.item) && previousRank.get(rec.item) < i) { move = `▼${i - previousRank.get(rec.item)}`; }
    list.append(el("li", {
      class: move === "new" ? "changed" : "", "data-item": rec.item,
      title: "send this item as the user's next interaction", onclick: () => sendEvent(rec.item),
    },
      el("span", { class: "rank" }, i + 1),
      el("span", { class: "item" }, rec.item, " ", el("span", { class: moveClass }, move)),
      el("span", { class: "bar" }, el("span", { style: `width:${width.toFixed(1)}%` })),
      el("span", { class: "score" }, formatNumber(rec.score, 2))));
  });
}

async function loadUser(user, { arrivedItem = null, keepPrevious = false } = {}) {
  const previous = keepPrevious ? state.recs : [];
  const [history, answer] = await Promise.all([fetchHistory(user), fetchRecommendations(user)]);
  state.user = user;
  renderHistory(history, arrivedItem);
  renderRecommendations(answer, previous);
  state.recs = (answer.items || []).map((r) => r.item);
  rememberUser(user);
  return { history, answer, previous };
}

function rememberUser(user) {
  state.recentUsers = [user, ...state.recentUsers.filter((u) => u !== user)].slice(0, CONFIG.recentUsers);
  $("recent-users").replaceChildren(...state.recentUsers.map((u) =>
    el("button", { type: "button", class: "chip", onclick: () => showUser(u) }, u)));
}

async function showUser(user) {
  $("user-input").value = user;
  setStatus(`Loading user ${user}…`, "busy");
  try {
    const { history } = await loadUser(user);
    setStatus(`User ${user}: ${history.length} interactions shown.`, "ok");
  } catch (error) {
    setStatus(`Could not load user ${user}: ${error.message}`, "error");
  }
}

async function showSimilar(item) {
  $("similar-title").textContent = `Similar to ${item}`;
  const list = $("similar");
  try {
    const body = await api(`/v1/items/${encodeURIComponent(item)}/similar?k=${CONFIG.similarCount}`);
    const items = body.items || [];
    list.replaceChildren(...(items.length ? items.map((rec, i) => el("li", { "data-item": rec.item, onclick: () => sendEvent(rec.item), title: "send as the next interaction" },
      el("span", { class: "rank" }, i + 1), el("span", { class: "item" }, rec.item), el("span"),
      el("span", { class: "score" }, formatNumber(rec.score, 2)))) : [el("li", { class: "empty" }, "No neighbours known.")]));
  } catch (error) {
    list.replaceChildren(el("li", { class: "empty" }, `Not available: ${error.message}`));
  }
}

// ---- interactions through Kafka --------------------------------------------------------------------------------

async function sendEvent(item) {
  if (!state.user) { setStatus("Pick a user first.", "error"); return; }
  if (state.sending) return;
  state.sending = true;
  $("add-event").disabled = true;
  const user = state.user;
  const type = $("event-type").value;
  const event = type ? { user, item, type } : { user, item };
  // The history answer is a window of the last items: a new event shifts it even when its length stays the same.
  const before = JSON.stringify(await fetchHistory(user).catch(() => []));
  try {
    await api("/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(event) });
    setStatus(`Sent ${item} for user ${user} to Kafka; waiting for it to reach the store…`, "busy");
    const started = performance.now();
    while (performance.now() - started < CONFIG.arrivalTimeoutMs) {
      const history = await fetchHistory(user);
      if (JSON.stringify(history) !== before) {
        const { previous } = await loadUser(user, { arrivedItem: item, keepPrevious: true });
        const changed = state.recs.filter((r) => !previous.includes(r)).length;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        setStatus(`Item ${item} arrived after ${seconds} s; ${changed} new recommendation${changed === 1 ? "" : "s"}.`, "ok");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, CONFIG.arrivalPollMs));
    }
    setStatus(`Sent ${item}, but it has not reached the store after ${CONFIG.arrivalTimeoutMs / 1000} s (is ingestion running?).`, "error");
  } catch (error) {
    setStatus(`Could not send ${item}: ${error.message}`, "error");
  } finally {
    state.sending = false;
    $("add-event").disabled = false;
  }
}

// ---- model card -----------------------------------------------------------------------------------------------

// Metric names such as "hr@10" or "test_ndcg@20": ordered by split prefix, cutoff, then HR, NDCG, MRR.
function metricSortKey(name) {
  const match = /^(?:(.*)_)?([a-z]+)@(\d+)$/.exec(name);
  if (!match) return [name, Number.MAX_SAFE_INTEGER, METRIC_ORDER.length, name];
  const family = METRIC_ORDER.indexOf(match[2]);
  return [match[1] || "", Number(match[3]), family < 0 ? METRIC_ORDER.length : family, name];
}

function compareMetrics(a, b) {
  const ka = metricSortKey(a), kb = metricSortKey(b);
  return ka[0].localeCompare(kb[0]) || ka[1] - kb[1] || ka[2] - kb[2] || ka[3].localeCompare(kb[3]);
}

function renderModel(card) {
  $("model-badge").textContent = `${card.kind || "model"} · ${card.version || "unversioned"}`;
  const rows = [["model", card.kind], ["version", card.version], ["dataset", card.dataset], ["items", formatNumber(card.numItems)]];
  $("model-card").replaceChildren(...rows.filter(([, v]) => v !== undefined && v !== null && v !== "")
    .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  renderMetrics(card);
  renderTrainingCurve(card.trainingCurve || []);
}

function renderMetrics(card) {
  const table = $("metrics-table");
  const metrics = card.metrics || {};
  const models = Object.keys(metrics).sort((a, b) => (a === card.kind ? -1 : b === card.kind ? 1 : a.localeCompare(b)));
  if (!models.length) {
    table.replaceChildren(el("tbody", {}, el("tr", {}, el("td", { class: "empty" }, "No metrics recorded in this checkpoint."))));
    return;
  }
  const served = models[0];
  const baseline = models.find((m) => m !== served);
  // With a baseline, only the metrics both were measured on: a comparison, not a dump of every figure.
  const names = (baseline ? Object.keys(metrics[served]).filter((n) => n in metrics[baseline])
    : Object.keys(metrics[served])).sort(compareMetrics);
  const head = el("tr", {}, el("th", {}, "metric"), ...models.map((m) => el("th", {}, m)),
    ...(baseline ? [el("th", {}, `× ${baseline}`)] : []));
  const body = names.map((name) => {
    const value = (m) => metrics[m][name];
    const ratio = baseline && value(baseline) > 0 ? value(served) / value(baseline) : null;
    return el("tr", {}, el("td", {}, name), ...models.map((m) => el("td", {}, formatNumber(value(m), 4))),
      ...(baseline ? [el("td", { class: "ratio" }, ratio === null ? "–" : `${ratio.toFixed(2)}×`)] : []));
  });
  table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...body));
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

function niceRange(values) {
  let low = Math.min(...values), high = Math.max(...values);
  if (low === high) { low -= Math.abs(low) * 0.1 || 1; high += Math.abs(high) * 0.1 || 1; }
  return [low, high];
}

// Losses and ranking metrics differ in scale by orders of magnitude: losses use the left axis, the rest the right.
function renderTrainingCurve(rows) {
  const chart = $("training-chart");
  const legend = $("training-legend");
  chart.replaceChildren();
  legend.replaceChildren();
  const width = 420, height = 220, left = 44, right = 44, top = 12, bottom = 28;
  if (!rows.length) {
    chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "no training curve in this checkpoint"));
    return;
  }
  const xKey = "epoch" in rows[0] ? "epoch" : null;
  const xs = rows.map((r, i) => (xKey ? r[xKey] : i + 1));
  const columns = Object.keys(rows[0])
    .filter((c) => c !== xKey && !CHART_SKIPPED.includes(c) && rows.some((r) => Number.isFinite(r[c])));
  const metrics = columns.filter((c) => !c.includes("loss"));
  // A curve records every cutoff; the chart keeps @10 when there is one, or it turns into a thicket.
  const shown = metrics.some((c) => c.endsWith(CHART_CUTOFF)) ? metrics.filter((c) => c.endsWith(CHART_CUTOFF)) : metrics;
  const axes = { left: columns.filter((c) => c.includes("loss")), right: shown };
  if (!axes.left.length) { axes.left = axes.right; axes.right = []; }
  const [x0, x1] = niceRange(xs);
  const px = (x) => left + (width - left - right) * (x - x0) / (x1 - x0);
  for (let i = 0; i <= 4; i++) {
    const y = top + (height - top - bottom) * i / 4;
    chart.append(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid" }));
  }
  chart.append(svg("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: "axis" }));
  const xStep = Math.max(1, Math.ceil((x1 - x0) / 6));
  for (let x = Math.ceil(x0); x <= x1; x += xStep) {
    chart.append(svg("text", { x: px(x), y: height - bottom + 14, "text-anchor": "middle" }, formatNumber(x)));
  }
  chart.append(svg("text", { x: (left + width - right) / 2, y: height - 2, "text-anchor": "middle" }, xKey || "step"));
  let colour = 0;
  for (const [side, names] of Object.entries(axes)) {
    if (!names.length) continue;
    const [y0, y1] = niceRange(rows.flatMap((r) => names.map((n) => r[n]).filter(Number.isFinite)));
    const py = (y) => height - bottom - (height - top - bottom) * (y - y0) / (y1 - y0);
    const axisX = side === "left" ? left : width - right;
    chart.append(svg("line", { x1: axisX, x2: axisX, y1: top, y2: height - bottom, class: "axis" }));
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (y1 - y0) * i / 4;
      chart.append(svg("text", { x: side === "left" ? axisX - 4 : axisX + 4, y: py(v) + 3, "text-anchor": side === "left" ? "end" : "start" },
        formatNumber(v, Math.abs(y1 - y0) < 1 ? 3 : 2)));
    }
    for (const name of names) {
      const stroke = SERIES_COLOURS[colour++ % SERIES_COLOURS.length];
      const points = rows.map((r, i) => (Number.isFinite(r[name]) ? `${px(xs[i]).toFixed(1)},${py(r[name]).toFixed(1)}` : null))
        .filter(Boolean).join(" ");
      chart.append(svg("polyline", { points, stroke }));
      rows.forEach((r, i) => {
        if (Number.isFinite(r[name])) chart.append(svg("circle", { cx: px(xs[i]), cy: py(r[name]), r: 2.5, fill: stroke }));
      });
      legend.append(el("span", {}, el("i", { style: `background:${stroke}` }), `${name} (${side} axis)`));
    }
  }
}

async function refreshModel() {
  try {
    renderModel(await api("/v1/model"));
  } catch (error) {
    $("model-badge").textContent = "model unavailable";
    $("model-card").replaceChildren(el("dt", {}, "model"), el("dd", {}, error.message));
  }
}

// ---- live figures ---------------------------------------------------------------------------------------------

function renderSparkline(values) {
  const line = $("stat-sparkline");
  line.replaceChildren();
  if (values.length < 2) return;
  const high = Math.max(...values, 1);
  const points = values.map((v, i) => `${(120 * i / (CONFIG.sparklinePoints - 1)).toFixed(1)},${(26 - 24 * v / high).toFixed(1)}`);
  line.append(svg("polyline", { points: points.join(" ") }));
}

function renderStats(stats) {
  const ingestion = stats.ingestion || {};
  state.storeUsers = ingestion.users;
  const requests = stats.requests || {};
  $("stat-users").textContent = formatNumber(ingestion.users);
  $("stat-events").textContent = formatNumber(ingestion.events);
  $("stat-events-rate").textContent = formatNumber(ingestion.eventsPerSecond, 1);
  $("stat-lag").textContent = formatNumber(ingestion.lag);
  $("stat-dlq").textContent = formatNumber(ingestion.deadLetters);
  $("stat-requests").textContent = formatNumber(requests.count);
  $("stat-request-rate").textContent = formatNumber(requests.perSecond, 1);
  $("stat-latency").textContent = requests.p50Millis === undefined || requests.p50Millis === null ? "–"
    : `${formatNumber(requests.p50Millis, 1)} / ${formatNumber(requests.p99Millis, 1)} ms`;
  if (Number.isFinite(ingestion.eventsPerSecond)) {
    state.eventsPerSecond = [...state.eventsPerSecond, ingestion.eventsPerSecond].slice(-CONFIG.sparklinePoints);
    renderSparkline(state.eventsPerSecond);
  }
}

async function refreshStats() {
  try {
    renderStats(await api("/v1/stats"));
    $("live").classList.remove("offline");
  } catch (error) {
    $("live").classList.add("offline");
  }
}

// ---- wiring ---------------------------------------------------------------------------------------------------

function wire() {
  $("user-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const user = $("user-input").value.trim();
    if (user) showUser(user);
  });
  // Random picks among ids 1..users, which fits datasets with numeric user ids such as the shipped Beauty data.
  $("random-user").addEventListener("click", () =>
    showUser(String(1 + Math.floor(Math.random() * (state.storeUsers || CONFIG.randomUserCeiling)))));
  $("event-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const item = $("event-item").value.trim();
    if (item) sendEvent(item).then(() => { $("event-item").value = ""; });
  });
  for (const control of ["k-select", "exclude-seen"]) {
    $(control).addEventListener("change", () => { if (state.user) showUser(state.user); });
  }
  const requested = new URLSearchParams(location.search).get("user");
  if (requested) showUser(requested);
  refreshModel();
  refreshStats();
  setInterval(refreshStats, CONFIG.statsIntervalMs);
  setInterval(refreshModel, CONFIG.modelIntervalMs);
}

document.addEventListener("DOMContentLoaded", wire);
