/* arena-private.h: a bump allocator reset per decision, with a hard memory limit. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct RegArenaChunk RegArenaChunk;

typedef struct {
  RegArenaChunk *first; /* kept across resets */
  RegArenaChunk *cur;
  char *ptr, *end;
  size_t used_before; /* bytes in chunks before cur */
  size_t limit;       /* total bytes one decision may use */
  size_t peak;
} RegArena;

#define REG_ARENA_DEFAULT_LIMIT ((size_t) 256 << 20)

void reg_arena_init(RegArena *a, size_t limit);
void reg_arena_clear(RegArena *a);
/* Frees every chunk but the first and starts over. */
void reg_arena_reset(RegArena *a);
void *reg_arena_alloc_slow(RegArena *a, size_t size);
/* Bytes the next reg_arena_alloc can hand out of the current chunk: the part of them past
 * an allocation may be written over (the next allocation will). */
static inline size_t
reg_arena_room(const RegArena *a)
{
  return (size_t) (a->end - a->ptr);
}

/* Bytes handed out since the last reset. */
size_t reg_arena_used(const RegArena *a);

/* 8-byte aligned memory, or NULL when the limit would be passed. */
static inline void *
reg_arena_alloc(RegArena *a, size_t size)
{
  size = (size + 7) & ~(size_t) 7;
  if ((size_t) (a->end - a->ptr) >= size) {
    void *p = a->ptr;
    a->ptr += size;
    return p;
  }
  return reg_arena_alloc_slow(a, size);
}
