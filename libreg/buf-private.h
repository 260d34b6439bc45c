/* buf-private.h: a growable byte buffer for output lines, cheaper than GString on the hot path. */
#pragma once

#include <glib.h>
#include <string.h>

typedef struct {
  char *data;
  size_t len, cap;
} RegBuf;

static inline void
reg_buf_init(RegBuf *b)
{
  b->data = NULL;
  b->len = b->cap = 0;
}

static inline void
reg_buf_clear(RegBuf *b)
{
  g_free(b->data);
  reg_buf_init(b);
}

void reg_buf_grow(RegBuf *b, size_t need);

/* Room for @n more bytes; returns where they go (call reg_buf_commit after writing). */
static inline char *
reg_buf_reserve(RegBuf *b, size_t n)
{
  if (b->cap - b->len < n)
    reg_buf_grow(b, n);
  return b->data + b->len;
}

static inline void
reg_buf_commit(RegBuf *b, size_t n)
{
  b->len += n;
}

static inline void
reg_buf_add(RegBuf *b, const void *s, size_t n)
{
  /* nothing to add (an empty name, say) to a buffer still without storage: memcpy may
   * not be given NULL, even for no bytes */
  if (G_UNLIKELY(n == 0))
    return;
  memcpy(reg_buf_reserve(b, n), s, n);
  b->len += n;
}

static inline void
reg_buf_addc(RegBuf *b, char c)
{
  *reg_buf_reserve(b, 1) = c;
  b->len++;
}

#define reg_buf_lit(b, s) reg_buf_add((b), (s), sizeof(s) - 1)

/* Adds @n bytes of @s, which may be read REG_BUF_ADD16 bytes far whatever @n: short texts
 * (field names, members) are copied as one fixed block, without a call. */
#define REG_BUF_ADD16 16
static inline void
reg_buf_add16(RegBuf *b, const char *s, size_t n)
{
  char *o = reg_buf_reserve(b, n > REG_BUF_ADD16 ? n : REG_BUF_ADD16);
  if (G_LIKELY(n <= REG_BUF_ADD16))
    memcpy(o, s, REG_BUF_ADD16);
  else
    memcpy(o, s, n);
  b->len += n;
}

static inline void
reg_buf_adds(RegBuf *b, const char *s)
{
  reg_buf_add(b, s, strlen(s));
}

/* Appends @s as a JSON string literal (quotes, escapes; UTF-8 passes through). */
void reg_buf_json_string(RegBuf *b, const char *s, size_t n);
