// The viewer: state in the URL, rendering with DOM nodes and textContent only.
// Article text never goes through innerHTML.
import { $, el } from './dom.js';
import { openEngine } from './engine.js';
// The import panel and the store load after the first results: a reader who only searches
// should not wait for them (bench/results/viewer.md measures the boot).
const readCollection = async () => (await import('./store.js')).readCollection();
// Entity pages and the reader's quotes, when first shown.
const entityViews = () => import('./entity-page.js');
import { rangeText, renderTimeline, renderTogether } from './pictures.js';
import { segmentNodes as renderSegments, TYPE_LABEL, TYPE_ORDER } from './segments.js';

const FACET_SHOWN = 8;
const PAGE = 20;
const TYPING_DEBOUNCE_MS = 60;

// ---- state <-> URL -------------------------------------------------------------------

/** { q, e: [entity ids], from, to: a date range ('' for none), a: article id or '', n: the entity whose page is open or '',
 *  s: 'relevance' | 'date', c: 'remote' (an index opened by its address, kept only while the page is open) | '' (the page's
 *  index) | 'imports' (the reader's imports, from this browser's storage) | 'opened' (an
 *  index file the reader opened, kept only while the page is open) } */
function readState() {
  const p = new URLSearchParams(location.search);
  const s = p.get('s') === 'date' ? 'date' : 'relevance';
  const c = ['imports', 'opened', 'remote'].includes(p.get('c')) ? p.get('c') : '';
  const day = (v) => (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v || '') ? v : '');
  return {
    q: p.get('q') || '', e: [...new Set(p.getAll('e'))], a: p.get('a') || '', n: p.get('entity') || '', s, c,
    from: day(p.get('from')), to: day(p.get('to')),
  };
}

function stateUrl(s) {
  const p = new URLSearchParams();
  const index = new URLSearchParams(location.search).get('index');
  if (index) p.set('index', index);
  if (s.c) p.set('c', s.c);
  if (s.q) p.set('q', s.q);
  for (const id of s.e) p.append('e', id);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.s === 'date') p.set('s', 'date');
  if (s.a) p.set('a', s.a);
  if (s.n) p.set('entity', s.n);
  const qs = p.toString();
  return qs ? `?${qs}` : location.pathname;
}

let state = readState();
let pages = 1; // pages of results shown ("Show more results" adds one)
let typing = false; // inside a run of keystrokes that shares one history entry

function navigate(next, { push = true } = {}) {
  // Another search starts on its first page.
  if (['q', 'e', 'from', 'to', 's', 'c'].some((k) => k in next && next[k] !== state[k])) pages = 1;
  state = { ...state, ...next };
  const url = stateUrl(state);
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  render();
}

window.addEventListener('popstate', () => {
  typing = false;
  const before = state.c;
  state = readState();
  pages = 1;
  $('q').value = state.q;
  if (state.c !== before) switchCollection(state.c, null, { push: false });
  else render();
});

// ---- rendering helpers ---------------------------------------------------------------

/** Segments as DOM nodes (segments.js); entities become filter buttons when asked. */
function segmentNodes(segments, { entities = false, names = {} } = {}) {
  return renderSegments(segments, { onEntity: entities ? addFilter : null, names });
}

function addFilter(id) {
  if (state.e.includes(id)) return;
  typing = false;
  navigate({ e: [...state.e, id], a: '', n: '' });
}

/** Opens an entity's page (in the reader's place). */
function openEntity(id) {
  typing = false;
  navigate({ n: id, a: '' });
}

function removeFilter(id) {
  typing = false;
  navigate({ e: state.e.filter((x) => x !== id) });
}

function showStatus(message, kind = 'info') {
  const s = $('status');
  s.hidden = !message;
  s.className = `status status-${kind}`;
  s.textContent = message || '';
}

function articleHref(id) {
  return stateUrl({ ...state, a: id, n: '' });
}

// ---- views ---------------------------------------------------------------------------

let host = null;
const names = {}; // entity id -> display name, from facets seen so far
const expanded = new Set(); // facet types showing all values
const facetFilters = {}; // facet type -> text typed in its filter box

function renderFacets(res) {
  const chips = $('chips');
  chips.replaceChildren();
  if (state.e.length || state.from || state.to) {
    chips.append(el('span', { class: 'chips-label' }, 'Filters:'));
    if (state.from || state.to) {
      chips.append(el('button', {
        type: 'button', class: 'chip chip-date', 'aria-label': `Remove the date range ${rangeText(state)}`,
        onclick: () => { typing = false; navigate({ from: '', to: '' }); },
      }, rangeText(state), el('span', { 'aria-hidden': 'true', class: 'chip-x' }, '×')));
    }
    for (const id of state.e) {
      const type = id.split(':')[0];
      chips.append(el('button', {
        type: 'button', class: `chip ent-${type}`, 'aria-label': `Remove filter ${names[id] || id}`,
        onclick: () => removeFilter(id),
      }, names[id] || id, el('span', { 'aria-hidden': 'true', class: 'chip-x' }, '×')));
    }
    chips.append(el('button', { type: 'button', class: 'chip-clear', onclick: () => { typing = false; navigate({ e: [], from: '', to: '' }); } }, 'Clear all'));
  }

  const groups = $('facet-groups');
  groups.replaceChildren();
  const ordered = [...res.facets].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  for (const g of ordered) {
    const all = expanded.has(g.type);
    const needle = (facetFilters[g.type] || '').toLocaleLowerCase();
    const wanted = needle ? g.values.filter((v) => v.name.toLocaleLowerCase().includes(needle)) : g.values;
    const values = all || needle ? wanted : wanted.slice(0, FACET_SHOWN);
    const list = el('ul', { class: 'facet-values' }, values.map((v) => el('li', {},
      el('button', {
        type: 'button', class: `facet-value${v.selected ? ' selected' : ''}`, 'aria-pressed': String(v.selected),
        disabled: v.count === 0 && !v.selected, dataset: { entity: v.id },
        title: `${v.count} of the current results, ${v.total} in all`,
        onclick: () => (v.selected ? removeFilter(v.id) : addFilter(v.id)),
      },
      el('span', { class: `dot ent-${g.type}`, 'aria-hidden': 'true' }),
      el('span', { class: 'facet-name' }, v.name),
      el('span', { class: 'facet-count' }, String(v.count)),
      el('span', { class: 'facet-total', 'aria-label': `of ${v.total}` }, `/${v.total}`)))));
    const more = g.values.length > FACET_SHOWN
      ? el('button', {
        type: 'button', class: 'facet-more', 'aria-expanded': String(all),
        onclick: () => { all ? expanded.delete(g.type) : expanded.add(g.type); renderFacets(res); },
      }, all ? 'Show fewer' : `Show all ${g.values.length}`)
      : null;
    const filterBox = g.values.length > FACET_SHOWN
      ? el('input', {
        type: 'search', class: 'facet-filter', placeholder: `Filter ${g.label.toLowerCase()}…`,
        'aria-label': `Filter ${g.label}`, value: facetFilters[g.type] || '',
        oninput: (ev) => {
          facetFilters[g.type] = ev.target.value;
          renderFacets(res);
          const again = document.querySelector(`.facet[data-type="${g.type}"] .facet-filter`);
          again?.focus();
          again?.setSelectionRange(again.value.length, again.value.length);
        },
      })
      : null;
    groups.append(el('section', { class: 'facet', dataset: { type: g.type } },
      el('h2', {}, g.label), filterBox, list, needle ? null : more));
  }
}

function describe(res) {
  const n = res.total;
  // Copies of one story count once; say so when some were folded together.
  const what = res.articles > n
    ? `${n} ${n === 1 ? 'story' : 'stories'} (${res.articles} articles)`
    : (n === 1 ? '1 article' : `${n} articles`);
  const parts = [what];
  if (state.q.trim()) parts.push(`for “${state.q.trim()}”`);
  if (state.e.length) parts.push(`with ${state.e.map((id) => names[id] || id).join(', ')}`);
  if (state.from || state.to) parts.push(`dated ${rangeText(state)}`);
  return parts.join(' ');
}

/** A list of other articles as links that open them in the reader. */
function articleLinks(refs) {
  return el('ul', { class: 'article-links' }, refs.map((r) => el('li', {},
    el('a', {
      href: articleHref(r.id), dataset: { id: r.id },
      onclick: (ev) => { if (ev.ctrlKey || ev.metaKey || ev.shiftKey) return; ev.preventDefault(); typing = false; navigate({ a: r.id, n: '' }); },
    }, r.title),
    [r.source, r.date].some(Boolean) ? el('span', { class: 'link-meta' }, ` ${[r.source, r.date].filter(Boolean).join(' · ')}`) : null)));
}

/** "Also in N sources": the story's near-duplicate copies, folded under its best hit. */
function alsoIn(h) {
  const n = h.copies.length;
  return el('details', { class: 'also-in' },
    el('summary', {}, `Also in ${n} other ${n === 1 ? 'source' : 'sources'}`),
    articleLinks(h.copies));
}

function whyThisResult(h) {
  const fields = (x) => ['title', 'lede', 'body'].filter((f) => x[f]).map((f) => `${f} ${x[f]}`).join(', ');
  return el('details', { class: 'why' },
    el('summary', {}, 'Why this result'),
    el('ul', {}, h.explain.map((x) => el('li', {},
      el('code', {}, x.query), ` matched ${x.matched.map((m) => `“${m}”`).join(', ')} (${x.kind})`,
      ` in ${fields(x) || 'no field'}; score ${x.score.toFixed(2)}`))),
    el('p', {}, `Total score ${h.score.toFixed(2)}.`));
}

/** How the query was read, repairs made, partial matches and "did you mean". */
function renderNotices(res) {
  const understood = $('understood');
  const plain = res.understood.replace(/…$/, '') === state.q.trim();
  understood.hidden = !res.understood || (plain && !res.notes.length);
  understood.replaceChildren('Searched for ', el('code', {}, res.understood),
    res.notes.length ? ` (${res.notes.join('; ')})` : '');

  const notice = $('notice');
  const parts = [];
  if (res.partial) parts.push('No article has all of these words; showing the best partial matches. ');
  if (res.did_you_mean) {
    parts.push('Did you mean ', el('button', {
      type: 'button', class: 'did-you-mean',
      onclick: () => { typing = false; $('q').value = res.did_you_mean; navigate({ q: res.did_you_mean, a: '' }); },
    }, res.did_you_mean), '?');
  }
  notice.hidden = parts.length === 0;
  notice.replaceChildren(...parts);

  const box = $('suggestions');
  box.replaceChildren(...(document.activeElement === $('q') ? res.suggestions : []).map((sug) => el('button', {
    type: 'button', class: `chip ent-${sug.type}`, title: `Filter by ${sug.name}`,
    onmousedown: (ev) => ev.preventDefault(), // keep focus in the search box
    onclick: () => {
      typing = false;
      names[sug.id] = sug.name;
      const q = withoutTypedName(state.q, sug.name);
      $('q').value = q;
      navigate({ q, e: [...state.e, sug.id], a: '' });
    },
  }, `${TYPE_LABEL[sug.type] || sug.type}: ${sug.name}`, el('span', { class: 'chip-n' }, String(sug.total)))));
}

/** The query without the last words that were the start of `name` ("xiaomi lei j" → "xiaomi"). */
function withoutTypedName(q, name) {
  const words = q.trimEnd().split(/\s+/);
  const lower = name.toLocaleLowerCase();
  for (let k = Math.min(3, words.length); k >= 1; k--) {
    const tail = words.slice(-k).join(' ').toLocaleLowerCase();
    if (lower.startsWith(tail) || lower.includes(` ${tail}`)) return words.slice(0, -k).join(' ');
  }
  return q;
}

function renderHits(res) {
  $('count').textContent = describe(res);
  const hits = $('hits');
  // A re-render (the entity table arriving, a focus in the search box) must not take the
  // keyboard focus away from the result it is on.
  const focused = hits.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  hits.replaceChildren();
  for (const h of res.hits) {
    const meta = [h.source, h.date].filter(Boolean).join(' · ');
    hits.append(el('li', { class: `hit${h.id === state.a ? ' open' : ''}` },
      el('a', {
        class: 'hit-title', href: articleHref(h.id), dataset: { id: h.id },
        onclick: (ev) => { if (ev.ctrlKey || ev.metaKey || ev.shiftKey) return; ev.preventDefault(); typing = false; navigate({ a: h.id }); },
      }, segmentNodes(h.title_segments)),
      meta ? el('p', { class: 'hit-meta' }, meta) : null,
      el('p', { class: 'hit-snippet' }, segmentNodes(h.snippet)),
      h.copies.length ? alsoIn(h) : null,
      h.explain.length ? whyThisResult(h) : null));
  }
  if (focused) [...hits.querySelectorAll('a.hit-title')].find((a) => a.dataset.id === focused)?.focus();
  const more = $('more');
  more.hidden = res.hits.length >= res.total;
  more.textContent = `Show more results (${res.hits.length.toLocaleString('en')} of ${res.total.toLocaleString('en')} shown)`;
  if (res.total === 0) {
    const notes = res.warnings.filter((w) => w.startsWith('no ') || w.includes('ignored'));
    hits.append(el('li', { class: 'empty' },
      notes.length ? `No results: ${notes.join('; ')}.` : 'No results. Try fewer words or remove a filter.'));
  }
}

async function renderReader() {
  const reader = $('reader');
  document.body.classList.toggle('reading', Boolean(state.a || state.n));
  if (!state.a) { reader.hidden = true; return; }
  let view;
  try {
    view = await host.article(state.a, state.q);
  } catch (err) {
    reader.hidden = true;
    showStatus(`Cannot open the article: ${err.message}`, 'error');
    return;
  }
  for (const ent of view.entities) names[ent.id] = ent.name;
  reader.hidden = false;
  $('reader-title').replaceChildren(...segmentNodes(view.title, { entities: true, names }));
  $('reader-meta').textContent = [view.source && `Source: ${view.source}`, view.date].filter(Boolean).join(' · ');
  // The engine keeps only http(s) links; checked again here, as the link is the one place
  // article data becomes an href.
  const original = $('reader-original');
  const url = /^https?:\/\//i.test(view.url || '') ? view.url : '';
  original.hidden = !url;
  original.replaceChildren(...(url ? [el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' },
    `Read the original at ${new URL(url).hostname}`)] : []));
  const types = [...new Set(view.entities.map((x) => x.type))].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
  $('reader-legend').replaceChildren(...types.map((t) => el('span', { class: `legend-item ent-${t}` }, TYPE_LABEL[t] || t)));
  $('reader-body').replaceChildren(...view.paragraphs.map((p) => el('p', {}, segmentNodes(p, { entities: true, names }))));
  $('reader-entities').replaceChildren(...view.entities.map((x) => el('button', {
    type: 'button', class: `chip ent-${x.type}`, dataset: { entity: x.id }, onclick: () => openEntity(x.id),
    title: `${TYPE_LABEL[x.type] || x.type}, mentioned ${x.mentions}×: open its page`,
  }, x.name, el('span', { class: 'chip-n' }, String(x.mentions)))));
  const views = (view.quotes.length || view.roles.length) ? await entityViews() : null;
  $('reader-quotes').hidden = !view.quotes.length;
  $('reader-quotes-list').replaceChildren(...view.quotes.map((q) => views.quoteNode(q, { openEntity })));
  $('reader-roles').hidden = !view.roles.length;
  $('reader-roles-list').replaceChildren(...view.roles.map((r) => el('li', {},
    views.nameButton(r.person_id, r.person, openEntity), r.title ? `, ${r.title}, ` : ' from ',
    views.nameButton(r.org_id, r.org, openEntity))));
  $('reader-copies').hidden = !view.copies.length;
  $('reader-copies-list').replaceChildren(articleLinks(view.copies));
  $('reader-related').hidden = !view.related.length;
  $('reader-related-list').replaceChildren(articleLinks(view.related));
  $('reader-more').hidden = !view.more.length;
  $('reader-more-list').replaceChildren(articleLinks(view.more));
  const first = $('reader-body').querySelector('mark');
  if (first && !reader.dataset.shown) first.scrollIntoView({ block: 'center' });
  reader.dataset.shown = state.a;
}

async function renderEntity() {
  const pageNode = $('entity-page');
  if (!state.n || state.a) { pageNode.hidden = true; return; }
  let page;
  let views;
  try {
    [page, views] = await Promise.all([host.entity(state.n), entityViews()]);
  } catch (err) {
    pageNode.hidden = true;
    showStatus(`Cannot open the page of ${names[state.n] || state.n}: ${err.message}`, 'error');
    return;
  }
  names[page.id] = page.name;
  views.renderEntityPage({ name: $('entity-name'), meta: $('entity-meta'), body: $('entity-body') }, page, {
    openEntity,
    filter: (id) => { typing = false; navigate({ e: [...new Set([...state.e, id])], a: '', n: '' }); },
    articleLink: (r) => articleLinks([r]).firstChild.firstChild,
    articleList: articleLinks,
  });
  pageNode.hidden = false;
  if (pageNode.dataset.shown !== state.n) pageNode.scrollTop = 0;
  pageNode.dataset.shown = state.n;
}

let renderSeq = 0;
async function render() {
  if (!host) return;
  const seq = ++renderSeq;
  let res;
  try {
    res = await host.search(state.q, state.e, PAGE * pages, 0, 200, state.s, true, state.from, state.to);
  } catch (err) {
    showStatus(`Search failed: ${err.message}`, 'error');
    return;
  }
  if (seq !== renderSeq) return; // a newer keystroke already rendered
  for (const g of res.facets) for (const v of g.values) names[v.id] = v.name;
  const unknown = res.warnings.filter((w) => w.startsWith('unknown entity'));
  if (unknown.length) showStatus(`Some filters in this link are not in this index and were ignored: ${unknown.join('; ')}`, 'warn');
  renderFacets(res);
  renderNotices(res);
  renderTimeline($('timeline'), res.timeline, state, (range) => { typing = false; navigate({ ...range, a: '' }); });
  renderTogether($('together'), res.together, state.e, (ids) => {
    typing = false;
    navigate({ e: [...new Set([...state.e, ...ids])], a: '' });
  });
  renderHits(res);
  $('sort').value = state.s;
  await renderReader();
  await renderEntity();
  const open = state.a ? $('reader-title').textContent : state.n ? $('entity-name').textContent : '';
  document.title = open ? `${open} · newslens` : 'newslens';
}

// ---- wiring --------------------------------------------------------------------------

/** ↓ from the search box enters the results; ↑/↓ move between them (Enter opens). */
function moveThroughResults(ev) {
  const links = [...document.querySelectorAll('#hits a.hit-title')];
  const q = $('q');
  const at = links.indexOf(document.activeElement);
  if (document.activeElement !== q && at < 0) return;
  ev.preventDefault();
  if (ev.key === 'ArrowDown') (links[at + 1] || links[at] || q).focus();
  else if (at <= 0) q.focus();
  else links[at - 1].focus();
}

function indexUrl() {
  // ?index= may only name an index on this site (a folder ending in '/', a manifest or a
  // single file): an index is code-free data, but a link should not make the page fetch
  // from elsewhere.
  const param = new URLSearchParams(location.search).get('index');
  const url = new URL(param || 'index/', location.href);
  return url.origin === location.origin ? url : new URL('index/', location.href);
}

/** Light or dark: the system's choice until the reader picks one, which is remembered. */
function setupTheme() {
  const button = $('theme-toggle');
  const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
  const current = () => document.documentElement.dataset.theme || (systemDark() ? 'dark' : 'light');
  const show = () => { button.textContent = current() === 'dark' ? 'Light' : 'Dark'; };
  let saved = null;
  try { saved = localStorage.getItem('newslens-theme'); } catch { /* storage may be blocked */ }
  if (saved === 'dark' || saved === 'light') document.documentElement.dataset.theme = saved;
  show();
  button.addEventListener('click', () => {
    const next = current() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem('newslens-theme', next); } catch { /* not remembered then */ }
    show();
  });
}

// ---- collections: the page's index, or the reader's imports -------------------------

/** Whether the saved imports must be indexed again (their index has an old format). */
let rebuildImports = false;

/** Opens the collection the state names; imports missing from storage fall back to the page's index. */
async function openCollection() {
  if (state.c === 'imports') {
    let saved = null;
    try {
      saved = await readCollection();
    } catch (e) {
      showStatus(e.message, 'warn');
    }
    if (saved) {
      try {
        return await openEngine(saved.index);
      } catch (e) {
        // Saved by a newslens whose index format this one no longer reads: the imported
        // files are saved too, so they are built again (setupImport) while the built-in
        // collection shows.
        if (!/rebuild needed/.test(e.message)) throw e;
        rebuildImports = true;
        showStatus('Your imported articles were indexed by an earlier version of newslens: indexing them again from the saved files. The built-in collection shows until then.', 'info');
      }
    } else {
      showStatus('There are no imported articles in this browser; showing the built-in collection.', 'warn');
    }
    state = { ...state, c: '' };
    history.replaceState(null, '', stateUrl(state));
  } else if (state.c === 'remote' && remoteUrl) {
    return openEngine(remoteUrl);
  } else if (state.c === 'opened' || state.c === 'remote') {
    showStatus(state.c === 'opened'
      ? 'An opened index file is not kept after the page closes; drop it again to see it. Showing the built-in collection.'
      : 'An index opened by its address is not kept in the link; open it again from the Collection menu. Showing the built-in collection.', 'warn');
    state = { ...state, c: '' };
    history.replaceState(null, '', stateUrl(state));
  }
  return openEngine(indexUrl());
}

function useHost(next) {
  const old = host;
  host = next;
  if (old && old !== next) old.close();
  host.onEntities = () => render();
  host.onRestart = () => showStatus('The search engine stopped unexpectedly and was restarted. Your search is intact.', 'warn');
  // For tests and the curious: the engine host, and a way to prove trap recovery.
  window.newslens = { host, forceTrap: () => host.forceTrap().then(() => render()) };
}

/** The collection menu: the page's index, and the imports when this browser holds some. */
async function renderCollections(importedArticles) {
  let articles = importedArticles;
  if (articles === undefined) {
    try {
      articles = (await readCollection())?.articles ?? 0;
    } catch {
      articles = 0;
    }
  }
  const builtIn = new URLSearchParams(location.search).get('index') ? 'The linked index' : 'Sample articles';
  const options = [el('option', { value: '' }, builtIn)];
  if (articles || state.c === 'imports') options.push(el('option', { value: 'imports' }, `My imports (${articles.toLocaleString('en')})`));
  if (openedName) options.push(el('option', { value: 'opened' }, openedName));
  if (remoteUrl) options.push(el('option', { value: 'remote' }, `The index at ${remoteUrl.host}`));
  // Not in the single file, which makes no request at all.
  if (!globalThis.__newslensSingle) options.push(el('option', { value: 'url' }, 'An index at a web address…'));
  $('collection').replaceChildren(...options);
  $('collection').value = state.c;
}

let remoteUrl = null; // an index the reader opened by its address (kept while the page is open)
let openedName = ''; // the index file the reader opened, if any
let openedBytes = null; // …kept (a copy) to switch back to it

/** The "index at a web address" dialog. */
function askIndexUrl() {
  $('collection').value = state.c; // the menu shows the collection on screen until one opens
  $('url-error').hidden = true;
  $('url-dialog').showModal();
  $('url-input').focus();
}

function setupIndexUrl() {
  const dialog = $('url-dialog');
  $('url-cancel').addEventListener('click', () => dialog.close());
  $('url-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let url;
    try {
      url = new URL($('url-input').value.trim(), location.href);
      if (!['http:', 'https:'].includes(url.protocol)) throw new Error('only http and https addresses');
    } catch (err) {
      $('url-error').textContent = `That is not a web address (${err.message}).`;
      $('url-error').hidden = false;
      return;
    }
    const before = remoteUrl;
    remoteUrl = url;
    $('url-open').disabled = true;
    const ok = await switchCollection('remote', null);
    $('url-open').disabled = false;
    if (ok) {
      dialog.close();
    } else {
      remoteUrl = before;
      $('url-error').textContent = $('status').textContent;
      $('url-error').hidden = false;
    }
  });
}

/** Shows another collection (from `bytes` when just built); the old engine stops. */
async function switchCollection(c, bytes, { push = true, articles } = {}) {
  let next;
  const previous = state;
  state = { ...state, c, e: [], a: '' };
  try {
    if (!bytes && c === 'opened' && openedBytes) bytes = openedBytes.slice(0);
    next = bytes ? await openEngine(bytes) : await openCollection();
  } catch (err) {
    state = previous;
    showStatus(`That collection could not be opened: ${err.message}`, 'error');
    renderCollections();
    return false;
  }
  if (push) history.pushState(null, '', stateUrl(state));
  else history.replaceState(null, '', stateUrl(state));
  useHost(next);
  await renderCollections(articles);
  await render();
  return true;
}

async function main() {
  setupTheme();
  // The single-file build carries its index inline and has no importer (see scripts/single.mjs).
  if (globalThis.__newslensSingle) {
    $('import-open').hidden = true;
    document.documentElement.dataset.single = 'true';
  }
  const q = $('q');
  q.value = state.q;
  let timer = 0;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      navigate({ q: q.value, a: '' }, { push: !typing });
      typing = true;
    }, TYPING_DEBOUNCE_MS);
  });
  q.addEventListener('blur', () => { typing = false; setTimeout(() => $('suggestions').replaceChildren(), 150); });
  $('search-form').addEventListener('submit', (ev) => { ev.preventDefault(); typing = false; });
  q.addEventListener('focus', () => render());
  $('sort').addEventListener('change', (ev) => { typing = false; navigate({ s: ev.target.value }); });
  $('reader-close').addEventListener('click', () => { typing = false; navigate({ a: '' }); });
  $('entity-close').addEventListener('click', () => { typing = false; navigate({ n: '' }); });
  $('more').addEventListener('click', async () => {
    const shown = document.querySelectorAll('#hits a.hit-title').length;
    pages += 1;
    await render();
    document.querySelectorAll('#hits a.hit-title')[shown]?.focus(); // the first new result
  });
  $('filters-toggle').addEventListener('click', () => {
    const open = document.body.classList.toggle('filters-open');
    $('filters-toggle').setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('keydown', (ev) => {
    const inField = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName);
    if (ev.key === '/' && !inField) { ev.preventDefault(); q.focus(); }
    else if (ev.key === 'Escape' && state.a) { typing = false; navigate({ a: '' }); }
    else if (ev.key === 'Escape' && state.n) { typing = false; navigate({ n: '' }); }
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') moveThroughResults(ev);
  });

  $('collection').addEventListener('change', (ev) => {
    typing = false;
    if (ev.target.value === 'url') askIndexUrl();
    else switchCollection(ev.target.value, null);
  });
  setupIndexUrl();
  try {
    useHost(await openCollection());
  } catch (err) {
    $('count').textContent = 'The articles could not be loaded.';
    showStatus(err.message, 'error');
    renderCollections();
    await setupImport();
    return;
  }
  await render();
  renderCollections();
  await setupImport();
  document.documentElement.dataset.ready = 'true';
  setupOffline();
}

/** The import panel (drop, pick, paste), once the first results are on screen. */
async function setupImport() {
  if (!globalThis.__newslensSingle) {
    const { ImportPanel } = await import('./import.js');
    const panel = new ImportPanel({
      onCollection: (bytes, info) => (bytes
        ? switchCollection('imports', bytes, { articles: info.articles })
        : switchCollection('', null, { articles: 0 })),
      onOpenIndex: (bytes, name) => {
        openedName = name;
        openedBytes = bytes.slice(0);
        return switchCollection('opened', bytes);
      },
    });
    window.newslensImport = panel;
    if (rebuildImports) {
      // Not awaited: the page is ready meanwhile, and switches to the imports when built.
      rebuildImports = false;
      panel.run([]).then((done) => showStatus(done ? '' : 'Your imported articles could not be indexed again: open Import to see why.', done ? 'info' : 'warn'),
        (e) => showStatus(`Your imported articles could not be indexed again: ${e.message}`, 'warn'));
    }
  }
}

/**
 * Registers the service worker (sw.js) that keeps this page, its engine and the last index
 * for offline revisits, and says so in the About section; an offline visit is announced.
 */
function setupOffline() {
  const note = $('offline-note');
  const show = (text) => { note.hidden = !text; note.textContent = text; };
  if (!navigator.onLine) showStatus('You are offline: this is the copy saved on your last visit.', 'info');
  window.addEventListener('offline', () => showStatus('You are offline: searches keep working on what is loaded.', 'info'));
  window.addEventListener('online', () => showStatus('', 'info'));
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol) || globalThis.__newslensSingle) return;
  navigator.serviceWorker.register('sw.js').then(() => navigator.serviceWorker.ready).then(() => {
    show('Saved for offline use: this page, its search engine and the collection you open here work without a network on your next visit.');
    document.documentElement.dataset.offline = 'ready';
  }, (err) => show(`Not available offline: ${err.message}`));
}

main();
