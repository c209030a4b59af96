// Run with: node --test tests/js/
// Checks themes/default/static/js/fold.js against the vectors the Rust tests also read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fold, bigrams } from '../../themes/default/static/js/fold.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/fold.json', import.meta.url), 'utf8'));

const show = (s) =>
  Array.from(s, (c) => 'U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')).join(' ');

test('there are enough shared vectors', () => {
  assert.ok(vectors.length >= 40, `only ${vectors.length} vectors`);
});

test('fold matches every shared vector', () => {
  const failures = [];
  for (const { input, folded } of vectors) {
    const got = fold(input);
    if (got !== folded) {
      failures.push(`fold(${JSON.stringify(input)}) = ${JSON.stringify(got)} [${show(got)}], expected ${JSON.stringify(folded)} [${show(folded)}]`);
    }
  }
  assert.deepEqual(failures, []);
});

test('bigrams match the shared vectors that list them', () => {
  const withBigrams = vectors.filter((v) => v.bigrams);
  assert.ok(withBigrams.length >= 5);
  for (const { folded, bigrams: expected } of withBigrams) {
    assert.deepEqual(bigrams(folded), expected, JSON.stringify(folded));
  }
});

test('bigrams', () => {
  assert.deepEqual(bigrams(''), []);
  assert.deepEqual(bigrams('高'), ['高']);
  assert.deepEqual(bigrams('たかまつ'), ['たか', 'かま', 'まつ']);
  assert.deepEqual(bigrams('😀高松'), ['😀高', '高松']);
  assert.deepEqual(bigrams('あああ'), ['ああ', 'ああ']);
});

test('the four spellings of 高松 find 高松市保健所', () => {
  const fields = [fold('高松市保健所'), fold('タカマツシホケンジョ')];
  for (const query of ['たかまつしほけんじょ', 'ﾀｶﾏﾂ', 'タカマツ', '高松']) {
    const q = fold(query);
    assert.ok(fields.some((f) => f.includes(q)), `${query} -> ${q}`);
    const terms = bigrams(q);
    assert.ok(fields.some((f) => terms.every((t) => bigrams(f).includes(t))), query);
  }
});

// The same alphabet as the Rust property test in src/fold.rs.
const ALPHABET = Array.from(
  'aZÉİΣßẞǅﬁⅫ℃½0９Ａｚあかはうわゝゞアカハウワヽヾヴヷヶァｶﾊｳﾜﾞﾟｰ゛゜\u3099\u309a\u0301\u0308¨￣ー-－‐—−─〜～~高松佐々〻㈱①㍿㌢ゟヿ \u3000\t\n\u00a0\u200b\u200d\ufe0f\u{e0100}・･（）「」.,:😀❤〒ㇰ',
);

// mulberry32: a small deterministic generator, so failures repeat.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('fold is idempotent', () => {
  const random = rng(0x6b656e6b);
  const inputs = [...vectors.map((v) => v.input), ...ALPHABET];
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(random() * 10);
    let s = '';
    for (let j = 0; j < len; j++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
    inputs.push(s);
  }
  for (const input of inputs) {
    const once = fold(input);
    assert.equal(fold(once), once, `input ${JSON.stringify(input)} [${show(input)}]`);
  }
});
