/**
 * The live dashboard: one self-contained page (no CDN, no build step). It opens GET /dashboard/events
 * (Server-Sent Events, a DashboardSnapshot per message) and redraws the numbers, an SVG bar chart of orders
 * per minute and the revenue rankings. Kept free of backticks and "${" so it can live in this template.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop analytics · live</title>
<style>
  :root {
    --bg: #0f1420; --panel: #171e2e; --panel2: #1d2538; --line: #273149; --text: #e6eaf2; --muted: #8b96ad;
    --accent: #5b9dff; --accent2: #37d6a5; --warn: #ffb547; --bad: #ff6b6b; --good: #37d6a5;
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
  header { display: flex; align-items: center; justify-content: space-between; padding: 18px 28px; border-bottom: 1px solid var(--line); }
  h1 { margin: 0; font-size: 19px; font-weight: 600; letter-spacing: .2px; }
  h1 small { color: var(--muted); font-weight: 400; margin-left: 8px; font-size: 14px; }
  .live { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 13px; }
  .dot { width: 10px; height: 10px; border-radius: 50%; background: var(--bad); box-shadow: 0 0 0 3px rgba(255,107,107,.15); }
  .live.on .dot { background: var(--good); box-shadow: 0 0 0 3px rgba(55,214,165,.18); animation: pulse 2s infinite; }
  @keyframes pulse { 50% { box-shadow: 0 0 0 6px rgba(55,214,165,.05); } }
  main { padding: 22px 28px 32px; display: grid; gap: 18px; grid-template-columns: repeat(12, 1fr); max-width: 1500px; margin: 0 auto; }
  .card { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 16px 18px; min-width: 0; }
  .kpi { grid-column: span 2; }
  .kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .6px; }
  .kpi .value { font-size: clamp(18px, 1.6vw, 28px); font-weight: 650; margin-top: 6px; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .kpi .sub { color: var(--muted); font-size: 12px; margin-top: 2px; }
  .kpi.revenue .value { color: var(--accent2); }
  .kpi.rejected .value { color: var(--warn); }
  .kpi.alerts .value { color: var(--bad); }
  h2 { margin: 0 0 12px; font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .6px; display: flex; justify-content: space-between; }
  h2 span { text-transform: none; letter-spacing: 0; font-weight: 400; }
  .chart { grid-column: span 8; }
  .side { grid-column: span 4; }
  .half { grid-column: span 6; }
  .wide { grid-column: span 12; }
  svg text { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
  .bars { display: grid; gap: 9px; }
  .bar { display: grid; grid-template-columns: 110px 1fr 104px; gap: 10px; align-items: center; font-variant-numeric: tabular-nums; }
  .bar .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .bar .track { height: 12px; background: var(--panel2); border-radius: 6px; overflow: hidden; }
  .bar .fill { height: 100%; background: linear-gradient(90deg, var(--accent), #8cb9ff); border-radius: 6px; transition: width .5s ease; }
  .bar.cat .fill { background: linear-gradient(90deg, #2fb98f, var(--accent2)); }
  .bar.rule { grid-template-columns: 180px 1fr 56px; }
  .bar.rule .fill { background: linear-gradient(90deg, #e05353, var(--bad)); }
  .bar .num { text-align: right; }
  .bar .num small { display: block; color: var(--muted); font-size: 11px; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 7px 6px; border-bottom: 1px solid var(--line); }
  th { color: var(--muted); font-weight: 500; font-size: 12px; }
  td.r, th.r { text-align: right; }
  td, th { white-space: nowrap; }
  .pill { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12px; background: var(--panel2); }
  .pill.caught-up { color: var(--good); background: rgba(55,214,165,.12); }
  .pill.catching-up, .pill.rebuilding, .pill.starting { color: var(--warn); background: rgba(255,181,71,.12); }
  .pill.stopped, .pill.crashed, .pill.unknown { color: var(--bad); background: rgba(255,107,107,.12); }
  .pill.idle { color: var(--muted); }
  .empty { color: var(--muted); padding: 18px 0; text-align: center; }
  footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 0 24px; }
  @media (max-width: 1100px) { .kpi { grid-column: span 4; } .chart, .side, .half { grid-column: span 12; } }
  body { overflow-x: hidden; }
</style>
</head>
<body>
<header>
  <h1>Event-driven shop <small>analytics · live</small></h1>
  <div class="live" id="live"><span class="dot"></span><span id="live-text">connecting…</span></div>
</header>
<main>
  <div class="card kpi"><div class="label">Orders validated</div><div class="value" id="kpi-validated">–</div><div class="sub" id="kpi-orders-sub">&nbsp;</div></div>
  <div class="card kpi rejected"><div class="label">Orders rejected</div><div class="value" id="kpi-rejected">–</div><div class="sub" id="kpi-rejected-sub">&nbsp;</div></div>
  <div class="card kpi revenue"><div class="label">Revenue</div><div class="value" id="kpi-revenue">–</div><div class="sub" id="kpi-revenue-sub">&nbsp;</div></div>
  <div class="card kpi"><div class="label">Shipments</div><div class="value" id="kpi-shipments">–</div><div class="sub" id="kpi-shipments-sub">&nbsp;</div></div>
  <div class="card kpi alerts"><div class="label">Fraud alerts</div><div class="value" id="kpi-alerts">–</div><div class="sub" id="kpi-alerts-sub">&nbsp;</div></div>
  <div class="card kpi"><div class="label">Orders total</div><div class="value" id="kpi-orders">–</div><div class="sub">validated + rejected</div></div>

  <section class="card chart">
    <h2>Validated orders per minute <span id="chart-range">event time (placedAt), UTC</span></h2>
    <svg id="chart" width="100%" height="260" role="img" aria-label="validated orders per minute"></svg>
  </section>
  <section class="card side">
    <h2>Fraud alerts by rule</h2>
    <div class="bars" id="alerts"></div>
  </section>

  <section class="card half">
    <h2>Revenue by region</h2>
    <div class="bars" id="regions"></div>
  </section>
  <section class="card half">
    <h2>Revenue by category</h2>
    <div class="bars" id="categories"></div>
  </section>
  <section class="card wide">
    <h2>Views <span>lag · last write</span></h2>
    <table><thead><tr><th>view</th><th>topic</th><th>status</th><th class="r">lag</th><th class="r">last write</th></tr></thead><tbody id="views"></tbody></table>
  </section>
  <section class="card wide" id="services-card" hidden>
    <h2>Services <span>GET /health/ready · lag · restarts seen</span></h2>
    <table><thead><tr><th>service</th><th>state</th><th class="r">lag</th><th class="r">restarts</th><th class="r">up for</th></tr></thead><tbody id="services"></tbody></table>
  </section>
</main>
<footer>Numbers from GET /analytics/totals and /analytics/windows; pushed every second over Server-Sent Events (GET /dashboard/events).</footer>
<script>
(function () {
  'use strict';
  var NUM = new Intl.NumberFormat('en-US');
  var EUR = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' });
  var EUR0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  var SVGNS = 'http://www.w3.org/2000/svg';
  var num = function (n) { return NUM.format(n); };
  var money = function (cents) { return EUR.format(cents / 100); };
  var money0 = function (cents) { return EUR0.format(cents / 100); };
  var $ = function (id) { return document.getElementById(id); };
  var setText = function (id, text) { var el = $(id); if (el.textContent !== text) el.textContent = text; };
  var el = function (tag, attrs, text) {
    var node = tag.indexOf('svg:') === 0 ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  };
  var hhmm = function (iso) { return iso.slice(11, 16); };
  var ago = function (iso, now) {
    if (!iso) return '–';
    var s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    return s < 60 ? s + ' s ago' : s < 3600 ? Math.floor(s / 60) + ' min ago' : Math.floor(s / 3600) + ' h ago';
  };

  function niceMax(v) {
    if (v <= 20) return Math.max(4, Math.ceil(v / 4) * 4); // whole-number gridlines for small counts
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function drawChart(points) {
    var svg = $('chart');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = svg.clientWidth || 800, H = 260, L = 44, R = 10, T = 12, B = 28;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    if (points.length === 0) {
      svg.appendChild(el('svg:text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no validated orders yet'));
      return;
    }
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return p.orders; })));
    var plotW = W - L - R, plotH = H - T - B, step = plotW / points.length, bw = Math.max(2, step * 0.72);
    for (var g = 0; g <= 4; g++) {
      var y = T + plotH - (plotH * g) / 4;
      svg.appendChild(el('svg:line', { x1: L, x2: W - R, y1: y, y2: y, stroke: '#273149', 'stroke-width': 1 }));
      svg.appendChild(el('svg:text', { x: L - 8, y: y + 4, 'text-anchor': 'end' }, num((max * g) / 4)));
    }
    var defs = el('svg:defs');
    var grad = el('svg:linearGradient', { id: 'barfill', x1: 0, x2: 0, y1: 0, y2: 1 });
    grad.appendChild(el('svg:stop', { offset: '0%', 'stop-color': '#8cb9ff' }));
    grad.appendChild(el('svg:stop', { offset: '100%', 'stop-color': '#3f7fe6' }));
    defs.appendChild(grad);
    svg.appendChild(defs);
    points.forEach(function (p, i) {
      var h = (plotH * p.orders) / max, x = L + i * step + (step - bw) / 2;
      var bar = el('svg:rect', { x: x, y: T + plotH - h, width: bw, height: Math.max(h, 0), rx: 3, fill: 'url(#barfill)' });
      bar.appendChild(el('svg:title', {}, hhmm(p.windowStart) + ' UTC: ' + num(p.orders) + ' orders, ' + money(p.revenueCents)));
      svg.appendChild(bar);
      if (i % 5 === 0 || i === points.length - 1) {
        svg.appendChild(el('svg:text', { x: L + i * step + step / 2, y: H - 8, 'text-anchor': 'middle' }, hhmm(p.windowStart)));
      }
    });
    setText('chart-range', hhmm(points[0].windowStart) + '–' + hhmm(points[points.length - 1].windowStart) + ' UTC · event time');
  }

  function drawBars(id, items, kind, label) {
    var box = $(id);
    while (box.firstChild) box.removeChild(box.firstChild);
    if (items.length === 0) { box.appendChild(el('div', { class: 'empty' }, 'nothing yet')); return; }
    var max = Math.max.apply(null, items.map(function (i) { return i.amount; })) || 1;
    items.forEach(function (item) {
      var row = el('div', { class: 'bar ' + kind });
      row.appendChild(el('div', { class: 'name', title: item.name }, item.name));
      var track = el('div', { class: 'track' });
      track.appendChild(el('div', { class: 'fill', style: 'width:' + ((100 * item.amount) / max).toFixed(1) + '%' }));
      row.appendChild(track);
      var n = el('div', { class: 'num' }, label(item));
      if (item.sub) n.appendChild(el('small', {}, item.sub));
      row.appendChild(n);
      box.appendChild(row);
    });
  }

  function render(s) {
    var t = s.totals, now = Date.parse(s.at);
    var all = t.orders.validated + t.orders.rejected;
    setText('kpi-validated', num(t.orders.validated));
    setText('kpi-rejected', num(t.orders.rejected));
    setText('kpi-orders', num(all));
    setText('kpi-orders-sub', all > 0 ? ((100 * t.orders.validated) / all).toFixed(1) + ' % of all orders' : '\u00a0');
    setText('kpi-rejected-sub', all > 0 ? ((100 * t.orders.rejected) / all).toFixed(1) + ' % of all orders' : '\u00a0');
    setText('kpi-revenue', money(t.revenueCents));
    setText('kpi-revenue-sub', t.orders.validated > 0 ? 'avg ' + money(Math.round(t.revenueCents / t.orders.validated)) + ' per order' : '\u00a0');
    setText('kpi-shipments', num(t.shipments));
    setText('kpi-shipments-sub', t.orders.validated > 0 ? ((100 * t.shipments) / t.orders.validated).toFixed(1) + ' % of validated' : '\u00a0');
    setText('kpi-alerts', num(t.fraudAlerts.total));
    setText('kpi-alerts-sub', Object.keys(t.fraudAlerts.byRule).length + ' rules fired');
    drawChart(s.ordersPerMinute);
    var ranked = function (list) { return list.map(function (v) { return { name: v.value, amount: v.revenueCents, sub: num(v.count) + ' orders' }; }); };
    drawBars('regions', ranked(s.revenueByRegion), 'reg', function (i) { return money0(i.amount); });
    drawBars('categories', s.revenueByCategory.map(function (v) { return { name: v.value, amount: v.revenueCents, sub: num(v.count) + ' items' }; }), 'cat', function (i) { return money0(i.amount); });
    var rules = Object.keys(t.fraudAlerts.byRule).map(function (r) { return { name: r, amount: t.fraudAlerts.byRule[r] }; })
      .sort(function (a, b) { return b.amount - a.amount; });
    drawBars('alerts', rules, 'rule', function (i) { return num(i.amount); });
    var body = $('views');
    while (body.firstChild) body.removeChild(body.firstChild);
    s.views.forEach(function (v) {
      var tr = el('tr');
      tr.appendChild(el('td', {}, v.view));
      tr.appendChild(el('td', {}, v.topic || '–'));
      var st = el('td'); st.appendChild(el('span', { class: 'pill ' + v.status }, v.status)); tr.appendChild(st);
      tr.appendChild(el('td', { class: 'r' }, v.lag === null ? '–' : num(v.lag)));
      tr.appendChild(el('td', { class: 'r' }, ago(v.lastWriteAt, now)));
      body.appendChild(tr);
    });
    var services = s.services || [];
    $('services-card').hidden = services.length === 0;
    var sbody = $('services');
    while (sbody.firstChild) sbody.removeChild(sbody.firstChild);
    services.forEach(function (v) {
      var tr = el('tr');
      tr.appendChild(el('td', {}, v.name));
      var st = el('td'); st.appendChild(el('span', { class: 'pill ' + (v.state === 'ready' ? 'caught-up' : v.state === 'down' ? 'crashed' : v.state === 'not-started' ? 'idle' : 'catching-up') }, v.state)); tr.appendChild(st);
      tr.appendChild(el('td', { class: 'r' }, v.lag === null ? '–' : num(v.lag)));
      tr.appendChild(el('td', { class: 'r' }, num(v.restarts)));
      tr.appendChild(el('td', { class: 'r' }, v.uptimeSeconds === null ? '–' : num(v.uptimeSeconds) + ' s'));
      sbody.appendChild(tr);
    });
    setText('live-text', 'live · ' + s.at.slice(11, 19) + ' UTC');
    document.body.setAttribute('data-snapshot-at', s.at);
  }

  var last;
  var base = location.pathname.replace(/\/dashboard\/?$/, '/');
  var source = new EventSource(base + 'dashboard/events');
  source.addEventListener('snapshot', function (e) { last = JSON.parse(e.data); $('live').className = 'live on'; render(last); });
  source.addEventListener('problem', function (e) { $('live').className = 'live'; setText('live-text', 'read failed: ' + JSON.parse(e.data).error); });
  source.onerror = function () { $('live').className = 'live'; setText('live-text', 'reconnecting…'); };
  window.addEventListener('resize', function () { if (last) drawChart(last.ordersPerMinute); });
})();
</script>
</body>
</html>
`;
