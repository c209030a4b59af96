// Run with: node --test tests/js/
// The HTML map.js gives Leaflet: text from site.yaml and the records cannot add attributes or tags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, attributionHtml } from "../../themes/default/static/js/map.js";

test("escapes for element content and quoted attributes", () => {
  assert.equal(escapeHtml(`a&b<c>"d"'e'`), "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;");
  assert.equal(escapeHtml(undefined), "");
  assert.equal(escapeHtml(12), "12");
});

test("a quote in the attribution URL stays inside the href", () => {
  const html = attributionHtml('地理院タイル"<b>', 'https://t.example.jp/" onmouseover="alert(1)');
  assert.equal(
    html,
    '<a href="https://t.example.jp/&quot; onmouseover=&quot;alert(1)">地理院タイル&quot;&lt;b&gt;</a>',
  );
  // One attribute, one element: nothing broke out.
  assert.equal(html.match(/="/g).length, 1);
  assert.equal(html.match(/</g).length, 2);
});

test("only http(s) attribution URLs become links", () => {
  assert.equal(attributionHtml("T", "javascript:alert(1)"), "T");
  assert.equal(attributionHtml("T", " JAVASCRIPT:alert(1)"), "T");
  assert.equal(attributionHtml("T", ""), "T");
  assert.equal(attributionHtml("T", undefined), "T");
  assert.equal(attributionHtml("T", "HTTPS://t.example.jp/"), '<a href="HTTPS://t.example.jp/">T</a>');
});
