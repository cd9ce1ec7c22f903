// The two pictures beside the results: a timeline of the matching articles (drag across it,
// or pick bars with the keyboard, to keep a date range) and who appears with whom. The
// engine counts both over every match (src/search/pictures.rs); this module only draws.
// Names reach the DOM as text nodes; sizes go through the CSSOM, which a strict CSP allows.
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** "2024", "Apr 2024" or "22 Apr 2024" for a bucket key or a YYYY-MM-DD date. */
export function dateLabel(key) {
  const [y, m, d] = key.split('-');
  if (!m) return y;
  const month = MONTHS[Number(m) - 1] || m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/** The range a selection from bucket i to bucket j stands for. */
function rangeOf(buckets, i, j) {
  const [a, b] = i <= j ? [i, j] : [j, i];
  return { from: buckets[a].from, to: buckets[b].to };
}

/**
 * The timeline into `root`: one bar per bucket, the chosen range marked. `range` is
 * { from, to } ('' for none); `onRange({ from, to })` is called with the new range.
 */
export function renderTimeline(root, timeline, range, onRange) {
  root.replaceChildren();
  if (!timeline || !timeline.buckets.length) {
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const { buckets } = timeline;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const chosen = (b) => Boolean(range.from || range.to)
    && (!range.from || b.to >= range.from) && (!range.to || b.from <= range.to);
  let focusAt = Math.max(0, buckets.findIndex(chosen));
  if (!chosen(buckets[focusAt])) focusAt = buckets.length - 1;

  const bars = el('div', {
    class: 'tl-bars', role: 'group',
    'aria-label': 'Articles by date. Drag across the bars, or use the arrow keys and Enter (Shift+Enter extends), to keep a date range.',
  });
  const buttons = buckets.map((b, i) => {
    const label = dateLabel(b.key);
    const button = el('button', {
      type: 'button', class: `tl-bar${chosen(b) ? ' chosen' : ''}${b.count ? '' : ' empty'}`,
      tabindex: i === focusAt ? '0' : '-1', 'aria-pressed': String(chosen(b)),
      'aria-label': `${label}: ${b.count} ${b.count === 1 ? 'article' : 'articles'}`,
      title: `${label}: ${b.count}`, dataset: { index: String(i) },
    }, el('span', { class: 'tl-fill', 'aria-hidden': 'true' }));
    button.firstChild.style.setProperty('--h', String(b.count / max));
    return button;
  });
  bars.append(...buttons);

  // Pointer: press on one bar, release on another; a click on the only chosen bar clears.
  let start = null;
  const indexAt = (ev) => {
    const r = bars.getBoundingClientRect();
    const i = Math.floor(((ev.clientX - r.left) / r.width) * buckets.length);
    return Math.min(buckets.length - 1, Math.max(0, i));
  };
  const paint = (i, j) => buttons.forEach((b, k) => b.classList.toggle('dragging', k >= Math.min(i, j) && k <= Math.max(i, j)));
  bars.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    start = indexAt(ev);
    bars.setPointerCapture?.(ev.pointerId);
    paint(start, start);
    ev.preventDefault();
  });
  bars.addEventListener('pointermove', (ev) => { if (start !== null) paint(start, indexAt(ev)); });
  bars.addEventListener('pointerup', (ev) => {
    if (start === null) return;
    const end = indexAt(ev);
    const only = start === end && chosen(buckets[start]) && buckets.filter(chosen).length === 1;
    const from = start;
    start = null;
    onRange(only ? { from: '', to: '' } : rangeOf(buckets, from, end));
  });
  bars.addEventListener('pointercancel', () => { start = null; paint(-1, -1); });

  // Keyboard: one tab stop; arrows move, Enter picks a bar, Shift+Enter extends to it.
  let anchor = buckets.findIndex(chosen);
  bars.addEventListener('keydown', (ev) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    let next = null;
    if (ev.key === 'ArrowRight') next = Math.min(buckets.length - 1, at + 1);
    else if (ev.key === 'ArrowLeft') next = Math.max(0, at - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = buckets.length - 1;
    if (next !== null) {
      ev.preventDefault();
      buttons[at].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
      return;
    }
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      if (ev.shiftKey && anchor >= 0) onRange(rangeOf(buckets, anchor, at));
      else { anchor = at; onRange(rangeOf(buckets, at, at)); }
    }
  });

  const total = buckets.reduce((n, b) => n + b.count, 0);
  const axis = el('div', { class: 'tl-axis', 'aria-hidden': 'true' },
    el('span', {}, dateLabel(buckets[0].key)),
    el('span', {}, `${total.toLocaleString('en')} ${total === 1 ? 'match' : 'matches'} with a date${timeline.undated ? `, ${timeline.undated.toLocaleString('en')} undated` : ''}`),
    el('span', {}, dateLabel(buckets[buckets.length - 1].key)));
  const head = el('div', { class: 'tl-head' },
    el('h2', {}, 'Timeline'),
    range.from || range.to
      ? el('button', { type: 'button', class: 'chip tl-clear', onclick: () => onRange({ from: '', to: '' }), 'aria-label': `Remove the date range ${rangeText(range)}` },
        rangeText(range), el('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'))
      : el('span', { class: 'tl-hint' }, 'drag across to filter by date'));
  root.append(head, bars, axis);
}

/** "1 Mar 2024 – 31 May 2024", or one end alone. */
export function rangeText({ from, to }) {
  if (from && to) return from === to ? dateLabel(from) : `${dateLabel(from)} – ${dateLabel(to)}`;
  if (from) return `from ${dateLabel(from)}`;
  return `until ${dateLabel(to)}`;
}

/**
 * Who appears with whom, as a ring of names joined by lines as thick as the number of
 * articles naming both. `onPick(ids)` filters by one entity (a name) or two (a line).
 */
export function renderTogether(root, together, selected, onPick) {
  root.replaceChildren();
  const nodes = together?.nodes ?? [];
  if (nodes.length < 2) {
    root.hidden = true;
    return;
  }
  root.hidden = false;
  // About one unit a pixel in the 240-260 px side panel, so names stay readable; the
  // ring is taller than wide because names run sideways from it.
  const W = 250;
  const H = 236;
  const cx = W / 2;
  const cy = H / 2;
  const rx = 56;
  const ry = 96;
  const maxNode = Math.max(...nodes.map((n) => n.count));
  const maxLink = Math.max(1, ...together.links.map((l) => l.count));
  const at = nodes.map((_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    return { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a), cos: Math.cos(a) };
  });
  const short = (s) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);

  const links = together.links.map((l) => {
    const [a, b] = [nodes[l.a], nodes[l.b]];
    return svg('line', {
      class: 'co-link', x1: at[l.a].x.toFixed(1), y1: at[l.a].y.toFixed(1), x2: at[l.b].x.toFixed(1), y2: at[l.b].y.toFixed(1),
      'stroke-width': (1 + (5 * l.count) / maxLink).toFixed(1), 'data-a': a.id, 'data-b': b.id,
      onclick: () => onPick([a.id, b.id]),
    }, svg('title', {}, `${a.name} and ${b.name}: ${l.count} ${l.count === 1 ? 'article' : 'articles'}`));
  });
  const marks = nodes.map((n, i) => {
    const p = at[i];
    const anchor = Math.abs(p.cos) < 0.2 ? 'middle' : p.cos > 0 ? 'start' : 'end';
    const dx = anchor === 'middle' ? 0 : p.cos > 0 ? 10 : -10;
    const dy = anchor === 'middle' ? (p.y < cy ? -11 : 17) : 4;
    const pairs = together.links.filter((l) => l.a === i || l.b === i).length;
    const shown = short(n.name);
    // The accessible name starts with the visible text, then says the rest.
    const full = shown === n.name ? '' : ` (${n.name})`;
    const g = svg('g', {
      class: `co-node ent-${n.type}${selected.includes(n.id) ? ' selected' : ''}`, tabindex: '0', role: 'button',
      'aria-label': `${shown}${full}, in ${n.count} ${n.count === 1 ? 'article' : 'articles'}, with ${pairs} of the others. Filter by it.`,
      'data-entity': n.id,
      onclick: () => onPick([n.id]),
      onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onPick([n.id]); } },
      onfocus: () => highlight(n.id),
      onblur: () => highlight(null),
    },
    svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: (4 + 6 * Math.sqrt(n.count / maxNode)).toFixed(1) }),
    svg('text', { x: (p.x + dx).toFixed(1), y: (p.y + dy).toFixed(1), 'text-anchor': anchor }, shown));
    return g;
  });
  const picture = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'co-picture', role: 'group', 'aria-label': 'People, organisations and products that appear together' },
    svg('g', { class: 'co-links' }, links), svg('g', { class: 'co-nodes' }, marks));
  function highlight(id) {
    for (const line of links) line.classList.toggle('lit', Boolean(id) && (line.dataset.a === id || line.dataset.b === id));
  }
  picture.addEventListener('pointerover', (ev) => highlight(ev.target.closest?.('.co-node')?.dataset.entity ?? null));
  picture.addEventListener('pointerout', () => highlight(null));
  root.append(el('h2', {}, 'Seen together'), picture,
    el('p', { class: 'co-hint' }, 'Lines join names that share articles; thicker, more of them. Click a name or a line to filter.'));
}
