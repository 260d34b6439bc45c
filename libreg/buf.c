/* buf.c: growth of output buffers and JSON string escaping. */
#include "buf-private.h"

void
reg_buf_grow(RegBuf *b, size_t need)
{
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < need)
    cap *= 2;
  b->data = g_realloc(b->data, cap);
  b->cap = cap;
}

void
reg_buf_json_string(RegBuf *b, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  /* worst case: every byte becomes \u00XX */
  char *o = reg_buf_reserve(b, n * 6 + 2), *start = o;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
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
