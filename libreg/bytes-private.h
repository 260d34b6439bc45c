/* bytes-private.h: equality of short byte strings (keys, codes, member names) without a call. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The first and the last w bytes (w = 4 or 8, a constant once inlined) of the n >= w bytes at
 * x and y equal: two loads of each, overlapping when n < 2w. */
static inline bool
reg_ends_eq(const char *x, const char *y, size_t n, size_t w)
{
  uint64_t x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  memcpy(&x0, x, w);
  memcpy(&y0, y, w);
  memcpy(&x1, x + n - w, w);
  memcpy(&y1, y + n - w, w);
  return ((x0 ^ y0) | (x1 ^ y1)) == 0;
}

/* n bytes at x and y equal. Up to 24 bytes in a few word compares, whatever n is, so
 * that the branches do not depend on the length (a byte loop's exit is mispredicted
 * whenever the lengths vary, as the keys of a record do). */
static inline bool
reg_bytes_eq(const char *x, const char *y, size_t n)
{
  if (n >= 8 && n <= 16)
    return reg_ends_eq(x, y, n, 8);
  if (n > 16 && n <= 24)
    return reg_ends_eq(x, y, 16, 8) && reg_ends_eq(x + 8, y + 8, n - 8, 8);
  if (n >= 4 && n < 8)
    return reg_ends_eq(x, y, n, 4);
  if (n < 4) {
    unsigned d = 0;
    for (size_t i = 0; i < n; i++)
      d |= (unsigned) (x[i] ^ y[i]);
    return d == 0;
  }
  return memcmp(x, y, n) == 0;
}
