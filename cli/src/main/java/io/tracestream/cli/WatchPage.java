package io.tracestream.cli;

/**
 * The self-contained page of {@code tracestream watch --serve}: the data so far inline, then live updates from the
 * server's event stream ({@code /events}; polling {@code /data.json} every second where EventSource is missing or with
 * {@code ?poll}, e.g. for headless browsers that wait for open connections), drawn as SVG line
 * charts over time (CPU usage of the top threads, latency percentiles, rates, I/O), the latest window's top lists and
 * the alerts. No external resource.
 */
final class WatchPage {
    private WatchPage() {
    }

    static String html(String dataJson) {
        return HEAD + "<script>var DATA = " + dataJson + ";</script>\n<script>" + SCRIPT
                + "</script>\n</body>\n</html>\n";
    }

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>tracestream watch</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 2em; color: #222; background: #fafafa; }
            h1 { font-size: 1.3em; margin: 0 0 .3em; }
            h2 { font-size: 1.05em; margin: 1em 0 .3em; }
            #status { color: #666; }
            .grid { display: flex; flex-wrap: wrap; gap: 1em; }
            .card { background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: .5em 1em; }
            table { border-collapse: collapse; }
            td, th { padding: 1px 8px; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .legend { max-width: 560px; }
            .legend span { display: inline-block; margin-right: 1em; }
            .legend i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 4px; }
            .FIRED { color: #b00; } .RESOLVED { color: #070; }
            svg text { font-size: 11px; fill: #555; }
            </style>
            </head>
            <body>
            <h1 id="title">tracestream watch</h1>
            <div id="status"></div>
            <div class="grid">
            <div class="card"><h2>Latest window</h2><table id="metrics"></table></div>
            <div class="card"><h2>Alerts</h2><table id="alerts"></table></div>
            </div>
            <div class="grid" id="charts"></div>
            <div class="grid" id="tops"></div>
            """;

    private static final String SCRIPT = """
            var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
            var lastIndex = -1, lastAlert = -1, conn = 'connecting';
            DATA.windows.forEach(function (w) { lastIndex = Math.max(lastIndex, w.m.index); });
            DATA.alerts.forEach(function (a) { lastAlert = Math.max(lastAlert, a.seq); });
            function esc(s) {
              return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
            }
            function fmt(unit, v) {
              if (v === null || v === undefined || isNaN(v)) return '-';
              if (unit === 'DURATION') {
                if (v < 1e3) return v.toFixed(0) + ' ns';
                if (v < 1e6) return (v / 1e3).toFixed(1) + ' us';
                if (v < 1e9) return (v / 1e6).toFixed(2) + ' ms';
                return (v / 1e9).toFixed(2) + ' s';
              }
              if (unit === 'PERCENT') return v.toFixed(1) + ' %';
              var u = unit === 'BYTE_RATE' ? ['B', 'kB', 'MB', 'GB'] : ['', 'k', 'M', 'G'], i = 0;
              while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
              return (i === 0 && v === Math.round(v) ? v.toFixed(0) : v.toFixed(1)) + (u[i] ? ' ' + u[i] : '') + '/s';
            }
            function unitOf(key) { return DATA.meta.units[key] || 'RATE'; }
            function chart(title, unit, series, log) {
              var W = 560, H = 200, L = 70, R = 10, T = 10, B = 28;
              var ws = DATA.windows, n = ws.length;
              var max = 0, min = Infinity;
              series.forEach(function (s) { s.values.forEach(function (v) {
                if (v !== null && !isNaN(v)) { max = Math.max(max, v); if (v > 0) min = Math.min(min, v); } }); });
              if (max <= 0) max = 1;
              if (!isFinite(min)) min = max / 10;
              var lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
              var hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : max * 1.1;
              if (log && hi <= lo) hi = lo * 10;
              function y(v) {
                var f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                            : v / hi;
                return T + (H - T - B) * (1 - f);
              }
              function x(i) { return L + (W - L - R) * (n <= 1 ? 0.5 : i / (n - 1)); }
              var svg = '<svg class="chart" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '">';
              svg += '<rect x="' + L + '" y="' + T + '" width="' + (W - L - R) + '" height="' + (H - T - B)
                  + '" fill="#fff" stroke="#ccc"/>';
              var ticks = log ? [] : [0, hi / 2, hi];
              if (log) for (var t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
              ticks.forEach(function (t) {
                svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(t) + '" y2="' + y(t) + '" stroke="#eee"/>';
                svg += '<text x="' + (L - 4) + '" y="' + (y(t) + 4) + '" text-anchor="end">' + esc(fmt(unit, t)) + '</text>';
              });
              if (n > 0) {
                [0, n - 1].forEach(function (i) {
                  svg += '<text x="' + x(i) + '" y="' + (H - 8) + '" text-anchor="' + (i === 0 ? 'start' : 'end') + '">'
                      + esc(ws[i].time) + '</text>';
                });
              }
              var legend = '';
              series.forEach(function (s, k) {
                var c = COLORS[k % COLORS.length], pts = [];
                s.values.forEach(function (v, i) {
                  if (v !== null && !isNaN(v) && (!log || v > 0)) pts.push(x(i).toFixed(1) + ',' + y(v).toFixed(1)); });
                if (pts.length) {
                  svg += '<polyline class="series" data-name="' + esc(s.name) + '" fill="none" stroke="' + c
                      + '" stroke-width="1.5" points="' + pts.join(' ') + '"/>';
                }
                legend += '<span><i style="background:' + c + '"></i>' + esc(s.name) + '</span>';
              });
              svg += '</svg>';
              return '<div class="card"><h2>' + esc(title) + '</h2>' + svg + '<div class="legend">' + legend + '</div></div>';
            }
            function metricSeries(keys) {
              return keys.filter(function (k) { return DATA.windows.some(function (w) { return k in w.m.values; }); })
                .map(function (k) { return { name: k, values: DATA.windows.map(function (w) {
                  return k in w.m.values ? w.m.values[k] : null; }) }; });
            }
            function rankedSeries(list, count) {
              var total = {};
              DATA.windows.forEach(function (w) { (w.m.ranked[list] || []).forEach(function (r) {
                total[r[0]] = (total[r[0]] || 0) + r[1]; }); });
              var names = Object.keys(total).sort(function (a, b) { return total[b] - total[a]; }).slice(0, count);
              return names.map(function (nm) { return { name: nm, values: DATA.windows.map(function (w) {
                var r = (w.m.ranked[list] || []).find(function (e) { return e[0] === nm; });
                return r ? r[1] : 0; }) }; });
            }
            function topTable(title, rows, unit) {
              if (!rows || !rows.length) return '';
              var h = '<div class="card"><h2>' + esc(title) + '</h2><table>';
              rows.forEach(function (r) { h += '<tr><td class="num">' + esc(fmt(unit, r[1])) + '</td><td>' + esc(r[0]) + '</td></tr>'; });
              return h + '</table></div>';
            }
            function render() {
              var ws = DATA.windows, last = ws.length ? ws[ws.length - 1] : null;
              document.getElementById('title').textContent = 'tracestream watch ' + DATA.meta.name + ' (windows of '
                  + DATA.meta.window + ')';
              document.getElementById('status').textContent = (DATA.ended ? 'ended' : conn) + ' \\u2014 ' + ws.length
                  + ' window(s)' + (last ? ', latest ' + last.time + ' (#' + last.m.index + ', ' + last.events
                  + ' events' + (last.partial ? ', partial' : '') + ')' : '');
              var mt = '';
              if (last) Object.keys(last.m.values).forEach(function (k) {
                mt += '<tr><td>' + esc(k) + '</td><td class="num">' + esc(fmt(unitOf(k), last.m.values[k])) + '</td></tr>'; });
              document.getElementById('metrics').innerHTML = mt || '<tr><td>waiting for the first window</td></tr>';
              var at = '';
              DATA.alerts.slice().reverse().forEach(function (a) {
                at += '<tr class="' + a.kind + '"><td>' + esc(a.time) + '</td><td>' + a.kind + '</td><td>' + esc(a.rule)
                    + '</td><td class="num">' + esc(a.value) + '</td></tr>'; });
              document.getElementById('alerts').innerHTML = at || '<tr><td>none</td></tr>';
              var c = '';
              var cpu = rankedSeries('cpu.usage.thread', 6);
              if (cpu.length) c += chart('CPU usage per thread (top)', 'PERCENT', cpu, false);
              var lat = metricSeries(['sched.latency.p50', 'sched.latency.p90', 'sched.latency.p99',
                  'syscall.latency.p50', 'syscall.latency.p90', 'syscall.latency.p99']);
              if (lat.length) c += chart('Latency percentiles', 'DURATION', lat, true);
              var rates = metricSeries(['events.rate', 'syscall.rate', 'sched.rate', 'irq.rate', 'softirq.rate']);
              if (rates.length) c += chart('Rates', 'RATE', rates, true);
              var io = metricSeries(['io.read.rate', 'io.write.rate']);
              if (io.length) c += chart('I/O', 'BYTE_RATE', io, false);
              var usage = metricSeries(['cpu.usage', 'cpu.usage.thread.max']);
              if (usage.length) c += chart('CPU usage', 'PERCENT', usage, false);
              document.getElementById('charts').innerHTML = c;
              var t = '';
              if (last) {
                var r = last.m.ranked;
                t += topTable('Top threads (CPU)', r['cpu.usage.thread'], 'PERCENT');
                t += topTable('Top system calls', r['syscall.rate.name'], 'RATE');
                t += topTable('Top IRQ lines', r['irq.rate.line'], 'RATE');
                t += topTable('Top softirqs', r['softirq.rate.vector'], 'RATE');
                t += topTable('Top readers', r['io.read.process'], 'BYTE_RATE');
                t += topTable('Top writers', r['io.write.process'], 'BYTE_RATE');
              }
              document.getElementById('tops').innerHTML = t;
            }
            function addWindow(w) {
              if (w.m.index <= lastIndex) return;
              lastIndex = w.m.index;
              DATA.windows.push(w);
              if (DATA.windows.length > 600) DATA.windows.shift();
            }
            function addAlert(a) {
              if (a.seq <= lastAlert) return;
              lastAlert = a.seq;
              DATA.alerts.push(a);
              if (DATA.alerts.length > 200) DATA.alerts.shift();
            }
            function poll() {
              fetch('data.json').then(function (r) { return r.json(); }).then(function (d) {
                d.windows.forEach(addWindow); d.alerts.forEach(addAlert); DATA.ended = d.ended; conn = 'polling'; render();
                if (!d.ended) setTimeout(poll, 1000);
              }).catch(function () { conn = 'disconnected'; render(); setTimeout(poll, 2000); });
            }
            function connect() {
              if (DATA.ended) return;
              if (!window.EventSource || /[?&]poll/.test(location.search)) { poll(); return; }
              var es = new EventSource('events');
              es.onopen = function () { conn = 'live'; render(); };
              es.onerror = function () { conn = 'reconnecting'; render(); };
              es.addEventListener('window', function (e) { addWindow(JSON.parse(e.data)); render(); });
              es.addEventListener('alert', function (e) { addAlert(JSON.parse(e.data)); render(); });
              es.addEventListener('end', function () { DATA.ended = true; es.close(); render(); });
            }
            render();
            connect();
            """;
}
