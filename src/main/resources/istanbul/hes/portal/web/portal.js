'use strict';
/*
 * The personalization portal: sign-in with the identity provider (authorization code with PKCE),
 * personalization, and the HES code operations of the person's cards, over the citizen API of the
 * same origin. The token lives in this script's memory only: no cookie, no storage; a reload asks
 * the identity provider again. Nothing personal goes into a URL (the forms never submit
 * themselves; the Content-Security-Policy forbids it too).
 */
(function () {
  const SIGN_IN_KEY = 'portal.signIn';
  const VIEWS = ['personalize', 'profile'];
  const messages = window.PORTAL_MESSAGES;
  const state = { settings: null, token: null, lang: initialLanguage(), identity: 'tckn', challenge: null, cards: [] };

  const $ = (id) => document.getElementById(id);

  // ---- texts ---------------------------------------------------------------------------------

  function initialLanguage() {
    const asked = (navigator.languages || [navigator.language || 'tr']).map((l) => String(l).toLowerCase());
    return asked.some((l) => l.startsWith('tr')) ? 'tr' : 'en';
  }

  function t(key, values) {
    const text = messages[state.lang][key] ?? messages.tr[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (values && name in values ? String(values[name]) : whole));
  }

  function helplineValues() {
    const lines = state.settings ? state.settings.helplines : { individual: '153', corporate: '444 2 161' };
    return { individual: lines.individual, corporate: lines.corporate };
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach((element) => { element.textContent = t(element.dataset.i18n); });
    document.querySelectorAll('[data-i18n-label]').forEach((element) => element.setAttribute('aria-label', t(element.dataset.i18nLabel)));
    document.querySelectorAll('[data-lang]').forEach((button) => button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang)));
    document.title = t('brand');
    $('helplines').textContent = t('helplines', helplineValues());
    renderConsents();
    renderNationalities();
    renderCards();
    // Answers already shown are said again in the new language.
    document.querySelectorAll('.result[data-shown]').forEach((area) => showAgain(area));
  }

  function formatDate(isoDay) {
    const [year, month, day] = isoDay.split('-').map(Number);
    return new Intl.DateTimeFormat(state.lang === 'tr' ? 'tr-TR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(year, month - 1, day)));
  }

  function formatTime(instant) {
    return new Intl.DateTimeFormat(state.lang === 'tr' ? 'tr-TR' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Istanbul' })
      .format(new Date(instant));
  }

  function formatCard(card) {
    return String(card).replace(/(\d{4})(?=\d)/g, '$1 ');
  }

  // ---- answers on the page --------------------------------------------------------------------

  /* An answer in a result area, kept as a description so that a language switch can say it again. */
  function show(area, answer) {
    area.dataset.shown = JSON.stringify(answer);
    showAgain(area);
    area.focus();
  }

  function showAgain(area) {
    const answer = JSON.parse(area.dataset.shown);
    area.replaceChildren();
    area.className = 'result ' + (answer.problem ? 'problem' : 'success');
    area.setAttribute('role', answer.problem ? 'alert' : 'status');
    if (answer.problem) {
      area.dataset.code = answer.problem;
      if (answer.lead) {
        paragraph(area, t(answer.lead.key, answer.lead.values));
      }
      const [what, todo] = messages[state.lang].problems[answer.problem] || messages[state.lang].problems.GENERIC;
      const title = paragraph(area, '');
      const strong = document.createElement('strong');
      strong.textContent = what;
      title.append(strong);
      paragraph(area, todo + (answer.retryAfter ? ' ' + t('problem.retry', { seconds: answer.retryAfter }) : ''));
      paragraph(area, t('problem.helplines', helplineValues())).className = 'helplines';
    } else {
      delete area.dataset.code;
      answer.lines.forEach((line) => paragraph(area, t(line.key, line.values)));
    }
  }

  function clear(area) {
    delete area.dataset.shown;
    delete area.dataset.code;
    area.replaceChildren();
    area.className = 'result';
  }

  function paragraph(parent, text) {
    const p = document.createElement('p');
    p.textContent = text;
    parent.append(p);
    return p;
  }

  function notice(key, values) {
    const box = $('notice');
    box.textContent = t(key, values);
    box.hidden = false;
  }

  // ---- the API --------------------------------------------------------------------------------

  class Problem extends Error {
    constructor(code, retryAfter) {
      super(code);
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: Object.assign({ Authorization: 'Bearer ' + state.token, Accept: 'application/json' },
          body ? { 'Content-Type': 'application/json' } : {}),
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
        cache: 'no-store'
      });
    } catch (e) {
      throw new Problem('NETWORK');
    }
    const json = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401) {
      signedOut('signin.ended');
      throw new Problem('UNAUTHORIZED');
    }
    if (!response.ok) {
      throw new Problem(json && json.code ? json.code : 'GENERIC', response.headers.get('Retry-After'));
    }
    return { status: response.status, json };
  }

  function problemOf(error) {
    if (error instanceof Problem) {
      return { problem: error.code, retryAfter: error.retryAfter };
    }
    return { problem: 'GENERIC' };
  }

  async function busy(button, work) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      return await work();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  // ---- sign-in (OAuth 2.0 authorization code with PKCE) ---------------------------------------

  function randomText(bytes) {
    const random = crypto.getRandomValues(new Uint8Array(bytes));
    return base64Url(random);
  }

  function base64Url(bytes) {
    let binary = '';
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function redirectUri() {
    return location.origin + location.pathname;
  }

  async function signIn() {
    const verifier = randomText(48);
    const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    const signInState = randomText(24);
    // Only what survives the trip to the identity provider: the PKCE verifier and the view, never a token.
    sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify({ verifier, state: signInState, view: currentView(), lang: state.lang }));
    const provider = state.settings.identityProvider;
    const query = new URLSearchParams({ response_type: 'code', client_id: provider.clientId, redirect_uri: redirectUri(),
      state: signInState, code_challenge: challenge, code_challenge_method: 'S256' });
    location.assign(provider.authorizationUrl + '?' + query.toString());
  }

  /* Back from the identity provider: the code for a token, and the code out of the address bar. */
  async function finishSignIn() {
    const query = new URLSearchParams(location.search);
    if (!query.has('code') && !query.has('error')) {
      return;
    }
    const pending = JSON.parse(sessionStorage.getItem(SIGN_IN_KEY) || 'null');
    sessionStorage.removeItem(SIGN_IN_KEY);
    history.replaceState(null, '', location.pathname + '#' + (pending && VIEWS.includes(pending.view) ? pending.view : 'personalize'));
    if (pending && pending.lang in messages && pending.lang !== state.lang) {
      state.lang = pending.lang;
    }
    if (!pending || query.get('state') !== pending.state || !query.get('code')) {
      notice('signin.failed');
      return;
    }
    const provider = state.settings.identityProvider;
    try {
      const response = await fetch(provider.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
          client_id: provider.clientId, code_verifier: pending.verifier }),
        credentials: 'omit',
        cache: 'no-store'
      });
      const json = await response.json();
      if (!response.ok || typeof json.access_token !== 'string') {
        throw new Error('token refused');
      }
      state.token = json.access_token;
    } catch (e) {
      notice('signin.failed');
    }
  }

  function signedOut(key) {
    state.token = null;
    state.cards = [];
    notice(key);
    route();
  }

  // ---- views ----------------------------------------------------------------------------------

  function currentView() {
    const view = location.hash.replace('#', '');
    return VIEWS.includes(view) ? view : 'personalize';
  }

  function route() {
    const view = currentView();
    const signedIn = state.token !== null;
    $('signin').hidden = signedIn;
    $('sign-out').hidden = !signedIn;
    VIEWS.forEach((name) => {
      $(name).hidden = !signedIn || name !== view;
      const link = $('nav-' + name);
      if (name === view) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    });
    if (signedIn && view === 'profile') {
      loadCards();
    }
  }

  // ---- personalization ------------------------------------------------------------------------

  function selectIdentity(kind, focus) {
    state.identity = kind;
    [['tckn', 'tab-tckn', 'identity-tckn'], ['passport', 'tab-passport', 'identity-passport']].forEach(([name, tab, panel]) => {
      const selected = name === kind;
      $(tab).setAttribute('aria-selected', String(selected));
      $(tab).tabIndex = selected ? 0 : -1;
      $(panel).hidden = !selected;
      $(panel).querySelectorAll('input, select').forEach((field) => { field.required = selected; });
    });
    if (focus) {
      $(kind === 'tckn' ? 'tab-tckn' : 'tab-passport').focus();
    }
  }

  function onTabKey(event) {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      const next = event.key === 'Home' ? 'tckn' : event.key === 'End' ? 'passport' : state.identity === 'tckn' ? 'passport' : 'tckn';
      selectIdentity(next, true);
    }
  }

  function renderNationalities() {
    const select = $('nationality');
    if (!state.settings) {
      return;
    }
    const chosen = select.value;
    const names = new Intl.DisplayNames([state.lang], { type: 'region' });
    const options = state.settings.nationalities
      .map((country) => ({ code: country.code, name: names.of(country.region) || country.code }))
      .sort((a, b) => a.name.localeCompare(b.name, state.lang));
    const first = new Option(t('nationality.choose'), '');
    select.replaceChildren(first, ...options.map((country) => new Option(country.name + ' (' + country.code + ')', country.code)));
    select.value = chosen;
  }

  function renderConsents() {
    if (!state.settings) {
      return;
    }
    const versions = state.settings.consents;
    let missing = null;
    [['kvkkNotice', 'kvkk'], ['hesDataSharing', 'hes']].forEach(([kind, id]) => {
      const version = versions[kind];
      const texts = messages.consents[version];
      $(id + '-text').textContent = texts ? texts[kind][state.lang] : '';
      $(id + '-version').textContent = t('consents.version', { version });
      if (!texts) {
        missing = version;
      }
    });
    $('save').disabled = missing !== null;
    if (missing !== null) {
      show($('personalize-result'), { problem: 'GENERIC', lead: { key: 'consents.missing', values: { version: missing } } });
    }
  }

  function identityBody() {
    return state.identity === 'tckn'
      ? { tckn: $('tckn').value.trim() }
      : { passportNumber: $('passport').value.trim(), nationality: $('nationality').value };
  }

  async function sendCode() {
    const area = $('personalize-result');
    clear(area);
    try {
      const answer = await busy($('send-code'), () => api('POST', '/v1/challenges', { phone: $('phone').value.trim() }));
      state.challenge = { id: answer.json.challengeId, phone: $('phone').value.trim() };
      $('code-sent').textContent = t('verification.sent', { time: formatTime(answer.json.expiresAt) });
      $('verification-code').focus();
    } catch (error) {
      markField(error);
      show(area, problemOf(error));
    }
  }

  async function save(event) {
    event.preventDefault();
    const area = $('personalize-result');
    clear(area);
    clearMarks();
    if (!state.challenge) {
      show(area, { problem: 'CHALLENGE_FAILED', lead: { key: 'verification.first' } });
      return;
    }
    const card = $('card').value.replace(/[\s-]/g, '');
    const body = Object.assign(identityBody(), {
      firstName: $('first-name').value.trim(),
      lastName: $('last-name').value.trim(),
      birthYear: /^\d{1,4}$/.test($('birth-year').value.trim()) ? Number($('birth-year').value.trim()) : $('birth-year').value.trim(),
      phone: state.challenge.phone,
      consents: { kvkkNotice: $('consent-kvkk').checked, hesDataSharing: $('consent-hes').checked },
      challengeId: state.challenge.id,
      challengeCode: $('verification-code').value.trim()
    });
    const hesCode = $('hes-code').value.trim();
    await busy($('save'), async () => {
      let personalized;
      try {
        personalized = await api('PUT', '/v1/cards/' + encodeURIComponent(card) + '/owner', body);
      } catch (error) {
        markField(error);
        show(area, problemOf(error));
        return;
      }
      // The challenge is used up: another Save needs a new code.
      state.challenge = null;
      $('code-sent').textContent = '';
      $('verification-code').value = '';
      const done = { key: personalized.json.alreadyOwned ? 'saved.alreadyOwned' : 'saved.personalized', values: { card: formatCard(card) } };
      if (!hesCode) {
        show(area, { lines: [done, { key: 'saved.noCode' }] });
        return;
      }
      try {
        const linked = await api('POST', '/v1/cards/' + encodeURIComponent(card) + '/hes-code', { hesCode });
        show(area, { lines: [done, { key: 'saved.linked', values: { hes: linked.json.hesCode } }] });
      } catch (error) {
        show(area, Object.assign(problemOf(error), { lead: { key: 'saved.linkFailed' } }));
      }
    });
  }

  const FIELDS_OF_PROBLEMS = {
    INVALID_CARD: 'card', CARD_NOT_AVAILABLE: 'card', INVALID_TCKN: 'tckn', IDENTITY_MISMATCH: 'tckn', INVALID_PASSPORT: 'passport',
    INVALID_NATIONALITY: 'nationality', INVALID_BIRTH_YEAR: 'birth-year', INVALID_PHONE: 'phone', CHALLENGE_FAILED: 'verification-code',
    INVALID_HES_CODE: 'hes-code'
  };

  function markField(error) {
    const id = error instanceof Problem ? FIELDS_OF_PROBLEMS[error.code] : null;
    if (id === 'tckn' && state.identity === 'passport') {
      $('passport').setAttribute('aria-invalid', 'true');
    } else if (id) {
      $(id).setAttribute('aria-invalid', 'true');
    }
  }

  function clearMarks() {
    document.querySelectorAll('[aria-invalid]').forEach((field) => field.removeAttribute('aria-invalid'));
  }

  // ---- profile: the person's cards and their HES code operations ------------------------------

  async function loadCards() {
    const area = $('profile-result');
    try {
      const answer = await api('GET', '/v1/cards');
      state.cards = answer.json.cards;
      renderCards();
    } catch (error) {
      show(area, problemOf(error));
    }
  }

  function renderCards() {
    const list = $('cards');
    if (!list) {
      return;
    }
    const results = new Map();
    list.querySelectorAll('.card').forEach((item) => results.set(item.dataset.card, item.querySelector('.result')));
    list.replaceChildren();
    $('no-cards').hidden = state.token === null || state.cards.length > 0;
    state.cards.forEach((card) => list.append(cardItem(card, results.get(card.card))));
  }

  function cardItem(card, previousResult) {
    const item = $('card-template').content.firstElementChild.cloneNode(true);
    item.dataset.card = card.card;
    item.querySelector('.card-number').textContent = t('card.title', { card: formatCard(card.card) });
    const described = item.querySelector('.hes-state');
    described.replaceChildren();
    hesStateLines(card).forEach((line) => { const span = document.createElement('span'); span.textContent = line; described.append(span, document.createElement('br')); });
    const input = item.querySelector('.hes-input');
    input.id = 'hes-' + card.card;
    const label = item.querySelector('.hes-label');
    label.htmlFor = input.id;
    label.textContent = t('card.hesLabel');
    const submit = item.querySelector('.hes-submit');
    submit.textContent = t(card.hesCode ? 'card.update' : 'card.link');
    const view = item.querySelector('.hes-view');
    view.textContent = t('card.view');
    view.hidden = !card.hesCode;
    const remove = item.querySelector('.hes-remove');
    remove.textContent = t('card.remove');
    remove.hidden = !card.hesCode;
    const confirm = item.querySelector('.hes-remove-confirm');
    confirm.textContent = t('card.removeConfirm');
    const result = item.querySelector('.result');
    if (previousResult && previousResult.dataset.shown) {
      result.dataset.shown = previousResult.dataset.shown;
      showAgain(result);
    }
    item.querySelector('.hes-form').addEventListener('submit', (event) => {
      event.preventDefault();
      changeCode(card, input, submit, result);
    });
    view.addEventListener('click', () => viewCode(card, view, result));
    remove.addEventListener('click', () => {
      confirm.hidden = false;
      show(result, { lines: [{ key: 'card.removeAsk' }] });
      confirm.focus();
    });
    confirm.addEventListener('click', () => removeCode(card, confirm, result));
    return item;
  }

  function hesStateLines(card) {
    const lines = [];
    if (card.blocked) {
      lines.push(t('card.blocked'));
    }
    const link = card.hesCode;
    if (!link) {
      lines.push(t('card.noCode'));
      return lines;
    }
    lines.push(t('card.code', { hes: link.hesCode }));
    lines.push(t(link.status === 'RISKY' ? 'card.risky' : 'card.riskless'));
    if (!link.expiresOn) {
      lines.push(t('card.noExpiry'));
    } else {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul' }).format(new Date());
      lines.push(t(link.expiresOn <= today ? 'card.expired' : 'card.validUntil', { date: formatDate(link.expiresOn) }));
    }
    return lines;
  }

  async function changeCode(card, input, button, result) {
    clear(result);
    const updating = card.hesCode !== null;
    try {
      const answer = await busy(button, () => api(updating ? 'PUT' : 'POST', '/v1/cards/' + card.card + '/hes-code', { hesCode: input.value.trim() }));
      input.value = '';
      const key = updating ? 'done.updated' : answer.status === 201 ? 'done.linked' : 'done.unchanged';
      await refreshAfter(card, { lines: [{ key, values: { hes: answer.json.hesCode } }] });
    } catch (error) {
      input.setAttribute('aria-invalid', String(error instanceof Problem && /HES/.test(error.code)));
      show(result, problemOf(error));
    }
  }

  async function viewCode(card, button, result) {
    clear(result);
    try {
      const answer = await busy(button, () => api('GET', '/v1/cards/' + card.card + '/hes-code'));
      show(result, { lines: [{ key: 'done.viewed', values: { hes: answer.json.hesCode } }] });
    } catch (error) {
      show(result, problemOf(error));
    }
  }

  async function removeCode(card, button, result) {
    clear(result);
    try {
      await busy(button, () => api('DELETE', '/v1/cards/' + card.card + '/hes-code'));
      await refreshAfter(card, { lines: [{ key: 'done.removed' }] });
    } catch (error) {
      show(result, problemOf(error));
    }
  }

  /* The list again (the card's state as the gateway now has it), with the answer under the card. */
  async function refreshAfter(card, answer) {
    await loadCards();
    const item = $('cards').querySelector('[data-card="' + card.card + '"]');
    if (item) {
      show(item.querySelector('.result'), answer);
    }
  }

  // ---- start ----------------------------------------------------------------------------------

  async function start() {
    document.querySelectorAll('[data-lang]').forEach((button) => button.addEventListener('click', () => {
      state.lang = button.dataset.lang;
      applyLanguage();
    }));
    $('signin-button').addEventListener('click', () => signIn());
    $('sign-out').addEventListener('click', () => signedOut('signin.out'));
    $('tab-tckn').addEventListener('click', () => selectIdentity('tckn', false));
    $('tab-passport').addEventListener('click', () => selectIdentity('passport', false));
    $('tab-tckn').addEventListener('keydown', onTabKey);
    $('tab-passport').addEventListener('keydown', onTabKey);
    $('send-code').addEventListener('click', () => sendCode());
    $('personalize-form').addEventListener('submit', save);
    window.addEventListener('hashchange', route);
    selectIdentity('tckn', false);
    try {
      const response = await fetch('settings.json', { credentials: 'omit', cache: 'no-store' });
      state.settings = await response.json();
    } catch (e) {
      applyLanguage();
      notice('problem.helplines', helplineValues());
      return;
    }
    await finishSignIn();
    applyLanguage();
    route();
    document.body.dataset.ready = 'true';
  }

  start();
}());
