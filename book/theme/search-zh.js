// Search for the Chinese edition. mdBook's index splits words on spaces and drops CJK
// characters (mdBook issue #1081), so no Chinese query finds anything. Its index still stores
// each section's whole text; this script gives the loaded index a search that reads that text:
// a query's words (split on spaces) must each occur in a section, Chinese ones as written, Latin
// ones without regard to case; a section scores by where and how often they occur (the title
// counts most). mdBook's search box, keys, results list and highlighting are kept.
(function () {
  'use strict';

  function occurrences(text, word) {
    let count = 0;
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      count++;
    }
    return count;
  }

  function searchText(docs, query) {
    const words = query.toLowerCase().split(/\s+/).filter(w => w.length > 0);
    if (words.length === 0) {
      return [];
    }
    const results = [];
    for (const ref of Object.keys(docs)) {
      const doc = docs[ref];
      const title = (doc.title || '').toLowerCase();
      const crumbs = (doc.breadcrumbs || '').toLowerCase();
      const body = (doc.body || '').toLowerCase();
      let score = 0;
      let all = true;
      for (const word of words) {
        const inTitle = occurrences(title, word) + occurrences(crumbs, word);
        const inBody = occurrences(body, word);
        if (inTitle + inBody === 0) {
          all = false;
          break;
        }
        score += 10 * inTitle + Math.min(inBody, 10);
      }
      if (all) {
        results.push({ ref: ref, score: score, doc: doc });
      }
    }
    results.sort((a, b) => b.score - a.score || Number(a.ref) - Number(b.ref));
    return results;
  }

  function install() {
    const lunr = window.elasticlunr;
    if (!lunr || !lunr.Index || lunr.Index.load.backpropChinese) {
      return Boolean(lunr && lunr.Index);
    }
    const load = lunr.Index.load;
    const chineseLoad = function (data) {
      const index = load.call(this, data);
      const docs = (data.documentStore && data.documentStore.docs) || {};
      index.search = query => searchText(docs, query);
      return index;
    };
    chineseLoad.backpropChinese = true;
    lunr.Index.load = chineseLoad;
    return true;
  }

  // elasticlunr may load after this script: try now, then once the page has loaded.
  if (!install()) {
    window.addEventListener('DOMContentLoaded', install);
    window.addEventListener('load', install);
  }
  window.backpropSearchText = searchText;
})();
