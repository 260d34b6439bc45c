/* test-json.c: JSON scanning primitives against JSONTestSuite and their edge cases. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf-private.h"
#include "json-private.h"

/* Every input lives in a heap block of exactly its size, so ASan catches any over-read. */
static char *
dup_exact(const void *s, size_t n)
{
  char *b = g_malloc(n ? n : 1);
  if (n)
    memcpy(b, s, n);
  return b;
}

static RegJsonStatus
validate_n(const void *s, size_t n, int max_depth)
{
  char *b = dup_exact(s, n);
  RegJsonStatus st = reg_json_validate(b, n, max_depth);
  g_free(b);
  return st;
}

static RegJsonStatus
validate(const char *s)
{
  return validate_n(s, strlen(s), 512);
}

/* reg_json_string on @n bytes (exactly sized); *@len gets the scanned length or -1. */
static RegJsonStatus
string_n(const void *s, size_t n, ptrdiff_t *len, bool *esc)
{
  char *b = dup_exact(s, n);
  const char *e = NULL;
  bool has = false;
  RegJsonStatus st = reg_json_string(b, b + n, &e, &has);
  *len = st == REG_JSON_OK ? e - b : -1;
  if (st != REG_JSON_OK)
    ck_assert_ptr_eq(e, b);
  if (esc)
    *esc = has;
  g_free(b);
  return st;
}

static RegJsonStatus
string_s(const char *s, ptrdiff_t *len, bool *esc)
{
  return string_n(s, strlen(s), len, esc);
}

/* ---- JSONTestSuite ---- */

START_TEST(jsontestsuite)
{
  const char *srcdir = g_getenv("SRCDIR");
  ck_assert_msg(srcdir != NULL, "SRCDIR not set");
  g_autofree char *dir = g_build_filename(srcdir, "tests", "data", "jsontestsuite", "test_parsing", NULL);
  g_autoptr(GError) error = NULL;
  GDir *d = g_dir_open(dir, 0, &error);
  ck_assert_msg(d != NULL, "%s", error ? error->message : dir);

  int y_total = 0, y_ok = 0, n_total = 0, n_ok = 0, i_total = 0, i_accepted = 0;
  GString *failures = g_string_new(NULL);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(name, ".json"))
      continue;
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *contents = NULL;
    gsize len = 0;
    ck_assert_msg(g_file_get_contents(path, &contents, &len, NULL), "%s", path);
    RegJsonStatus st = validate_n(contents, len, 512);
    switch (name[0]) {
    case 'y':
      y_total++;
      if (st == REG_JSON_OK)
        y_ok++;
      else
        g_string_append_printf(failures, " %s(rejected)", name);
      break;
    case 'n':
      n_total++;
      if (st != REG_JSON_OK)
        n_ok++;
      else
        g_string_append_printf(failures, " %s(accepted)", name);
      break;
    case 'i':
      i_total++;
      i_accepted += st == REG_JSON_OK;
      break;
    default:
      break;
    }
  }
  g_dir_close(d);
  printf("JSONTestSuite: y %d/%d accepted, n %d/%d rejected, i %d run (%d accepted)\n",
         y_ok, y_total, n_ok, n_total, i_total, i_accepted);
  ck_assert_msg(failures->len == 0, "failures:%s", failures->str);
  g_string_free(failures, TRUE);
  ck_assert_int_ge(y_total, 95);
  ck_assert_int_ge(n_total, 188);
  ck_assert_int_ge(i_total, 35);
}
END_TEST

/* ---- strings ---- */

START_TEST(string_basic)
{
  ptrdiff_t len;
  bool esc;
  ck_assert_int_eq(string_s("\"\"", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(len, 2);
  ck_assert(!esc);
  ck_assert_int_eq(string_s("\"abc\",", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(len, 5);
  ck_assert(!esc);
  ck_assert_int_eq(string_s("\"a\\\"b\"x", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(len, 6);
  ck_assert(esc);
  ck_assert_int_eq(string_s("\"\\\\\"", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(len, 4);
  ck_assert_int_eq(string_s("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uFFFF\\uabcD\"", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(string_s("\"\\uD834\\uDD1E\"", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(string_s("\"\\udbff\\udfff\"", &len, &esc), REG_JSON_OK);
  ck_assert_int_eq(string_s("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf\"", &len, &esc), REG_JSON_OK);
  ck_assert(!esc);

  const char *bad[] = {
    "",                      /* nothing */
    "a\"",                   /* not at a quote */
    "\"",                    /* unterminated */
    "\"abc",                 /* unterminated */
    "\"abc\\\"",             /* escaped quote is not the end */
    "\"\\",                  /* truncated escape */
    "\"\\a\"",               /* unknown escape */
    "\"\\x41\"",             /* no \x */
    "\"\\'\"",               /* no \' */
    "\"\\U0041\"",           /* \U is not \u */
    "\"\\u\"",               /* short \u */
    "\"\\u12\"",             /* short \u */
    "\"\\u123\"",            /* short \u */
    "\"\\u12G4\"",           /* not hex */
    "\"\\uD800\"",           /* lone high surrogate */
    "\"\\uDBFF\\u0041\"",    /* high then non-surrogate */
    "\"\\uD800\\uD800\"",    /* high then high */
    "\"\\uD800\\n\"",        /* high then other escape */
    "\"\\uD800x\\uDC00\"",   /* not adjacent */
    "\"\\uDC00\"",           /* lone low surrogate */
    "\"\\uDFFF\\uD800\"",    /* inverted pair */
    "\"\\uD800\\uDC0\"",     /* short low half */
    "\"\\uD800\\",           /* truncated after high */
    "\"\t\"",                /* raw tab */
    "\"\n\"",                /* raw newline */
    "\"\x1f\"",              /* raw control */
    "\"\xc3\"",              /* truncated 2-byte sequence */
    "\"\xc0\x80\"",          /* overlong NUL */
    "\"\xc1\xbf\"",          /* overlong */
    "\"\xe0\x9f\xbf\"",      /* overlong 3-byte */
    "\"\xf0\x8f\xbf\xbf\"",  /* overlong 4-byte */
    "\"\xed\xa0\x80\"",      /* UTF-8 encoded surrogate U+D800 */
    "\"\xed\xbf\xbf\"",      /* UTF-8 encoded surrogate U+DFFF */
    "\"\xf4\x90\x80\x80\"",  /* U+110000 */
    "\"\xf5\x80\x80\x80\"",  /* lead byte F5 */
    "\"\xff\"",              /* never valid */
    "\"\x80\"",              /* lone continuation */
    "\"\xe2\x82\"",          /* truncated 3-byte before the quote */
    "\"\xe2\x82",            /* truncated 3-byte at the end of the buffer */
    "\"\xf0\x9f\x98\"",      /* truncated 4-byte */
    "\"\xc3\xa9\xa9\"",      /* extra continuation */
    "\"\xfc\x80\x80\x80\x80\x80\"", /* 6-byte form */
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(string_s(bad[i], &len, NULL) == REG_JSON_SYNTAX, "bad[%zu]", i);

  /* NUL bytes: invalid raw inside a string. */
  ck_assert_int_eq(string_n("\"a\0b\"", 5, &len, NULL), REG_JSON_SYNTAX);
  ck_assert_int_eq(string_n("\"\0\"", 3, &len, NULL), REG_JSON_SYNTAX);

  /* has_escape may be NULL. */
  const char *s = "\"x\"", *e;
  ck_assert_int_eq(reg_json_string(s, s + 3, &e, NULL), REG_JSON_OK);
  ck_assert_ptr_eq(e, s + 3);
}
END_TEST

/*
 * A string of @n content bytes, with @ins (its own bytes) at offset @at, then
 * the closing quote, then @pad trailing bytes: checks every alignment of the
 * interesting bytes against 16-byte blocks and against the end of the buffer.
 */
static void
check_inserted(size_t n, size_t at, const char *ins, size_t ins_len, size_t pad, bool close,
               RegJsonStatus want, const char *what)
{
  size_t total = 1 + n + (close ? 1 : 0) + pad;
  char *b = g_malloc(total);
  memset(b, 'a', total);
  b[0] = '"';
  if (ins_len)
    memcpy(b + 1 + at, ins, ins_len);
  if (close)
    b[1 + n] = '"';
  for (size_t i = 0; i < pad; i++)
    b[total - pad + i] = (i & 1) ? '"' : '\\'; /* trailing bytes that would confuse an over-read */
  const char *e = NULL;
  bool esc = false;
  RegJsonStatus st = reg_json_string(b, b + total, &e, &esc);
  ck_assert_msg(st == want, "%s: n=%zu at=%zu pad=%zu close=%d got %d", what, n, at, pad, close, st);
  if (st == REG_JSON_OK)
    ck_assert_msg(e == b + n + 2, "%s: n=%zu at=%zu pad=%zu: end %td", what, n, at, pad, e - b);
  g_free(b);
}

START_TEST(string_utf8_block_boundaries)
{
  static const struct {
    const char *bytes;
    RegJsonStatus want;
    const char *what;
  } ins[] = {
    { "\xc3\xa9", REG_JSON_OK, "2-byte" },
    { "\xe2\x82\xac", REG_JSON_OK, "3-byte" },
    { "\xed\x9f\xbf", REG_JSON_OK, "U+D7FF" },
    { "\xee\x80\x80", REG_JSON_OK, "U+E000" },
    { "\xf0\x9f\x98\x80", REG_JSON_OK, "4-byte" },
    { "\xf4\x8f\xbf\xbf", REG_JSON_OK, "U+10FFFF" },
    { "\\n", REG_JSON_OK, "escape" },
    { "\\u00e9", REG_JSON_OK, "\\u escape" },
    { "\\ud83d\\ude00", REG_JSON_OK, "surrogate pair" },
    { "\\\"", REG_JSON_OK, "escaped quote" },
    { "\\\\", REG_JSON_OK, "escaped backslash" },
    { "\x7f", REG_JSON_OK, "DEL" },
    { "\x1f", REG_JSON_SYNTAX, "control" },
    { "\xc3", REG_JSON_SYNTAX, "truncated 2-byte" },
    { "\xe2\x82", REG_JSON_SYNTAX, "truncated 3-byte" },
    { "\xf0\x9f\x98", REG_JSON_SYNTAX, "truncated 4-byte" },
    { "\xc0\xaf", REG_JSON_SYNTAX, "overlong 2-byte" },
    { "\xe0\x80\xaf", REG_JSON_SYNTAX, "overlong 3-byte" },
    { "\xed\xa0\x80", REG_JSON_SYNTAX, "encoded surrogate" },
    { "\xf4\x90\x80\x80", REG_JSON_SYNTAX, "above U+10FFFF" },
    { "\x80", REG_JSON_SYNTAX, "lone continuation" },
    { "\\ud83d", REG_JSON_SYNTAX, "lone high surrogate" },
    { "\\ude00", REG_JSON_SYNTAX, "lone low surrogate" },
    { "\\x", REG_JSON_SYNTAX, "bad escape" },
  };
  for (size_t k = 0; k < G_N_ELEMENTS(ins); k++) {
    size_t il = strlen(ins[k].bytes);
    for (size_t n = il; n <= 70; n++)
      for (size_t at = 0; at + il <= n; at++)
        for (size_t pad = 0; pad <= 17; pad += (pad < 2 ? 1 : 15))
          check_inserted(n, at, ins[k].bytes, il, pad, true, ins[k].want, ins[k].what);
  }
  /* Plain strings of every length 0..70, closed or running off the end. */
  for (size_t n = 0; n <= 70; n++)
    for (size_t pad = 0; pad <= 20; pad++) {
      check_inserted(n, 0, "", 0, pad, true, REG_JSON_OK, "plain");
      if (pad == 0)
        check_inserted(n, 0, "", 0, 0, false, REG_JSON_SYNTAX, "unterminated");
    }
  /* A multi-byte sequence cut by the end of the buffer, at every length. */
  for (size_t n = 0; n <= 70; n++) {
    const char *cut[] = { "\xc3", "\xe2", "\xe2\x82", "\xf0", "\xf0\x9f", "\xf0\x9f\x98", "\\", "\\u", "\\u00", "\\ud83d", "\\ud83d\\u" };
    for (size_t k = 0; k < G_N_ELEMENTS(cut); k++) {
      size_t cl = strlen(cut[k]);
      size_t total = 1 + n + cl;
      char *b = g_malloc(total);
      b[0] = '"';
      memset(b + 1, 'x', n);
      memcpy(b + 1 + n, cut[k], cl);
      const char *e;
      ck_assert_int_eq(reg_json_string(b, b + total, &e, NULL), REG_JSON_SYNTAX);
      g_free(b);
    }
  }
}
END_TEST

/* Differential test against GLib's UTF-8 validator on random byte soup. */
START_TEST(string_random_vs_glib)
{
  static const unsigned char alphabet[] = {
    'a', 'Z', ' ', '~', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xdf,
    0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf8, 0xfe, 0xff,
  };
  static const char *const valid_seqs[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xef\xbf\xbf" };
  GRand *r = g_rand_new_with_seed(12345);
  char buf[160];
  int agree_ok = 0;
  for (int iter = 0; iter < 200000; iter++) {
    size_t n = (size_t) g_rand_int_range(r, 0, iter % 8 ? 80 : 120), k = 0;
    int ascii_bias = g_rand_int_range(r, 0, 4);
    while (k < n) {
      int pick = g_rand_int_range(r, 0, 16);
      if (pick < ascii_bias * 4) {
        buf[1 + k++] = 'a';
      } else if (pick < 14) {
        const char *v = valid_seqs[g_rand_int_range(r, 0, G_N_ELEMENTS(valid_seqs))];
        size_t vl = strlen(v);
        if (k + vl > n)
          break;
        memcpy(buf + 1 + k, v, vl);
        k += vl;
      } else {
        buf[1 + k++] = (char) alphabet[g_rand_int_range(r, 0, G_N_ELEMENTS(alphabet))];
      }
    }
    n = k;
    buf[0] = '"';
    buf[1 + n] = '"';
    size_t pad = (size_t) g_rand_int_range(r, 0, 20);
    memset(buf + 2 + n, '"', pad);
    gboolean want = g_utf8_validate_len(buf + 1, n, NULL);
    ptrdiff_t len;
    RegJsonStatus st = string_n(buf, n + 2 + pad, &len, NULL);
    ck_assert_msg((st == REG_JSON_OK) == (bool) want, "iter %d: n=%zu glib=%d ours=%d", iter, n, want, st);
    if (st == REG_JSON_OK) {
      ck_assert_int_eq(len, (ptrdiff_t) n + 2);
      agree_ok++;
    }
  }
  g_rand_free(r);
  ck_assert_int_gt(agree_ok, 1000); /* both sides were exercised */
}
END_TEST

/* ---- unescape ---- */

/* Scans @json (a string literal), unescapes its content, compares with @want (@want_len bytes). */
static void
check_unescape(const char *json, const char *want, size_t want_len)
{
  size_t n = strlen(json);
  char *b = dup_exact(json, n);
  const char *e;
  bool esc;
  ck_assert_msg(reg_json_string(b, b + n, &e, &esc) == REG_JSON_OK, "%s", json);
  ck_assert_ptr_eq(e, b + n);
  size_t raw_len = (size_t) (e - b) - 2;
  char *out = g_malloc(raw_len ? raw_len : 1);
  size_t got = reg_json_unescape(b + 1, raw_len, out);
  ck_assert_msg(got == want_len && memcmp(out, want, want_len) == 0, "%s: got %zu bytes", json, got);
  /* In place gives the same. */
  got = reg_json_unescape(b + 1, raw_len, b + 1);
  ck_assert_msg(got == want_len && memcmp(b + 1, want, want_len) == 0, "%s in place", json);
  g_free(out);
  g_free(b);
}

#define CHECK_UNESCAPE(json, want) check_unescape(json, want, sizeof(want) - 1)

START_TEST(unescape_escapes)
{
  CHECK_UNESCAPE("\"\"", "");
  CHECK_UNESCAPE("\"plain text\"", "plain text");
  CHECK_UNESCAPE("\"\\\"\"", "\"");
  CHECK_UNESCAPE("\"\\\\\"", "\\");
  CHECK_UNESCAPE("\"\\/\"", "/");
  CHECK_UNESCAPE("\"\\b\"", "\b");
  CHECK_UNESCAPE("\"\\f\"", "\f");
  CHECK_UNESCAPE("\"\\n\"", "\n");
  CHECK_UNESCAPE("\"\\r\"", "\r");
  CHECK_UNESCAPE("\"\\t\"", "\t");
  CHECK_UNESCAPE("\"\\u0000\"", "\0");
  CHECK_UNESCAPE("\"\\u0041\\u007f\"", "A\x7f");
  CHECK_UNESCAPE("\"\\u0080\"", "\xc2\x80");
  CHECK_UNESCAPE("\"\\u00E9\\u00e9\"", "\xc3\xa9\xc3\xa9");
  CHECK_UNESCAPE("\"\\u07FF\"", "\xdf\xbf");
  CHECK_UNESCAPE("\"\\u0800\"", "\xe0\xa0\x80");
  CHECK_UNESCAPE("\"\\u20AC\"", "\xe2\x82\xac");
  CHECK_UNESCAPE("\"\\uD7FF\\uE000\"", "\xed\x9f\xbf\xee\x80\x80");
  CHECK_UNESCAPE("\"\\uFFFF\"", "\xef\xbf\xbf");
  CHECK_UNESCAPE("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "a\"b\\c/d\be\ff\ng\rh\ti");
  CHECK_UNESCAPE("\"Caf\xc3\xa9 \\\"Ons Huis\\\"\"", "Caf\xc3\xa9 \"Ons Huis\"");
  CHECK_UNESCAPE("\"\\\\u0041\"", "\\u0041");
}
END_TEST

START_TEST(unescape_surrogate_pairs)
{
  CHECK_UNESCAPE("\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80");        /* U+10000 */
  CHECK_UNESCAPE("\"\\uD834\\uDD1E\"", "\xf0\x9d\x84\x9e");        /* U+1D11E */
  CHECK_UNESCAPE("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");        /* U+1F600 */
  CHECK_UNESCAPE("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf");        /* U+10FFFF */
  CHECK_UNESCAPE("\"x\\uD83D\\uDE00y\\u00e9\"", "x\xf0\x9f\x98\x80y\xc3\xa9");

  /* Every pair agrees with GLib's UTF-16 conversion. */
  for (gunichar hi = 0xD800; hi < 0xDC00; hi += 0x3F)
    for (gunichar lo = 0xDC00; lo < 0xE000; lo += 0x7F) {
      char json[16], out[12];
      snprintf(json, sizeof json, "\\u%04X\\u%04x", hi, lo);
      gunichar2 utf16[2] = { (gunichar2) hi, (gunichar2) lo };
      g_autofree char *want = g_utf16_to_utf8(utf16, 2, NULL, NULL, NULL);
      ck_assert_ptr_nonnull(want);
      size_t n = reg_json_unescape(json, 12, out);
      ck_assert_int_eq(n, 4);
      ck_assert(memcmp(out, want, 4) == 0);
    }
}
END_TEST

START_TEST(unescape_unvalidated_is_bounded)
{
  /* Not valid content, but still no out-of-bounds access and no growth. */
  const char *inputs[] = { "\\", "\\u", "\\u12", "\\uD800", "\\uDC00", "\\uD800\\u", "\\uD800\\uD800", "\\x", "\\uZZZZ" };
  for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
    size_t n = strlen(inputs[i]);
    char *b = dup_exact(inputs[i], n);
    char *out = g_malloc(n);
    ck_assert_uint_le(reg_json_unescape(b, n, out), n);
    g_free(out);
    g_free(b);
  }
}
END_TEST

/* ---- numbers ---- */

START_TEST(numbers)
{
  const char *good[] = {
    "0", "-0", "1", "-1", "9", "10", "123456789", "0.0", "0.5", "-0.5", "12.25", "1e5", "1E5", "1e+5",
    "1e-5", "0e0", "-0E-0", "1.5e10", "21.2", "123456789012345678901234567890", "1e999999", "0.000001",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
    size_t n = strlen(good[i]);
    char *b = dup_exact(good[i], n);
    const char *e;
    ck_assert_msg(reg_json_number(b, b + n, &e) == REG_JSON_OK, "%s", good[i]);
    ck_assert_msg(e == b + n, "%s", good[i]);
    g_free(b);
    ck_assert_msg(validate(good[i]) == REG_JSON_OK, "%s", good[i]);
  }
  const char *bad[] = {
    "", "-", "+1", "01", "-01", "00", "1.", "-1.", ".5", "-.5", "1e", "1E", "1e+", "1e-", "1.e5",
    "NaN", "-Infinity", "Infinity", "--1", "- 1", "1.5e", "0.e1", "a",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    size_t n = strlen(bad[i]);
    char *b = dup_exact(bad[i], n);
    const char *e = NULL;
    ck_assert_msg(reg_json_number(b, b + n, &e) == REG_JSON_SYNTAX, "%s", bad[i]);
    ck_assert_ptr_eq(e, b);
    g_free(b);
    ck_assert_msg(validate(bad[i]) != REG_JSON_OK, "%s", bad[i]);
  }
  /* The number ends where its grammar ends; what follows is the caller's business. */
  const struct {
    const char *s;
    size_t len;
  } prefix[] = { { "1,", 1 }, { "-12]", 3 }, { "1.5.3", 3 }, { "2e3e4", 3 }, { "0-", 1 }, { "7 ", 1 }, { "1e5.0", 3 }, { "0x10", 1 } };
  for (size_t i = 0; i < G_N_ELEMENTS(prefix); i++) {
    const char *s = prefix[i].s, *e;
    ck_assert_int_eq(reg_json_number(s, s + strlen(s), &e), REG_JSON_OK);
    ck_assert_msg(e == s + prefix[i].len, "%s", s);
    ck_assert_msg(validate(s) != REG_JSON_OK || s[prefix[i].len] == ' ', "%s", s);
  }
}
END_TEST

/* The RFC 8259 number grammar the slow, obvious way: length of the number at @s, or 0. */
static size_t
ref_number(const char *s, size_t n)
{
  size_t i = 0;
  if (i < n && s[i] == '-')
    i++;
  if (i < n && s[i] == '0') {
    i++;
    if (i < n && g_ascii_isdigit(s[i]))
      return 0;
  } else if (i < n && g_ascii_isdigit(s[i])) {
    while (i < n && g_ascii_isdigit(s[i]))
      i++;
  } else {
    return 0;
  }
  if (i < n && s[i] == '.') {
    i++;
    if (!(i < n && g_ascii_isdigit(s[i])))
      return 0;
    while (i < n && g_ascii_isdigit(s[i]))
      i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    if (!(i < n && g_ascii_isdigit(s[i])))
      return 0;
    while (i < n && g_ascii_isdigit(s[i]))
      i++;
  }
  return i;
}

/* Random digit soup at every length and distance from the buffer end, against ref_number. */
START_TEST(numbers_random_vs_reference)
{
  static const char alphabet[] = "0123456789000111.eE+-x,";
  GRand *r = g_rand_new_with_seed(2024);
  char buf[64];
  for (int iter = 0; iter < 300000; iter++) {
    size_t n = (size_t) g_rand_int_range(r, 1, 40);
    int digit_bias = g_rand_int_range(r, 0, 3);
    for (size_t i = 0; i < n; i++)
      buf[i] = g_rand_int_range(r, 0, 4) < digit_bias ? (char) ('0' + g_rand_int_range(r, 0, 10))
                                                        : alphabet[g_rand_int_range(r, 0, sizeof alphabet - 1)];
    if (buf[0] != '-' && !g_ascii_isdigit(buf[0]))
      buf[0] = (char) ('1' + iter % 9);
    size_t want = ref_number(buf, n);
    char *b = dup_exact(buf, n);
    const char *e = NULL;
    RegJsonStatus st = reg_json_number(b, b + n, &e);
    ck_assert_msg((st == REG_JSON_OK) == (want != 0), "iter %d: %.*s: ref %zu, got %d", iter, (int) n, buf, want, st);
    ck_assert_msg(e == b + want, "iter %d: %.*s: ref %zu, got %td", iter, (int) n, buf, want, e - b);
    g_free(b);
  }
  g_rand_free(r);
}
END_TEST

/* ---- skip / validate ---- */

START_TEST(skip_values)
{
  const struct {
    const char *s;
    size_t len;
  } cases[] = {
    { "true,", 4 }, { "false]", 5 }, { "null}", 4 }, { "\"s\" ", 3 }, { "-1.5e3,", 6 },
    { "[]x", 2 }, { "{}x", 2 }, { "[ ]", 3 }, { "{ \t\r\n}", 6 },
    { "[1, \"a\" , [ ] ,{}]  ", 18 },
    { "{\"a\" : 1 , \"b\":[true,false,null],\"a\":{}}", 40 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    size_t n = strlen(cases[i].s);
    char *b = dup_exact(cases[i].s, n);
    const char *e;
    ck_assert_msg(reg_json_skip(b, b + n, 8, &e) == REG_JSON_OK, "%s", cases[i].s);
    ck_assert_msg(e == b + cases[i].len, "%s: %td", cases[i].s, e - b);
    g_free(b);
  }
}
END_TEST

START_TEST(validate_texts)
{
  const char *good[] = {
    "0", " 0 ", "\t\r\n 1 \n", "\"\"", "[]", "{}", "[[],{}]", "{\"\":\"\"}", "{\"a\":1,\"a\":2}",
    "[true,false,null]", "[1,-2.5,3e4,\"x\",{\"k\":[{}]}]", "{\"k\":{\"k\":{\"k\":null}}}",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
    ck_assert_msg(validate(good[i]) == REG_JSON_OK, "%s", good[i]);
  const char *bad[] = {
    "", " ", "\n", "[", "]", "{", "}", "[}", "{]", "[1}", "{\"a\":1]", "[[]", "[]]", "{}}", "[,]", "[1,]",
    "[,1]", "[1 2]", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{1:1}", "{a:1}",
    "{'a':1}", "{\"a\":1 \"b\":2}", "tru", "truex", "True", "nul", "nulll", "fals", "[true false]",
    "1 2", "\"a\" \"b\"", "[1]x", "\xef\xbb\xbf{}", "\f[]", "[\f]", "[]\f", "\v1", "\xc2\2401" /* NBSP */,
    "[\"a\",]", "{\"a\":[}", "[{]}", "//", "/*x*/1", "[1,2,3", "{\"a\":\"b\"", "'a'", "[01]",
    "[.5]", "[+1]", "[-]", "[\"\\x\"]", "[\"\\uD800\"]",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(validate(bad[i]) == REG_JSON_SYNTAX, "bad[%zu] %s", i, bad[i]);
  /* NUL bytes outside strings. */
  ck_assert_int_eq(validate_n("[1]\0", 4, 512), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate_n("\0[1]", 4, 512), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate_n("[1,\0]", 5, 512), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate_n("123\0", 4, 512), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate_n("\"\0\"", 3, 512), REG_JSON_SYNTAX);
  /* Invalid UTF-8 in a key as well as in a value. */
  ck_assert_int_eq(validate("{\"\xc3\":1}"), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate("{\"\xc3\xa9\":\"\xed\xa0\x80\"}"), REG_JSON_SYNTAX);
  ck_assert_int_eq(validate("{\"\xc3\xa9\":\"\xe2\x82\xac\"}"), REG_JSON_OK);
  /* A NULL pointer with no bytes is just empty input. */
  ck_assert_int_eq(reg_json_validate(NULL, 0, 512), REG_JSON_SYNTAX);
}
END_TEST

/* @depth copies of @open, a 0, @depth copies of @close. */
static char *
nested(int depth, const char *open, const char *close)
{
  GString *s = g_string_new(NULL);
  for (int i = 0; i < depth; i++)
    g_string_append(s, open);
  g_string_append_c(s, '0');
  for (int i = 0; i < depth; i++)
    g_string_append(s, close);
  return g_string_free(s, FALSE);
}

START_TEST(depth_limit)
{
  for (int max = 0; max <= 130; max += (max < 70 ? 1 : 29)) {
    g_autofree char *ok_a = nested(max, "[", "]");
    g_autofree char *bad_a = nested(max + 1, "[", "]");
    g_autofree char *ok_o = nested(max, "{\"k\":", "}");
    g_autofree char *bad_o = nested(max + 1, "{\"k\":", "}");
    ck_assert_msg(validate_n(ok_a, strlen(ok_a), max) == REG_JSON_OK, "arrays %d", max);
    ck_assert_msg(validate_n(bad_a, strlen(bad_a), max) == REG_JSON_DEPTH, "arrays %d+1", max);
    ck_assert_msg(validate_n(ok_o, strlen(ok_o), max) == REG_JSON_OK, "objects %d", max);
    ck_assert_msg(validate_n(bad_o, strlen(bad_o), max) == REG_JSON_DEPTH, "objects %d+1", max);
  }
  /* Empty containers count too. */
  ck_assert_int_eq(validate_n("[]", 2, 0), REG_JSON_DEPTH);
  ck_assert_int_eq(validate_n("{}", 2, 0), REG_JSON_DEPTH);
  ck_assert_int_eq(validate_n("1", 1, 0), REG_JSON_OK);
  ck_assert_int_eq(validate_n("[[]]", 4, 1), REG_JSON_DEPTH);
  ck_assert_int_eq(validate_n("[[]]", 4, 2), REG_JSON_OK);
  ck_assert_int_eq(validate_n("[1]", 3, -1), REG_JSON_DEPTH);

  /* The cap: REG_JSON_MAX_DEPTH deep is fine, one more is too deep whatever max_depth says. */
  g_autofree char *at_cap = nested(REG_JSON_MAX_DEPTH, "[", "]");
  g_autofree char *over_cap = nested(REG_JSON_MAX_DEPTH + 1, "[", "]");
  ck_assert_int_eq(validate_n(at_cap, strlen(at_cap), G_MAXINT), REG_JSON_OK);
  ck_assert_int_eq(validate_n(over_cap, strlen(over_cap), G_MAXINT), REG_JSON_DEPTH);

  /* 100000 opening brackets: rejected, no crash. */
  char *deep = g_malloc(100000);
  memset(deep, '[', 100000);
  ck_assert_int_eq(validate_n(deep, 100000, 512), REG_JSON_DEPTH);
  ck_assert_int_eq(validate_n(deep, 100000, G_MAXINT), REG_JSON_DEPTH);
  g_free(deep);
  GString *mix = g_string_new(NULL);
  for (int i = 0; i < 50000; i++)
    g_string_append(mix, "{\"\":[");
  ck_assert_int_eq(validate_n(mix->str, mix->len, 512), REG_JSON_DEPTH);
  ck_assert_int_eq(validate_n(mix->str, mix->len, G_MAXINT), REG_JSON_DEPTH);
  g_string_free(mix, TRUE);
}
END_TEST

/*
 * Deep mixed nesting where each level has a sibling after its child, so the
 * container type must be restored correctly across the 64-bit words of the
 * depth stack: [child,1] or {"a":child,"z":1}.
 */
START_TEST(depth_stack_mixed)
{
  GRand *r = g_rand_new_with_seed(7);
  for (int iter = 0; iter < 50; iter++) {
    int depth = g_rand_int_range(r, 1, 400);
    GString *s = g_string_new(NULL);
    bool *obj = g_new(bool, depth);
    for (int i = 0; i < depth; i++) {
      obj[i] = g_rand_boolean(r);
      g_string_append(s, obj[i] ? "{\"a\":" : "[");
    }
    g_string_append(s, "0");
    for (int i = depth - 1; i >= 0; i--)
      g_string_append(s, obj[i] ? ",\"z\":1}" : ",1]");
    ck_assert_int_eq(validate_n(s->str, s->len, depth), REG_JSON_OK);
    ck_assert_int_eq(validate_n(s->str, s->len, depth - 1), REG_JSON_DEPTH);
    /* Swap one closer for the wrong kind: must fail. */
    int victim = g_rand_int_range(r, 0, depth);
    size_t count = 0;
    for (size_t i = s->len; i-- > 0;) {
      if (s->str[i] == ']' || s->str[i] == '}') {
        if (count++ == (size_t) victim) {
          s->str[i] = s->str[i] == ']' ? '}' : ']';
          break;
        }
      }
    }
    ck_assert_int_eq(validate_n(s->str, s->len, depth), REG_JSON_SYNTAX);
    g_free(obj);
    g_string_free(s, TRUE);
  }
  g_rand_free(r);
}
END_TEST

static const char sample[] =
  "{\"teacher\":{\"id\":\"T000001\",\"name\":\"Z\xc3\xb6\xc3\xab Nguy\xe1\xbb\x85n\",\"school\":\"De \\\"Ark\\\" \\u00e9\\ud83d\\ude00\"},"
  "\"as_of\":\"2022-01-24\",\"registration\":{\"start\":\"2018-01-24\"},"
  "\"bevoegdheden\":[{\"code\":\"vo-scheikunde\",\"sector\":\"vo\",\"herregistratie\":true}],"
  "\"activities\":[{\"id\":\"A1\",\"kind\":\"course\",\"date\":\"2018-05-03\",\"hours\":21.2,\"bevoegdheden\":[],\"validated\":true},"
  "{\"id\":\"A2\",\"hours\":-7.0e+1,\"x\":0,\"y\":null,\"z\":false,\"w\":[1,[2,{}],\"\"], \"e\" : { } }]}";

START_TEST(truncation_everywhere)
{
  size_t n = strlen(sample);
  ck_assert_int_eq(validate_n(sample, n, 512), REG_JSON_OK);
  for (size_t k = 0; k < n; k++) {
    ck_assert_msg(validate_n(sample, k, 512) == REG_JSON_SYNTAX, "prefix of %zu bytes accepted", k);
    char *b = dup_exact(sample, k);
    const char *e;
    ck_assert_msg(reg_json_skip(b, b + k, 512, &e) == REG_JSON_SYNTAX, "skip of %zu bytes", k);
    ck_assert(e >= b && e <= b + k);
    g_free(b);
  }
}
END_TEST

/* Random byte mutations of a valid document: the answer does not matter, only that nothing crashes or over-reads. */
START_TEST(mutations_do_not_crash)
{
  static const char specials[] = "\"\\{}[]:,0-.eE+ \t\x80\xc3\xe2\xed\xf0\xf4\xff\0utn";
  size_t n = strlen(sample);
  GRand *r = g_rand_new_with_seed(99);
  int accepted = 0;
  for (int iter = 0; iter < 100000; iter++) {
    char *b = dup_exact(sample, n);
    int edits = g_rand_int_range(r, 1, 4);
    for (int k = 0; k < edits; k++) {
      size_t at = (size_t) g_rand_int_range(r, 0, (gint32) n);
      b[at] = g_rand_boolean(r) ? specials[g_rand_int_range(r, 0, sizeof specials - 1)] : (char) g_rand_int_range(r, 0, 256);
    }
    size_t len = (size_t) g_rand_int_range(r, (gint32) n / 2, (gint32) n + 1);
    accepted += reg_json_validate(b, len, 16) == REG_JSON_OK;
    g_free(b);
  }
  g_rand_free(r);
  ck_assert_int_lt(accepted, 100000);
}
END_TEST

/* The escaping of output strings, 16 bytes at a time where it can: against a byte-by-byte
 * reference, for random texts with every kind of byte at every position (and around the
 * 16-byte blocks). */
static void
reference_escape(GString *o, const char *s, size_t n)
{
  g_string_append_c(o, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];
    switch (c) {
    case '"': g_string_append(o, "\\\""); break;
    case '\\': g_string_append(o, "\\\\"); break;
    case '\n': g_string_append(o, "\\n"); break;
    case '\r': g_string_append(o, "\\r"); break;
    case '\t': g_string_append(o, "\\t"); break;
    case '\b': g_string_append(o, "\\b"); break;
    case '\f': g_string_append(o, "\\f"); break;
    default:
      if (c < 0x20)
        g_string_append_printf(o, "\\u%04x", c);
      else
        g_string_append_c(o, (char) c);
    }
  }
  g_string_append_c(o, '"');
}

START_TEST(output_string_escaping)
{
  static const char pick[] = { 'a', 'Z', ' ', '"', '\\', '\n', '\t', 0x01, 0x1f, 0x7f,
                               (char) 0x80, (char) 0xc3, (char) 0xa9, (char) 0xff, 0 };
  GRand *rng = g_rand_new_with_seed(7);
  for (int round = 0; round < 20000; round++) {
    size_t n = (size_t) g_rand_int_range(rng, 0, 70);
    char buf[70];
    /* mostly plain letters, with a few special bytes: the fast path and its exits */
    for (size_t i = 0; i < n; i++)
      buf[i] = g_rand_int_range(rng, 0, 8) ? (char) g_rand_int_range(rng, 'a', 'z' + 1)
                                           : pick[g_rand_int_range(rng, 0, (int) sizeof pick)];
    RegBuf b;
    reg_buf_init(&b);
    reg_buf_addc(&b, '[');
    reg_buf_json_string(&b, buf, n);
    GString *want = g_string_new("[");
    reference_escape(want, buf, n);
    ck_assert_uint_eq(b.len, want->len);
    ck_assert_msg(memcmp(b.data, want->str, want->len) == 0, "round %d: %.*s vs %s", round,
                  (int) b.len, b.data, want->str);
    g_string_free(want, TRUE);
    reg_buf_clear(&b);
  }
  g_rand_free(rng);
}
END_TEST

/* Found by the byte-flip property (test-hardening): a data error whose path starts with an
 * empty field name appended nothing to a buffer without storage yet, which handed memcpy a
 * NULL destination (UBSan). Adding nothing must leave a fresh buffer as it is. */
START_TEST(buffer_add_nothing)
{
  RegBuf b;
  reg_buf_init(&b);
  reg_buf_add(&b, "", 0);
  ck_assert_uint_eq(b.len, 0);
  reg_buf_add(&b, "ab", 2);
  reg_buf_add(&b, NULL, 0);
  ck_assert_uint_eq(b.len, 2);
  ck_assert_int_eq(memcmp(b.data, "ab", 2), 0);
  reg_buf_clear(&b);
}
END_TEST

START_TEST(whitespace)
{
  const char *s = " \t\r\n x";
  ck_assert_ptr_eq(reg_json_ws(s, s + strlen(s)), s + 5);
  ck_assert_ptr_eq(reg_json_ws(s, s + 2), s + 2);
  ck_assert_ptr_eq(reg_json_ws(s, s), s);
  const char *ff = "\f\v\xc2\xa0";
  ck_assert_ptr_eq(reg_json_ws(ff, ff + 4), ff);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("json");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, jsontestsuite);
  tcase_add_test(tc, string_basic);
  tcase_add_test(tc, output_string_escaping);
  tcase_add_test(tc, string_utf8_block_boundaries);
  tcase_add_test(tc, string_random_vs_glib);
  tcase_add_test(tc, unescape_escapes);
  tcase_add_test(tc, unescape_surrogate_pairs);
  tcase_add_test(tc, unescape_unvalidated_is_bounded);
  tcase_add_test(tc, numbers);
  tcase_add_test(tc, numbers_random_vs_reference);
  tcase_add_test(tc, skip_values);
  tcase_add_test(tc, validate_texts);
  tcase_add_test(tc, depth_limit);
  tcase_add_test(tc, depth_stack_mixed);
  tcase_add_test(tc, truncation_everywhere);
  tcase_add_test(tc, mutations_do_not_crash);
  tcase_add_test(tc, whitespace);
  tcase_add_test(tc, buffer_add_nothing);
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
