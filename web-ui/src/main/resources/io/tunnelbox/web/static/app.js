// TunnelBox web page: plain JavaScript, fetch() and the DOM, nothing else. Served with a CSP that
// forbids inline script, so every handler is attached here.
'use strict';

const S = {
  csrf: null, user: null,
  running: null, version: 0,     // the running configuration (secrets redacted) and its version
  candidate: null,               // what the forms edit; committed from "Changes"
  state: null, pending: null, deadline: 0,
  rates: [], last: null, timer: null,
};

// ---- small helpers ------------------------------------------------------------------------------

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined) e.append(k.nodeType ? k : String(k));
  return e;
}
const $ = id => document.getElementById(id);
const clone = o => JSON.parse(JSON.stringify(o));
const main = () => $('main');

function show(...nodes) { main().replaceChildren(...nodes); }

function notice(text, kind) {
  const n = $('notice');
  n.textContent = text;
  n.className = 'banner' + (kind ? ' ' + kind : '');
  n.hidden = !text;
}

class ApiError extends Error {
  constructor(status, body) { super(body.error || ('HTTP ' + status)); this.status = status; this.body = body; }
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) { opts.headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(body); }
  if (S.csrf && method !== 'GET') opts.headers['X-CSRF-Token'] = S.csrf;
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({ error: 'HTTP ' + r.status }));
  if (r.status === 401 && path !== '/api/login' && path !== '/api/session' && S.user) { loggedOut('Your session ended: log in again.'); }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

function fmtBytes(n) {
  const u = ['B', 'KB', 'MB', 'GB', 'TB']; let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + u[i];
}
function fmtRate(bps) { return fmtBytes(bps).replace(/B$/, 'B/s'); }
function fmtSeconds(s) { return s >= 60 ? Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s' : s + ' s'; }

// ---- session: setup, login, logout --------------------------------------------------------------

async function boot() {
  $('logout').addEventListener('click', logout);
  $('confirm-now').addEventListener('click', confirmNow);
  window.addEventListener('hashchange', route);
  try {
    const s = await api('GET', '/api/session');
    await loggedIn(s);
  } catch (e) {
    if (e.status === 401) (e.body.setupNeeded ? setupView() : loginView());
    else show(h('p', { class: 'err', text: 'The box did not answer: ' + e.message }));
  }
}

function field(id, label, attrs, hint) {
  return [h('label', { for: id }, label, hint ? h('span', { class: 'hint', text: ' ' + hint }) : null),
    h('input', Object.assign({ id, name: id }, attrs)), h('p', { class: 'err', id: 'e-' + id })];
}

function setupView() {
  $('nav').hidden = true;
  const f = h('form', { class: 'card', id: 'setup-form' },
    h('h2', { text: 'Set up this box' }),
    h('p', { text: 'This box has no admin yet. The setup code is printed on the serial console and in the box\'s log; it works once.' }),
    field('setup-code', 'Setup code', { type: 'text', autocomplete: 'off', required: true }),
    field('setup-name', 'Admin name', { type: 'text', value: 'admin', autocomplete: 'username', required: true }),
    field('setup-password', 'Password', { type: 'password', autocomplete: 'new-password', required: true }, '(at least 8 characters)'),
    field('setup-password2', 'Password again', { type: 'password', autocomplete: 'new-password', required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'setup-submit', text: 'Create admin' })));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors(f);
    if ($('setup-password').value !== $('setup-password2').value) return fieldError('setup-password2', 'the passwords differ');
    try {
      const s = await api('POST', '/api/setup', { code: $('setup-code').value, name: $('setup-name').value, password: $('setup-password').value });
      await loggedIn(s);
    } catch (e) {
      fieldError('setup-' + (e.body && e.body.field || 'code'), e.message);
    }
  });
  show(f);
}

function loginView(message) {
  $('nav').hidden = true;
  const f = h('form', { class: 'card', id: 'login-form' },
    h('h2', { text: 'Log in' }),
    message ? h('p', { class: 'muted', text: message }) : null,
    field('login-name', 'Admin name', { type: 'text', autocomplete: 'username', required: true }),
    field('login-password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'login-submit', text: 'Log in' })));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors(f);
    try {
      await loggedIn(await api('POST', '/api/login', { name: $('login-name').value, password: $('login-password').value }));
    } catch (e) {
      fieldError('login-password', e.message);
    }
  });
  show(f);
  $('login-name').focus();
}

async function loggedIn(s) {
  S.csrf = s.csrf; S.user = s.user;
  $('who').textContent = '(' + s.user + ')';
  $('host').textContent = s.hostname;
  $('nav').hidden = false;
  await loadRunning(true);
  if (!S.timer) S.timer = setInterval(tick, 1000);
  await poll();
  route();
}

function loggedOut(message) {
  S.csrf = null; S.user = null;
  clearInterval(S.timer); S.timer = null;
  $('confirm-banner').hidden = true;
  notice('');
  loginView(message);
}

async function logout() {
  try { await api('POST', '/api/logout', {}); } catch (e) { /* logged out either way */ }
  sessionStorage.removeItem('candidate');
  location.hash = '';
  loggedOut('Logged out.');
}

// ---- configuration: running, candidate, commit ----------------------------------------------------

async function loadRunning(keepCandidate) {
  const r = await api('GET', '/api/config');
  S.running = r.config; S.version = r.version;
  setPending(r.pending);
  const saved = keepCandidate && JSON.parse(sessionStorage.getItem('candidate') || 'null');
  S.candidate = saved && saved.base === r.version ? saved.config : clone(r.config);
  changed();
}

function changed() {
  sessionStorage.setItem('candidate', JSON.stringify({ base: S.version, config: S.candidate }));
  const dirty = JSON.stringify(S.candidate) !== JSON.stringify(S.running);
  $('pending-count').textContent = dirty ? '•' : '';
}

function setPending(p) {
  S.pending = p;
  S.deadline = p ? Date.now() + p.secondsLeft * 1000 : 0;
  $('confirm-banner').hidden = !p;
  tick();
}

function tick() {
  if (S.pending) {
    const left = Math.max(0, Math.round((S.deadline - Date.now()) / 1000));
    $('countdown').textContent = fmtSeconds(left);
  }
  if (S.user && Date.now() - (S.lastPoll || 0) >= 2000) poll();
}

async function poll() {
  S.lastPoll = Date.now();
  let st;
  try { st = await api('GET', '/api/state'); } catch (e) { return; }
  const hadPending = !!S.pending;
  if (st.configVersion !== S.version) {
    const wasClean = JSON.stringify(S.candidate) === JSON.stringify(S.running);
    const before = S.version;
    await loadRunning(false);
    if (hadPending && !st.pending) notice('The commit was not confirmed in time: the box rolled back (version ' + before + ' → ' + S.version + ').', 'bad');
    else if (!wasClean) notice('The configuration changed on the box (version ' + S.version + '); your uncommitted changes were dropped.', 'warn');
    if (['tunnels', 'segments', 'routes', 'addressing', 'pending', 'history'].includes(view())) route();
  } else if (hadPending !== !!st.pending || (st.pending && Math.abs(S.deadline - Date.now() - st.pending.secondsLeft * 1000) > 2000)) {
    setPending(st.pending);
  }
  S.state = st;
  sample(st);
  if (view() === 'dashboard') drawDashboard();
}

async function confirmNow() {
  try {
    await api('POST', '/api/config/confirm', {});
    setPending(null);
    notice('Confirmed: version ' + S.version + ' stays.', '');
  } catch (e) {
    notice('Confirm failed: ' + e.message, 'bad');
  }
}

// ---- routing ---------------------------------------------------------------------------------------

function view() { return (location.hash || '#dashboard').slice(1).split('/')[0]; }

const VIEWS = {
  dashboard: dashboardView, tunnels: () => listView(TUNNELS), segments: () => listView(SEGMENTS),
  routes: () => listView(ROUTES), addressing: addressingView, pending: pendingView, history: historyView,
  tables: tablesView, log: logView, diagnostics: diagnosticsView, account: accountView,
};

function route() {
  if (!S.user) return;
  const v = VIEWS[view()] ? view() : 'dashboard';
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('on', a.id === 'nav-' + v));
  VIEWS[v]();
}

// ---- dashboard -----------------------------------------------------------------------------------

function dashboardView() {
  show(h('h2', { text: 'Tunnels' }), h('div', { id: 'dash-tunnels', class: 'grid' }),
    h('h2', { text: 'Segments' }), h('div', { id: 'dash-segments', class: 'grid' }),
    h('h2', { text: 'Sites' }), h('div', { id: 'dash-sites' }),
    h('h2', { text: 'Traffic on the WAN (last 5 minutes)' }),
    h('p', { class: 'legend' }, h('span', { class: 'rx', text: '— received' }), h('span', { class: 'tx', text: '— sent' }), h('span', { id: 'rate-now', class: 'muted' })),
    h('canvas', { id: 'rate', width: 640, height: 160, role: 'img', 'aria-label': 'WAN receive and send rate' }));
  drawDashboard();
}

function drawDashboard() {
  const st = S.state;
  if (!st || !$('dash-tunnels')) return;
  const tun = st.tunnels.map(t => h('div', { class: 'card', id: 'tun-' + t.name },
    h('strong', { text: t.name }), ' ', h('span', { class: t.state === 'up' ? 'up' : 'down', text: t.state }),
    t.reason ? h('span', { class: 'muted', text: ' (' + t.reason + ')' }) : null,
    h('div', { class: 'muted', text: (t.local || 'WAN') + ' → ' + t.remote + ', MTU ' + t.mtu }),
    h('div', { text: 'rx ' + t.rxPackets + ' pkts / ' + fmtBytes(t.rxBytes) + ', tx ' + t.txPackets + ' pkts / ' + fmtBytes(t.txBytes) + ', drops ' + t.drops })));
  $('dash-tunnels').replaceChildren(...(tun.length ? tun : [h('p', { class: 'muted', text: 'No GRE tunnels. Add one under Tunnels.' })]));
  const seg = st.segments.map(s => h('div', { class: 'card', id: 'seg-' + s.name },
    h('strong', { text: s.name }), ' ', h('span', { class: 'muted', text: s.transport + ' ' + s.id + (s.vlan ? ', VLAN ' + s.vlan : ', untagged') }),
    h('div', { text: 'flood: ' + s.flood }), h('div', { text: s.macs + ' MACs, rx ' + s.rxPackets + ', tx ' + s.txPackets + ' frames' })));
  $('dash-segments').replaceChildren(...(seg.length ? seg : [h('p', { class: 'muted', text: 'No L2 segments.' })]));
  $('dash-sites').replaceChildren(sitesDrawing(st));
  drawRates();
}

// This site in the middle, every tunnel's remote and every segment peer around it; tunnel lines
// green when up, red when down; segment lines dashed (a segment has no up/down of its own).
function sitesDrawing(st) {
  const NS = 'http://www.w3.org/2000/svg';
  const s = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; return e; };
  const remotes = new Map();
  for (const t of st.tunnels) remotes.set(t.remote, { label: t.remote, links: [...(remotes.get(t.remote) || { links: [] }).links, { name: t.name, up: t.state === 'up' }] });
  for (const seg of (S.running.segments || [])) {
    for (const p of ((seg.flood || {}).peers || [])) {
      const r = remotes.get(p) || { label: p, links: [] };
      r.links.push({ name: seg.name, segment: true });
      remotes.set(p, r);
    }
  }
  const W = 640, H = 300, cx = W / 2, cy = H / 2;
  const svg = s('svg', { class: 'sites', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'this site and its remote sites' });
  const list = [...remotes.values()];
  list.forEach((r, i) => {
    const a = 2 * Math.PI * i / Math.max(1, list.length) - Math.PI / 2;
    const x = cx + Math.cos(a) * 230, y = cy + Math.sin(a) * 110;
    r.links.forEach((l, j) => {
      const off = (j - (r.links.length - 1) / 2) * 6;
      svg.append(s('line', { x1: cx + off, y1: cy + off, x2: x + off, y2: y + off, stroke: l.segment ? '#1f6feb' : (l.up ? '#17813a' : '#c0261c'),
        'stroke-width': 3, 'stroke-dasharray': l.segment ? '6 4' : '', 'data-link': l.name }));
    });
    svg.append(s('circle', { cx: x, cy: y, r: 16, fill: '#eef1f4', stroke: '#5a6470' }));
    svg.append(s('text', { x, y: y + 30, 'text-anchor': 'middle' }, r.label));
    svg.append(s('text', { x, y: y - 22, 'text-anchor': 'middle' }, r.links.map(l => l.name).join(', ')));
  });
  svg.append(s('circle', { cx, cy, r: 24, fill: '#1d4f7a' }));
  svg.append(s('text', { x: cx, y: cy + 40, 'text-anchor': 'middle' }, (st.version.hostname || 'this box') + ' (this site)'));
  if (!list.length) svg.append(s('text', { x: cx, y: 30, 'text-anchor': 'middle' }, 'no remote sites configured'));
  return svg;
}

function sample(st) {
  const wan = st.interfaces.find(i => i.role === 'wan');
  if (!wan) return;
  const now = Date.now();
  if (S.last && now - S.last.t < 1000) return; // two polls close together make no honest rate
  if (S.last) {
    const dt = (now - S.last.t) / 1000;
    S.rates.push({ t: now, rx: Math.max(0, (wan.rxBytes - S.last.rx) / dt), tx: Math.max(0, (wan.txBytes - S.last.tx) / dt) });
    while (S.rates.length && S.rates[0].t < now - 300000) S.rates.shift();
  }
  S.last = { t: now, rx: wan.rxBytes, tx: wan.txBytes };
}

function drawRates() {
  const c = $('rate');
  if (!c) return;
  const g = c.getContext('2d'), W = c.width, H = c.height, now = Date.now();
  g.clearRect(0, 0, W, H);
  const max = Math.max(1024, ...S.rates.map(r => Math.max(r.rx, r.tx)));
  g.fillStyle = '#5a6470'; g.font = '11px sans-serif';
  g.fillText(fmtRate(max), 4, 12);
  for (const [key, color] of [['rx', '#1f6feb'], ['tx', '#d9480f']]) {
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    S.rates.forEach((r, i) => {
      const x = W - (now - r.t) / 300000 * W, y = H - 4 - r[key] / max * (H - 20);
      i ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
  }
  const last = S.rates[S.rates.length - 1];
  $('rate-now').textContent = last ? 'now: ' + fmtRate(last.rx) + ' in, ' + fmtRate(last.tx) + ' out' : 'collecting…';
}

// ---- forms over the candidate ------------------------------------------------------------------

// A field: path inside the item ("keepalive.interval"), label, kind: text | int | intOrWord | check | list | select.
const TUNNELS = {
  key: 'tunnels', title: 'GRE tunnels', one: 'tunnel', id: 'name',
  columns: t => [t.name, t.remote, t.local || '(WAN address)', t.key ?? (t.ikey !== undefined ? t.ikey + '/' + t.okey : '—'), t.mtu],
  heads: ['Name', 'Remote', 'Local', 'Key', 'MTU'],
  fields: [
    ['name', 'Name', 'text', '1-15 letters, digits, -_.'],
    ['remote', 'Remote address', 'text', 'the other box\'s WAN address'],
    ['local', 'Local address', 'text', 'empty: this box\'s WAN address'],
    ['key', 'Key', 'int', 'empty: no key'],
    ['sequence', 'Sequence numbers', 'check'],
    ['checksum', 'Checksum', 'check'],
    ['ttl', 'TTL', 'intOrWord', '1-255 or inherit'],
    ['mtu', 'MTU', 'intOrWord', 'auto or 576-9000'],
    ['keepalive.interval', 'Keepalive interval (s)', 'int', 'empty: no keepalives'],
    ['keepalive.retries', 'Keepalive retries', 'int'],
    ['mssClamp', 'TCP MSS clamp', 'intOrWord', 'auto, off or a number'],
  ],
  fresh: () => ({ name: '', remote: '' }),
};
const SEGMENTS = {
  key: 'segments', title: 'L2 segments', one: 'segment', id: 'name',
  columns: s => [s.name, s.transport, s.id, s.vlan || 'untagged', (s.flood || {}).group || ((s.flood || {}).peers || []).join(', ')],
  heads: ['Name', 'Transport', 'VNI / key', 'VLAN', 'Flood to'],
  fields: [
    ['name', 'Name', 'text'],
    ['transport', 'Transport', 'select', '', ['vxlan', 'gre']],
    ['id', 'VNI (VXLAN) or key (GRE)', 'int'],
    ['vlan', 'VLAN on the LAN port', 'int', '0: untagged'],
    ['flood.peers', 'Peers (head-end replication)', 'list', 'remote VTEP addresses, comma separated'],
    ['flood.group', 'or multicast group', 'text', 'VXLAN only, e.g. 239.1.1.1'],
    ['allow', 'Accepted remote VTEPs', 'list', 'besides the peers; a group segment accepts only these'],
    ['ageingSeconds', 'MAC ageing (s)', 'int'],
    ['macLimit', 'MAC limit', 'int'],
  ],
  fresh: () => ({ name: '', transport: 'vxlan', flood: { peers: [] } }),
  before: s => { if (s.flood) { delete s.flood.mode; if (s.flood.group) delete s.flood.peers; } },
};
const ROUTES = {
  key: 'routes', title: 'Routes into tunnels', one: 'route', id: 'prefix',
  columns: r => [r.prefix, r.tunnel],
  heads: ['Prefix', 'Tunnel'],
  fields: [['prefix', 'Remote network', 'text', 'e.g. 192.168.2.0/24'], ['tunnel', 'Tunnel', 'tunnel']],
  fresh: () => ({ prefix: '', tunnel: '' }),
};

function getPath(o, path) { return path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o); }
function setPath(o, path, v) {
  const ks = path.split('.'); let a = o;
  for (const k of ks.slice(0, -1)) { if (typeof a[k] !== 'object' || a[k] === null) a[k] = {}; a = a[k]; }
  if (v === undefined) delete a[ks[ks.length - 1]]; else a[ks[ks.length - 1]] = v;
  // an emptied sub-object (keepalive without values) goes away, so defaults apply
  if (ks.length > 1 && v === undefined && Object.keys(a).length === 0) setPath(o, ks.slice(0, -1).join('.'), undefined);
}

function input(fid, f, value) {
  const [path, , kind, , options] = f;
  const id = 'f-' + path.replace(/\./g, '-');
  if (kind === 'check') return h('input', { id, type: 'checkbox', 'data-path': path, checked: !!value });
  if (kind === 'select' || kind === 'tunnel') {
    const opts = kind === 'tunnel' ? (S.candidate.tunnels || []).map(t => t.name) : options;
    const sel = h('select', { id, 'data-path': path }, opts.map(o => h('option', { value: o, text: o })));
    if (value !== undefined) sel.value = value;
    return sel;
  }
  const v = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  return h('input', { id, type: 'text', 'data-path': path, value: v, inputmode: kind === 'int' ? 'numeric' : null });
}

function readField(el, kind) {
  if (kind === 'check') return el.checked;
  const v = el.value.trim();
  if (v === '') return undefined;
  if (kind === 'int' || kind === 'intOrWord') return /^-?\d+$/.test(v) ? Number(v) : v;
  if (kind === 'list') return v.split(/[\s,]+/).filter(Boolean);
  return v;
}

function listView(spec) {
  const items = S.candidate[spec.key] || [];
  const rows = items.map((it, i) => h('tr', { id: spec.one + '-row-' + it[spec.id] },
    spec.columns(it).map(c => h('td', { text: c === undefined ? '' : String(c) })),
    h('td', {}, h('button', { type: 'button', class: 'secondary', id: 'edit-' + spec.one + '-' + i, onclick: () => editView(spec, i), text: 'Edit' }), ' ',
      h('button', { type: 'button', class: 'danger', id: 'delete-' + spec.one + '-' + i, onclick: () => removeItem(spec, i), text: 'Delete' }))));
  show(h('h2', { text: spec.title }),
    items.length ? h('table', {}, h('thead', {}, h('tr', {}, spec.heads.map(x => h('th', { text: x })), h('th', {}))), h('tbody', {}, rows))
      : h('p', { class: 'muted', text: 'None yet.' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'add-' + spec.one, onclick: () => editView(spec, -1), text: 'Add ' + spec.one })),
    h('p', { class: 'muted', text: 'Changes are kept as pending until you commit them under Changes.' }));
}

function removeItem(spec, i) {
  S.candidate[spec.key].splice(i, 1);
  changed();
  notice('Deleted (pending): review and commit under Changes.', '');
  listView(spec);
}

function editView(spec, index) {
  const items = S.candidate[spec.key] || [];
  const item = index >= 0 ? clone(items[index]) : spec.fresh();
  const form = h('form', { class: 'card', id: spec.one + '-form', novalidate: true },
    h('h2', { text: (index >= 0 ? 'Edit ' : 'Add ') + spec.one }),
    h('p', { class: 'err', id: 'e-form' }),
    spec.fields.map(f => {
      const el = input(spec.one, f, getPath(item, f[0]));
      const err = h('p', { class: 'err', id: 'e-' + el.id.slice(2) });
      return f[2] === 'check'
        ? [h('label', { class: 'check', for: el.id }, el, f[1]), err]
        : [h('label', { for: el.id }, f[1], f[3] ? h('span', { class: 'hint', text: ' (' + f[3] + ')' }) : null), el, err];
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save', text: 'Save' }),
      h('button', { type: 'button', class: 'secondary', id: 'cancel', text: 'Cancel', onclick: () => listView(spec) })));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const next = clone(item);
    for (const f of spec.fields) setPath(next, f[0], readField(form.querySelector(`[data-path="${f[0]}"]`), f[2]));
    if (spec.before) spec.before(next);
    const cand = clone(S.candidate);
    cand[spec.key] = cand[spec.key] || [];
    const at = index >= 0 ? index : cand[spec.key].length;
    cand[spec.key][at] = next;
    if (await validateInto(form, cand, spec.key + '[' + at + ']')) {
      S.candidate = cand;
      changed();
      notice('Saved as a pending change: review and commit under Changes.', '');
      listView(spec);
    }
  });
  show(form);
}

// Validates the whole candidate; shows the errors that belong to this form next to their fields.
// True when this form's part has no errors (problems elsewhere show under Changes).
async function validateInto(form, cand, base) {
  clearErrors(form);
  let errors = [];
  try { await api('POST', '/api/config/validate', { config: cand }); } catch (e) {
    if (e.status !== 422) { $('e-form').textContent = e.message; return false; }
    errors = e.body.errors;
  }
  let mine = 0;
  for (const err of errors) {
    const p = err.field || '';
    if (base && !(p === base || p.startsWith(base + '.') || p.startsWith(base + '['))) continue;
    mine++;
    const rel = (base ? p.slice(base.length + 1) : p).replace(/\[[^\]]*\]/g, '');
    let el = null;
    for (let r = rel; r && !el; r = r.includes('.') ? r.slice(0, r.lastIndexOf('.')) : '') el = form.querySelector(`[data-path="${r}"]`);
    if (el) fieldError(el.id.slice(2), err.error, el); else $('e-form').textContent += (p ? p + ': ' : '') + err.error + ' ';
  }
  return mine === 0;
}

function clearErrors(form) {
  form.querySelectorAll('.err').forEach(e => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
}

function fieldError(id, message, el) {
  const p = $('e-' + id);
  if (p) p.textContent = (p.textContent ? p.textContent + ' ' : '') + message;
  const input = el || $(id) || $('f-' + id);
  if (input) { input.setAttribute('aria-invalid', 'true'); input.setAttribute('aria-describedby', 'e-' + id); }
}

const ADDRESSING = [
  ['system.hostname', 'Host name', 'text'],
  ['interfaces.wan.dhcp', 'WAN address by DHCP', 'check'],
  ['interfaces.wan.address', 'WAN address', 'text', 'a.b.c.d/len, when not DHCP'],
  ['interfaces.wan.gateway', 'WAN gateway', 'text'],
  ['interfaces.wan.mtu', 'WAN MTU', 'int'],
  ['interfaces.lan.address', 'LAN address', 'text', 'a.b.c.d/len; the page listens here'],
  ['interfaces.lan.mtu', 'LAN MTU', 'int'],
];

function addressingView() {
  const c = S.candidate;
  const form = h('form', { class: 'card', id: 'addressing-form', novalidate: true },
    h('h2', { text: 'WAN and LAN addressing' }), h('p', { class: 'err', id: 'e-form' }),
    ADDRESSING.map(f => {
      const el = input('a', f, getPath(c, f[0]));
      const err = h('p', { class: 'err', id: 'e-' + el.id.slice(2) });
      return f[2] === 'check' ? [h('label', { class: 'check', for: el.id }, el, f[1]), err]
        : [h('label', { for: el.id }, f[1], f[3] ? h('span', { class: 'hint', text: ' (' + f[3] + ')' }) : null), el, err];
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save', text: 'Save' })));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const cand = clone(S.candidate);
    for (const f of ADDRESSING) setPath(cand, f[0], readField(form.querySelector(`[data-path="${f[0]}"]`), f[2]));
    if (cand.interfaces.wan.dhcp) { delete cand.interfaces.wan.address; delete cand.interfaces.wan.gateway; } else delete cand.interfaces.wan.dhcp;
    if (await validateIntoPaths(form, cand)) { S.candidate = cand; changed(); notice('Saved as a pending change: review and commit under Changes.', ''); }
  });
  show(form);
}

async function validateIntoPaths(form, cand) {
  const ok = await validateInto(form, cand, '');
  // Errors outside these fields are not this form's: accept if every error found no field here.
  return ok || !form.querySelector('[aria-invalid]');
}

// ---- pending changes, commit, commit confirmed -----------------------------------------------------

async function pendingView() {
  show(h('h2', { text: 'Pending changes' }), h('p', { text: 'Comparing…' }));
  const d = await api('POST', '/api/config/diff', { config: S.candidate });
  const list = h('pre', { class: 'diff', id: 'diff' }, d.changes.length ? d.changes.map(c =>
    h('div', { class: c.op === '+' ? 'add' : 'del', text: c.op + ' ' + c.path + ' = ' + c.value })) : 'no changes');
  const errs = h('ul', { id: 'commit-errors', class: 'err' }, d.errors.map(e => h('li', { text: (e.field ? e.field + ': ' : '') + e.error })));
  const minutes = h('input', { id: 'confirm-minutes', type: 'text', inputmode: 'decimal', value: '10', size: 4 });
  show(h('h2', { text: 'Pending changes (against running version ' + S.version + ')' }), list,
    d.valid ? h('p', { class: 'muted', text: 'Summary: ' + d.summary }) : h('p', { class: 'err', text: 'The configuration has errors; fix them before committing:' }), errs,
    h('form', { class: 'card', id: 'commit-form' },
      h('label', { for: 'commit-comment', text: 'Comment' }), h('input', { id: 'commit-comment', type: 'text', maxlength: 200 }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'commit', text: 'Commit', onclick: () => commit(null) }),
        h('button', { type: 'button', id: 'commit-confirmed', text: 'Commit confirmed', onclick: () => commit(minutes.value) }),
        h('label', { for: 'confirm-minutes', class: 'check' }, 'roll back unless confirmed within', minutes, 'minutes'),
        h('button', { type: 'button', class: 'secondary', id: 'discard', text: 'Discard changes', onclick: discard })),
      h('p', { class: 'err', id: 'e-commit' })));
}

async function commit(minutes) {
  const body = { config: S.candidate, comment: $('commit-comment').value };
  if (minutes !== null) {
    const m = Number(String(minutes).replace(',', '.'));
    if (!(m > 0)) { $('e-commit').textContent = 'minutes must be a positive number'; return; }
    body.confirmSeconds = Math.round(m * 60);
  }
  try {
    const r = await api('POST', '/api/config/commit', body);
    await loadRunning(false);
    setPending(r.pending);
    notice('Committed version ' + r.version + ': ' + r.summary + (r.pending ? '. Confirm before the countdown ends.' : ''), r.pending ? 'warn' : '');
    location.hash = '#dashboard';
    await poll();
    route();
  } catch (e) {
    $('e-commit').textContent = e.message + (e.body && e.body.field ? ' (' + e.body.field + ')' : '');
    if (e.body && e.body.errors) $('commit-errors').replaceChildren(...e.body.errors.map(x => h('li', { text: (x.field ? x.field + ': ' : '') + x.error })));
  }
}

function discard() {
  S.candidate = clone(S.running);
  changed();
  pendingView();
}

// ---- history and rollback -------------------------------------------------------------------------

async function historyView() {
  const r = await api('GET', '/api/config/history');
  show(h('h2', { text: 'Stored versions' }),
    h('table', { id: 'history' }, h('thead', {}, h('tr', {}, ['Version', 'Time', 'Author', 'Comment', ''].map(x => h('th', { text: x })))),
      h('tbody', {}, r.versions.map(v => h('tr', { id: 'version-' + v.number },
        h('td', { class: 'num', text: v.number }), h('td', { text: new Date(v.time).toLocaleString() }), h('td', { text: v.author }), h('td', { text: v.comment }),
        h('td', {}, v.number === r.running ? h('strong', { text: 'running' })
          : h('button', { type: 'button', class: 'secondary', id: 'rollback-' + v.number, text: 'Roll back to this', onclick: () => rollback(v.number) })))))));
}

async function rollback(n) {
  if (!window.confirm('Make version ' + n + ' the running configuration?')) return;
  try {
    const r = await api('POST', '/api/config/rollback', { version: n });
    await loadRunning(false);
    notice('Rolled back: version ' + r.version + ' runs (' + r.summary + ').', '');
    historyView();
  } catch (e) { notice('Rollback refused: ' + e.message, 'bad'); }
}

// ---- MAC tables, flows, log, diagnostics ----------------------------------------------------------

async function tablesView() {
  const [m, f] = await Promise.all([api('GET', '/api/state/mac'), api('GET', '/api/state/flows')]);
  const search = h('input', { id: 'table-search', type: 'text', placeholder: 'filter: MAC, segment, VTEP, table=…' });
  const macBody = h('tbody', {}), flows = h('pre', { id: 'flows' });
  const render = () => {
    const q = search.value.trim().toLowerCase();
    macBody.replaceChildren(...m.mac.filter(e => !q || JSON.stringify(e).toLowerCase().includes(q)).map(e =>
      h('tr', {}, [e.segment, e.vlan, e.mac, e.where, e.ageSeconds + ' s'].map(x => h('td', { text: String(x) })))));
    flows.textContent = f.flows.filter(l => !q || l.toLowerCase().includes(q)).join('\n') || '(none)';
  };
  search.addEventListener('input', render);
  show(h('label', { for: 'table-search', text: 'Search' }), search,
    h('h2', { text: 'MAC table' }), h('table', { id: 'mac' }, h('thead', {}, h('tr', {}, ['Segment', 'VLAN', 'MAC', 'Where', 'Age'].map(x => h('th', { text: x })))), macBody),
    h('h2', { text: 'Flow tables (as in ovs-ofctl dump-flows)' }), flows);
  render();
}

async function logView() {
  const r = await api('GET', '/api/log?lines=200');
  show(h('h2', { text: 'Recent log' }), h('pre', { id: 'log', text: r.lines.join('\n') || '(empty)' }),
    h('button', { type: 'button', class: 'secondary', text: 'Refresh', onclick: logView }));
}

function diagnosticsView() {
  const names = [...(S.running.tunnels || []), ...(S.running.segments || [])].map(x => x.name);
  const out = h('pre', { id: 'ping-out', text: '' });
  const ping = h('form', { class: 'card', id: 'ping-form' }, h('h2', { text: 'Ping from the box' }),
    field('ping-address', 'Address', { type: 'text', required: true }),
    field('ping-count', 'Count', { type: 'text', value: '3', inputmode: 'numeric' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Ping' })), out);
  ping.addEventListener('submit', async ev => {
    ev.preventDefault(); clearErrors(ping); out.textContent = 'pinging…';
    try { out.textContent = (await api('POST', '/api/diag/ping', { address: $('ping-address').value, count: Number($('ping-count').value) })).lines.join('\n'); }
    catch (e) { out.textContent = ''; fieldError('ping-' + ((e.body && e.body.field) || 'address'), e.message); }
  });
  const sel = h('select', { id: 'pcap-name' }, names.map(n => h('option', { value: n, text: n })));
  const secs = h('input', { id: 'pcap-seconds', type: 'text', value: '10', inputmode: 'numeric' });
  const link = h('a', { id: 'pcap-link', href: '#', download: 'capture.pcap', text: 'Capture and download' });
  const update = () => { link.href = '/api/diag/pcap?name=' + encodeURIComponent(sel.value) + '&seconds=' + encodeURIComponent(secs.value); link.download = sel.value + '.pcap'; };
  sel.addEventListener('change', update); secs.addEventListener('input', update); update();
  show(ping, h('div', { class: 'card' }, h('h2', { text: 'Capture a tunnel\'s or segment\'s traffic (pcap)' }),
    names.length ? [h('label', { for: 'pcap-name', text: 'Tunnel or segment' }), sel, h('label', { for: 'pcap-seconds', text: 'Seconds (1-60; at most 8 MB)' }), secs, h('p', {}, link)]
      : h('p', { class: 'muted', text: 'Nothing configured to capture.' })));
}

// ---- account: the own password (the console's account store; other sessions end) ---------------------

function accountView() {
  const f = h('form', { class: 'card', id: 'password-form' },
    h('h2', { text: 'Change the password of ' + S.user }),
    h('p', { class: 'muted', text: 'The same account logs in on the serial console. Your other sessions end when it changes.' }),
    field('acct-current', 'Current password', { type: 'password', autocomplete: 'current-password', required: true }),
    field('acct-password', 'New password', { type: 'password', autocomplete: 'new-password', required: true }, '(at least 8 characters)'),
    field('acct-password2', 'New password again', { type: 'password', autocomplete: 'new-password', required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'password-submit', text: 'Change password' })));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors(f);
    if ($('acct-password').value !== $('acct-password2').value) return fieldError('acct-password2', 'the new passwords differ');
    try {
      await api('POST', '/api/account/password', { current: $('acct-current').value, password: $('acct-password').value });
      f.reset();
      notice('Password changed.', '');
    } catch (e) {
      fieldError('acct-' + ((e.body && e.body.field) || 'current'), e.message);
    }
  });
  show(f);
}

document.addEventListener('DOMContentLoaded', boot);
