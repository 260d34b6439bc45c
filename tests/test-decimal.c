/* test-decimal.c: exact decimal parsing, printing and arithmetic. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "decimal-private.h"

static int64_t
P(const char *s)
{
  int64_t v = 0;
  int dec = -1;
  ck_assert_int_eq(reg_dec_parse(s, strlen(s), &v, &dec), REG_DEC_OK);
  return v;
}

static const char *
F(int64_t v)
{
  static char buf[REG_DEC_FORMAT_MAX + 1];
  reg_dec_format(v, buf);
  return buf;
}

START_TEST(parse_basic)
{
  ck_assert_int_eq(P("0"), 0);
  ck_assert_int_eq(P("12"), 12 * REG_DEC_SCALE);
  ck_assert_int_eq(P("12.25"), 12250000);
  ck_assert_int_eq(P("-0.1"), -100000);
  ck_assert_int_eq(P("1e2"), 100 * REG_DEC_SCALE);
  ck_assert_int_eq(P("1.5E+1"), 15 * REG_DEC_SCALE);
  ck_assert_int_eq(P("125e-2"), 1250000);
  ck_assert_int_eq(P("0.000001"), 1);
  ck_assert_int_eq(P("2.50"), 2500000);
  ck_assert_int_eq(P("-0"), 0);
}
END_TEST

START_TEST(parse_decimals_counted)
{
  int64_t v;
  int d;
  ck_assert_int_eq(reg_dec_parse("2.50", 4, &v, &d), REG_DEC_OK);
  ck_assert_int_eq(d, 1);
  ck_assert_int_eq(reg_dec_parse("1.234", 5, &v, &d), REG_DEC_OK);
  ck_assert_int_eq(d, 3);
  ck_assert_int_eq(reg_dec_parse("1e-2", 4, &v, &d), REG_DEC_OK);
  ck_assert_int_eq(d, 2);
  ck_assert_int_eq(reg_dec_parse("1200", 4, &v, &d), REG_DEC_OK);
  ck_assert_int_eq(d, 0);
}
END_TEST

START_TEST(parse_rejects)
{
  int64_t v;
  const char *bad[] = { "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.2.3", "0x10", "1 ", " 1", "--1", "NaN" };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(reg_dec_parse(bad[i], strlen(bad[i]), &v, NULL) == REG_DEC_SYNTAX, "%s", bad[i]);
  ck_assert_int_eq(reg_dec_parse("0.0000001", 9, &v, NULL), REG_DEC_TOO_PRECISE);
  ck_assert_int_eq(reg_dec_parse("1e-7", 4, &v, NULL), REG_DEC_TOO_PRECISE);
  ck_assert_int_eq(reg_dec_parse("10000000000000", 14, &v, NULL), REG_DEC_OVERFLOW);
  ck_assert_int_eq(reg_dec_parse("1e400", 5, &v, NULL), REG_DEC_OVERFLOW);
  ck_assert_int_eq(reg_dec_parse("123456789012345678901234567890", 30, &v, NULL), REG_DEC_OVERFLOW);
  /* A huge negative exponent on zero is still zero. */
  ck_assert_int_eq(reg_dec_parse("0e-99999999999", 14, &v, NULL), REG_DEC_OK);
  ck_assert_int_eq(v, 0);
}
END_TEST

START_TEST(format_shortest)
{
  ck_assert_str_eq(F(P("150.5")), "150.5");
  ck_assert_str_eq(F(P("160")), "160");
  ck_assert_str_eq(F(P("0.30")), "0.3");
  ck_assert_str_eq(F(P("-0.3")), "-0.3");
  ck_assert_str_eq(F(0), "0");
  ck_assert_str_eq(F(1), "0.000001");
  ck_assert_str_eq(F(INT64_MIN), "-9223372036854.775808");
  ck_assert_str_eq(F(INT64_MAX), "9223372036854.775807");
}
END_TEST

/* The shortest form, made with printf: the integer part, and the six fractional digits
 * without their trailing zeros. */
static void
check_format(int64_t v)
{
  char want[64], got[REG_DEC_FORMAT_MAX + 1];
  uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  int n = snprintf(want, sizeof want, "%s%" PRIu64 ".%06" PRIu64, v < 0 ? "-" : "",
                   u / 1000000, u % 1000000);
  while (want[n - 1] == '0')
    n--;
  if (want[n - 1] == '.')
    n--;
  want[n] = '\0';
  ck_assert_uint_eq(reg_dec_format(v, got), strlen(want));
  ck_assert_str_eq(got, want);
  snprintf(want, sizeof want, "%" PRId64, v);
  ck_assert_uint_eq(reg_int_format(v, got), strlen(want));
  ck_assert_str_eq(got, want);
}

START_TEST(format_matches_printf)
{
  for (int64_t v = -2000000; v <= 2000000; v += 11)
    check_format(v);
  int64_t p = 1;
  for (int i = 0; i < 19; i++) {
    p *= i ? 10 : 1; /* 1 .. 10^18 */
    for (int64_t k = -3; k <= 3; k++) {
      check_format(p + k);
      check_format(-p + k);
      check_format(p * 9 + k);
    }
  }
  check_format(INT64_MIN);
  check_format(INT64_MAX);
}
END_TEST

START_TEST(point_one_plus_point_two)
{
  int64_t s;
  ck_assert(reg_dec_add(P("0.1"), P("0.2"), &s));
  ck_assert_int_eq(s, P("0.3"));
  ck_assert_str_eq(F(s), "0.3");
}
END_TEST

START_TEST(overflow_detected)
{
  int64_t s;
  ck_assert(!reg_dec_add(INT64_MAX, 1, &s));
  ck_assert(!reg_dec_sub(INT64_MIN, 1, &s));
  ck_assert(!reg_dec_from_int(INT64_C(10000000000000), &s));
  ck_assert_int_eq(reg_dec_mul(INT64_MAX, P("2"), &s), REG_DEC_OVERFLOW);
  ck_assert_int_eq(reg_dec_div(P("1"), 0, &s), REG_DEC_DIV_ZERO);
}
END_TEST

START_TEST(mul_div_round)
{
  int64_t r;
  ck_assert_int_eq(reg_dec_mul(P("12.25"), P("0.2"), &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "2.45");
  ck_assert_int_eq(reg_dec_div(P("1"), P("3"), &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "0.333333");
  ck_assert_int_eq(reg_dec_div(P("2"), P("3"), &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "0.666667");
  ck_assert_int_eq(reg_dec_div(P("-2"), P("3"), &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "-0.666667");
  /* half to even */
  ck_assert_int_eq(reg_dec_round(P("2.5"), 0, &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "2");
  ck_assert_int_eq(reg_dec_round(P("3.5"), 0, &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "4");
  ck_assert_int_eq(reg_dec_round(P("-2.5"), 0, &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "-2");
  ck_assert_int_eq(reg_dec_round(P("1.25"), 1, &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "1.2");
  ck_assert_int_eq(reg_dec_round(P("1.35"), 1, &r), REG_DEC_OK);
  ck_assert_str_eq(F(r), "1.4");
}
END_TEST

START_TEST(roundtrip_many)
{
  /* Every value with at most two decimals in a range prints and parses back. */
  char buf[REG_DEC_FORMAT_MAX + 1];
  for (int64_t c = -100000; c <= 100000; c += 7) {
    int64_t v = c * 10000, back;
    size_t n = reg_dec_format(v, buf);
    ck_assert_int_eq(reg_dec_parse(buf, n, &back, NULL), REG_DEC_OK);
    ck_assert_int_eq(back, v);
  }
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("decimal");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, parse_basic);
  tcase_add_test(tc, parse_decimals_counted);
  tcase_add_test(tc, parse_rejects);
  tcase_add_test(tc, format_shortest);
  tcase_add_test(tc, format_matches_printf);
  tcase_add_test(tc, point_one_plus_point_two);
  tcase_add_test(tc, overflow_detected);
  tcase_add_test(tc, mul_div_round);
  tcase_add_test(tc, roundtrip_many);
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
