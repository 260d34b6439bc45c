/* arena.c: chunked bump allocation for one decision's values, freed all at once. */
#include "arena-private.h"

#include <glib.h>

struct RegArenaChunk {
  RegArenaChunk *next;
  size_t size;
  char data[];
};

#define CHUNK_MIN ((size_t) 64 << 10)

void
reg_arena_init(RegArena *a, size_t limit)
{
  a->first = a->cur = NULL;
  a->ptr = a->end = NULL;
  a->used_before = 0;
  a->limit = limit ? limit : REG_ARENA_DEFAULT_LIMIT;
  a->peak = 0;
}

void
reg_arena_clear(RegArena *a)
{
  RegArenaChunk *c = a->first;
  while (c) {
    RegArenaChunk *n = c->next;
    g_free(c);
    c = n;
  }
  a->first = a->cur = NULL;
  a->ptr = a->end = NULL;
  a->used_before = 0;
}

size_t
reg_arena_used(const RegArena *a)
{
  if (!a->cur)
    return 0;
  return a->used_before + (size_t) (a->ptr - a->cur->data);
}

void
reg_arena_reset(RegArena *a)
{
  size_t used = reg_arena_used(a);
  if (used > a->peak)
    a->peak = used;
  if (!a->first)
    return;
  if (a->first->size > a->limit) {
    /* kept from before a lower limit was set: within it the limit would not hold */
    reg_arena_clear(a);
    return;
  }
  RegArenaChunk *c = a->first->next;
  while (c) {
    RegArenaChunk *n = c->next;
    g_free(c);
    c = n;
  }
  a->first->next = NULL;
  a->cur = a->first;
  a->ptr = a->first->data;
  a->end = a->first->data + a->first->size;
  a->used_before = 0;
}

void *
reg_arena_alloc_slow(RegArena *a, size_t size)
{
  size_t used = reg_arena_used(a);
  if (size > a->limit || used > a->limit - size)
    return NULL;
  /* Try the chunks after cur (kept by a reset? no: only the first is kept). */
  size_t want = size > CHUNK_MIN ? size : CHUNK_MIN;
  if (a->cur) {
    /* Grow geometrically so that big decisions need few chunks. */
    size_t grow = a->cur->size * 2;
    if (grow > want)
      want = grow;
  }
  if (want > a->limit - used && size <= a->limit - used)
    want = a->limit - used > size ? a->limit - used : size;
  RegArenaChunk *c = g_try_malloc(sizeof(RegArenaChunk) + want);
  if (!c)
    return NULL;
  c->next = NULL;
  c->size = want;
  if (a->cur) {
    a->used_before += (size_t) (a->ptr - a->cur->data);
    a->cur->next = c;
  } else {
    a->first = c;
  }
  a->cur = c;
  a->ptr = c->data + size;
  a->end = c->data + want;
  return c->data;
}
