/* decimal-private.h: exact fixed-point decimals (hours, amounts) without binary floating point. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A decimal is an int64_t counting millionths: 12.25 is 12250000.
 * Six fractional digits hold every input (at most two decimals) and every
 * product of two inputs exactly; sums and differences are always exact.
 * Every operation reports overflow instead of wrapping.
 */
#define REG_DEC_DIGITS 6
#define REG_DEC_SCALE INT64_C(1000000)

/* Longest text reg_dec_format() writes, without the terminating NUL. */
#define REG_DEC_FORMAT_MAX 24

typedef enum {
  REG_DEC_OK = 0,
  REG_DEC_SYNTAX,          /* not a JSON number */
  REG_DEC_OVERFLOW,        /* magnitude beyond the int64 range of millionths */
  REG_DEC_TOO_PRECISE,     /* more fractional digits than REG_DEC_DIGITS */
  REG_DEC_DIV_ZERO,
} RegDecStatus;

/*
 * Parses the JSON number text @s (@len bytes, the whole of it) exactly.
 * *@out_decimals receives how many fractional digits the value needs (0..6),
 * so "2.50" gives 1 and "1e-2" gives 2: schema limits apply to the value.
 */
RegDecStatus reg_dec_parse(const char *s, size_t len, int64_t *out, int *out_decimals);

/* Fractional digits needed to write @v exactly (0..6). */
int reg_dec_decimals(int64_t v);

/* Writes @v in shortest form ("150.5", "160", "-0.3", "0.000001"); returns the length. */
size_t reg_dec_format(int64_t v, char *buf);

/* Integer helpers of the same family. */
size_t reg_int_format(int64_t v, char *buf);

/* "00", "01", ..., "99": the digit pairs the formatters write two at a time. */
extern const char reg_digit_pairs[201];

static inline bool
reg_dec_add(int64_t a, int64_t b, int64_t *out)
{
  return !__builtin_add_overflow(a, b, out);
}

static inline bool
reg_dec_sub(int64_t a, int64_t b, int64_t *out)
{
  return !__builtin_sub_overflow(a, b, out);
}

/* Converts an integer to a decimal. */
static inline bool
reg_dec_from_int(int64_t i, int64_t *out)
{
  return !__builtin_mul_overflow(i, REG_DEC_SCALE, out);
}

/*
 * Product and quotient, rounded half to even at the sixth decimal where the
 * exact result has more digits (a product of two-decimal inputs never does).
 */
RegDecStatus reg_dec_mul(int64_t a, int64_t b, int64_t *out);
RegDecStatus reg_dec_div(int64_t a, int64_t b, int64_t *out);

/* Rounds @v half to even to @digits decimals (0..6). */
RegDecStatus reg_dec_round(int64_t v, int digits, int64_t *out);
