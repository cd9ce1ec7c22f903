// Types of the newslens package: the <news-lens> element and the engine host behind it.
// Results are plain JSON objects made by the Rust engine (src/search/mod.rs).

/** A piece of text: plain, or a query match; in article text, possibly an entity mention. */
export interface Segment {
  text: string;
  kind: 'text' | 'hit';
  entity?: string;
  type?: EntityType;
}

export type EntityType =
  | 'person' | 'org' | 'place' | 'product' | 'event' | 'norp' | 'date' | 'money' | 'quantity' | 'percent';

export interface ArticleRef {
  id: string;
  title: string;
  source: string | null;
  date: string | null;
  url: string | null;
}

export interface Hit extends ArticleRef {
  score: number;
  title_segments: Segment[];
  snippet: Segment[];
  explain: { query: string; matched: string[]; kind: string; title?: number; lede?: number; body?: number; score: number }[];
  copies: ArticleRef[];
}

export interface FacetGroup {
  type: EntityType;
  label: string;
  available: number;
  values: { id: string; name: string; count: number; total: number; selected: boolean }[];
}

export interface Timeline {
  unit: 'day' | 'month' | 'year';
  buckets: { key: string; from: string; to: string; count: number }[];
  undated: number;
}

export interface Cooccurrence {
  nodes: { id: string; name: string; type: EntityType; count: number }[];
  links: { a: number; b: number; count: number }[];
}

export interface SearchResponse {
  /** Stories (near-duplicate copies count once). */
  total: number;
  /** Articles, copies included. */
  articles: number;
  hits: Hit[];
  facets: FacetGroup[];
  terms: string[];
  understood: string;
  notes: string[];
  warnings: string[];
  partial: boolean;
  did_you_mean: string | null;
  suggestions: { id: string; name: string; type: EntityType; total: number }[];
  missing: string[];
  timeline: Timeline | null;
  together: Cooccurrence | null;
}

export interface ArticleView {
  id: string;
  source: string | null;
  date: string | null;
  url: string | null;
  title: Segment[];
  paragraphs: Segment[][];
  entities: { id: string; name: string; type: EntityType; mentions: number }[];
  copies: ArticleRef[];
  related: ArticleRef[];
  more: ArticleRef[];
  /** Who holds which role where, as the article says ("" title: a plain affiliation). */
  roles: { person_id: string; person: string; org_id: string; org: string; title: string }[];
  /** What the article quotes, with the speakers, in text order. */
  quotes: Quote[];
}

export interface Quote {
  speaker_id: string;
  speaker: string;
  text: string;
  /** 0..1: below 0.65 the speaker was inferred from the sentences before ("he said"). */
  confidence: number;
  /** The article it is from (on an entity page). */
  article?: ArticleRef | null;
}

/** An entity's page, gathered from its newest articles (at most 40). */
export interface EntityPage {
  id: string;
  name: string;
  type: EntityType;
  /** Articles that mention it in the whole index. */
  total: number;
  /** Articles this page was gathered from. */
  read: number;
  aliases: { text: string; mentions: number }[];
  /** A person's organisations, or an organisation's people. */
  roles: { id: string; name: string; type: EntityType; title: string; articles: number }[];
  quotes: Quote[];
  articles: ArticleRef[];
}

/** The engine, in a Web Worker where possible; a sharded index is fetched as searches need it. */
export interface Host {
  search(
    query: string, entities: string[], limit: number, offset: number, facetLimit: number,
    sort: 'relevance' | 'date', asYouType: boolean, dateFrom?: string, dateTo?: string,
  ): Promise<SearchResponse>;
  article(id: string, query: string): Promise<ArticleView>;
  entity(id: string): Promise<EntityPage>;
  stats(): Promise<{ articles: number; entities: number; terms: number; format_version: number; sharded: boolean }>;
  resolveEntity(reference: string): Promise<string>;
  close?(): void;
  onRestart: () => void;
  onEntities: () => void;
}

/**
 * Opens an index: an absolute URL of its folder (ending in '/') or of its index.newslens, or the bytes
 * of a single-file index. Rejects with a clear message for a missing, damaged or old index.
 */
export function openEngine(source: URL | string | ArrayBuffer): Promise<Host>;

/** <news-lens src="index/" query="…" height="600px" facets="person,org" theme="auto|light|dark"> */
export class NewsLens extends HTMLElement {
  static observedAttributes: string[];
}

declare global {
  interface HTMLElementTagNameMap {
    'news-lens': NewsLens;
  }
}
