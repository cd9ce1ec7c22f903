// The static site Pagefind indexes: one HTML page per article of a JSON Lines corpus, the
// way a news site publishes them (written untimed, before Pagefind runs).
import fs from 'node:fs';
import path from 'node:path';

const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page of article `a` ({ id, title, body }). */
export function pageHtml(a) {
  const body = a.body.split('\n\n').map((p) => `<p>${esc(p)}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(a.title)}</title></head>`
    + `<body><main><h1>${esc(a.title)}</h1>\n${body}</main></body></html>\n`;
}

/** Where article `id`'s page is in a site folder. */
export const pagePath = (site, id) => path.join(site, 'a', `${id}.html`);

/** Writes every article of the corpus `file` as a page under `site` (once: a `done` file marks it). */
export function writeSite(file, site) {
  if (fs.existsSync(path.join(site, 'done'))) return;
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, 'a'), { recursive: true });
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const a = JSON.parse(line);
    fs.writeFileSync(pagePath(site, a.id), pageHtml(a));
  }
  fs.writeFileSync(path.join(site, 'done'), '');
}
