// Compiled (never run) by ./build.sh test: the package's types describe what a user writes.
import { openEngine, type NewsLens, type SearchResponse, type ArticleView, type EntityPage } from '../target/npm/newslens/index.js';

const lens: NewsLens = document.createElement('news-lens');
lens.setAttribute('src', '/index/');

export async function example(): Promise<string> {
  const host = await openEngine(new URL('/index/', location.href));
  const res: SearchResponse = await host.search('xiaomi', ['person:lei-jun'], 10, 0, 20, 'relevance', true, '2024', '');
  const first = res.hits[0];
  const view: ArticleView = await host.article(first.id, 'xiaomi');
  const months = res.timeline?.buckets.map((b) => `${b.key}: ${b.count}`) ?? [];
  const pairs = res.together?.links.map((l) => res.together!.nodes[l.a].name) ?? [];
  const said = view.quotes.map((q) => `${q.speaker}: ${q.text}`);
  const page: EntityPage = await host.entity('person:lei-jun');
  const roles = page.roles.map((r) => `${r.title} ${r.name} (${r.articles})`);
  return [view.title.map((s) => s.text).join(''), ...months, ...pairs, ...said, ...roles].join('\n');
}
