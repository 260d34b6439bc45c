/* date.c: proleptic Gregorian day numbers, parsing, printing and month arithmetic. */
#include "date-private.h"
#include "decimal-private.h"

#include <stdio.h>
#include <string.h>

/* Day number -> year, month, day; outside 0001..9999 by Howard Hinnant's civil_from_days,
 * valid far beyond. */
void
reg_date_to_ymd(int64_t z, int *y, int *m, int *d)
{
  if (reg_date_valid(z)) {
    /* Neri and Schneider, "Euclidean affine functions and their application to calendar
     * algorithms" (2022): multiplications and shifts where civil_from_days divides, for
     * the days of 0001..9999 (counted from 0000-03-01, they fit 32 bits four times over).
     * test-date checks every one of them against reg_date_parse's day numbers. */
    uint32_t n1 = 4 * (uint32_t) (z + 719468) + 3;
    uint32_t c = n1 / 146097, nc = n1 % 146097 / 4;
    uint64_t p2 = (uint64_t) 2939745 * (4 * nc + 3);
    uint32_t zy = (uint32_t) (p2 >> 32), ny = (uint32_t) p2 / 2939745 / 4;
    uint32_t n3 = 2141 * ny + 197913;
    uint32_t mm = n3 >> 16, dd = (n3 & 0xffff) / 2141, jan_feb = ny >= 306;
    *y = (int) (100 * c + zy + jan_feb);
    *m = (int) (jan_feb ? mm - 12 : mm);
    *d = (int) dd + 1;
    return;
  }
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t dd = doy - (153 * mp + 2) / 5 + 1;
  int64_t mm = mp < 10 ? mp + 3 : mp - 9;
  *y = (int) (yy + (mm <= 2));
  *m = (int) mm;
  *d = (int) dd;
}

static bool
is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
reg_days_in_month(int y, int m)
{
  static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m == 2 && is_leap(y))
    return 29;
  return dim[m - 1];
}

bool
reg_date_ymd_exists(int y, int m, int d)
{
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= reg_days_in_month(y, m);
}

/* The day number of a date known to exist (year 1..9999): whole years, then the days before
 * the month in a year counted from March, in unsigned arithmetic (divisions by constants
 * become multiplications). */
static inline int64_t
days_of_valid_ymd(int y, int m, int d)
{
  static const unsigned before[12] = { 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275 };
  unsigned yy = (unsigned) y - (m <= 2);
  return (int64_t) (yy * 365 + yy / 4 - yy / 100 + yy / 400 + before[m - 1] + (unsigned) d - 1) -
         719468;
}

bool
reg_date_parse(const char *s, size_t len, int64_t *out)
{
  if (len != REG_DATE_TEXT_LEN || s[4] != '-' || s[7] != '-')
    return false;
  unsigned d0 = (unsigned) (s[0] - '0'), d1 = (unsigned) (s[1] - '0'), d2 = (unsigned) (s[2] - '0'),
           d3 = (unsigned) (s[3] - '0'), d5 = (unsigned) (s[5] - '0'), d6 = (unsigned) (s[6] - '0'),
           d8 = (unsigned) (s[8] - '0'), d9 = (unsigned) (s[9] - '0');
  if (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || d5 > 9 || d6 > 9 || d8 > 9 || d9 > 9)
    return false;
  int y = (int) (d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  int m = (int) (d5 * 10 + d6);
  int d = (int) (d8 * 10 + d9);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > reg_days_in_month(y, m))
    return false;
  *out = days_of_valid_ymd(y, m, d);
  return true;
}

void
reg_date_format(int64_t days, char *buf)
{
  /* two digits at a time */
  const char *two = reg_digit_pairs;
  int y, m, d;
  reg_date_to_ymd(days, &y, &m, &d);
  unsigned yy = (unsigned) y % 10000;
  memcpy(buf, two + 2 * (yy / 100), 2);
  memcpy(buf + 2, two + 2 * (yy % 100), 2);
  buf[4] = '-';
  memcpy(buf + 5, two + 2 * m, 2);
  buf[7] = '-';
  memcpy(buf + 8, two + 2 * d, 2);
  buf[10] = '\0';
}

bool
reg_date_add_months(int64_t days, int64_t months, int64_t *out)
{
  if (!reg_date_valid(days) || months > 120000 || months < -120000)
    return false;
  int y, m, d;
  reg_date_to_ymd(days, &y, &m, &d);
  /* months since 0000-01: the year of the result is 1..9999 when this is 12..119999 */
  int64_t idx = (int64_t) y * 12 + (m - 1) + months;
  if (idx < 12 || idx >= 10000 * 12)
    return false;
  int ny = (int) (idx / 12), nm = (int) (idx % 12) + 1;
  /* every month has the 28th: only later days may have to come back to the month's last */
  if (d > 28) {
    int dim = reg_days_in_month(ny, nm);
    if (d > dim)
      d = dim;
  }
  *out = days_of_valid_ymd(ny, nm, d);
  return true;
}

bool
reg_date_add_dur(int64_t d, int64_t dur, int64_t *out)
{
  int64_t r;
  if (!reg_date_add_months(d, reg_dur_months(dur), &r))
    return false;
  r += reg_dur_days(dur);
  if (!reg_date_valid(r))
    return false;
  *out = r;
  return true;
}

bool
reg_date_sub_dur(int64_t d, int64_t dur, int64_t *out)
{
  int64_t neg;
  if (!reg_dur_mul(dur, -1, &neg))
    return false;
  return reg_date_add_dur(d, neg, out);
}

bool
reg_dur_mul(int64_t dur, int64_t n, int64_t *out)
{
  int64_t m, d;
  if (__builtin_mul_overflow((int64_t) reg_dur_months(dur), n, &m) ||
      __builtin_mul_overflow((int64_t) reg_dur_days(dur), n, &d))
    return false;
  if (m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN)
    return false;
  *out = reg_dur_make((int32_t) m, (int32_t) d);
  return true;
}

bool
reg_dur_add(int64_t a, int64_t b, int64_t *out)
{
  int64_t m = (int64_t) reg_dur_months(a) + reg_dur_months(b);
  int64_t d = (int64_t) reg_dur_days(a) + reg_dur_days(b);
  if (m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN)
    return false;
  *out = reg_dur_make((int32_t) m, (int32_t) d);
  return true;
}

/* start + k * period, or false when out of range. */
static bool
boundary(int64_t start, int64_t period, int64_t k, int64_t *out)
{
  int64_t dur;
  if (!reg_dur_mul(period, k, &dur))
    return false;
  return reg_date_add_dur(start, dur, out);
}

bool
reg_date_periods(int64_t start, int64_t d, int64_t period, int64_t *out)
{
  int32_t pm = reg_dur_months(period), pd = reg_dur_days(period);
  if (pm < 0 || pd < 0 || (pm == 0 && pd == 0))
    return false;
  if (!reg_date_valid(start) || !reg_date_valid(d))
    return false;
  if (d < start) {
    *out = -1;
    return true;
  }
  /* Each period spans at least 28 * pm + pd days and at most 31 * pm + pd (a month has at
   * most 31 days, and clamping at a month's end only shortens it): bounds for k. */
  int64_t minlen = (int64_t) pm * 28 + pd, maxlen = (int64_t) pm * 31 + pd;
  int64_t hi = (d - start) / minlen + 1; /* start + hi * period > d, or out of range */
  int64_t lo = (d - start) / maxlen;     /* start + lo * period <= d */
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2, b;
    if (boundary(start, period, mid, &b) && b <= d)
      lo = mid;
    else
      hi = mid;
  }
  *out = lo;
  return true;
}

size_t
reg_dur_format(int64_t dur, char *buf)
{
  int64_t m = reg_dur_months(dur), d = reg_dur_days(dur);
  bool neg = (m < 0 || d < 0) && m <= 0 && d <= 0;
  if (neg) {
    m = -m;
    d = -d;
  }
  size_t o = 0;
  if (neg)
    buf[o++] = '-';
  buf[o++] = 'P';
  int64_t y = m / 12;
  m %= 12;
  char tmp[64];
  int n;
  if (y) {
    n = snprintf(tmp, sizeof tmp, "%lldY", (long long) y);
    memcpy(buf + o, tmp, (size_t) n);
    o += (size_t) n;
  }
  if (m) {
    n = snprintf(tmp, sizeof tmp, "%lldM", (long long) m);
    memcpy(buf + o, tmp, (size_t) n);
    o += (size_t) n;
  }
  if (d || (!y && !m)) {
    n = snprintf(tmp, sizeof tmp, "%lldD", (long long) d);
    memcpy(buf + o, tmp, (size_t) n);
    o += (size_t) n;
  }
  buf[o] = '\0';
  return o;
}
