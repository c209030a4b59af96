// String folding for Japanese-aware search: the browser's copy of src/fold.rs.
//
// Build-time strings (record names, readings) are folded by the Rust code, the resident's query by
// this module; both must give exactly the same output, which tests/vectors/fold.json checks for both.
// Change the two together. The rules, their order and the reasons are documented in src/fold.rs:
//
//   1. spacing sound marks ゛゜ -> combining U+3099 U+309A
//   2. NFKC
//   per character:
//   3. dash / tilde / wave dash immediately after a kana -> ー; elsewhere removed
//   4. remove whitespace, controls, invisible format characters, variation selectors, punctuation
//   5. katakana -> hiragana (ヷヸヹヺ -> わゐゑを + U+3099; ヵヶ -> かけ; small kana stay small)
//   6. lower case, per character (no final-sigma rule)
//   on the whole string:
//   7. NFC
//   8. iteration marks 々〻 (after a kanji), ゝゞ (after a hiragana) repeat the previous character
//
// Plain ES module: no dependencies, no build step; works in browsers and node >= 20.
// Code points are compared as numbers; `for...of` and Array.from iterate by code point, like
// Rust's chars().

/** Kana letters and marks after NFKC (rule 3). */
function isKana(cp) {
  return (
    (cp >= 0x3041 && cp <= 0x3096) || // hiragana letters
    (cp >= 0x3099 && cp <= 0x309f) || // combining sound marks, ゝゞ
    (cp >= 0x30a1 && cp <= 0x30fa) || // katakana letters
    (cp >= 0x30fc && cp <= 0x30ff) || // ー ヽ ヾ
    (cp >= 0x31f0 && cp <= 0x31ff) // small katakana for Ainu
  );
}

/** Characters that stand for ー after a kana (rule 3), as they are after NFKC. */
function isLongVowelLookalike(cp) {
  return (
    cp === 0x2d || // - (also U+FF0D, U+FE63 after NFKC)
    cp === 0x7e || // ~ (also U+FF5E after NFKC)
    cp === 0x2010 || // ‐ hyphen (also U+2011 after NFKC)
    (cp >= 0x2012 && cp <= 0x2015) || // ‒ – — ―
    cp === 0x2212 || // − minus sign
    cp === 0x2500 ||
    cp === 0x2501 || // ─ ━ box drawing
    cp === 0x301c || // 〜 wave dash
    cp === 0x3030 // 〰 wavy dash
  );
}

/** ASCII punctuation and symbols: what Rust's char::is_ascii_punctuation accepts. */
function isAsciiPunctuation(cp) {
  return (
    (cp >= 0x21 && cp <= 0x2f) ||
    (cp >= 0x3a && cp <= 0x40) ||
    (cp >= 0x5b && cp <= 0x60) ||
    (cp >= 0x7b && cp <= 0x7e)
  );
}

/** Characters removed by rule 4, as they are after NFKC. */
function isRemoved(cp) {
  return (
    isAsciiPunctuation(cp) ||
    cp <= 0x20 || // C0 controls (tab, newlines) and space
    (cp >= 0x7f && cp <= 0xa0) || // DEL, C1 controls (NEL), no-break space
    cp === 0xa1 ||
    cp === 0xa7 ||
    cp === 0xab ||
    cp === 0xb6 ||
    cp === 0xb7 ||
    cp === 0xbb ||
    cp === 0xbf || // ¡ § « ¶ · » ¿
    cp === 0xad || // soft hyphen
    cp === 0x1680 || // ogham space mark
    cp === 0x180e || // Mongolian vowel separator
    (cp >= 0x2000 && cp <= 0x206f) || // General Punctuation
    cp === 0x2219 ||
    cp === 0x22c5 || // ∙ ⋅ typed for the middle dot
    cp === 0x2985 ||
    cp === 0x2986 || // ⦅ ⦆
    (cp >= 0x2e00 && cp <= 0x2e7f) || // Supplemental Punctuation
    (cp >= 0x3000 && cp <= 0x3003) || // ideographic space 、 。 〃
    (cp >= 0x3008 && cp <= 0x3011) || // 〈〉《》「」『』【】
    (cp >= 0x3014 && cp <= 0x301f) || // 〔〕〖〗〘〙〚〛〜〝〞〟
    cp === 0x3030 || // 〰
    cp === 0x303d || // 〽
    cp === 0x30a0 || // ゠
    cp === 0x30fb || // ・
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    cp === 0xfeff || // BOM
    (cp >= 0xe0100 && cp <= 0xe01ef) // ideographic variation selectors
  );
}

/** CJK unified and compatibility ideographs (rule 8). */
function isKanji(cp) {
  return (
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}

function isHiraganaLetter(cp) {
  return cp >= 0x3041 && cp <= 0x3096;
}

/** が -> か, ぱ -> は: the first character of the canonical decomposition. */
function kanaBase(ch) {
  return String.fromCodePoint(ch.normalize('NFD').codePointAt(0));
}

/** か -> が, う -> ゔ; a kana without a voiced form stays as it is. */
function kanaVoiced(ch) {
  const base = kanaBase(ch);
  const voiced = (base + '\u3099').normalize('NFC');
  return Array.from(voiced).length === 1 ? voiced : base;
}

/**
 * Folds a string for search. Same output as kenkomap::fold::fold in Rust.
 * @param {string} s
 * @returns {string}
 */
export function fold(s) {
  // Rule 1: spacing sound marks -> combining sound marks.
  const marked = String(s).replace(/\u309B/g, '\u3099').replace(/\u309C/g, '\u309A');

  // Rule 2: NFKC.
  const nfkc = marked.normalize('NFKC');

  let out = '';
  let prev = -1;
  for (const ch of nfkc) {
    const cp = ch.codePointAt(0);
    const afterKana = prev >= 0 && isKana(prev);
    prev = cp;

    // Rule 3: long-vowel look-alikes.
    if (isLongVowelLookalike(cp)) {
      if (afterKana) out += 'ー';
      continue;
    }

    // Rule 4: whitespace, controls, format characters, punctuation.
    if (isRemoved(cp)) continue;

    // Rule 5: katakana -> hiragana.
    let c = ch;
    if (cp >= 0x30f7 && cp <= 0x30fa) {
      // ヷヸヹヺ = ワヰヱヲ + dakuten; hiragana has no precomposed form.
      out += String.fromCodePoint(cp - 0x30f7 + 0x308f) + '\u3099';
      continue;
    } else if (cp === 0x30f5 || cp === 0x3095) {
      c = 'か'; // ヵ ゕ
    } else if (cp === 0x30f6 || cp === 0x3096) {
      c = 'け'; // ヶ ゖ
    } else if ((cp >= 0x30a1 && cp <= 0x30f4) || cp === 0x30fd || cp === 0x30fe) {
      c = String.fromCodePoint(cp - 0x60);
    }

    // Rule 6: lower case, one character at a time (a lone Σ has no final-sigma context).
    out += c.toLowerCase();
  }

  // Rule 7: NFC.
  const composed = Array.from(out.normalize('NFC'));

  // Rule 8: iteration marks.
  const result = [];
  for (let i = 0; i < composed.length; i++) {
    const c = composed[i];
    const cp = c.codePointAt(0);
    const last = result.length > 0 ? result[result.length - 1] : undefined;
    const lastCp = last === undefined ? -1 : last.codePointAt(0);
    const next = i + 1 < composed.length ? composed[i + 1].codePointAt(0) : -1;
    let repeated;
    if (next === 0x3099 || next === 0x309a) {
      repeated = undefined;
    } else if ((cp === 0x3005 || cp === 0x303b) && isKanji(lastCp)) {
      repeated = last; // 々 〻
    } else if (cp === 0x309d && isHiraganaLetter(lastCp)) {
      repeated = kanaBase(last); // ゝ
    } else if (cp === 0x309e && isHiraganaLetter(lastCp)) {
      repeated = kanaVoiced(last); // ゞ
    }
    result.push(repeated === undefined ? c : repeated);
  }
  return result.join('');
}

/**
 * Character bigrams of an already folded string, in order, duplicates kept; a one-character
 * string gives itself, the empty string nothing. Same output as kenkomap::fold::bigrams.
 * @param {string} folded
 * @returns {string[]}
 */
export function bigrams(folded) {
  const chars = Array.from(folded);
  if (chars.length === 0) return [];
  if (chars.length === 1) return [folded];
  const out = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}
