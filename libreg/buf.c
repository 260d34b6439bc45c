/* buf.c: growth of output buffers and JSON string escaping. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf-private.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void
reg_buf_grow(RegBuf *b, size_t need)
{
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < need)
    cap *= 2;
  b->data = g_realloc(b->data, cap);
  b->cap = cap;
}

/* bytes a JSON string must escape: controls, '"' and backslash */
static const bool needs_escape[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
  [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
  [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
  [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
  [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1,
};

/* Whether none of the 8 bytes in @x needs escaping: no control byte (below 0x20), no '"'
 * and no backslash. Bytes of 0x80 and up (UTF-8) are plain. */
static inline bool
plain8(uint64_t x)
{
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
  /* a byte below 0x20, and a zero byte of quote or bslash, each set its high bit here
   * (exact for the question "is there one", which is all that is asked) */
  uint64_t low = (x - ones * 0x20) & ~x;
  uint64_t zq = (quote - ones) & ~quote, zb = (bslash - ones) & ~bslash;
  return ((low | zq | zb) & highs) == 0;
}

void
reg_buf_json_string(RegBuf *b, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  /* worst case: every byte becomes \u00XX */
  char *o = reg_buf_reserve(b, n * 6 + 2), *start = o;
  *o++ = '"';
  size_t i = 0;
#if defined(__SSE2__)
  /* 16 bytes at a time while none needs escaping (most texts: codes, names, ids) */
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20), sign = _mm_set1_epi8((char) 0x80);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *) (const void *) (s + i));
    /* bytes below 0x20, unsigned: compare with the sign bit flipped */
    __m128i low = _mm_cmplt_epi8(_mm_xor_si128(v, sign), _mm_xor_si128(space, sign));
    __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), low);
    if (_mm_movemask_epi8(bad))
      break;
    memcpy(o, s + i, 16);
    o += 16;
  }
#endif
  /* the rest (short texts: ids, codes): 8 bytes at a time while none needs escaping, the
   * last 8 overlapping the ones before; a text under 8 bytes, byte by byte */
  while (n >= 8 && i < n) {
    size_t at = i + 8 <= n ? i : n - 8;
    uint64_t x;
    memcpy(&x, s + at, 8);
    if (!plain8(x))
      break;
    /* (at <= i: the last word backs up over bytes written already) */
    memcpy(o - (i - at), s + at, 8);
    o += at + 8 - i;
    i = at + 8;
  }
  for (; i < n && !needs_escape[(unsigned char) s[i]]; i++)
    *o++ = s[i];
  for (; i < n; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = (char) c;
      continue;
    }
    *o++ = '\\';
    switch (c) {
    case '"':
      *o++ = '"';
      break;
    case '\\':
      *o++ = '\\';
      break;
    case '\n':
      *o++ = 'n';
      break;
    case '\r':
      *o++ = 'r';
      break;
    case '\t':
      *o++ = 't';
      break;
    case '\b':
      *o++ = 'b';
      break;
    case '\f':
      *o++ = 'f';
      break;
    default:
      *o++ = 'u';
      *o++ = '0';
      *o++ = '0';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
      break;
    }
  }
  *o++ = '"';
  b->len += (size_t) (o - start);
}
