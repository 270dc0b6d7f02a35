// smptrace report page: renders the embedded data (no network), highlights a finding's events on click.
(function () {
  'use strict';
  var errors = [];
  function fail(msg) {
    errors.push(msg);
    var e = document.getElementById('errors');
    if (e) { e.hidden = false; e.textContent = errors.join('\n'); }
  }
  window.addEventListener('error', function (ev) { fail('error: ' + ev.message); });
  var NS = 'http://www.w3.org/2000/svg';
  function el(tag, attrs, text) {
    var x = document.createElement(tag);
    for (var k in (attrs || {})) { x.setAttribute(k, attrs[k]); }
    if (text !== undefined) { x.textContent = text; }
    return x;
  }
  function svg(tag, attrs) {
    var x = document.createElementNS(NS, tag);
    for (var k in (attrs || {})) { x.setAttribute(k, attrs[k]); }
    return x;
  }
  var data = JSON.parse(document.getElementById('data').textContent);
  var severity = {};
  data.kinds.forEach(function (k) { severity[k.id] = k.severity; });
  var entries = {};      // entry id -> {entry, trace}
  var timelines = [];    // per trace: {svg, pos: key -> {x, y}, edges: g}

  function kindBadge(e) {
    return el('span', {'class': 'kind sev' + (severity[e.kind] || 3)}, e.kind);
  }

  function renderMeta() {
    var n = 0;
    data.traces.forEach(function (t) { n += t.causes.length; });
    document.getElementById('meta').textContent = data.traces.length + ' trace(s), ' + n + ' root cause(s)';
  }

  function renderVerdicts() {
    if (!data.verdicts) { return; }
    var box = document.getElementById('verdicts');
    box.appendChild(el('h2', {}, 'Verdicts'));
    box.appendChild(el('p', {}, 'observed/predicted: traces with an observed / a predicted finding of the kind, of N. ' +
      '"expected" lists the kinds the variant must show, then the kinds it must not show; tolerated findings are not bugs.'));
    var tb = el('table', {'class': 'verdicts'});
    var hr = el('tr');
    ['patch', 'variant', 'findings', 'expected', 'verdict', 'traces'].forEach(function (h) { hr.appendChild(el('th', {}, h)); });
    tb.appendChild(hr);
    data.verdicts.forEach(function (v) {
      var tr = el('tr');
      tr.appendChild(el('td', {}, v.patch));
      tr.appendChild(el('td', {}, v.variant));
      tr.appendChild(el('td', {}, v.kinds));
      tr.appendChild(el('td', {}, v.expected));
      tr.appendChild(el('td', {'class': v.agree ? 'agree' : 'disagree'}, v.agree ? 'agree' : 'DISAGREE'));
      var td = el('td');
      v.traces.forEach(function (i) {
        var t = data.traces[i];
        if (t && t.causes.length) {
          var a = el('a', {href: '#trace-' + i}, 'seed ' + (i + 1));
          a.textContent = t.name.replace(/^.*\//, '');
          td.appendChild(a);
          td.appendChild(document.createTextNode(' '));
        }
      });
      tr.appendChild(td);
      tb.appendChild(tr);
    });
    box.appendChild(tb);
  }

  function renderCauses() {
    var nav = document.getElementById('causes');
    data.traces.forEach(function (t, ti) {
      nav.appendChild(el('h2', {}, t.name + (t.variant ? ' (' + t.patch + ' ' + t.variant + ')' : '')));
      t.hangs.forEach(function (h) {
        nav.appendChild(el('div', {'class': 'cause'}, 'HANG: cpu ' + h.cpu + ': ' + h.reason));
      });
      if (!t.causes.length) { nav.appendChild(el('div', {}, t.hangs.length ? 'no finding explains the hang' : 'clean')); }
      t.causes.forEach(function (c, ci) {
        var box = el('div', {'class': 'cause', id: c.id});
        c.entries.forEach(function (e, ei) {
          entries[e.id] = {entry: e, trace: ti, cause: c};
          var row = el('div', {'class': 'entry' + (ei === 0 ? ' head' : '') + (e.tolerated ? ' tol' : ''), id: 'entry-' + e.id,
            'data-entry': e.id});
          row.appendChild(el('span', {}, (ei === 0 ? (ci + 1) + '. ' : '\u21b3 ')));
          row.appendChild(kindBadge(e));
          row.appendChild(el('span', {}, e.headline.replace(/^\S+ in /, 'in ')));
          row.appendChild(el('div', {'class': 'summary'}, e.summary + (e.tolerated ? ' (tolerated)' : '')));
          row.addEventListener('click', function () { select(e.id); });
          box.appendChild(row);
        });
        nav.appendChild(box);
      });
    });
  }

  function renderTimelines() {
    var box = document.getElementById('timelines');
    var legend = el('div', {'class': 'legend'});
    [['reads-from', '#0969da', ''], ['happens-before (release read by acquire)', '#1a7f37', ''],
     ['missing ordering (no happens-before)', '#cf222e', 'dashed']].forEach(function (l) {
      var s = el('span');
      var i = el('i');
      i.style.borderTopColor = l[1];
      if (l[2]) { i.style.borderTopStyle = 'dashed'; }
      s.appendChild(i);
      s.appendChild(document.createTextNode(l[0]));
      legend.appendChild(s);
    });
    data.traces.forEach(function (t, ti) {
      var steps = {};
      t.causes.forEach(function (c) { c.entries.forEach(function (e) {
        e.steps.forEach(function (s) {
          var x = steps[s.key] || (steps[s.key] = {s: s, entries: []});
          x.entries.push(e.id);
        });
      }); });
      t.hangs.forEach(function (h) { h.leadUp.forEach(function (s) { steps[s.key] = steps[s.key] || {s: s, entries: []}; }); });
      var list = Object.keys(steps).map(function (k) { return steps[k]; });
      list.sort(function (a, b) { return a.s.pos - b.s.pos; });
      var lanes = [];
      list.forEach(function (x) { if (lanes.indexOf(x.s.lane) < 0) { lanes.push(x.s.lane); } });
      var section = el('div', {id: 'trace-' + ti});
      section.appendChild(el('h2', {}, 'Timeline: ' + t.name + ' (' + t.events + ' events; ' + t.summary + ')'));
      if (ti === 0) { section.appendChild(legend); }
      // the lane labels' column fits the longest label (monospace, ~7 px a character at 12 px)
      var longest = 0;
      lanes.forEach(function (l) { longest = Math.max(longest, String(l).length); });
      var left = Math.max(120, longest * 7.4 + 20), dx = 16, dy = 26, top = 20;
      var width = left + Math.max(1, list.length) * dx + 40;
      var height = top + Math.max(1, lanes.length) * dy + 10;
      var g = svg('svg', {'class': 'timeline', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height,
        'data-trace': ti});
      var defs = svg('defs');
      ['reads-from', 'happens-before', 'missing-ordering'].forEach(function (k) {
        var m = svg('marker', {id: 'arrow-' + k + '-' + ti, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7,
          orient: 'auto-start-reverse'});
        var p = svg('path', {d: 'M 0 0 L 10 5 L 0 10 z'});
        p.setAttribute('fill', k === 'reads-from' ? '#0969da' : k === 'happens-before' ? '#1a7f37' : '#cf222e');
        m.appendChild(p);
        defs.appendChild(m);
      });
      g.appendChild(defs);
      lanes.forEach(function (l, li) {
        var y = top + li * dy;
        g.appendChild(svg('line', {'class': 'lane-line', x1: left - 6, x2: width - 10, y1: y, y2: y}));
        var tx = svg('text', {'class': 'lane-label', x: 4, y: y + 4});
        tx.textContent = l;
        g.appendChild(tx);
      });
      var pos = {};
      list.forEach(function (x, i) {
        var cx = left + i * dx + 8, cy = top + lanes.indexOf(x.s.lane) * dy;
        pos[x.s.key] = {x: cx, y: cy};
        var c = svg('circle', {'class': 'ev ' + x.s.role, cx: cx, cy: cy, r: 5, id: 'ev-' + ti + '-' + x.s.key,
          'data-entries': x.entries.join(' ')});
        var title = svg('title');
        title.textContent = '#' + x.s.key + ' ' + x.s.text + ' by ' + x.s.who + (x.s.stack.length ? '\n  ' + x.s.stack.join('\n  ') : '');
        c.appendChild(title);
        c.addEventListener('click', function () { if (x.entries.length) { select(x.entries[0]); } });
        g.appendChild(c);
      });
      var edges = svg('g', {'class': 'edges'});
      g.appendChild(edges);
      section.appendChild(g);
      box.appendChild(section);
      timelines[ti] = {svg: g, pos: pos, edges: edges};
    });
  }

  function select(id) {
    var x = entries[id];
    if (!x) { fail('no finding ' + id); return; }
    Array.prototype.forEach.call(document.querySelectorAll('.entry.selected'), function (n) { n.classList.remove('selected'); });
    Array.prototype.forEach.call(document.querySelectorAll('circle.ev.hl'), function (n) { n.classList.remove('hl'); });
    timelines.forEach(function (t) { while (t.edges.firstChild) { t.edges.removeChild(t.edges.firstChild); } });
    var row = document.getElementById('entry-' + id);
    if (row) { row.classList.add('selected'); }
    var tl = timelines[x.trace];
    x.entry.steps.forEach(function (s) {
      var c = document.getElementById('ev-' + x.trace + '-' + s.key);
      if (c) { c.classList.add('hl'); }
    });
    x.entry.edges.forEach(function (e) {
      var a = tl.pos[e.from], b = tl.pos[e.to];
      if (!a || !b) { return; }
      // the missing ordering bends below its events, reads-from and happens-before above, so both show
      var mx = (a.x + b.x) / 2, my = e.type === 'missing-ordering' ? Math.max(a.y, b.y) + 18 : Math.min(a.y, b.y) - 18;
      var p = svg('path', {'class': 'edge ' + e.type, d: 'M ' + a.x + ' ' + a.y + ' Q ' + mx + ' ' + my + ' ' + b.x + ' ' + b.y,
        'marker-end': 'url(#arrow-' + e.type + '-' + x.trace + ')'});
      var title = svg('title');
      title.textContent = e.type + ': #' + e.from + ' -> #' + e.to;
      p.appendChild(title);
      tl.edges.appendChild(p);
    });
    var d = document.getElementById('detail');
    d.innerHTML = '';
    d.appendChild(el('h2', {}, 'BUG: ' + x.entry.headline));
    d.appendChild(el('p', {}, x.entry.summary + ' (' + x.entry.kind + ', ' + x.entry.mode + ', ' + x.entry.rules +
      '; fingerprint ' + x.entry.fingerprint + (x.entry.tolerated ? '; tolerated: ' + x.entry.reason : '') + ')'));
    var lines = [];
    (x.entry.waits || []).forEach(function (w) { lines.push(w); lines.push(''); });
    var mark = {'access': '* ', 'last-write': 'w ', 'lead-up': '- ', 'wait': '- '};
    x.entry.steps.forEach(function (s) {
      lines.push((mark[s.role] || '? ') + '#' + s.key + '  ' + s.text + ' by ' + s.who + (s.note ? '   -- ' + s.note : ''));
      s.stack.forEach(function (f) { lines.push('      ' + f); });
    });
    x.entry.why.forEach(function (w) { lines.push(w); });
    d.appendChild(el('pre', {}, lines.join('\n')));
    document.body.setAttribute('data-selected', id);
  }

  try {
    renderMeta();
    renderVerdicts();
    renderCauses();
    renderTimelines();
    var m = /select=([\w]+)/.exec(location.hash);
    if (m) {
      var row = document.getElementById('entry-' + m[1]);
      if (row) { row.click(); } else { fail('no finding ' + m[1]); }
    } else if (data.traces.length && data.traces[0].causes.length) {
      select(data.traces[0].causes[0].entries[0].id);
    }
    document.body.setAttribute('data-ready', errors.length ? 'errors' : 'yes');
  } catch (ex) {
    fail('error: ' + ex);
    document.body.setAttribute('data-ready', 'errors');
  }
})();
