/* decimal.c: exact fixed-point decimal arithmetic, parsing and shortest printing. */
#include "decimal-private.h"

#include <string.h>

__extension__ typedef __int128 i128;

static const int64_t pow10_tab[19] = {
  INT64_C(1),
  INT64_C(10),
  INT64_C(100),
  INT64_C(1000),
  INT64_C(10000),
  INT64_C(100000),
  INT64_C(1000000),
  INT64_C(10000000),
  INT64_C(100000000),
  INT64_C(1000000000),
  INT64_C(10000000000),
  INT64_C(100000000000),
  INT64_C(1000000000000),
  INT64_C(10000000000000),
  INT64_C(100000000000000),
  INT64_C(1000000000000000),
  INT64_C(10000000000000000),
  INT64_C(100000000000000000),
  INT64_C(1000000000000000000),
};

static inline bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

RegDecStatus
reg_dec_parse(const char *s, size_t len, int64_t *out, int *out_decimals)
{
  const char *p = s, *end = s + len;
  bool neg = false;

  if (p < end && *p == '-') {
    neg = true;
    p++;
  }
  if (p == end || !is_digit(*p))
    return REG_DEC_SYNTAX;
  if (*p == '0' && p + 1 < end && is_digit(p[1]))
    return REG_DEC_SYNTAX;

  /* Collect significant digits as an unsigned mantissa with a decimal exponent. */
  uint64_t mant = 0;
  int64_t exp10 = 0;     /* value = mant * 10^exp10 */
  bool big = false;      /* mantissa saturated: only zeros may follow */
  for (; p < end && is_digit(*p); p++) {
    if (big) {
      if (*p != '0')
        return REG_DEC_OVERFLOW;
      exp10++;
    } else if (mant > (UINT64_MAX - 9) / 10) {
      big = true;
      if (*p != '0')
        return REG_DEC_OVERFLOW;
      exp10++;
    } else {
      mant = mant * 10 + (uint64_t) (*p - '0');
    }
  }
  if (p < end && *p == '.') {
    p++;
    if (p == end || !is_digit(*p))
      return REG_DEC_SYNTAX;
    /* Trailing zeros of the fraction do not count as precision. */
    const char *fs = p;
    while (p < end && is_digit(*p))
      p++;
    const char *fe = p;
    while (fe > fs && fe[-1] == '0')
      fe--;
    for (const char *q = fs; q < fe; q++) {
      if (mant > (UINT64_MAX - 9) / 10)
        return REG_DEC_TOO_PRECISE;
      mant = mant * 10 + (uint64_t) (*q - '0');
      exp10--;
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    bool eneg = false;
    if (p < end && (*p == '+' || *p == '-')) {
      eneg = *p == '-';
      p++;
    }
    if (p == end || !is_digit(*p))
      return REG_DEC_SYNTAX;
    int64_t e = 0;
    for (; p < end && is_digit(*p); p++) {
      if (e < 100000000)
        e = e * 10 + (*p - '0');
    }
    exp10 += eneg ? -e : e;
  }
  if (p != end)
    return REG_DEC_SYNTAX;

  if (mant == 0) {
    *out = 0;
    if (out_decimals)
      *out_decimals = 0;
    return REG_DEC_OK;
  }
  /* Strip trailing zeros of the mantissa into the exponent. */
  while (mant % 10 == 0) {
    mant /= 10;
    exp10++;
  }
  if (exp10 < -REG_DEC_DIGITS)
    return REG_DEC_TOO_PRECISE;
  int64_t shift = exp10 + REG_DEC_DIGITS; /* scale into millionths */
  if (shift > 18)
    return REG_DEC_OVERFLOW;
  uint64_t scaled;
  if (__builtin_mul_overflow(mant, (uint64_t) pow10_tab[shift], &scaled))
    return REG_DEC_OVERFLOW;
  if (neg) {
    if (scaled > (uint64_t) INT64_MAX + 1)
      return REG_DEC_OVERFLOW;
    *out = (int64_t) (0 - scaled);
  } else {
    if (scaled > (uint64_t) INT64_MAX)
      return REG_DEC_OVERFLOW;
    *out = (int64_t) scaled;
  }
  if (out_decimals)
    *out_decimals = exp10 >= 0 ? 0 : (int) -exp10;
  return REG_DEC_OK;
}

int
reg_dec_decimals(int64_t v)
{
  int64_t frac = v % REG_DEC_SCALE;
  if (frac == 0)
    return 0;
  int d = REG_DEC_DIGITS;
  while (frac % 10 == 0) {
    frac /= 10;
    d--;
  }
  return d;
}

const char reg_digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* The digits of @u, two at a time from the end; returns their number. */
static size_t
format_uint(uint64_t u, char *buf)
{
  char tmp[20];
  size_t n = sizeof tmp;
  while (u >= 100) {
    n -= 2;
    memcpy(tmp + n, reg_digit_pairs + 2 * (u % 100), 2);
    u /= 100;
  }
  if (u >= 10) {
    n -= 2;
    memcpy(tmp + n, reg_digit_pairs + 2 * u, 2);
  } else {
    tmp[--n] = (char) ('0' + u);
  }
  memcpy(buf, tmp + n, sizeof tmp - n);
  return sizeof tmp - n;
}

size_t
reg_int_format(int64_t v, char *buf)
{
  uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  size_t o = 0;
  if (v < 0)
    buf[o++] = '-';
  o += format_uint(u, buf + o);
  buf[o] = '\0';
  return o;
}

size_t
reg_dec_format(int64_t v, char *buf)
{
  _Static_assert(REG_DEC_SCALE == 1000000, "the fraction below is three digit pairs");
  uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  uint64_t ip = u / (uint64_t) REG_DEC_SCALE, fp = u % (uint64_t) REG_DEC_SCALE;
  size_t o = 0;
  if (v < 0)
    buf[o++] = '-';
  o += format_uint(ip, buf + o);
  if (fp) {
    buf[o++] = '.';
    memcpy(buf + o, reg_digit_pairs + 2 * (fp / 10000), 2);
    memcpy(buf + o + 2, reg_digit_pairs + 2 * (fp / 100 % 100), 2);
    memcpy(buf + o + 4, reg_digit_pairs + 2 * (fp % 100), 2);
    size_t n = REG_DEC_DIGITS;
    while (buf[o + n - 1] == '0')
      n--;
    o += n;
  }
  buf[o] = '\0';
  return o;
}

/* Divides a signed 128-bit value by d > 0, rounding half to even. */
static RegDecStatus
div_round_even(i128 num, i128 d, int64_t *out)
{
  i128 q = num / d, r = num % d;
  if (r != 0) {
    i128 ar = r < 0 ? -r : r;
    i128 twice = ar * 2;
    bool up = twice > d || (twice == d && (q % 2 != 0));
    if (up)
      q += (num < 0) ? -1 : 1;
  }
  if (q > INT64_MAX || q < INT64_MIN)
    return REG_DEC_OVERFLOW;
  *out = (int64_t) q;
  return REG_DEC_OK;
}

RegDecStatus
reg_dec_mul(int64_t a, int64_t b, int64_t *out)
{
  i128 p = (i128) a * (i128) b;
  return div_round_even(p, REG_DEC_SCALE, out);
}

RegDecStatus
reg_dec_div(int64_t a, int64_t b, int64_t *out)
{
  if (b == 0)
    return REG_DEC_DIV_ZERO;
  i128 num = (i128) a * REG_DEC_SCALE;
  i128 d = b;
  if (d < 0) {
    d = -d;
    num = -num;
  }
  return div_round_even(num, d, out);
}

RegDecStatus
reg_dec_round(int64_t v, int digits, int64_t *out)
{
  if (digits < 0)
    digits = 0;
  if (digits >= REG_DEC_DIGITS) {
    *out = v;
    return REG_DEC_OK;
  }
  int64_t unit = pow10_tab[REG_DEC_DIGITS - digits];
  int64_t q;
  RegDecStatus st = div_round_even(v, unit, &q);
  if (st != REG_DEC_OK)
    return st;
  if (__builtin_mul_overflow(q, unit, out))
    return REG_DEC_OVERFLOW;
  return REG_DEC_OK;
}
