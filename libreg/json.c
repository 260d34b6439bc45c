/* json.c: validating JSON scanning primitives (strings, numbers, skipping values), SSE2 where available. */
#include "json-private.h"

#include <stdint.h>
#include <string.h>

/* SSE2 is part of x86-64; the scalar code is the reference everywhere else. */
#if defined(__SSE2__) && defined(__GNUC__)
#define REG_JSON_SSE2 1
#include <emmintrin.h>
#else
#define REG_JSON_SSE2 0
#endif

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define ALWAYS_INLINE inline
#endif

/* The scanners below return the position after what they scanned, or NULL if it is invalid. */

static inline unsigned
byte_at(const char *p)
{
  return (unsigned char) *p;
}

static inline bool
is_digit(unsigned c)
{
  return c - '0' < 10;
}

/* Value of four hex digits at @p (caller checked they are in the buffer), or -1. */
static inline int
hex4(const char *p)
{
  int v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned c = byte_at(p + i);
    unsigned d;
    if (c - '0' < 10)
      d = c - '0';
    else if ((c | 0x20) - 'a' < 6)
      d = (c | 0x20) - 'a' + 10;
    else
      return -1;
    v = (v << 4) | (int) d;
  }
  return v;
}

/*
 * One UTF-8 sequence whose lead byte (>= 0x80) is at @q, per the table in
 * RFC 3629 section 4: C2..DF 1 tail; E0 A0..BF; ED 80..9F; F0 90..BF;
 * F4 80..8F; everything else 80..BF.
 */
static const char *
scan_utf8(const char *q, const char *end)
{
  unsigned c = byte_at(q);
  size_t avail = (size_t) (end - q);
  if (c < 0xE0) {
    if (c < 0xC2 || avail < 2 || (byte_at(q + 1) & 0xC0) != 0x80)
      return NULL;
    return q + 2;
  }
  unsigned lo = 0x80, hi = 0xBF;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  else if (c > 0xF4)
    return NULL;
  if (avail < 2 || byte_at(q + 1) < lo || byte_at(q + 1) > hi)
    return NULL;
  if (c < 0xF0) {
    if (avail < 3 || (byte_at(q + 2) & 0xC0) != 0x80)
      return NULL;
    return q + 3;
  }
  if (avail < 4 || (byte_at(q + 2) & 0xC0) != 0x80 || (byte_at(q + 3) & 0xC0) != 0x80)
    return NULL;
  return q + 4;
}

/* One escape sequence; @q points at the backslash. */
static const char *
scan_escape(const char *q, const char *end)
{
  if (end - q < 2)
    return NULL;
  switch (q[1]) {
  case '"':
  case '\\':
  case '/':
  case 'b':
  case 'f':
  case 'n':
  case 'r':
  case 't':
    return q + 2;
  case 'u': {
    if (end - q < 6)
      return NULL;
    int u = hex4(q + 2);
    if (u < 0xD800) /* also catches -1 */
      return u < 0 ? NULL : q + 6;
    if (u >= 0xE000)
      return q + 6;
    if (u >= 0xDC00) /* lone low surrogate */
      return NULL;
    if (end - q < 12 || q[6] != '\\' || q[7] != 'u')
      return NULL;
    int lo = hex4(q + 8);
    if (lo < 0xDC00 || lo > 0xDFFF)
      return NULL;
    return q + 12;
  }
  default:
    return NULL;
  }
}

/*
 * Handles the byte at @q that stopped the fast scan: returns the position to
 * resume from, or NULL on error. A closing quote is reported through *@done.
 */
static ALWAYS_INLINE const char *
scan_special(const char *q, const char *end, bool *esc, bool *done)
{
  unsigned c = byte_at(q);
  if (c == '"') {
    *done = true;
    return q + 1;
  }
  if (c == '\\') {
    *esc = true;
    return scan_escape(q, end);
  }
  if (c >= 0x80)
    return scan_utf8(q, end);
  return NULL; /* raw control character */
}

/* A string; @p points at its opening quote. Sets *@esc if it contains a backslash. */
static ALWAYS_INLINE const char *
scan_string(const char *p, const char *end, bool *esc)
{
  const char *q = p + 1;
  bool done = false;

#if REG_JSON_SSE2
  /*
   * 16 bytes at a time: one mask of quotes, one of the other bytes that need
   * a closer look (a signed compare against 0x20 flags both the control
   * characters and every byte >= 0x80). Most strings are short ASCII and end
   * at the first quote of the first block; otherwise the flagged bytes of the
   * block are handled in order without reloading it.
   */
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - q >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *) (const void *) q);
    unsigned qm = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
    unsigned sm = (unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, bslash), _mm_cmplt_epi8(v, space)));
    /* The usual case: nothing special before the first quote (or in the block, if it has none). */
    if (LIKELY((sm & ((qm - 1) & ~qm)) == 0)) {
      if (qm != 0)
        return q + __builtin_ctz(qm) + 1;
      q += 16;
      continue;
    }
    unsigned mask = qm | sm;
    const char *blk = q;
    for (;;) {
      q = blk + __builtin_ctz(mask);
      q = scan_special(q, end, esc, &done);
      if (q == NULL || done)
        return q;
      ptrdiff_t off = q - blk;
      if (off >= 16)
        break;
      mask &= ~0u << off;
      if (mask == 0) {
        q = blk + 16;
        break;
      }
    }
  }
#endif

  while (q < end) {
    unsigned c = byte_at(q);
    if (LIKELY(c - 0x20 < 0x60 && c != '"' && c != '\\')) {
      q++;
      continue;
    }
    q = scan_special(q, end, esc, &done);
    if (q == NULL || done)
      return q;
  }
  return NULL; /* no closing quote */
}

static ALWAYS_INLINE const char *
scan_digits(const char *q, const char *end)
{
  while (q < end && is_digit(byte_at(q)))
    q++;
  return q;
}

/* A number, one byte at a time; @p < @end points at its first character. */
static const char *
scan_number_scalar(const char *p, const char *end)
{
  const char *q = p;
  if (*q == '-') {
    q++;
    if (q == end)
      return NULL;
  }
  if (*q == '0') {
    q++;
    if (q < end && is_digit(byte_at(q)))
      return NULL; /* leading zero */
  } else if (is_digit(byte_at(q))) {
    q = scan_digits(q + 1, end);
  } else {
    return NULL;
  }
  if (q < end && *q == '.') {
    q++;
    if (q == end || !is_digit(byte_at(q)))
      return NULL;
    q = scan_digits(q + 1, end);
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < end && (*q == '+' || *q == '-'))
      q++;
    if (q == end || !is_digit(byte_at(q)))
      return NULL;
    q = scan_digits(q + 1, end);
  }
  return q;
}

/*
 * A number; @p < @end points at its first character. With SSE2, one 16-byte
 * digit mask gives the length of each digit run without a loop (whose exit
 * would be a mispredicted branch per number); numbers that do not end inside
 * the block go the scalar way.
 */
static ALWAYS_INLINE const char *
scan_number(const char *p, const char *end)
{
#if REG_JSON_SSE2
  if (LIKELY(end - p >= 16)) {
    __m128i v = _mm_loadu_si128((const __m128i *) (const void *) p);
    __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    /* Bit i set when p[i] is not a digit; bit 16 stops every count at the block's end. */
    unsigned nd = ~(unsigned) _mm_movemask_epi8(dig) | 0x10000u;
    unsigned i = *p == '-';
    unsigned j = i + (unsigned) __builtin_ctz(nd >> i);
    if (UNLIKELY(j == i || (p[i] == '0' && j > i + 1)))
      return NULL; /* no digits, or a leading zero */
    if (UNLIKELY(j >= 15))
      return scan_number_scalar(p, end);
    if (p[j] == '.') {
      unsigned f = j + 1 + (unsigned) __builtin_ctz(nd >> (j + 1));
      if (UNLIKELY(f == j + 1))
        return NULL;
      j = f;
      if (UNLIKELY(j >= 15))
        return scan_number_scalar(p, end);
    }
    if ((p[j] | 0x20) == 'e') {
      unsigned k = j + 1;
      if (p[k] == '+' || p[k] == '-')
        k++;
      if (UNLIKELY(k >= 16))
        return scan_number_scalar(p, end);
      unsigned f = k + (unsigned) __builtin_ctz(nd >> k);
      if (UNLIKELY(f == k))
        return NULL;
      j = f;
      if (UNLIKELY(j >= 16))
        return scan_number_scalar(p, end);
    }
    return p + j;
  }
#endif
  return scan_number_scalar(p, end);
}

static ALWAYS_INLINE const char *
skip_ws(const char *p, const char *end)
{
  /* Compact JSON has almost no whitespace: test for none first. */
  if (LIKELY(p < end && byte_at(p) > ' '))
    return p;
  return reg_json_ws(p, end);
}

RegJsonStatus
reg_json_string(const char *p, const char *end, const char **out_end, bool *has_escape)
{
  bool esc = false;
  const char *q = NULL;
  if (p < end && *p == '"')
    q = scan_string(p, end, &esc);
  if (q == NULL) {
    *out_end = p;
    return REG_JSON_SYNTAX;
  }
  *out_end = q;
  if (has_escape != NULL)
    *has_escape = esc;
  return REG_JSON_OK;
}

RegJsonStatus
reg_json_number(const char *p, const char *end, const char **out_end)
{
  const char *q = p < end ? scan_number(p, end) : NULL;
  if (q == NULL) {
    *out_end = p;
    return REG_JSON_SYNTAX;
  }
  *out_end = q;
  return REG_JSON_OK;
}

/* Writes code point @u (<= 0x10FFFF) as UTF-8 at @o; returns the byte after. */
static char *
put_utf8(char *o, unsigned u)
{
  if (u < 0x80) {
    *o++ = (char) u;
  } else if (u < 0x800) {
    *o++ = (char) (0xC0 | (u >> 6));
    *o++ = (char) (0x80 | (u & 0x3F));
  } else if (u < 0x10000) {
    *o++ = (char) (0xE0 | (u >> 12));
    *o++ = (char) (0x80 | ((u >> 6) & 0x3F));
    *o++ = (char) (0x80 | (u & 0x3F));
  } else {
    *o++ = (char) (0xF0 | (u >> 18));
    *o++ = (char) (0x80 | ((u >> 12) & 0x3F));
    *o++ = (char) (0x80 | ((u >> 6) & 0x3F));
    *o++ = (char) (0x80 | (u & 0x3F));
  }
  return o;
}

size_t
reg_json_unescape(const char *raw, size_t raw_len, char *out)
{
  const char *p = raw, *end = raw + raw_len;
  char *o = out;

  /* Output never overtakes input, so memmove makes in-place use safe. */
  while (p < end) {
    const char *bs = memchr(p, '\\', (size_t) (end - p));
    size_t n = (size_t) ((bs != NULL ? bs : end) - p);
    if (o != p)
      memmove(o, p, n);
    o += n;
    p += n;
    if (bs == NULL || end - p < 2)
      break;
    char c = p[1];
    p += 2;
    switch (c) {
    case 'b':
      *o++ = '\b';
      break;
    case 'f':
      *o++ = '\f';
      break;
    case 'n':
      *o++ = '\n';
      break;
    case 'r':
      *o++ = '\r';
      break;
    case 't':
      *o++ = '\t';
      break;
    case 'u': {
      int u = end - p >= 4 ? hex4(p) : -1;
      if (u < 0) { /* malformed: keep "\u" as is */
        *o++ = '\\';
        *o++ = 'u';
        break;
      }
      p += 4;
      if (u >= 0xD800 && u < 0xE000) {
        int lo = -1;
        if (u < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u')
          lo = hex4(p + 2);
        if (lo >= 0xDC00 && lo < 0xE000) {
          p += 6;
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        } else {
          u = 0xFFFD;
        }
      }
      o = put_utf8(o, (unsigned) u);
      break;
    }
    default: /* '"', '\\', '/' and (unvalidated) anything else: the character itself */
      *o++ = c;
      break;
    }
  }
  /* A trailing lone backslash (unvalidated input) is kept. */
  if (p < end)
    *o++ = *p;
  return (size_t) (o - out);
}

RegJsonStatus
reg_json_skip(const char *p, const char *end, int max_depth, const char **out_end)
{
  /* Bit i is set when the container at depth i + 1 is an object. */
  uint64_t stack[REG_JSON_MAX_DEPTH / 64];
  int depth = 0;
  bool in_obj = false, esc = false;
  const char *q;

  if (max_depth > REG_JSON_MAX_DEPTH)
    max_depth = REG_JSON_MAX_DEPTH;

value:
  if (UNLIKELY(p >= end))
    goto syntax;
  /* Strings are the most common value: test for them before the jump table. */
  if (*p == '"') {
    q = scan_string(p, end, &esc);
    if (UNLIKELY(q == NULL))
      goto syntax;
    p = q;
    goto after_value;
  }
  switch (*p) {
  case '-':
  case '0':
  case '1':
  case '2':
  case '3':
  case '4':
  case '5':
  case '6':
  case '7':
  case '8':
  case '9':
    q = scan_number(p, end);
    if (UNLIKELY(q == NULL))
      goto syntax;
    p = q;
    goto after_value;
  case '{':
  case '[': {
    bool obj = *p == '{';
    if (UNLIKELY(depth >= max_depth))
      goto too_deep;
    q = skip_ws(p + 1, end);
    if (q < end && *q == (obj ? '}' : ']')) {
      p = q + 1;
      goto after_value;
    }
    p = q;
    unsigned bit = (unsigned) depth & 63;
    if (bit == 0)
      stack[depth >> 6] = obj;
    else
      stack[depth >> 6] = (stack[depth >> 6] & ~(UINT64_C(1) << bit)) | ((uint64_t) obj << bit);
    depth++;
    in_obj = obj;
    if (obj)
      goto key;
    goto value;
  }
  case 't':
    if (end - p < 4 || memcmp(p, "true", 4) != 0)
      goto syntax;
    p += 4;
    goto after_value;
  case 'f':
    if (end - p < 5 || memcmp(p, "false", 5) != 0)
      goto syntax;
    p += 5;
    goto after_value;
  case 'n':
    if (end - p < 4 || memcmp(p, "null", 4) != 0)
      goto syntax;
    p += 4;
    goto after_value;
  default:
    goto syntax;
  }

key:
  if (UNLIKELY(p >= end || *p != '"'))
    goto syntax;
  q = scan_string(p, end, &esc);
  if (UNLIKELY(q == NULL))
    goto syntax;
  p = skip_ws(q, end);
  if (UNLIKELY(p >= end || *p != ':'))
    goto syntax;
  p = skip_ws(p + 1, end);
  goto value;

after_value:
  if (depth == 0) {
    *out_end = p;
    return REG_JSON_OK;
  }
  p = skip_ws(p, end);
  if (UNLIKELY(p >= end))
    goto syntax;
  if (*p == ',') {
    p = skip_ws(p + 1, end);
    if (in_obj)
      goto key;
    goto value;
  }
  if (*p != (in_obj ? '}' : ']'))
    goto syntax;
  p++;
  depth--;
  if (depth > 0)
    in_obj = (stack[(depth - 1) >> 6] >> ((unsigned) (depth - 1) & 63)) & 1;
  goto after_value;

syntax:
  *out_end = p;
  return REG_JSON_SYNTAX;

too_deep:
  *out_end = p;
  return REG_JSON_DEPTH;
}

RegJsonStatus
reg_json_validate(const char *p, size_t len, int max_depth)
{
  if (len == 0)
    return REG_JSON_SYNTAX;
  const char *end = p + len;
  p = reg_json_ws(p, end);
  RegJsonStatus st = reg_json_skip(p, end, max_depth, &p);
  if (st != REG_JSON_OK)
    return st;
  return reg_json_ws(p, end) == end ? REG_JSON_OK : REG_JSON_SYNTAX;
}
