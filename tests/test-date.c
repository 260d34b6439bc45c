/* test-date.c: day numbers, parsing, month-end clamping and whole periods. */
#include <check.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "date-private.h"

static int64_t
D(const char *s)
{
  int64_t v;
  ck_assert_msg(reg_date_parse(s, strlen(s), &v), "%s", s);
  return v;
}

static const char *
S(int64_t d)
{
  static char buf[11];
  reg_date_format(d, buf);
  return buf;
}

static const char *
addm(const char *s, int64_t n)
{
  int64_t r;
  ck_assert(reg_date_add_months(D(s), n, &r));
  return S(r);
}

START_TEST(parse_and_format)
{
  ck_assert_int_eq(D("1970-01-01"), 0);
  ck_assert_int_eq(D("1970-01-02"), 1);
  ck_assert_int_eq(D("1969-12-31"), -1);
  ck_assert_int_eq(D("0001-01-01"), REG_DATE_MIN);
  ck_assert_int_eq(D("9999-12-31"), REG_DATE_MAX);
  ck_assert_str_eq(S(D("2024-02-29")), "2024-02-29");
  ck_assert_str_eq(S(D("2000-02-29")), "2000-02-29");
}
END_TEST

START_TEST(parse_rejects)
{
  int64_t v;
  const char *bad[] = { "2021-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-04-31",
                        "2023-01-00", "0000-01-01", "2023-1-01", "2023/01/01", "20230101",
                        "2023-01-01T", " 2023-01-01", "２０２３-01-01", "" };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(!reg_date_parse(bad[i], strlen(bad[i]), &v), "%s", bad[i]);
}
END_TEST

START_TEST(every_day_roundtrips)
{
  char buf[11];
  reg_date_format(D("0001-01-01"), buf);
  ck_assert_str_eq(buf, "0001-01-01");
  reg_date_format(D("9999-12-31"), buf);
  ck_assert_str_eq(buf, "9999-12-31");
  reg_date_format(D("1970-10-09"), buf);
  ck_assert_str_eq(buf, "1970-10-09");
  /* every day of 0001..9999: reg_date_to_ymd (Neri and Schneider) against reg_date_parse
   * (days_of_valid_ymd, civil_from_days' inverse), and the days just outside (Hinnant's) */
  for (int64_t d = REG_DATE_MIN; d <= REG_DATE_MAX; d++) {
    int64_t back;
    reg_date_format(d, buf);
    if (!reg_date_parse(buf, 10, &back) || back != d)
      ck_abort_msg("day %lld is formatted %s", (long long) d, buf);
  }
  int y, m, dd;
  reg_date_to_ymd(REG_DATE_MIN - 1, &y, &m, &dd);
  ck_assert(y == 0 && m == 12 && dd == 31);
  reg_date_to_ymd(REG_DATE_MAX + 1, &y, &m, &dd);
  ck_assert(y == 10000 && m == 1 && dd == 1);
}
END_TEST

START_TEST(month_clamping)
{
  ck_assert_str_eq(addm("2020-02-29", 12), "2021-02-28");
  ck_assert_str_eq(addm("2021-01-31", 1), "2021-02-28");
  ck_assert_str_eq(addm("2024-01-31", 1), "2024-02-29");
  ck_assert_str_eq(addm("2020-02-29", 48), "2024-02-29");
  ck_assert_str_eq(addm("2020-02-29", 96), "2028-02-29");
  ck_assert_str_eq(addm("2020-02-29", 60), "2025-02-28");
  ck_assert_str_eq(addm("2023-08-01", -3), "2023-05-01");
  ck_assert_str_eq(addm("2023-05-31", -3), "2023-02-28");
  ck_assert_str_eq(addm("2023-03-31", -1), "2023-02-28");
  ck_assert_str_eq(addm("2023-12-15", 1), "2024-01-15");
  ck_assert_str_eq(addm("2024-01-15", -1), "2023-12-15");
  ck_assert_str_eq(addm("2023-08-01", -12), "2022-08-01");
  int64_t r;
  ck_assert(!reg_date_add_months(D("9999-12-01"), 1, &r));
  ck_assert(!reg_date_add_months(D("0001-01-01"), -1, &r));
  ck_assert(!reg_date_add_months(INT64_MAX, 1, &r));
}
END_TEST

START_TEST(durations)
{
  int64_t four_years = reg_dur_make(48, 0), r;
  ck_assert(reg_date_add_dur(D("2019-08-01"), four_years, &r));
  ck_assert_str_eq(S(r), "2023-08-01");
  ck_assert(reg_date_sub_dur(D("2023-08-01"), reg_dur_make(3, 0), &r));
  ck_assert_str_eq(S(r), "2023-05-01");
  ck_assert(reg_date_add_dur(D("2023-12-30"), reg_dur_make(0, 3), &r));
  ck_assert_str_eq(S(r), "2024-01-02");
  ck_assert(reg_dur_mul(four_years, 3, &r));
  ck_assert_int_eq(reg_dur_months(r), 144);
  ck_assert(reg_dur_mul(reg_dur_make(-3, 5), -2, &r));
  ck_assert_int_eq(reg_dur_months(r), 6);
  ck_assert_int_eq(reg_dur_days(r), -10);
  ck_assert(!reg_dur_mul(four_years, INT64_MAX, &r));
  char buf[64];
  reg_dur_format(four_years, buf);
  ck_assert_str_eq(buf, "P4Y");
  reg_dur_format(reg_dur_make(-3, 0), buf);
  ck_assert_str_eq(buf, "-P3M");
  reg_dur_format(reg_dur_make(18, 10), buf);
  ck_assert_str_eq(buf, "P1Y6M10D");
}
END_TEST

static int64_t
periods(const char *start, const char *d)
{
  int64_t k;
  ck_assert(reg_date_periods(D(start), D(d), reg_dur_make(48, 0), &k));
  return k;
}

START_TEST(whole_periods)
{
  ck_assert_int_eq(periods("2019-08-01", "2019-08-01"), 0);
  ck_assert_int_eq(periods("2019-08-01", "2023-07-31"), 0);
  ck_assert_int_eq(periods("2019-08-01", "2023-08-01"), 1);
  ck_assert_int_eq(periods("2019-08-01", "2027-07-31"), 1);
  ck_assert_int_eq(periods("2019-08-01", "2027-08-01"), 2);
  ck_assert_int_eq(periods("2019-08-01", "2019-07-31"), -1);
  /* Leap-day start: the boundaries are 2024-02-29 and 2028-02-29, not clamped twice. */
  ck_assert_int_eq(periods("2020-02-29", "2024-02-28"), 0);
  ck_assert_int_eq(periods("2020-02-29", "2024-02-29"), 1);
  ck_assert_int_eq(periods("2020-02-29", "2028-02-28"), 1);
  ck_assert_int_eq(periods("2020-02-29", "2028-02-29"), 2);
  /* A start on the 31st with month periods. */
  int64_t k;
  ck_assert(reg_date_periods(D("2021-01-31"), D("2021-02-28"), reg_dur_make(1, 0), &k));
  ck_assert_int_eq(k, 1);
  ck_assert(reg_date_periods(D("2021-01-31"), D("2021-03-30"), reg_dur_make(1, 0), &k));
  ck_assert_int_eq(k, 1);
  ck_assert(reg_date_periods(D("2021-01-31"), D("2021-03-31"), reg_dur_make(1, 0), &k));
  ck_assert_int_eq(k, 2);
  ck_assert(reg_date_periods(D("2021-01-01"), D("2021-01-15"), reg_dur_make(0, 7), &k));
  ck_assert_int_eq(k, 2);
  ck_assert(reg_date_periods(D("0001-01-01"), D("9999-12-31"), reg_dur_make(0, 1), &k));
  ck_assert_int_eq(k, REG_DATE_MAX - REG_DATE_MIN);
  ck_assert(!reg_date_periods(D("2021-01-01"), D("2021-01-15"), reg_dur_make(0, 0), &k));
  ck_assert(!reg_date_periods(D("2021-01-01"), D("2021-01-15"), reg_dur_make(-1, 0), &k));
}
END_TEST

/* Brute force: periods agrees with stepping k upward from the start. */
START_TEST(periods_brute_force)
{
  const char *starts[] = { "2019-08-01", "2020-02-29", "2021-01-31", "2019-10-31", "2016-02-29" };
  for (size_t s = 0; s < G_N_ELEMENTS(starts); s++) {
    int64_t st = D(starts[s]);
    for (int pm = 1; pm <= 48; pm += 47) {
      int64_t per = reg_dur_make(pm, 0);
      for (int64_t d = st - 3; d < st + 3000; d += 11) {
        int64_t k;
        ck_assert(reg_date_periods(st, d, per, &k));
        int64_t expect = -1;
        for (int64_t j = 0;; j++) {
          int64_t b;
          ck_assert(reg_date_add_months(st, j * pm, &b));
          if (b > d)
            break;
          expect = j;
        }
        ck_assert_int_eq(k, expect);
      }
    }
  }
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("date");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, parse_and_format);
  tcase_add_test(tc, parse_rejects);
  tcase_add_test(tc, every_day_roundtrips);
  tcase_add_test(tc, month_clamping);
  tcase_add_test(tc, durations);
  tcase_add_test(tc, whole_periods);
  tcase_add_test(tc, periods_brute_force);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
