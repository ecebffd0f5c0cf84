// bourse dashboard: everything live comes from the query server's WebSocket streams (/ws);
// history (candles before the page opened, past fills) from the HTTP API; health from /metrics.
// No build step: plain browser JavaScript.
'use strict';

const state = {
  instruments: [],
  current: null,          // {instrumentId, symbol}
  interval: '1m',
  ws: null,
  seqs: new Map(),        // channel key -> last sequence number applied
  bids: new Map(),        // price text -> {quantity, orders}
  asks: new Map(),
  trades: [],
  candles: new Map(),     // startNanos -> candle (selected interval)
  token: null,
  accountId: null,
  orders: new Map(),      // orderId -> order
  fills: [],
  metrics: null,          // previous /metrics sample, for rates
};

const $ = (id) => document.getElementById(id);
const PUBLIC_CHANNELS = ['depth', 'trades', 'bbo', 'candles', 'status'];

// The instrument's status, its phase when that says more (a call, post-close), and a call's indication.
function phaseText(d) {
  let text = !d.phase || d.phase === 'CONTINUOUS' || d.phase === d.status ? d.status : d.phase.replace(/_/g, ' ');
  const a = d.auction;
  if (a && a.matchedQty > 0) {
    text += ` · indicative ${a.indicativePrice} x ${a.matchedQty}`;
    if (a.imbalanceQty > 0) text += ` (${a.imbalanceSide} surplus ${a.imbalanceQty})`;
  }
  return text;
}
const MAX_TRADES = 12;
const LADDER_LEVELS = 6;

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) {
    state.ws.send(JSON.stringify(message));
  }
}

function keyOf(m) {
  return m.channel + '/' + (m.instrumentId !== undefined ? m.instrumentId : m.accountId);
}

// ------------------------------------------------------------------ connection

function connect() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  state.ws = ws;
  ws.onopen = () => {
    setConnection(true);
    state.seqs.clear();
    if (state.token) {
      send({op: 'auth', token: state.token});
    }
    if (state.current) {
      subscribeInstrument(state.current);
    }
  };
  ws.onmessage = (event) => handle(JSON.parse(event.data));
  ws.onclose = (event) => {
    console.info('stream closed', event.code, event.reason);
    setConnection(false);
    // A reconnect gets fresh snapshots of everything.
    setTimeout(connect, 1000);
  };
}

function setConnection(on) {
  const badge = $('connection');
  badge.textContent = on ? 'live' : 'disconnected';
  badge.className = 'badge ' + (on ? 'on' : 'off');
}

function handle(m) {
  switch (m.type) {
    case 'snapshot':
      state.seqs.set(keyOf(m), m.seq);
      applySnapshot(m);
      break;
    case 'update': {
      const key = keyOf(m);
      const last = state.seqs.get(key);
      if (last === undefined) {
        return; // waiting for this channel's snapshot
      }
      if (m.seq !== last + 1) {
        // A gap: drop what we have of this channel and ask for a fresh snapshot.
        state.seqs.delete(key);
        const request = {op: 'resync', channel: m.channel};
        if (m.instrumentId !== undefined) {
          request.instrument = String(m.instrumentId);
        }
        send(request);
        return;
      }
      state.seqs.set(key, m.seq);
      applyUpdate(m);
      break;
    }
    case 'authenticated':
      state.accountId = m.accountId;
      send({op: 'subscribe', channel: 'orders'});
      send({op: 'subscribe', channel: 'fills'});
      break;
    case 'error':
      if ((m.code === 'login_ended' || m.code === 'unauthorized') && state.token) {
        // the token expired or was retired: the private panels would stop updating unseen
        loginEnded(m.message);
      } else if (m.code !== 'slow_consumer') {
        console.warn('stream error', m.code, m.message);
      }
      break;
    default:
      break;
  }
}

function isCurrent(m) {
  return state.current && m.instrumentId === state.current.instrumentId;
}

// ------------------------------------------------------------------ snapshots and updates

function applySnapshot(m) {
  const d = m.data;
  switch (m.channel) {
    case 'depth':
      if (!isCurrent(m)) return;
      state.bids = new Map(d.bids.map((l) => [l.price, l]));
      state.asks = new Map(d.asks.map((l) => [l.price, l]));
      renderLadder();
      break;
    case 'trades':
      if (!isCurrent(m)) return;
      state.trades = d.trades.slice().reverse().slice(0, MAX_TRADES);
      renderTape(false);
      break;
    case 'bbo':
      if (!isCurrent(m)) return;
      renderBbo(d);
      break;
    case 'candles':
      if (!isCurrent(m)) return;
      d.candles.forEach(applyCandle);
      break;
    case 'status':
      if (!isCurrent(m)) return;
      $('status').textContent = phaseText(d);
      $('stat-reference').textContent = d.referencePrice;
      break;
    case 'orders':
      state.orders = new Map(d.orders.map((o) => [o.orderId, o]));
      renderOrders();
      break;
    case 'fills':
      // a fills snapshot holds no past fills: those made while away (a reconnect, a skip) are read again
      loadFills();
      break;
  }
}

function applyUpdate(m) {
  const d = m.data;
  switch (m.channel) {
    case 'depth': {
      if (!isCurrent(m)) return;
      const side = d.side === 'BUY' ? state.bids : state.asks;
      if (d.quantity === 0) side.delete(d.price); else side.set(d.price, d);
      renderLadder();
      break;
    }
    case 'trades':
      if (!isCurrent(m)) return;
      state.trades.unshift(d);
      state.trades.length = Math.min(state.trades.length, MAX_TRADES);
      renderTape(true);
      break;
    case 'bbo':
      if (!isCurrent(m)) return;
      renderBbo(d);
      break;
    case 'candles':
      if (!isCurrent(m)) return;
      applyCandle(d);
      break;
    case 'status':
      if (!isCurrent(m)) return;
      $('status').textContent = phaseText(d);
      $('stat-reference').textContent = d.referencePrice;
      break;
    case 'orders':
      if (d.status === 'FILLED' || d.status === 'CANCELED' || d.status === 'EXPIRED') state.orders.delete(d.orderId);
      else state.orders.set(d.orderId, d);
      renderOrders();
      break;
    case 'fills':
      state.fills.unshift(d);
      state.fills.length = Math.min(state.fills.length, MAX_TRADES);
      renderFills();
      break;
  }
}

function applyCandle(c) {
  if (c.interval === '1d') {
    $('stat-open').textContent = c.open;
    $('stat-high').textContent = c.high;
    $('stat-low').textContent = c.low;
    $('stat-last').textContent = c.close;
    $('stat-volume').textContent = c.volume.toLocaleString();
    $('stat-vwap').textContent = c.vwap;
    $('stat-count').textContent = c.count.toLocaleString();
  }
  // the trading day's 1d candle before its first trade is empty (prices null): stats blank, nothing to draw
  if (c.interval === state.interval && c.count > 0) {
    state.candles.set(c.startNanos, c);
    drawChart();
  }
}

// ------------------------------------------------------------------ rendering

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function byPrice(a, b) {
  return parseFloat(b) - parseFloat(a); // display order only; the prices themselves stay exact text
}

function renderLadder() {
  const body = $('ladder').tBodies[0];
  body.textContent = '';
  const asks = [...state.asks.keys()].sort(byPrice).slice(-LADDER_LEVELS);
  const bids = [...state.bids.keys()].sort(byPrice).slice(0, LADDER_LEVELS);
  for (const price of asks) {
    const l = state.asks.get(price);
    const row = body.insertRow();
    row.className = 'ask-row';
    cell(row, ''); cell(row, ''); cell(row, price, 'price'); cell(row, l.quantity, 'ask'); cell(row, l.orders);
  }
  for (const price of bids) {
    const l = state.bids.get(price);
    const row = body.insertRow();
    row.className = 'bid-row';
    cell(row, l.orders); cell(row, l.quantity, 'bid'); cell(row, price, 'price'); cell(row, ''); cell(row, '');
  }
}

function time(nanos) {
  return new Date(Number(BigInt(nanos) / 1000000n)).toISOString().substring(11, 23);
}

function renderTape(fresh) {
  const body = $('tape').tBodies[0];
  body.textContent = '';
  state.trades.forEach((t, i) => {
    const row = body.insertRow();
    if (fresh && i === 0) row.className = 'fresh';
    row.dataset.tradeId = t.tradeId;
    cell(row, time(t.timestamp)); cell(row, t.price, t.takerSide); cell(row, t.quantity); cell(row, t.takerSide, t.takerSide);
  });
}

function renderBbo(d) {
  $('stat-bid').textContent = d.bid ? d.bid.price + ' × ' + d.bid.quantity : '-';
  $('stat-ask').textContent = d.ask ? d.ask.price + ' × ' + d.ask.quantity : '-';
}

function renderOrders() {
  const body = $('orders').tBodies[0];
  body.textContent = '';
  [...state.orders.values()].sort((a, b) => b.orderId - a.orderId).slice(0, MAX_TRADES).forEach((o) => {
    const row = body.insertRow();
    cell(row, o.orderId); cell(row, o.clOrdId); cell(row, o.side, o.side); cell(row, o.price);
    cell(row, o.leavesQty); cell(row, o.cumQty); cell(row, o.status);
  });
}

function renderFills() {
  const body = $('fills').tBodies[0];
  body.textContent = '';
  state.fills.forEach((f) => {
    const row = body.insertRow();
    cell(row, time(f.timestamp)); cell(row, f.orderId); cell(row, f.side, f.side); cell(row, f.price);
    cell(row, f.quantity); cell(row, f.liquidity);
  });
}

function drawChart() {
  const canvas = $('chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 900;
  const height = canvas.clientHeight || 260;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const candles = [...state.candles.values()].sort((a, b) => a.startNanos - b.startNanos).slice(-80);
  if (candles.length === 0) {
    g.fillStyle = '#7d8a97';
    g.fillText('no trades yet', 12, 20);
    return;
  }
  let low = Infinity;
  let high = -Infinity;
  for (const c of candles) {
    low = Math.min(low, parseFloat(c.low));
    high = Math.max(high, parseFloat(c.high));
  }
  if (high === low) { high += 0.5; low -= 0.5; }
  const pad = 24;
  const y = (p) => pad + (high - parseFloat(p)) / (high - low) * (height - 2 * pad);
  const step = (width - 70) / Math.max(candles.length, 20);
  g.fillStyle = '#7d8a97';
  g.font = '11px system-ui';
  g.fillText(String(high), width - 64, pad);
  g.fillText(String(low), width - 64, height - pad + 10);
  candles.forEach((c, i) => {
    const x = 8 + i * step;
    const up = parseFloat(c.close) >= parseFloat(c.open);
    g.strokeStyle = g.fillStyle = up ? '#2fbf71' : '#e5484d';
    g.beginPath();
    g.moveTo(x + step / 2, y(c.high));
    g.lineTo(x + step / 2, y(c.low));
    g.stroke();
    const top = y(up ? c.close : c.open);
    const bottom = y(up ? c.open : c.close);
    g.fillRect(x + 1, top, Math.max(step - 2, 1), Math.max(bottom - top, 1));
  });
}

// ------------------------------------------------------------------ instruments

function subscribeInstrument(instrument) {
  for (const channel of PUBLIC_CHANNELS) {
    send({op: 'subscribe', channel, instrument: String(instrument.instrumentId)});
  }
}

async function select(instrument) {
  if (state.current) {
    for (const channel of PUBLIC_CHANNELS) {
      send({op: 'unsubscribe', channel, instrument: String(state.current.instrumentId)});
      state.seqs.delete(channel + '/' + state.current.instrumentId);
    }
  }
  state.current = instrument;
  state.bids.clear(); state.asks.clear(); state.trades = []; state.candles.clear();
  $('symbol').textContent = instrument.symbol;
  $('status').textContent = phaseText(instrument);
  for (const id of ['last', 'open', 'high', 'low', 'volume', 'vwap', 'count', 'bid', 'ask']) $('stat-' + id).textContent = '-';
  $('stat-reference').textContent = instrument.referencePrice;
  document.querySelectorAll('#instruments button').forEach((b) => b.classList.toggle('active', b.textContent === instrument.symbol));
  renderLadder(); renderTape(false); drawChart();
  subscribeInstrument(instrument);
  await loadCandles();
}

async function loadCandles() {
  if (!state.current) return;
  const response = await fetch('/api/v1/instruments/' + state.current.instrumentId + '/candles?interval=' + state.interval + '&limit=80');
  if (response.ok) {
    const body = await response.json();
    for (const c of body.data) {
      if (!state.candles.has(c.startNanos)) state.candles.set(c.startNanos, Object.assign({interval: state.interval}, c));
    }
    drawChart();
  }
}

async function loadInstruments() {
  const response = await fetch('/api/v1/instruments');
  const body = await response.json();
  state.instruments = body.data;
  const nav = $('instruments');
  nav.textContent = '';
  for (const instrument of state.instruments) {
    const button = document.createElement('button');
    button.textContent = instrument.symbol;
    button.onclick = () => select(instrument);
    nav.appendChild(button);
  }
  if (state.instruments.length > 0) await select(state.instruments[0]);
}

// ------------------------------------------------------------------ health

function parseMetrics(text) {
  const values = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const brace = line.indexOf('{');
    const name = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
    values[name] = (values[name] || 0) + Number(line.substring(space + 1));
  }
  return values;
}

async function refreshHealth() {
  try {
    const [metricsText, status] = await Promise.all([
      fetch('/metrics').then((r) => r.text()),
      fetch('/api/v1/status').then((r) => r.json())]);
    const now = performance.now();
    const m = parseMetrics(metricsText);
    const previous = state.metrics;
    const rate = (name) => previous && m[name] !== undefined
      ? Math.round((m[name] - previous.values[name]) * 1000 / (now - previous.at)).toLocaleString() + '/s' : '-';
    const value = (name) => m[name] !== undefined ? m[name].toLocaleString() : '-';
    const rows = [
      ['journal sequence', value('bourse_journal_sequence')],
      ['projections at', status.sequence.toLocaleString()],
      ['history at', status.data.history.sequence.toLocaleString()],
      ['events', rate('bourse_journal_events_total')],
      ['commands', rate('bourse_engine_commands_total')],
      ['rejects', value('bourse_engine_rejects_total') + ' (' + rate('bourse_engine_rejects_total') + ')'],
      ['FIX sessions', value('bourse_gateway_sessions')],
      ['stream sessions', value('bourse_query_ws_sessions')],
      ['lag: reports', value('bourse_gateway_lag_entries')],
      ['lag: market data', value('bourse_md_lag_entries')],
      ['lag: projections', value('bourse_query_projection_lag_entries')],
      ['lag: history', value('bourse_query_history_lag_entries')],
    ];
    const health = $('health');
    health.textContent = '';
    for (const [label, text] of rows) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = label;
      dd.textContent = text;
      div.append(dt, dd);
      health.appendChild(div);
    }
    state.metrics = {values: m, at: now};
  } catch (e) {
    // the server is away: the stream badge says so
  }
}

// ------------------------------------------------------------------ login

async function login(event) {
  event.preventDefault();
  const username = $('username').value;
  const password = $('password').value;
  const response = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: {Authorization: 'Basic ' + btoa(username + ':' + password)},
  });
  if (!response.ok) {
    $('account').hidden = false;
    $('account').textContent = 'login failed';
    return;
  }
  const body = await response.json();
  state.token = body.token;
  state.accountId = body.accountId;
  $('login').hidden = true;
  $('account').hidden = false;
  $('account').textContent = username + ' · account ' + body.accountId;
  $('orders-panel').hidden = false;
  $('fills-panel').hidden = false;
  await loadFills();
  send({op: 'auth', token: state.token});
}

/** The account's latest fills from the history (the stream carries only new ones). */
async function loadFills() {
  if (!state.token || state.accountId == null) return;
  const fills = await fetch('/api/v1/accounts/' + state.accountId + '/executions?limit=' + MAX_TRADES,
    {headers: {Authorization: 'Bearer ' + state.token}});
  if (fills.ok) {
    // the store may lag the stream: fills the stream brought meanwhile stay, each once, newest first
    const fetched = (await fills.json()).data;
    const key = (f) => f.tradeId + '/' + f.orderId;
    const known = new Set(fetched.map(key));
    state.fills = state.fills.filter((f) => !known.has(key(f))).concat(fetched)
      .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
      .slice(0, MAX_TRADES);
    renderFills();
  }
}

/** The login is over (its token expired or was retired): say so and offer the form again. */
function loginEnded(message) {
  state.token = null;
  state.accountId = null;
  state.orders = new Map();
  state.fills = [];
  renderOrders();
  renderFills();
  $('orders-panel').hidden = true;
  $('fills-panel').hidden = true;
  $('login').hidden = false;
  $('account').hidden = false;
  $('account').textContent = 'login ended: log in again';
  console.info('login ended', message);
}

$('login').addEventListener('submit', login);
$('interval').addEventListener('change', async (e) => {
  state.interval = e.target.value;
  state.candles.clear();
  drawChart();
  await loadCandles();
});
window.addEventListener('resize', drawChart);

loadInstruments().then(connect);
setInterval(refreshHealth, 2000);
refreshHealth();
