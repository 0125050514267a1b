// The live dashboard: groups from the server-sent event feed, their history and the rest polled.
// One page, three views: the dashboard, the wallboard (?view=wallboard) and a case (#case/<caseId>).
(function () {
  'use strict';

  const HISTORY_REFRESH_MS = 10000;
  const POLL_MS = 3000;
  const TICK_MS = 1000;
  const STATUS_TEXT = {ok: 'OK', warning: 'Warning', alert: 'Alert'};
  const STATUS_ICON = {ok: '✓', warning: '▲', alert: '■'};

  /** groupId -> {group, card, longest: {value, at}} */
  const groups = new Map();
  /** groupId -> samples of /api/groups/{id}/history */
  const histories = new Map();
  /** server clock minus browser clock (ms), from the responses' Date header */
  let serverOffset = 0;

  const wallboard = new URLSearchParams(location.search).get('view') === 'wallboard';

  // ---- formatting -------------------------------------------------------------------------------

  function present(value) {
    return value !== null && value !== undefined;
  }

  function count(value) {
    return present(value) ? String(value) : '–';
  }

  function duration(ms) {
    if (!present(ms)) return '–';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  // A target as people set it: "60 s", "90 s", "2 min", "2 min 30 s".
  function targetText(ms) {
    const s = Math.round(ms / 1000);
    if (s < 120) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
    return duration(ms);
  }

  // A wait as supervisor tools show it: minutes and seconds, 2:05 (hours too when it comes to that).
  function clock(ms) {
    if (!present(ms)) return '–';
    const s = Math.round(ms / 1000);
    const mmss = Math.floor((s % 3600) / 60) + ':' + String(s % 60).padStart(2, '0');
    return s >= 3600 ? Math.floor(s / 3600) + ':' + mmss.padStart(5, '0') : mmss;
  }

  function percent(ratio) {
    return present(ratio) ? Math.round(ratio * 100) + ' %' : '–';
  }

  function pair(a, b) {
    return present(a) || present(b) ? count(a) + ' / ' + count(b) : '–';
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'}) : '–';
  }

  function dateTime(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }

  function serverNow() {
    return Date.now() + serverOffset;
  }

  // ---- groups -----------------------------------------------------------------------------------

  function field(card, name) {
    return card.querySelector('[data-field="' + name + '"]');
  }

  function setText(card, name, value) {
    const element = field(card, name);
    if (element.textContent !== value) element.textContent = value;
  }

  function createCard(groupId) {
    const card = document.getElementById('group-card').content.firstElementChild.cloneNode(true);
    card.dataset.groupId = groupId;
    const container = document.getElementById('groups');
    container.appendChild(card);
    [...container.children]
      .sort((a, b) => displayName(groups.get(a.dataset.groupId)).localeCompare(displayName(groups.get(b.dataset.groupId))))
      .forEach(c => container.appendChild(c));
    return card;
  }

  function displayName(entry) {
    return entry && entry.group ? (entry.group.name || entry.group.groupId) : '';
  }

  // The longest wait counts on from when VEP reported it (longestWaitingTimeAt, VEP's eventTime); an update of
  // the other figures does not restart it. Without that time (an older connector) it counts from updatedAt.
  function anchorLongest(entry, group) {
    const value = group.longestWaitingTime;
    const reportedAt = group.longestWaitingTimeAt || null;
    if (entry.longest && entry.longest.value === value && entry.longest.reportedAt === reportedAt) return;
    const at = reportedAt ? Date.parse(reportedAt) : group.updatedAt ? Date.parse(group.updatedAt) : serverNow();
    entry.longest = {value: value, reportedAt: reportedAt, at: Math.min(at, serverNow())};
  }

  function currentLongest(entry) {
    const group = entry.group;
    if (!present(group.longestWaitingTime)) return null;
    if (group.numberOfVisitorsInQueue === 0) return 0;
    return entry.longest.value + Math.max(0, serverNow() - entry.longest.at);
  }

  function onGroup(group) {
    const known = groups.get(group.groupId);
    const entry = known || {group: group};
    entry.group = group;
    anchorLongest(entry, group);
    if (!known) {
      groups.set(group.groupId, entry);
      entry.card = createCard(group.groupId);
      refreshHistory(group.groupId);
      scheduleWallboardFit();
    }
    renderGroup(entry);
    renderTotals();
    showServiceLevelTarget(group.serviceLevelTarget);
    document.getElementById('no-groups').hidden = groups.size > 0;
  }

  // "answered within 60 s" where the page would otherwise say "within the target".
  function showServiceLevelTarget(ms) {
    if (!present(ms)) return;
    const target = targetText(ms);
    document.querySelectorAll('[data-service-level-target]').forEach(e => { if (e.textContent !== target) e.textContent = target; });
    document.querySelectorAll('[data-title-template]').forEach(e => {
      const title = e.dataset.titleTemplate.replace('{target}', target);
      if (e.title !== title) e.title = title;
    });
  }

  function renderGroup(entry) {
    const group = entry.group;
    const card = entry.card;
    const today = group.today || {};
    const lastHour = group.lastHour || {};
    const status = STATUS_TEXT[group.status] ? group.status : 'unknown';
    card.className = 'card status-' + status;
    setText(card, 'name', group.name || group.groupId);
    field(card, 'status').querySelector('.status-icon').textContent = STATUS_ICON[status] || '·';
    setText(card, 'statusText', STATUS_TEXT[status] || 'No status');
    const reasons = field(card, 'statusReasons');
    const reasonTexts = group.statusReasons || [];
    if (reasons.textContent !== reasonTexts.join('')) {
      if (reasons.children.length !== reasonTexts.length) scheduleWallboardFit();
      reasons.replaceChildren(...reasonTexts.map(reason => {
        const li = document.createElement('li');
        li.textContent = reason;
        return li;
      }));
    }
    setText(card, 'numberOfVisitorsInQueue', count(group.numberOfVisitorsInQueue));
    setText(card, 'numberOfAvailableAgents', count(group.numberOfAvailableAgents));
    setText(card, 'numberOfVisitorsInConversation', count(group.numberOfVisitorsInConversation));
    setText(card, 'averageWaitingTime', duration(group.averageWaitingTime));
    setText(card, 'longestWaitingTime', clock(currentLongest(entry)));
    setText(card, 'serviceLevel', percent(today.serviceLevel) + answeredNote(today));
    setText(card, 'serviceLevelLastHour', percent(lastHour.serviceLevel));
    setText(card, 'averageSpeedOfAnswer', duration(today.averageSpeedOfAnswer));
    setText(card, 'answeredHandled', pair(today.answered, today.handled));
    setText(card, 'averageHandleTime', duration(today.averageHandleTime));
    setText(card, 'transfers', pair(today.transfersIn, today.transfersOut));
    setText(card, 'outcomes', outcomes(today.outcomes));
    setText(card, 'updatedAt', time(group.updatedAt));
    drawHistory(group.groupId);
  }

  function outcomes(o) {
    if (!o) return '–';
    const shown = [['positive', '+'], ['negative', '−'], ['neutral', 'neutral '], ['unresolved', 'open ']]
      .filter(([name]) => o[name] > 0).map(([name, sign]) => sign + o[name]);
    return shown.length ? shown.join('  ') : 'none yet';
  }

  function answeredNote(window) {
    return present(window.answeredWithinTarget) && present(window.answered) && window.answered > 0
      ? ' (' + window.answeredWithinTarget + ' of ' + window.answered + ')' : '';
  }

  function tick() {
    for (const entry of groups.values()) {
      setText(entry.card, 'longestWaitingTime', clock(currentLongest(entry)));
    }
    renderTotals();
    document.getElementById('clock').textContent = new Date().toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
  }

  function sum(values) {
    const known = values.filter(present);
    return known.length ? known.reduce((a, b) => a + b, 0) : null;
  }

  function renderTotals() {
    const entries = [...groups.values()];
    const all = entries.map(e => e.group);
    const today = all.map(g => g.today || {});
    const answered = sum(today.map(t => t.answered));
    const within = sum(today.map(t => t.answeredWithinTarget));
    const longest = entries.map(currentLongest).filter(present);
    const statuses = all.map(g => g.status).filter(present);
    const values = {
      waiting: count(sum(all.map(g => g.numberOfVisitorsInQueue))),
      longest: longest.length ? clock(Math.max(...longest)) : '–',
      inConversation: count(sum(all.map(g => g.numberOfVisitorsInConversation))),
      available: count(sum(all.map(g => g.numberOfAvailableAgents))),
      serviceLevel: answered ? percent(within / answered) : '–',
      answered: count(answered),
      handled: count(sum(today.map(t => t.handled))),
      statuses: statuses.length ? statuses.filter(s => s === 'alert').length + ' / ' + statuses.filter(s => s === 'warning').length : '–'
    };
    for (const [name, value] of Object.entries(values)) {
      const dd = document.querySelector('[data-total="' + name + '"]');
      if (dd.textContent !== value) dd.textContent = value;
    }
    const totals = document.getElementById('totals');
    totals.classList.toggle('any-alert', statuses.includes('alert'));
  }

  // ---- the wallboard on one screen ------------------------------------------------------------

  const WALL_FIT_LEVELS = ['', 'wall-fit-1', 'wall-fit-2', 'wall-fit-3'];
  let wallboardFitPending = false;

  function scheduleWallboardFit() {
    if (!wallboard || wallboardFitPending) return;
    wallboardFitPending = true;
    requestAnimationFrame(() => { wallboardFitPending = false; fitWallboard(); });
  }

  function wallboardOverflows() {
    if (document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth) return true;
    return [...document.querySelectorAll('#groups .card')].some(card => card.scrollHeight > card.clientHeight + 1);
  }

  // Up to four queues side by side as they are; more in a grid of about the screen's shape. Then the
  // first level, from none up, at which every card fits on the screen (all changes within one frame: no flicker).
  function fitWallboard() {
    const container = document.getElementById('groups');
    const many = groups.size > 4;
    container.classList.toggle('many', many);
    container.style.setProperty('--wall-columns', String(Math.ceil(Math.sqrt(groups.size * 4 / 3))));
    if (document.getElementById('dashboard').hidden) return;
    const before = document.body.className;
    let chosen = WALL_FIT_LEVELS.length - 1;
    for (let level = 0; level < WALL_FIT_LEVELS.length; level++) {
      setWallFitLevel(level);
      if (!wallboardOverflows()) {
        chosen = level;
        break;
      }
    }
    setWallFitLevel(chosen);
    if (document.body.className !== before) groups.forEach((_, id) => drawHistory(id));
  }

  // Each level adds to those below it.
  function setWallFitLevel(level) {
    WALL_FIT_LEVELS.forEach((name, i) => { if (name) document.body.classList.toggle(name, i <= level); });
  }

  // ---- history chart ----------------------------------------------------------------------------

  async function refreshHistory(groupId) {
    try {
      histories.set(groupId, await getJson('api/groups/' + encodeURIComponent(groupId) + '/history'));
      drawHistory(groupId);
    } catch (e) { /* the next refresh tries again */ }
  }

  function refreshHistories() {
    for (const groupId of groups.keys()) refreshHistory(groupId);
  }

  function series(samples, name) {
    return samples.filter(s => present(s[name])).map(s => ({t: Date.parse(s.at), v: s[name]}));
  }

  // Redrawn from the kept samples whenever the card changes or its size does; the canvas element itself stays.
  function drawHistory(groupId) {
    const entry = groups.get(groupId);
    if (!entry) return;
    const canvas = field(entry.card, 'history');
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, width, height);
    const samples = histories.get(groupId) || [];
    const waiting = series(samples, 'numberOfVisitorsInQueue');
    const agents = series(samples, 'numberOfAvailableAgents');
    if (waiting.length + agents.length === 0) {
      setText(entry.card, 'historySpan', '(no samples yet)');
      return;
    }
    const times = waiting.concat(agents).map(p => p.t);
    const start = Math.min(...times);
    const end = Math.max(...times, start + 1);
    const max = Math.max(1, ...waiting.map(p => p.v), ...agents.map(p => p.v));
    const pad = 3 * ratio;
    const x = t => pad + (t - start) * (width - 2 * pad) / (end - start);
    const y = v => height - pad - v * (height - 2 * pad) / max;

    ctx.strokeStyle = '#d5dbe3';
    ctx.lineWidth = ratio;
    ctx.beginPath();
    ctx.moveTo(0, y(0) + 0.5);
    ctx.lineTo(width, y(0) + 0.5);
    ctx.stroke();

    if (waiting.length) {
      ctx.beginPath();
      ctx.moveTo(x(waiting[0].t), y(0));
      waiting.forEach(p => ctx.lineTo(x(p.t), y(p.v)));
      ctx.lineTo(x(waiting[waiting.length - 1].t), y(0));
      ctx.closePath();
      ctx.fillStyle = 'rgba(31, 95, 173, 0.18)';
      ctx.fill();
      stroke(ctx, waiting, x, y, '#1f5fad', 2 * ratio, []);
    }
    stroke(ctx, agents, x, y, '#7a4d00', 1.5 * ratio, [4 * ratio, 3 * ratio]);

    ctx.fillStyle = '#4a5563';
    ctx.font = Math.round(parseFloat(getComputedStyle(canvas).fontSize) * 0.8 * ratio) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillText(String(max), pad, pad);
    const minutes = Math.round((end - start) / 60000);
    setText(entry.card, 'historySpan', minutes >= 1 ? '· last ' + minutes + ' min' : '· last minute');
  }

  function stroke(ctx, points, x, y, colour, lineWidth, dash) {
    if (!points.length) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.setLineDash(dash);
    ctx.beginPath();
    if (points.length === 1) {
      ctx.moveTo(x(points[0].t) - 3, y(points[0].v));
      ctx.lineTo(x(points[0].t) + 3, y(points[0].v));
    }
    points.forEach((p, i) => i === 0 ? ctx.moveTo(x(p.t), y(p.v)) : ctx.lineTo(x(p.t), y(p.v)));
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // ---- polled panels ----------------------------------------------------------------------------

  async function getJson(path, acceptError) {
    const sent = Date.now();
    const response = await fetch(path, {headers: {Accept: 'application/json'}});
    const date = response.headers.get('Date');
    if (date) serverOffset = Date.parse(date) + 500 - (sent + Date.now()) / 2;
    if (!response.ok && !acceptError) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  // Rows of a list table; each cell carries its column's heading so a narrow screen can show it as a label.
  function fillTable(selector, emptySelector, rows, toCells) {
    const table = document.querySelector(selector);
    const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent);
    table.querySelector('tbody').replaceChildren(...rows.map(item => {
      const tr = document.createElement('tr');
      toCells(item).forEach(([value, cls], i) => {
        const td = document.createElement('td');
        if (value instanceof Node) td.appendChild(value); else td.textContent = value;
        if (cls) td.className = cls;
        td.dataset.label = headings[i] || '';
        tr.appendChild(td);
      });
      return tr;
    }));
    document.querySelector(emptySelector).hidden = rows.length > 0;
  }

  function caseLink(caseId) {
    const a = document.createElement('a');
    a.href = '#case/' + encodeURIComponent(caseId);
    a.textContent = caseId.length > 13 ? caseId.slice(0, 8) + '…' : caseId;
    a.title = 'Open case ' + caseId;
    return a;
  }

  // A case's latest revision only, by when it closed, latest first.
  function latestClosed(records) {
    const byCase = new Map();
    for (const r of records) {
      const known = byCase.get(r.caseId);
      if (!known || known.revision < r.revision) byCase.set(r.caseId, r);
    }
    return [...byCase.values()].sort((a, b) => (b.closedAt || '').localeCompare(a.closedAt || '')).slice(0, 15);
  }

  function setSystem(name, text, state, detail) {
    const item = document.querySelector('[data-system="' + name + '"]');
    item.className = 'state-' + state;
    item.querySelector('strong').textContent = text;
    if (detail) item.title = detail; else item.removeAttribute('title');
  }

  // The broker connection and the data disk, from /api/status (the actuator may be on a port of its own).
  async function pollStatus() {
    try {
      const status = await getJson('api/status');
      const broker = status.broker;
      const state = broker.state ? broker.state.toLowerCase().replace(/_/g, ' ') : '';
      setSystem('broker', broker.connected ? (broker.paused ? 'connected, paused' : 'connected') : 'down' + (state ? ' (' + state + ')' : ''),
        broker.connected ? (broker.paused ? 'warning' : 'ok') : 'alert', broker.problem || broker.paused);
      const disk = status.dataDisk;
      const free = disk.free ? disk.free + ' free' : 'not read yet';
      setSystem('dataDisk', disk.state === 'STOPPED' ? 'full, ' + free + ', taking no messages' : disk.low ? 'low, ' + free : free,
        disk.state === 'STOPPED' ? 'alert' : disk.low ? 'warning' : 'ok', disk.problem);
    } catch (e) {
      setSystem('broker', 'unknown', 'unknown');
      setSystem('dataDisk', 'unknown', 'unknown');
    }
  }

  async function poll() {
    pollStatus();
    try {
      const [cases, sinks, deadLetters] = await Promise.all([
        getJson('api/cases?limit=40'), getJson('api/sinks'), getJson('api/dead-letters/count')]);
      fillTable('#cases', '#no-cases', latestClosed(cases), c => [[time(c.closedAt)], [count(c.caseType)],
        [count(c.outcome), 'outcome outcome-' + (c.outcome || 'none')], [caseLink(c.caseId)]]);
      fillTable('#sinks', '#no-sinks', sinks, s => [[s.name], [s.delivered, 'num'], [s.pending, 'num'],
        [s.deadLetters, 'num' + (s.deadLetters > 0 ? ' error' : '')],
        [s.lastError ? time(s.lastErrorAt) + ' ' + s.lastError : '–', s.lastError ? 'error' : '']]);
      renderSinkSummary(sinks);
      document.getElementById('dead-letters').textContent = deadLetters.count;
      document.querySelector('[data-system="deadLetters"]').className = 'state-' + (deadLetters.count > 0 ? 'warning' : 'ok');
      if (!wallboard) await refreshBackfills(sinks);
    } catch (e) { /* shown as it was until the next poll */ }
  }

  function renderSinkSummary(sinks) {
    if (!sinks.length) {
      setSystem('sinks', 'none enabled', 'unknown');
      return;
    }
    const dead = sinks.reduce((a, s) => a + (s.deadLetters || 0), 0);
    const pending = sinks.reduce((a, s) => a + (s.pending || 0), 0);
    const failing = sinks.filter(s => s.lastError).length;
    const text = sinks.map(s => s.name).join(', ') + ' · ' + pending + ' pending' + (dead ? ' · ' + dead + ' dead' : '');
    setSystem('sinks', text, dead > 0 ? 'alert' : failing > 0 ? 'warning' : 'ok');
  }

  // The latest backfills of every enabled sink, newest first: running ones show their progress.
  async function refreshBackfills(sinks) {
    const lists = await Promise.all(sinks.map(s => getJson('api/sinks/' + encodeURIComponent(s.name) + '/backfills?limit=5')));
    const backfills = lists.flat().sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 10);
    fillTable('#backfills', '#no-backfills', backfills, b => [[b.sink + (b.mode === 'bulk' ? ' (bulk)' : '')],
      [dateTime(b.from) + ' – ' + dateTime(b.to)], [b.state, b.state === 'finished' ? '' : 'running'], [b.queued, 'num'],
      [b.delivered, 'num'], [b.dead, 'num' + (b.dead > 0 ? ' error' : '')], [time(b.startedAt)], [time(b.finishedAt)]]);
  }

  // ---- a case -----------------------------------------------------------------------------------

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => { if (present(v)) node.setAttribute(k, v); });
    children.flat().filter(present).forEach(c => node.append(c instanceof Node ? c : String(c)));
    return node;
  }

  function entityName(ref) {
    return ref ? ref.name || ref.id || '–' : '–';
  }

  function agentNames(record) {
    const names = new Map();
    for (const a of record.assignments || []) {
      if (a.agent && a.agent.id && a.agent.name) names.set(a.agent.id, a.agent.name);
    }
    for (const t of record.transfers || []) {
      if (t.fromAgent && t.fromAgent.id && t.fromAgent.name) names.set(t.fromAgent.id, t.fromAgent.name);
    }
    return names;
  }

  function speaker(message, names) {
    const party = message.speaker || {};
    if (party.visitorId) return {name: 'Visitor', kind: 'visitor'};
    const agent = party.agentId;
    const id = agent && typeof agent === 'object' ? agent.id : agent;
    if (!id) return {name: 'System', kind: 'system'};
    return {name: names.get(id) || 'Agent (name not known)', kind: 'agent'};
  }

  function messageBody(m) {
    switch (m.messageType) {
      case 'chat': return [m.message || ''];
      case 'note': return [element('span', {class: 'tag'}, 'Note, not shown to the visitor'), ' ', m.message || ''];
      case 'navigation': return [element('span', {class: 'tag'}, 'Co-browsing to'), ' ', m.url || ''];
      case 'link': return [element('span', {class: 'tag'}, 'Link sent'), ' ', m.title || '', m.url ? ' (' + m.url + ')' : ''];
      case 'video': return [element('span', {class: 'tag'}, m.activity === 'stop' ? 'Video ended' : 'Video started')];
      case 'title': return [element('span', {class: 'tag'}, 'Conversation title'), ' ', m.message || ''];
      default: return [element('span', {class: 'tag'}, m.messageType || 'message'), m.message ? ' ' + m.message : ''];
    }
  }

  function renderCase(record) {
    const names = agentNames(record);
    const facts = [
      ['Case type', entityName(record.caseType)], ['Outcome', count(record.outcome)], ['Closure', count(record.closure)],
      ['Created', dateTime(record.createdAt)], ['Closed', dateTime(record.closedAt)], ['Handle time', duration(record.handleTimeMs)],
      ['Opportunity', entityName(record.opportunity)], ['Solution', entityName(record.solution)], ['Revision', count(record.revision)]];
    const assignments = (record.assignments || []).map(a => element('li', null,
      element('strong', null, entityName(a.agent)), ' in ', entityName(a.group), ' · ', time(a.openedAt), ' – ',
      a.endedAt ? time(a.endedAt) : 'open', a.endReason ? ' (' + a.endReason + ')' : ''));
    const messages = ((record.transcript && record.transcript.messages) || []).slice()
      .sort((a, b) => (a.eventTime || '').localeCompare(b.eventTime || ''));
    const transcript = messages.map(m => {
      const who = speaker(m, names);
      return element('li', {class: 'message from-' + who.kind + ' type-' + (m.messageType || 'other')},
        element('div', {class: 'meta'}, element('span', {class: 'speaker'}, who.name), ' ', element('time', {datetime: m.eventTime}, time(m.eventTime))),
        element('div', {class: 'text'}, messageBody(m)));
    });
    const profile = Object.entries(record.visitorProfile || {});
    document.getElementById('case-content').replaceChildren(...[
      element('h2', null, 'Case ', element('code', null, record.caseId)),
      element('dl', {class: 'facts'}, facts.map(([k, v]) => element('div', null, element('dt', null, k), element('dd', null, v)))),
      element('h3', null, 'Agents'),
      assignments.length ? element('ol', {class: 'assignments'}, assignments) : element('p', {class: 'empty'}, 'Never opened by an agent.'),
      element('h3', null, 'Transcript'),
      record.transcriptMissing ? element('p', {class: 'empty'}, 'VEP sent no transcript in time; a later one makes a new revision.') : null,
      transcript.length ? element('ol', {class: 'transcript'}, transcript) : element('p', {class: 'empty'}, 'No messages.'),
      profile.length ? element('details', {class: 'profile'}, element('summary', null, 'Visitor profile (' + profile.length + ' fields)'),
        element('dl', {class: 'facts'}, profile.map(([k, v]) => element('div', null, element('dt', null, k), element('dd', null, String(v)))))) : null,
      element('p', null, element('a', {href: 'api/cases/' + encodeURIComponent(record.caseId)}, 'The record as JSON'))].filter(present));
  }

  async function showRoute() {
    const match = location.hash.match(/^#case\/(.+)$/);
    document.getElementById('dashboard').hidden = !!match;
    document.getElementById('case-view').hidden = !match;
    if (!match) {
      document.title = 'Queues · vep-connector';
      scheduleWallboardFit();
      groups.forEach((_, id) => drawHistory(id));
      return;
    }
    const caseId = decodeURIComponent(match[1]);
    document.title = 'Case ' + caseId + ' · vep-connector';
    const content = document.getElementById('case-content');
    content.replaceChildren(element('p', {class: 'empty'}, 'Loading case ' + caseId + '…'));
    window.scrollTo(0, 0);
    try {
      renderCase(await getJson('api/cases/' + encodeURIComponent(caseId)));
    } catch (e) {
      content.replaceChildren(element('p', {class: 'empty'}, 'No record of case ' + caseId + ' (' + e.message + ').'));
    }
  }

  // ---- start ------------------------------------------------------------------------------------

  function connect() {
    const badge = document.getElementById('connection');
    const feed = new EventSource('api/groups/stream');
    feed.addEventListener('open', () => { badge.textContent = 'live'; badge.className = 'badge live'; });
    feed.addEventListener('error', () => { badge.textContent = 'reconnecting…'; badge.className = 'badge down'; });
    feed.addEventListener('group', event => onGroup(JSON.parse(event.data)));
  }

  document.body.classList.toggle('wallboard', wallboard);
  // Back from a case opened here returns to the page as it was (scroll position); opened from a link, to the queues.
  let caseOpenedHere = false;
  window.addEventListener('hashchange', event => {
    caseOpenedHere = /#case\//.test(location.hash) && !/#case\//.test(new URL(event.oldURL).hash);
  });
  document.getElementById('back').addEventListener('click', event => {
    if (caseOpenedHere) {
      event.preventDefault();
      history.back();
    }
  });
  document.getElementById('cases').addEventListener('click', event => {
    const row = event.target.closest('tbody tr');
    const link = row && row.querySelector('a[href^="#case/"]');
    if (link && event.target.tagName !== 'A') location.hash = link.getAttribute('href');
  });
  window.addEventListener('hashchange', showRoute);
  window.addEventListener('resize', () => {
    scheduleWallboardFit();
    groups.forEach((_, id) => drawHistory(id));
  });
  connect();
  showRoute();
  poll();
  tick();
  setInterval(poll, POLL_MS);
  setInterval(tick, TICK_MS);
  setInterval(refreshHistories, HISTORY_REFRESH_MS);
})();
