// The live dashboard: groups from the server-sent event feed, the rest polled every few seconds.
(function () {
  'use strict';

  const groups = new Map();
  const HISTORY_REFRESH_MS = 10000;
  const POLL_MS = 3000;

  function text(value) {
    return value === null || value === undefined ? '–' : String(value);
  }

  function seconds(ms) {
    if (ms === null || ms === undefined) return '–';
    return ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '–';
  }

  function cell(row, field, value, numeric) {
    let td = row.querySelector('[data-field="' + field + '"]');
    if (!td) {
      td = document.createElement('td');
      td.dataset.field = field;
      if (numeric) td.className = 'num';
      row.appendChild(td);
    }
    td.textContent = value;
    return td;
  }

  function renderGroup(group) {
    const body = document.querySelector('#groups tbody');
    let row = body.querySelector('tr[data-group-id="' + CSS.escape(group.groupId) + '"]');
    if (!row) {
      row = document.createElement('tr');
      row.dataset.groupId = group.groupId;
      body.appendChild(row);
      [...body.children].sort((a, b) => a.dataset.groupId.localeCompare(b.dataset.groupId)).forEach(r => body.appendChild(r));
    }
    cell(row, 'name', group.name || group.groupId);
    cell(row, 'numberOfVisitorsInQueue', text(group.numberOfVisitorsInQueue), true);
    cell(row, 'numberOfVisitorsInConversation', text(group.numberOfVisitorsInConversation), true);
    cell(row, 'numberOfAvailableAgents', text(group.numberOfAvailableAgents), true);
    cell(row, 'averageWaitingTime', seconds(group.averageWaitingTime), true);
    cell(row, 'longestWaitingTime', seconds(group.longestWaitingTime), true);
    const chartCell = cell(row, 'history', '');
    if (!chartCell.firstChild) {
      const canvas = document.createElement('canvas');
      canvas.width = 180;
      canvas.height = 28;
      chartCell.appendChild(canvas);
    }
    cell(row, 'updatedAt', time(group.updatedAt));
    document.getElementById('no-groups').hidden = groups.size > 0;
  }

  function drawHistory(groupId, samples) {
    const row = document.querySelector('#groups tr[data-group-id="' + CSS.escape(groupId) + '"]');
    const canvas = row && row.querySelector('canvas');
    if (!canvas) return;
    const values = samples.map(s => s.numberOfVisitorsInQueue).filter(v => v !== null && v !== undefined);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (values.length < 2) return;
    const max = Math.max(1, ...values);
    ctx.strokeStyle = '#2b6cb0';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = i * (canvas.width - 2) / (values.length - 1) + 1;
      const y = canvas.height - 2 - v * (canvas.height - 4) / max;
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }

  async function getJson(path) {
    const response = await fetch(path, {headers: {Accept: 'application/json'}});
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  async function refreshHistories() {
    for (const groupId of groups.keys()) {
      try {
        drawHistory(groupId, await getJson('api/groups/' + encodeURIComponent(groupId) + '/history'));
      } catch (e) { /* the next refresh tries again */ }
    }
  }

  function fillTable(selector, emptySelector, rows, toCells) {
    const body = document.querySelector(selector + ' tbody');
    body.replaceChildren(...rows.map(item => {
      const tr = document.createElement('tr');
      toCells(item).forEach(([value, cls]) => {
        const td = document.createElement('td');
        td.textContent = value;
        if (cls) td.className = cls;
        tr.appendChild(td);
      });
      return tr;
    }));
    document.querySelector(emptySelector).hidden = rows.length > 0;
  }

  async function poll() {
    try {
      const [cases, sinks, deadLetters] = await Promise.all([
        getJson('api/cases?limit=15'), getJson('api/sinks'), getJson('api/dead-letters/count')]);
      fillTable('#cases', '#no-cases', cases, c => [[c.caseId], [c.revision, 'num'], [text(c.caseType)], [text(c.outcome)],
        [time(c.closedAt)]]);
      fillTable('#sinks', '#no-sinks', sinks, s => [[s.name], [s.delivered, 'num'], [s.pending, 'num'], [s.deadLetters, 'num'],
        [s.lastError ? time(s.lastErrorAt) + ' ' + s.lastError : '–', s.lastError ? 'error' : '']]);
      document.getElementById('dead-letters').textContent = deadLetters.count;
      await refreshBackfills(sinks);
    } catch (e) { /* shown as stale until the next poll */ }
  }

  function day(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }

  // The latest backfills of every enabled sink, newest first: running ones show their progress.
  async function refreshBackfills(sinks) {
    const lists = await Promise.all(sinks.map(s => getJson('api/sinks/' + encodeURIComponent(s.name) + '/backfills?limit=5')));
    const backfills = lists.flat().sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 10);
    fillTable('#backfills', '#no-backfills', backfills, b => [[b.sink + (b.mode === 'bulk' ? ' (bulk)' : '')],
      [day(b.from) + ' – ' + day(b.to)], [b.state, b.state === 'finished' ? '' : 'running'], [b.queued, 'num'],
      [b.delivered, 'num'], [b.dead, 'num' + (b.dead > 0 ? ' error' : '')], [time(b.startedAt)], [time(b.finishedAt)]]);
  }

  function connect() {
    const badge = document.getElementById('connection');
    const feed = new EventSource('api/groups/stream');
    feed.addEventListener('open', () => { badge.textContent = 'live'; badge.className = 'badge live'; });
    feed.addEventListener('error', () => { badge.textContent = 'reconnecting…'; badge.className = 'badge down'; });
    feed.addEventListener('group', event => {
      const group = JSON.parse(event.data);
      const isNew = !groups.has(group.groupId);
      groups.set(group.groupId, group);
      renderGroup(group);
      if (isNew) refreshHistories();
    });
  }

  connect();
  poll();
  setInterval(poll, POLL_MS);
  setInterval(refreshHistories, HISTORY_REFRESH_MS);
})();
