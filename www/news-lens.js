// <news-lens src="index/" query="su7" height="600px" facets="person,org,product">
//
// The viewer as one custom element a blog adds with one module script and one tag. It lives
// in a Shadow DOM, so the page's styles do not reach in and its styles do not leak out; the
// page themes it with CSS custom properties (--news-lens-accent, --news-lens-bg, …) and
// ::part(). State stays inside the element: it never rewrites the embedding page's URL.
// The engine is the viewer's own (engine.js: a Web Worker, the sharded index loaded on
// demand); article text reaches the DOM as text nodes only.
import { el } from './dom.js';
import { openEngine } from './engine.js';
import { part, segmentNodes, TYPE_LABEL, TYPE_ORDER } from './segments.js';

const STYLES = new URL('./news-lens.css', import.meta.url);
const PAGE = 10;
const FACET_VALUES = 6;
const TYPING_DEBOUNCE_MS = 60;

export class NewsLens extends HTMLElement {
  static observedAttributes = ['src', 'query', 'height', 'facets', 'theme'];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.host = null;
    this.state = { q: '', e: [], a: '', pages: 1 };
    this.names = {};
    this.seq = 0;
    this.opened = null; // the src the engine was opened for
  }

  connectedCallback() {
    if (this.frame) return;
    this.state.q = this.getAttribute('query') || '';
    this.build();
    this.open();
  }

  disconnectedCallback() {
    this.host?.close?.();
    this.host = null;
    this.opened = null;
  }

  attributeChangedCallback(name, old, value) {
    if (!this.frame || old === value) return;
    if (name === 'src') this.open();
    else if (name === 'query') { this.state.q = value || ''; this.input.value = this.state.q; this.render(); }
    else if (name === 'height') this.applyHeight();
    else if (name === 'facets') this.render();
  }

  /** The facet types the page asked for ("person,org"; "none" hides the panel); all by default. */
  facetTypes() {
    const attr = (this.getAttribute('facets') || '').trim().toLowerCase();
    if (!attr) return TYPE_ORDER;
    if (attr === 'none') return [];
    return attr.split(/[\s,]+/).filter((t) => TYPE_ORDER.includes(t));
  }

  applyHeight() {
    const h = this.getAttribute('height');
    // Any CSS length; set through the CSSOM, which a strict style-src allows.
    if (h && CSS.supports('height', h)) this.frame.style.setProperty('--news-lens-height', h);
    else this.frame.style.removeProperty('--news-lens-height');
  }

  build() {
    this.input = part(el('input', {
      type: 'search', class: 'q', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'Search articles, people, companies…', 'aria-label': 'Search the articles',
    }), 'search');
    let timer = 0;
    this.input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.set({ q: this.input.value, a: '' }), TYPING_DEBOUNCE_MS);
    });
    this.input.value = this.state.q;
    this.count = part(el('p', { class: 'count', 'aria-live': 'polite' }, 'Loading the articles…'), 'count');
    this.chips = el('div', { class: 'chips', 'aria-label': 'Active filters' });
    this.facets = part(el('div', { class: 'facets', 'aria-label': 'Filter by entity' }), 'facets');
    this.hits = part(el('ol', { class: 'hits' }), 'results');
    this.more = el('button', { type: 'button', class: 'more', hidden: true }, 'Show more');
    this.more.addEventListener('click', () => this.set({ pages: this.state.pages + 1 }));
    this.reader = part(el('article', { class: 'reader', hidden: true }), 'reader');
    this.status = el('p', { class: 'status', role: 'status', hidden: true });
    const results = el('div', { class: 'results' }, this.count, this.chips, this.hits, el('p', { class: 'more-row' }, this.more));
    this.frame = part(el('div', { class: 'frame' },
      el('div', { class: 'bar' }, this.input),
      this.status,
      el('div', { class: 'body' }, this.facets, results, this.reader)), 'container');
    this.frame.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.state.a) { ev.stopPropagation(); this.set({ a: '' }); }
    });
    const css = el('link', { rel: 'stylesheet', href: STYLES.href });
    this.root.replaceChildren(css, this.frame);
    this.applyHeight();
  }

  async open() {
    const src = this.getAttribute('src') || 'index/';
    if (src === this.opened) return;
    this.opened = src;
    this.host?.close?.();
    this.host = null;
    let url;
    try {
      url = new URL(src, document.baseURI);
    } catch {
      this.fail(`The index address ${JSON.stringify(src)} is not a URL.`);
      return;
    }
    try {
      const host = await openEngine(url);
      if (this.opened !== src) { host.close?.(); return; }
      this.host = host;
      host.onEntities = () => this.render();
      host.onRestart = () => this.say('The search engine stopped unexpectedly and was restarted.');
    } catch (err) {
      this.fail(`The articles could not be loaded: ${err.message}`);
      return;
    }
    await this.render();
    this.dataset.ready = 'true';
    this.dispatchEvent(new CustomEvent('news-lens-ready', { bubbles: true, composed: true }));
  }

  fail(message) {
    this.count.textContent = 'The articles could not be loaded.';
    this.say(message);
  }

  say(message) {
    this.status.hidden = !message;
    this.status.textContent = message || '';
  }

  set(next) {
    if (['q', 'e'].some((k) => k in next && next[k] !== this.state[k])) next = { pages: 1, ...next };
    this.state = { ...this.state, ...next };
    this.render();
  }

  async render() {
    if (!this.host) return;
    const seq = ++this.seq;
    const { q, e, pages } = this.state;
    let res;
    try {
      res = await this.host.search(q, e, PAGE * pages, 0, 50, 'relevance', true);
    } catch (err) {
      this.say(`Search failed: ${err.message}`);
      return;
    }
    if (seq !== this.seq) return;
    for (const g of res.facets) for (const v of g.values) this.names[v.id] = v.name;
    this.renderCount(res);
    this.renderChips();
    this.renderFacets(res);
    this.renderHits(res);
    await this.renderReader();
  }

  renderCount(res) {
    const n = res.total;
    const parts = [n === 1 ? '1 article' : `${n.toLocaleString('en')} articles`];
    if (this.state.q.trim()) parts.push(`for “${this.state.q.trim()}”`);
    if (this.state.e.length) parts.push(`with ${this.state.e.map((id) => this.names[id] || id).join(', ')}`);
    this.count.textContent = parts.join(' ');
  }

  renderChips() {
    this.chips.replaceChildren(...this.state.e.map((id) => el('button', {
      type: 'button', class: `chip ent-${id.split(':')[0]}`, 'aria-label': `Remove filter ${this.names[id] || id}`,
      onclick: () => this.set({ e: this.state.e.filter((x) => x !== id) }),
    }, this.names[id] || id, el('span', { class: 'x', 'aria-hidden': 'true' }, '×'))));
    if (this.state.e.length > 1) {
      this.chips.append(el('button', { type: 'button', class: 'clear', onclick: () => this.set({ e: [] }) }, 'Clear all'));
    }
  }

  renderFacets(res) {
    const types = this.facetTypes();
    this.facets.hidden = types.length === 0;
    const groups = res.facets
      .filter((g) => types.includes(g.type))
      .sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));
    this.facets.replaceChildren(...groups.map((g) => el('section', { class: 'facet' },
      el('h2', {}, g.label),
      el('ul', {}, g.values.slice(0, Math.max(FACET_VALUES, g.values.filter((v) => v.selected).length)).map((v) => el('li', {},
        part(el('button', {
          type: 'button', class: `facet-value ent-${g.type}${v.selected ? ' selected' : ''}`,
          'aria-pressed': String(v.selected), disabled: v.count === 0 && !v.selected, dataset: { entity: v.id },
          onclick: () => this.set({ e: v.selected ? this.state.e.filter((x) => x !== v.id) : [...this.state.e, v.id], a: '' }),
        }, el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'name' }, v.name),
        el('span', { class: 'n' }, String(v.count))), 'facet-value')))))));
  }

  renderHits(res) {
    this.hits.replaceChildren(...res.hits.map((h) => el('li', { class: `hit${h.id === this.state.a ? ' open' : ''}` },
      el('button', { type: 'button', class: 'hit-title', dataset: { id: h.id }, onclick: () => this.set({ a: h.id }) },
        segmentNodes(h.title_segments)),
      [h.source, h.date].some(Boolean) ? el('p', { class: 'meta' }, [h.source, h.date].filter(Boolean).join(' · ')) : null,
      el('p', { class: 'snippet' }, segmentNodes(h.snippet)))));
    if (!res.total) this.hits.append(el('li', { class: 'empty' }, 'No results. Try fewer words or remove a filter.'));
    this.more.hidden = res.hits.length >= res.total;
    this.more.textContent = `Show more (${res.hits.length} of ${res.total.toLocaleString('en')})`;
  }

  async renderReader() {
    const { a, q } = this.state;
    this.frame.classList.toggle('reading', Boolean(a));
    if (!a) { this.reader.hidden = true; this.shown = ''; return; }
    let view;
    try {
      view = await this.host.article(a, q);
    } catch (err) {
      this.say(`Cannot open the article: ${err.message}`);
      this.reader.hidden = true;
      return;
    }
    for (const x of view.entities) this.names[x.id] = x.name;
    const onEntity = (id) => this.set({ e: this.state.e.includes(id) ? this.state.e : [...this.state.e, id], a: '' });
    const url = /^https?:\/\//i.test(view.url || '') ? view.url : '';
    const types = [...new Set(view.entities.map((x) => x.type))].sort((x, y) => TYPE_ORDER.indexOf(x) - TYPE_ORDER.indexOf(y));
    const close = el('button', { type: 'button', class: 'close', onclick: () => this.set({ a: '' }) },
      el('span', { 'aria-hidden': 'true' }, '← '), 'Results', el('span', { class: 'visually-hidden' }, ': close the article'));
    this.reader.replaceChildren(...[close,
      el('h2', { class: 'title' }, segmentNodes(view.title, { onEntity, names: this.names })),
      [view.source, view.date].some(Boolean) ? el('p', { class: 'meta' }, [view.source, view.date].filter(Boolean).join(' · ')) : null,
      url ? el('p', { class: 'original' }, el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, `Read the original at ${new URL(url).hostname}`)) : null,
      types.length ? el('p', { class: 'legend', 'aria-label': 'Entity types' }, types.map((t) => el('span', { class: `legend-item ent-${t}` }, TYPE_LABEL[t] || t))) : null,
      ...view.paragraphs.map((p) => el('p', {}, segmentNodes(p, { onEntity, names: this.names }))),
      // What the article quotes, with the speakers (a speaker filters by that person).
      view.quotes.length ? part(el('section', { class: 'quotes', 'aria-label': 'Quoted' }, view.quotes.map((x) => el('figure', {},
        el('blockquote', {}, `“${x.text}”`),
        el('figcaption', {}, '— ', el('button', { type: 'button', class: 'speaker', onclick: () => onEntity(x.speaker_id) }, x.speaker))))), 'quotes') : null,
    ].filter(Boolean));
    this.reader.hidden = false;
    // Keyboard users land in the article they opened (not on every re-render).
    if (this.shown !== a) close.focus({ preventScroll: true });
    this.shown = a;
  }
}

if (!customElements.get('news-lens')) customElements.define('news-lens', NewsLens);
