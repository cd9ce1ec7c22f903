// Text segments from the engine ({ text, kind: 'text' | 'hit', entity?, type? }) as DOM
// nodes, shared by the viewer and the <news-lens> element. Text goes in as text nodes.
import { el } from './dom.js';

export const TYPE_ORDER = ['person', 'org', 'place', 'product', 'event', 'norp', 'date', 'money', 'quantity', 'percent'];
export const TYPE_LABEL = {
  person: 'Person', org: 'Organisation', place: 'Place', product: 'Product', event: 'Event',
  norp: 'Group', date: 'Date', money: 'Money', quantity: 'Quantity', percent: 'Percentage',
};

/**
 * Segments as nodes. With `onEntity`, mentions become buttons calling it with the entity id;
 * consecutive segments of one mention (a query word inside a name) share one button.
 */
export function segmentNodes(segments, { onEntity = null, names = {} } = {}) {
  const out = [];
  let button = null;
  let buttonEntity = null;
  for (const s of segments) {
    const inner = s.kind === 'hit' ? el('mark', {}, s.text) : document.createTextNode(s.text);
    if (!(onEntity && s.entity)) {
      button = null;
      out.push(inner);
      continue;
    }
    if (!button || buttonEntity !== s.entity) {
      const label = `${TYPE_LABEL[s.type] || s.type}: ${names[s.entity] || s.text}. Filter by it.`;
      const id = s.entity;
      button = el('button', {
        type: 'button', class: `ent ent-${s.type}`, title: label,
        dataset: { entity: id }, onclick: () => onEntity(id),
      });
      part(button, 'entity');
      buttonEntity = id;
      out.push(button);
    }
    button.append(inner);
  }
  return out;
}

/** Names an element for ::part() styling by an embedding page (ignored outside a shadow root). */
export function part(node, name) {
  node.setAttribute('part', name);
  return node;
}
