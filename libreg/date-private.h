/* date-private.h: calendar dates as day numbers, with month-end clamping arithmetic. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A date is an int64_t counting days since 1970-01-01 in the proleptic
 * Gregorian calendar. Valid dates run from 0001-01-01 to 9999-12-31;
 * arithmetic that leaves that range fails instead of wrapping.
 *
 * A duration counts months and days separately (4 years is 48 months) and is
 * packed into an int64_t: months in the high 32 bits, days in the low 32.
 */
#define REG_DATE_MIN INT64_C(-719162) /* 0001-01-01 */
#define REG_DATE_MAX INT64_C(2932896) /* 9999-12-31 */
#define REG_DATE_TEXT_LEN 10

static inline bool
reg_date_valid(int64_t d)
{
  return d >= REG_DATE_MIN && d <= REG_DATE_MAX;
}

void reg_date_to_ymd(int64_t days, int *y, int *m, int *d);
bool reg_date_ymd_exists(int y, int m, int d);
int reg_days_in_month(int y, int m);

/* Parses exactly "YYYY-MM-DD" (@len must be 10) into a day number; false if no such date. */
bool reg_date_parse(const char *s, size_t len, int64_t *out);

/* Writes "YYYY-MM-DD" plus NUL into @buf (11 bytes); @d must be valid. */
void reg_date_format(int64_t d, char *buf);

/*
 * add_months(d, n): same day of the month, clamped to the last day of the
 * target month (2020-02-29 + 12 months = 2021-02-28).
 */
bool reg_date_add_months(int64_t d, int64_t months, int64_t *out);

/* Durations. */
static inline int64_t
reg_dur_make(int32_t months, int32_t days)
{
  return (int64_t) (((uint64_t) (uint32_t) months << 32) | (uint32_t) days);
}

static inline int32_t
reg_dur_months(int64_t dur)
{
  return (int32_t) (uint32_t) ((uint64_t) dur >> 32);
}

static inline int32_t
reg_dur_days(int64_t dur)
{
  return (int32_t) (uint32_t) ((uint64_t) dur & 0xffffffffu);
}

/* d + dur: months first (with clamping), then days. */
bool reg_date_add_dur(int64_t d, int64_t dur, int64_t *out);
/* d - dur = d + (-dur). */
bool reg_date_sub_dur(int64_t d, int64_t dur, int64_t *out);
/* dur * n, dur + dur. */
bool reg_dur_mul(int64_t dur, int64_t n, int64_t *out);
bool reg_dur_add(int64_t a, int64_t b, int64_t *out);

/*
 * Number of whole periods: the largest k >= 0 with start + k * period <= d,
 * each boundary computed from @start directly (not step by step), so that
 * clamping at month ends never accumulates. Returns -1 when d < start.
 * Fails when @period is not positive (zero or negative months and days).
 */
bool reg_date_periods(int64_t start, int64_t d, int64_t period, int64_t *out);

/* Writes a duration as ISO 8601 ("P4Y", "P3M", "P1Y6M10D", "-P3M"); returns the length. */
size_t reg_dur_format(int64_t dur, char *buf);
