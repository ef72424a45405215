/* TraceStream analysis report: draws the charts and tables from the JSON in #ts-data. No dependencies. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('ts-data').textContent);
  var root = document.getElementById('ts-report');
  var SVGNS = 'http://www.w3.org/2000/svg';
  var PAGE = 100;
  var RAW_DRAW_MAX = 20000;

  function el(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    if (attrs) { for (var k in attrs) { if (attrs[k] !== undefined && attrs[k] !== null) { e.setAttribute(k, attrs[k]); } } }
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function svg(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) { for (var k in attrs) { if (attrs[k] !== undefined && attrs[k] !== null) { e.setAttribute(k, attrs[k]); } } }
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function pad(n, w) { var s = String(n); while (s.length < w) { s = '0' + s; } return s; }

  /* ---- time and value formatting ---- */
  var DAY = 86400e9;
  /** Absolute ns since the epoch of an offset, exact (BigInt). */
  function absTs(off) { return (BigInt(D.baseNs) + BigInt(Math.round(off))).toString(); }
  /** Time of day (in the report's zone) of an offset: hh:mm:ss.nnnnnnnnn, with +Nd past the first day. */
  function fmtTs(off) {
    var t = D.baseDayNs + off;
    var days = Math.floor(t / DAY);
    t -= days * DAY;
    var ns = Math.round(t);
    var s = Math.floor(ns / 1e9);
    var frac = ns - s * 1e9;
    var out = pad(Math.floor(s / 3600), 2) + ':' + pad(Math.floor(s / 60) % 60, 2) + ':' + pad(s % 60, 2) + '.' + pad(frac, 9);
    return (days > 0 ? '+' + days + 'd ' : '') + out;
  }
  function fmtDur(ns) {
    var a = Math.abs(ns);
    if (a < 1e3) { return (Math.round(ns * 10) / 10) + ' ns'; }
    if (a < 1e6) { return (ns / 1e3).toFixed(3) + ' \u00b5s'; }
    if (a < 1e9) { return (ns / 1e6).toFixed(3) + ' ms'; }
    return (ns / 1e9).toFixed(3) + ' s';
  }
  function fmtShortDur(ns) {
    var a = Math.abs(ns);
    function t(v) { return String(Math.round(v * 1000) / 1000); }
    if (a < 1e3) { return t(ns) + 'ns'; }
    if (a < 1e6) { return t(ns / 1e3) + '\u00b5s'; }
    if (a < 1e9) { return t(ns / 1e6) + 'ms'; }
    return t(ns / 1e9) + 's';
  }
  function fmtSize(b) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    var v = b;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v.toFixed(2)) + ' ' + u[i];
  }
  function fmtNum(v) { return Number.isInteger(v) ? String(v) : v.toFixed(3); }

  /** A cell's display text, raw text (as the CSV/LAMI value) and sort key, by its column's LAMI class. */
  function cell(v, cls) {
    if (v === null || v === undefined) { return { d: '', r: '', k: -Infinity }; }
    if (typeof v === 'object' && !Array.isArray(v) && v.unknown) { return { d: '?', r: '?', k: -Infinity }; }
    if (typeof v === 'number') {
      switch (cls) {
        case 'duration': return { d: (v / 1e3).toFixed(3), r: String(v), k: v, num: true };
        case 'timestamp': return { d: fmtTs(v), r: absTs(v), k: v, num: true, ts: true };
        case 'ratio': return { d: (v * 100).toFixed(2) + ' %', r: String(v), k: v, num: true };
        case 'size': return { d: fmtSize(v), r: String(v), k: v, num: true };
        default: return { d: fmtNum(v), r: String(v), k: v, num: true };
      }
    }
    if (typeof v === 'boolean') { return { d: String(v), r: String(v), k: v ? 1 : 0 }; }
    if (Array.isArray(v)) {
      if (cls === 'process') {
        var name = v[0] === null ? '' : v[0];
        var s = name + (v[2] >= 0 ? ' (' + v[2] + ')' : '');
        return { d: s, r: s, k: name.toLowerCase() + '\u0000' + pad(v[2], 12), pid: v[1] };
      }
      if (cls === 'irq') {
        var t = v[1] + (v[2] === null ? '' : ' <' + v[2] + '>');
        return { d: t, r: t, k: v[1], num: true };
      }
      if (cls === 'time-range') {
        return { d: '[' + fmtTs(v[0]) + ', ' + fmtTs(v[1]) + ']', r: '[' + absTs(v[0]) + ', ' + absTs(v[1]) + ']', k: v[0], ts: true };
      }
      return { d: JSON.stringify(v), r: JSON.stringify(v), k: JSON.stringify(v) };
    }
    return { d: String(v), r: String(v), k: String(v) };
  }
  function colTitle(c) { return c[1] + (c[2] === 'duration' ? ' (\u00b5s)' : c[2] === 'ratio' ? ' (%)' : ''); }

  /* ---- header: sources, time range, warnings ---- */
  function header() {
    var dl = el('dl', { 'class': 'meta' }, root);
    function row(k, v) { el('dt', null, dl, k); el('dd', null, dl, v); return dl.lastChild; }
    row('Trace' + (D.traces.length > 1 ? 's' : ''), D.traces.join(', ')).className = 'mono';
    if (D.empty) {
      row('Time range', 'no event analysed');
    } else {
      var dd = row('Time range', '');
      dd.id = 'ts-range';
      dd.setAttribute('data-begin', absTs(D.begin));
      dd.setAttribute('data-end', absTs(D.end));
      dd.textContent = '[' + D.baseDate + ' ' + fmtTs(D.begin) + ', ' + fmtTs(D.end) + '] (' + D.zone + '), duration ' + fmtDur(D.end - D.begin);
    }
    if (D.command) { row('Command', D.command).className = 'mono'; }
    if (D.discardedEvents > 0 || D.discardedPackets > 0 || D.losses.length) {
      var w = el('div', { 'class': 'ts-warning', id: 'ts-discarded', 'data-events': D.discardedEvents, 'data-packets': D.discardedPackets,
        'data-losses': D.losses.length }, root);
      var unknown = D.losses.some(function (l) { return l.count < 0; });
      el('strong', null, w, 'Warning: the tracer discarded ' + (D.discardedEvents > 0 || !unknown ? D.discardedEvents : 'an unknown number of') + ' events' +
        (D.discardedPackets > 0 ? ' and ' + D.discardedPackets + ' packets' : '') + (unknown && D.discardedEvents > 0 ? ' (and more, not counted)' : '') +
        ' in the analysed range: these results may be incomplete.');
      var ul = el('ul', null, w);
      D.losses.forEach(function (l) {
        el('li', { 'class': 'ts-loss-item' }, ul, (l.count >= 0 ? l.count : 'unknown number of') + ' ' + (l.packets ? 'packets' : 'events') +
          ' in ' + l.stream + (l.begin !== null && l.end !== null ? ' between ' + fmtTs(l.begin) + ' and ' + fmtTs(l.end) : ''));
      });
    }
    var nav = el('nav', { 'class': 'toc' }, root);
    if (D.timeline.available && D.timeline.cpus.length) { el('a', { href: '#timeline' }, nav, 'CPU timeline'); }
    D.analyses.forEach(function (a) { el('a', { href: '#a-' + a.name }, nav, a.name); });
  }

  /* ---- per-CPU timeline ---- */
  var timelineView = null; // set(begin, end) of the timeline, once drawn
  function threadColor(i) {
    if (i < 0) { return 'none'; }
    return 'hsl(' + ((i * 137.508) % 360).toFixed(1) + ',' + (i % 2 ? 55 : 70) + '%,' + (i % 3 === 0 ? 48 : 58) + '%)';
  }
  function threadLabel(i) {
    var t = D.timeline.threads[i];
    return (t[2] === null ? '?' : t[2]) + ' (' + t[0] + ')';
  }
  function parseHash() {
    var m = /(?:^#|&)t=(-?[0-9.e+]+),(-?[0-9.e+]+)/.exec(location.hash || '');
    return m ? [Number(m[1]), Number(m[2])] : null;
  }

  function timeline() {
    var T = D.timeline;
    if (!T.available || !T.cpus.length || D.end <= D.begin) { return; }
    var sec = el('section', { id: 'timeline' }, root);
    el('h2', null, sec, 'CPU timeline');
    el('p', { 'class': 'muted' }, sec, 'The thread running on each CPU (threadstates intervals, ' + T.intervals +
      ' running intervals). Wheel: zoom; drag: zoom to a range; buttons: pan, zoom, reset. Aggregated views show the thread' +
      ' that ran most in each time slot, paler when the CPU was partly idle.');
    var panel = el('div', { 'class': 'panel' }, sec);
    var bar = el('div', { 'class': 'toolbar' }, panel);
    var bOut = el('button', { type: 'button', title: 'Zoom out' }, bar, '\u2212');
    var bIn = el('button', { type: 'button', title: 'Zoom in' }, bar, '+');
    var bLeft = el('button', { type: 'button', title: 'Pan left' }, bar, '\u2190');
    var bRight = el('button', { type: 'button', title: 'Pan right' }, bar, '\u2192');
    var bReset = el('button', { type: 'button', title: 'Whole range' }, bar, 'Reset');
    var info = el('span', { 'class': 'info', id: 'ts-tl-info' }, bar);
    var width = Math.max(600, Math.min(1360, (panel.clientWidth || 1200) - 24));
    var labelW = 64, rowH = 18, axisH = 26, plotW = width - labelW - 8;
    var height = axisH + T.cpus.length * rowH + 14;
    var s = svg('svg', { id: 'ts-timeline', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height }, panel);
    var gAxis = svg('g', { 'class': 'axis' }, s);
    T.cpus.forEach(function (c, i) {
      svg('rect', { 'class': 'ts-row-bg' + (i % 2 ? ' odd' : ''), x: labelW, y: axisH + i * rowH, width: plotW, height: rowH }, s);
      svg('text', { 'class': 'ts-cpu-label', x: 4, y: axisH + i * rowH + 13, 'data-cpu': c }, s, 'CPU ' + c);
    });
    var gSeg = svg('g', { 'class': 'ts-segs', transform: 'translate(' + labelW + ',' + axisH + ')' }, s);
    var gLoss = svg('g', { transform: 'translate(' + labelW + ',0)' }, s);
    var brush = svg('rect', { 'class': 'ts-brush', y: axisH, height: T.cpus.length * rowH, width: 0, visibility: 'hidden' }, s);
    var legend = el('div', { 'class': 'legend', id: 'ts-legend' }, panel);
    T.threads.slice(0, 16).forEach(function (t, i) {
      var sp = el('span', { 'data-tid': t[0] }, legend);
      el('span', { 'class': 'sw', style: 'background:' + threadColor(i) }, sp);
      sp.appendChild(document.createTextNode(threadLabel(i) + ' ' + fmtDur(t[3])));
    });

    var span = D.end - D.begin;
    var view = [D.begin, D.end];
    var h = parseHash();
    if (h && h[1] > h[0]) { view = [Math.max(D.begin, h[0]), Math.min(D.end, h[1])]; }
    var decoded = {};
    function levelData(li, ci) {
      var key = li + ':' + ci;
      if (!decoded[key]) {
        var rle = T.levels[li].cpus[ci];
        var n = T.levels[li].n;
        var th = new Int32Array(n), busy = new Uint8Array(n), k = 0;
        for (var i = 0; i < rle.length; i += 3) {
          for (var r = 0; r < rle[i]; r++) { th[k] = rle[i + 1]; busy[k] = rle[i + 2]; k++; }
        }
        decoded[key] = { th: th, busy: busy };
      }
      return decoded[key];
    }
    function firstEndingAfter(a, t) { // raw triples sorted by begin, non-overlapping: first index with end > t
      var lo = 0, hi = a.length / 3;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid * 3 + 1] <= t) { lo = mid + 1; } else { hi = mid; } }
      return lo;
    }
    function firstBeginningAtOrAfter(a, t) {
      var lo = 0, hi = a.length / 3;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid * 3] < t) { lo = mid + 1; } else { hi = mid; } }
      return lo;
    }
    function seg(ci, x0, x1, ti, busy, title) {
      var r = svg('rect', { 'class': 'ts-seg', x: x0.toFixed(2), y: ci * rowH + 2, width: Math.max(0.6, x1 - x0).toFixed(2), height: rowH - 4,
        fill: threadColor(ti), 'fill-opacity': busy >= 100 ? 1 : (0.3 + 0.7 * busy / 100).toFixed(2),
        'data-cpu': T.cpus[ci], 'data-tid': T.threads[ti][0] }, gSeg);
      svg('title', null, r, title);
      return r;
    }
    function ticks() {
      while (gAxis.firstChild) { gAxis.removeChild(gAxis.firstChild); }
      var w = view[1] - view[0];
      var raw = w / 8, p = Math.pow(10, Math.floor(Math.log10(raw))), step = p;
      [1, 2, 5, 10].some(function (m) { step = m * p; return m * p >= raw; });
      svg('line', { x1: labelW, x2: labelW + plotW, y1: axisH - 1, y2: axisH - 1 }, gAxis);
      for (var t = Math.ceil((view[0] - D.begin) / step) * step + D.begin; t <= view[1]; t += step) {
        var x = labelW + (t - view[0]) / w * plotW;
        svg('line', { x1: x, x2: x, y1: axisH - 6, y2: axisH - 1 }, gAxis);
        svg('line', { 'class': 'grid', x1: x, x2: x, y1: axisH, y2: axisH + T.cpus.length * rowH }, gAxis);
        svg('text', { x: x + 2, y: axisH - 9, 'class': 'ts-tick' }, gAxis, '+' + fmtShortDur(t - D.begin));
      }
    }
    function draw() {
      var v0 = view[0], v1 = view[1], w = v1 - v0;
      while (gSeg.firstChild) { gSeg.removeChild(gSeg.firstChild); }
      while (gLoss.firstChild) { gLoss.removeChild(gLoss.firstChild); }
      function x(t) { return Math.max(0, Math.min(plotW, (t - v0) / w * plotW)); }
      var useRaw = false, visible = 0;
      if (T.raw) {
        T.raw.forEach(function (a) { visible += firstBeginningAtOrAfter(a, v1) - firstEndingAfter(a, v0); });
        useRaw = (visible <= RAW_DRAW_MAX && !/(^#|&)agg(&|$)/.test(location.hash || '')) || !T.levels.length;
      }
      var mode;
      if (useRaw) {
        mode = 'raw';
        T.raw.forEach(function (a, ci) {
          var i = firstEndingAfter(a, v0), end = firstBeginningAtOrAfter(a, v1);
          var cur = null;
          for (; i < end; i++) {
            var b = a[i * 3], e = a[i * 3 + 1], ti = a[i * 3 + 2];
            var x0 = x(b), x1 = x(e);
            if (cur && cur.ti === ti && x0 - cur.x1 < 0.5) { cur.x1 = x1; cur.e = e; cur.n++; continue; }
            if (cur) { flush(cur, ci); }
            cur = { ti: ti, x0: x0, x1: x1, b: b, e: e, n: 1 };
          }
          if (cur) { flush(cur, ci); }
        });
      } else {
        var li = T.levels.length - 1;
        for (var l = 0; l < T.levels.length; l++) { if (T.levels[l].n * w / span >= plotW) { li = l; break; } }
        var n = T.levels[li].n, bw = span / n;
        mode = 'aggregated: ' + n + ' slots of ' + fmtDur(bw);
        T.cpus.forEach(function (c, ci) {
          var L = levelData(li, ci);
          var k0 = Math.max(0, Math.floor((v0 - D.begin) / bw)), k1 = Math.min(n - 1, Math.ceil((v1 - D.begin) / bw));
          var k = k0;
          while (k <= k1) {
            var ti = L.th[k], q = Math.ceil(L.busy[k] / 20), j = k + 1, busy = L.busy[k];
            while (j <= k1 && L.th[j] === ti && Math.ceil(L.busy[j] / 20) === q) { busy += L.busy[j]; j++; }
            if (ti >= 0) {
              var b = D.begin + k * bw, e = D.begin + j * bw, avg = busy / (j - k);
              seg(ci, x(b), x(e), ti, avg, threadLabel(ti) + ' on CPU ' + c + ', mostly, ' + fmtTs(b) + ' to ' + fmtTs(e) +
                ' (' + Math.round(avg) + '% busy)').setAttribute('data-slots', j - k);
            }
            k = j;
          }
        });
      }
      function flush(cur, ci) {
        var r = seg(ci, cur.x0, cur.x1, cur.ti, 100, threadLabel(cur.ti) + ' on CPU ' + T.cpus[ci] + ': ' + fmtTs(cur.b) + ' to ' +
          fmtTs(cur.e) + (cur.n > 1 ? ' (' + cur.n + ' intervals)' : ', ' + fmtDur(cur.e - cur.b)));
        r.setAttribute('data-n', cur.n);
      }
      D.losses.forEach(function (l) {
        if (l.begin === null || l.end === null || l.end < v0 || l.begin > v1) { return; }
        var r = svg('rect', { 'class': 'ts-loss', x: x(l.begin), y: axisH - 4, width: Math.max(2, x(l.end) - x(l.begin)), height: 4 }, gLoss);
        svg('title', null, r, 'Discarded ' + l.count + ' ' + (l.packets ? 'packets' : 'events') + ' in ' + l.stream);
      });
      ticks();
      s.setAttribute('data-mode', useRaw ? 'raw' : 'aggregated');
      s.setAttribute('data-view', v0 + ',' + v1);
      info.textContent = fmtTs(v0) + ' \u2013 ' + fmtTs(v1) + ' (' + fmtDur(w) + '), ' + mode;
    }
    function setView(a, b) {
      var minW = Math.min(span, 1000);
      if (b - a < minW) { var m = (a + b) / 2; a = m - minW / 2; b = m + minW / 2; }
      if (a < D.begin) { b += D.begin - a; a = D.begin; }
      if (b > D.end) { a -= b - D.end; b = D.end; }
      view = [Math.max(D.begin, a), Math.min(D.end, b)];
      draw();
    }
    function zoom(f, center) {
      var c = center === undefined ? (view[0] + view[1]) / 2 : center;
      setView(c - (c - view[0]) * f, c + (view[1] - c) * f);
    }
    bIn.onclick = function () { zoom(0.5); };
    bOut.onclick = function () { zoom(2); };
    bLeft.onclick = function () { var w = view[1] - view[0]; setView(view[0] - w / 3, view[1] - w / 3); };
    bRight.onclick = function () { var w = view[1] - view[0]; setView(view[0] + w / 3, view[1] + w / 3); };
    bReset.onclick = function () { setView(D.begin, D.end); };
    function timeAt(ev) {
      var r = s.getBoundingClientRect();
      var px = Math.max(0, Math.min(plotW, ev.clientX - r.left - labelW));
      return { px: px, t: view[0] + px / plotW * (view[1] - view[0]) };
    }
    s.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      zoom(ev.deltaY < 0 ? 0.8 : 1.25, timeAt(ev).t);
    }, { passive: false });
    var drag = null;
    s.addEventListener('mousedown', function (ev) { drag = timeAt(ev); ev.preventDefault(); });
    window.addEventListener('mousemove', function (ev) {
      if (!drag) { return; }
      var p = timeAt(ev);
      brush.setAttribute('visibility', 'visible');
      brush.setAttribute('x', labelW + Math.min(p.px, drag.px));
      brush.setAttribute('width', Math.abs(p.px - drag.px));
    });
    window.addEventListener('mouseup', function (ev) {
      if (!drag) { return; }
      var p = timeAt(ev), d = drag;
      drag = null;
      brush.setAttribute('visibility', 'hidden');
      if (Math.abs(p.px - d.px) > 3) { setView(Math.min(p.t, d.t), Math.max(p.t, d.t)); }
    });
    s.addEventListener('dblclick', function () { setView(D.begin, D.end); });
    timelineView = setView;
    window.addEventListener('hashchange', function () { var hv = parseHash(); if (hv) { setView(hv[0], hv[1]); } });
    draw();
  }

  /* ---- bars ---- */
  function bars(parent, t, period) {
    var vc = t.bar, cls = t.cols[vc][2];
    var lc = 0;
    for (var i = 0; i < t.cols.length; i++) { if (['process', 'cpu', 'irq', 'syscall', 'disk', 'part', 'netif', 'path', 'string'].indexOf(t.cols[i][2]) >= 0) { lc = i; break; } }
    var rows = t.rows.filter(function (r) { return typeof r[vc] === 'number'; }).map(function (r) {
      var l = cell(r[lc], t.cols[lc][2]).d;
      if (t.cols[lc][2] === 'cpu') { l = 'CPU ' + l; }
      return { label: l, v: r[vc], text: cell(r[vc], cls).d };
    });
    rows.sort(function (a, b) { return b.v - a.v; });
    var shown = rows.slice(0, 25);
    var box = el('div', { 'class': 'panel chart' }, parent);
    el('h4', null, box, (t.title + (t.sub ? ' [' + t.sub + ']' : '')) + ' \u2014 ' + t.cols[vc][1]);
    if (!shown.length) { el('p', { 'class': 'empty' }, box, 'No data.'); return; }
    var max = Math.max.apply(null, shown.map(function (r) { return r.v; }));
    if (cls === 'ratio') { max = Math.max(max, 1); }
    if (max <= 0) { max = 1; }
    var W = 640, labelW = 210, valW = 90, rowH = 20, H = shown.length * rowH + 4;
    var s = svg('svg', { 'class': 'ts-bars', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'data-table': t.cls, 'data-count': shown.length, preserveAspectRatio: 'xMinYMin meet' }, box);
    shown.forEach(function (r, i) {
      var g = svg('g', { 'class': 'ts-bar', 'data-label': r.label, 'data-value': String(r.v) }, s);
      var bw = Math.max(1, (W - labelW - valW) * r.v / max);
      svg('text', { x: labelW - 6, y: i * rowH + 14, 'text-anchor': 'end' }, g, r.label.length > 32 ? r.label.slice(0, 31) + '\u2026' : r.label);
      svg('rect', { x: labelW, y: i * rowH + 3, width: bw.toFixed(2), height: rowH - 6, fill: '#2f6fde', rx: 2 }, g);
      svg('text', { x: labelW + bw + 4, y: i * rowH + 14 }, g, r.text);
      svg('title', null, g, r.label + ': ' + r.text);
    });
    if (rows.length > shown.length) { el('p', { 'class': 'muted' }, box, (rows.length - shown.length) + ' more rows in the table below.'); }
  }

  /* ---- histograms ---- */
  var histShown = {};
  function histogram(parent, group, analysisName) {
    var box = el('div', { 'class': 'panel chart ts-histogram', 'data-group': group.group }, parent);
    el('h4', null, box, group.group + ' distribution');
    var series = group.series.map(function (s) {
      var n = 0;
      for (var i = 2; i < s.b.length; i += 3) { n += s.b[i]; }
      return { name: s.name, b: s.b, n: n };
    });
    series.sort(function (a, b) { return b.n - a.n || (a.name < b.name ? -1 : 1); });
    var bar = el('div', { 'class': 'toolbar' }, box);
    var sel = el('select', { 'class': 'ts-series' }, bar);
    series.forEach(function (s, i) { el('option', { value: i }, sel, s.name + ' (' + s.n + ')'); });
    var logY = el('input', { type: 'checkbox' }, el('label', null, bar));
    logY.parentNode.appendChild(document.createTextNode(' log count'));
    var stats = el('span', { 'class': 'info' }, bar);
    var W = 640, H = 220, L = 48, B = 28, Tp = 8, Rm = 10;
    var s = svg('svg', { 'class': 'ts-hist', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'xMinYMin meet' }, box);
    function draw() {
      while (s.firstChild) { s.removeChild(s.firstChild); }
      var sr = series[Number(sel.value) || 0];
      s.setAttribute('data-series', sr.name);
      s.setAttribute('data-total', sr.n);
      var lo = Infinity, hi = 0, maxC = 0, bs = [];
      for (var i = 0; i < sr.b.length; i += 3) {
        bs.push({ lo: sr.b[i], hi: sr.b[i + 1], c: sr.b[i + 2] });
        lo = Math.min(lo, Math.max(1, sr.b[i])); hi = Math.max(hi, sr.b[i + 1]); maxC = Math.max(maxC, sr.b[i + 2]);
      }
      var l0 = Math.log10(lo), l1 = Math.max(Math.log10(hi), l0 + 1);
      var pw = W - L - Rm, ph = H - B - Tp;
      function x(v) { return L + (Math.log10(Math.max(v, lo)) - l0) / (l1 - l0) * pw; }
      function y(c) { return logY.checked ? Tp + ph - (c > 0 ? Math.log10(c + 1) / Math.log10(maxC + 1) * ph : 0) : Tp + ph - c / maxC * ph; }
      var ax = svg('g', { 'class': 'axis' }, s);
      svg('line', { x1: L, x2: L + pw, y1: Tp + ph, y2: Tp + ph }, ax);
      svg('line', { x1: L, x2: L, y1: Tp, y2: Tp + ph }, ax);
      var few = l1 - l0 <= 3;
      for (var d = Math.floor(l0); d <= Math.ceil(l1); d++) {
        [1, 2, 5].forEach(function (m) {
          var v = m * Math.pow(10, d), lv = Math.log10(v);
          if (lv < l0 - 1e-9 || lv > l1 + 1e-9 || (m > 1 && !few)) { return; }
          var xx = x(v);
          svg('line', { x1: xx, x2: xx, y1: Tp + ph, y2: Tp + ph + 4 }, ax);
          svg('line', { 'class': 'grid', x1: xx, x2: xx, y1: Tp, y2: Tp + ph }, ax);
          svg('text', { x: xx, y: H - 10, 'text-anchor': 'middle' }, ax, fmtShortDur(v));
        });
      }
      [0, 0.5, 1].forEach(function (f) {
        var c = logY.checked ? Math.round(Math.pow(maxC + 1, f) - 1) : Math.round(maxC * f);
        svg('text', { x: L - 4, y: y(c) + 4, 'text-anchor': 'end' }, ax, String(c));
      });
      bs.forEach(function (b) {
        var x0 = x(Math.max(b.lo, lo)), x1 = x(b.hi);
        var r = svg('rect', { 'class': 'ts-hbar', x: x0.toFixed(2), y: y(b.c).toFixed(2), width: Math.max(1, x1 - x0 - 0.5).toFixed(2),
          height: Math.max(0.5, Tp + ph - y(b.c)).toFixed(2), fill: '#e8710a', 'data-lo': b.lo, 'data-hi': b.hi, 'data-count': b.c }, s);
        svg('title', null, r, '[' + fmtDur(b.lo) + ', ' + fmtDur(b.hi) + '): ' + b.c);
      });
      function pct(p) {
        var want = p * sr.n, acc = 0;
        for (var i = 0; i < bs.length; i++) { acc += bs[i].c; if (acc >= want) { return bs[i].hi; } }
        return hi;
      }
      stats.textContent = sr.n + ' values; p50 < ' + fmtDur(pct(0.5)) + ', p90 < ' + fmtDur(pct(0.9)) + ', p99 < ' + fmtDur(pct(0.99)) +
        ', max < ' + fmtDur(hi);
    }
    sel.onchange = draw;
    logY.onchange = draw;
    draw();
    histShown[group.group] = analysisName;
  }

  /* ---- tables ---- */
  function table(parent, t) {
    var wrap = el('div', { 'class': 'ts-table-box' }, parent);
    el('h4', null, wrap, t.title + (t.sub ? ' [' + t.sub + ']' : ''));
    el('div', { 'class': 'muted' }, wrap, fmtTs(t.begin) + ' \u2013 ' + fmtTs(t.end) + ', ' + t.rows.length + ' row' + (t.rows.length === 1 ? '' : 's'));
    if (!t.rows.length) { el('p', { 'class': 'empty' }, wrap, 'No rows.'); }
    var rows = t.rows.map(function (r, i) { return { i: i, c: r.map(function (v, ci) { return cell(v, t.cols[ci][2]); }) }; });
    var tw = el('div', { 'class': 'tbl-wrap' }, wrap);
    var tab = el('table', { 'class': 'ts-table', 'data-cls': t.cls, 'data-rows': t.rows.length }, tw);
    var hr = el('tr', null, el('thead', null, tab));
    var tb = el('tbody', null, tab);
    var pager = el('div', { 'class': 'pager' }, wrap);
    var page = 0, sortCol = -1, sortDir = 1, all = false;
    t.cols.forEach(function (c, ci) {
      var th = el('th', { title: c[0] + ' (' + c[2] + (c[3] ? ', ' + c[3] : '') + ')', 'data-key': c[0] }, hr, colTitle(c));
      th.onclick = function () {
        sortDir = sortCol === ci ? -sortDir : (rows.length && rows[0].c[ci].num ? -1 : 1);
        sortCol = ci;
        rows.sort(function (a, b) {
          var x = a.c[ci].k, y = b.c[ci].k;
          var r = x < y ? -1 : x > y ? 1 : 0;
          return r * sortDir || a.i - b.i;
        });
        Array.prototype.forEach.call(hr.children, function (h) { h.className = ''; });
        th.className = sortDir > 0 ? 'sorted-asc' : 'sorted-desc';
        page = 0;
        render();
      };
    });
    function render() {
      while (tb.firstChild) { tb.removeChild(tb.firstChild); }
      var from = all ? 0 : page * PAGE, to = all ? rows.length : Math.min(rows.length, from + PAGE);
      var frag = document.createDocumentFragment();
      for (var i = from; i < to; i++) {
        var tr = el('tr', null, frag);
        rows[i].c.forEach(function (c) {
          var td = el('td', { 'data-v': c.r, 'class': c.ts ? 'ts' : c.num ? 'num' : null, title: c.pid !== undefined && c.pid >= 0 ? 'pid ' + c.pid : null }, tr, c.d);
          return td;
        });
      }
      tb.appendChild(frag);
      while (pager.firstChild) { pager.removeChild(pager.firstChild); }
      if (rows.length > PAGE) {
        var prev = el('button', { type: 'button' }, pager, '\u2190');
        el('span', null, pager, 'rows ' + (from + 1) + '\u2013' + to + ' of ' + rows.length);
        var next = el('button', { type: 'button' }, pager, '\u2192');
        prev.disabled = all || page === 0;
        next.disabled = all || to >= rows.length;
        prev.onclick = function () { page--; render(); };
        next.onclick = function () { page++; render(); };
        if (rows.length <= 20000) {
          var b = el('button', { type: 'button' }, pager, all ? 'pages' : 'all rows');
          b.onclick = function () { all = !all; page = 0; render(); };
        }
      }
    }
    render();
  }

  /* ---- analysis sections ---- */
  function analysis(a) {
    var sec = el('section', { id: 'a-' + a.name, 'class': 'ts-analysis', 'data-name': a.name }, root);
    el('h2', null, sec, a.name + ': ' + a.title);
    el('p', { 'class': 'muted' }, sec, a.description);
    if (!a.periods.length) { el('p', { 'class': 'empty' }, sec, 'No event analysed.'); return; }
    var body = el('div', null, sec);
    function show(pi) {
      while (body.firstChild) { body.removeChild(body.firstChild); }
      var p = a.periods[pi];
      body.setAttribute('data-period', pi);
      el('div', { 'class': 'muted' }, body, 'Time range [' + fmtTs(p.begin) + ', ' + fmtTs(p.end) + '], ' + fmtDur(p.end - p.begin));
      var charts = el('div', { 'class': 'charts' }, body);
      p.tables.forEach(function (t) { if (t.bar >= 0 && t.rows.length) { bars(charts, t, p); } });
      p.hist.forEach(function (g) {
        if (histShown[g.group] && histShown[g.group] !== a.name) {
          var n = el('p', { 'class': 'muted' }, charts, g.group + ': see the distribution in ');
          el('a', { href: '#a-' + histShown[g.group] }, n, histShown[g.group]);
        } else {
          histogram(charts, g, a.name);
        }
      });
      if (!charts.firstChild) { body.removeChild(charts); }
      p.tables.forEach(function (t) { table(body, t); });
    }
    if (a.periods.length > 1) {
      var bar = el('div', { 'class': 'toolbar' }, sec);
      el('span', null, bar, 'Period ');
      var sel = el('select', { 'class': 'ts-period' }, bar);
      a.periods.forEach(function (p, i) { el('option', { value: i }, sel, (i + 1) + ': ' + fmtTs(p.begin) + ' \u2013 ' + fmtTs(p.end)); });
      sec.insertBefore(bar, body);
      sel.onchange = function () {
        var p = a.periods[Number(sel.value)];
        show(Number(sel.value));
        if (timelineView) { timelineView(p.begin, p.end); }
      };
    }
    show(0);
  }

  header();
  timeline();
  D.analyses.forEach(analysis);
  document.body.setAttribute('data-ts-ready', 'true');
})();
