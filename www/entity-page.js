// An entity's page (Engine.entity in src/wasm.rs): the names it goes by, the roles that tie
// it to people or organisations, what it was quoted saying, and its newest articles. Loaded
// when a page is first opened, not at boot. Text goes in as text nodes only.
import { el } from './dom.js';
import { TYPE_LABEL } from './segments.js';

/** A quote with its speaker and, on an entity page, the article it is from. */
export function quoteNode(q, { openEntity, articleLink }) {
  return el('figure', { class: 'quote' },
    el('blockquote', {}, `“${q.text}”`),
    el('figcaption', { class: 'quote-by' }, '— ',
      openEntity ? nameButton(q.speaker_id, q.speaker, openEntity) : q.speaker,
      q.article ? [', in ', articleLink(q.article)] : null,
      q.confidence < 0.65 ? el('span', { class: 'link-meta', title: 'The speaker is inferred from the sentences before (“he said”, “X stated that…”)' }, ' (attributed from context)') : null));
}

export function nameButton(id, name, openEntity) {
  return el('button', { type: 'button', class: 'name-link', dataset: { entity: id }, onclick: () => openEntity(id) }, name);
}

/**
 * Fills the page's parts: `nodes` = { name, meta, body }; `actions` = { openEntity(id),
 * filter(id), articleLink(ref) -> node, articleList(refs) -> node }.
 */
export function renderEntityPage(nodes, page, actions) {
  const { openEntity, filter, articleLink, articleList } = actions;
  nodes.name.textContent = page.name;
  const read = page.read < page.total ? ` (this page reads the newest ${page.read})` : '';
  nodes.meta.textContent = `${TYPE_LABEL[page.type] || page.type} · in ${page.total} ${page.total === 1 ? 'article' : 'articles'}${read}`;
  const parts = [
    el('p', {}, el('button', { type: 'button', class: 'entity-filter', onclick: () => filter(page.id) },
      `Show only articles with ${page.name}`)),
  ];
  const others = page.aliases.filter((a) => a.text !== page.name);
  if (others.length) {
    parts.push(el('h2', {}, 'Also written as'),
      el('p', { class: 'aliases' }, page.aliases.flatMap((a, i) => [i ? ' · ' : '', `${a.text} `,
        el('span', { class: 'link-meta' }, `×${a.mentions}`)])));
  }
  if (page.roles.length) {
    // One line per person or organisation, its titles as written, each with its articles.
    const byOther = new Map();
    for (const r of page.roles) {
      if (!byOther.has(r.id)) byOther.set(r.id, { ...r, titles: [] });
      byOther.get(r.id).titles.push(r);
    }
    const n = (k) => `${k} ${k === 1 ? 'article' : 'articles'}`;
    parts.push(el('h2', {}, page.type === 'person' ? 'Roles' : 'People'),
      el('ul', { class: 'roles' }, [...byOther.values()].map((o) => el('li', {},
        nameButton(o.id, o.name, openEntity),
        o.titles.flatMap((t, i) => [i ? '; ' : ': ', t.title || 'affiliated',
          el('span', { class: 'link-meta' }, ` (${n(t.articles)})`)])))));
  }
  if (page.quotes.length) {
    parts.push(el('h2', {}, `Quoted (${page.quotes.length})`),
      ...page.quotes.map((q) => quoteNode({ ...q, speaker: page.name }, { openEntity: null, articleLink })));
  }
  parts.push(el('h2', {}, 'Newest articles'), articleList(page.articles));
  nodes.body.replaceChildren(...parts);
}
