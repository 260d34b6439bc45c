/* test-sha256.c: SHA-256 against GLib's, for the portable, AVX2 and AVX-512 implementations. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256-private.h"

/* Each loop test runs once per implementation; _i is the RegSha256Impl. */
#define IMPL(i) ((RegSha256Impl) (i))

static void
assert_glib(const uint8_t *data, size_t len, const uint8_t digest[REG_SHA256_LEN])
{
  char got[65];
  char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
  reg_sha256_hex(digest, got);
  ck_assert_msg(strcmp(got, want) == 0, "len %zu: got %s, want %s", len, got, want);
  g_free(want);
}

/* Hashes @n messages through @impl and checks every digest against GLib. */
static void
check_many(RegSha256Impl impl, size_t n, uint8_t **msgs, const size_t *lens)
{
  uint8_t (*out)[REG_SHA256_LEN] = g_malloc0_n(n + 1, REG_SHA256_LEN);

  memset(out, 0xa5, (n + 1) * REG_SHA256_LEN);
  reg_sha256_many_impl(impl, n, (const uint8_t *const *) msgs, lens, out);
  for (size_t i = 0; i < n; i++)
    assert_glib(msgs[i], lens[i], out[i]);
  /* Nothing written past the n digests. */
  for (size_t b = 0; b < REG_SHA256_LEN; b++)
    ck_assert_uint_eq(out[n][b], 0xa5);
  g_free(out);
}

/* A message of @len random bytes in its own allocation, so ASan sees any overread. */
static uint8_t *
random_msg(GRand *rng, size_t len)
{
  uint8_t *m = g_malloc(len ? len : 1);
  for (size_t i = 0; i < len; i++)
    m[i] = (uint8_t) g_rand_int_range(rng, 0, 256);
  return m;
}

static void
free_msgs(uint8_t **msgs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    g_free(msgs[i]);
  g_free(msgs);
}

static const struct {
  const char *msg;
  const char *hex;
} vectors[] = {
  { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
    "rsmnopqrstnopqrstu",
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
};

static const char million_a_hex[] =
  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

START_TEST(standard_vectors_single)
{
  uint8_t d[REG_SHA256_LEN];
  char hex[65];

  for (size_t i = 0; i < G_N_ELEMENTS(vectors); i++) {
    size_t len = strlen(vectors[i].msg);
    reg_sha256(vectors[i].msg, len, d);
    reg_sha256_hex(d, hex);
    ck_assert_str_eq(hex, vectors[i].hex);
    assert_glib((const uint8_t *) vectors[i].msg, len, d);
  }

  uint8_t *a = g_malloc(1000000);
  memset(a, 'a', 1000000);
  reg_sha256(a, 1000000, d);
  reg_sha256_hex(d, hex);
  ck_assert_str_eq(hex, million_a_hex);
  g_free(a);

  /* An empty message may come as NULL. */
  reg_sha256(NULL, 0, d);
  reg_sha256_hex(d, hex);
  ck_assert_str_eq(hex, vectors[0].hex);
}
END_TEST

START_TEST(standard_vectors_many)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  size_t n = G_N_ELEMENTS(vectors) + 1;
  uint8_t **msgs = g_new0(uint8_t *, n);
  size_t *lens = g_new0(size_t, n);
  for (size_t i = 0; i < G_N_ELEMENTS(vectors); i++) {
    lens[i] = strlen(vectors[i].msg);
    msgs[i] = g_memdup2(vectors[i].msg, lens[i] + 1);
  }
  lens[n - 1] = 1000000;
  msgs[n - 1] = g_malloc(1000000);
  memset(msgs[n - 1], 'a', 1000000);

  uint8_t (*out)[REG_SHA256_LEN] = g_malloc_n(n, REG_SHA256_LEN);
  reg_sha256_many_impl(impl, n, (const uint8_t *const *) msgs, lens, out);
  char hex[65];
  for (size_t i = 0; i < G_N_ELEMENTS(vectors); i++) {
    reg_sha256_hex(out[i], hex);
    ck_assert_str_eq(hex, vectors[i].hex);
  }
  reg_sha256_hex(out[n - 1], hex);
  ck_assert_str_eq(hex, million_a_hex);
  g_free(out);
  g_free(lens);
  free_msgs(msgs, n);
}
END_TEST

START_TEST(every_length_single)
{
  GRand *rng = g_rand_new_with_seed(1);
  uint8_t d[REG_SHA256_LEN];

  for (size_t len = 0; len <= 300; len++) {
    uint8_t *m = random_msg(rng, len);
    reg_sha256(m, len, d);
    assert_glib(m, len, d);
    g_free(m);
  }
  g_rand_free(rng);
}
END_TEST

/* Every length 0..300 alone in the lanes, then all of them at once. */
START_TEST(every_length_many)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  GRand *rng = g_rand_new_with_seed(2);
  size_t n = 301;
  uint8_t **msgs = g_new0(uint8_t *, n);
  size_t *lens = g_new0(size_t, n);
  for (size_t len = 0; len < n; len++) {
    lens[len] = len;
    msgs[len] = random_msg(rng, len);
    check_many(impl, 1, &msgs[len], &lens[len]);
  }
  check_many(impl, n, msgs, lens);
  free_msgs(msgs, n);
  g_free(lens);
  g_rand_free(rng);
}
END_TEST

START_TEST(random_lengths_single)
{
  GRand *rng = g_rand_new_with_seed(3);
  uint8_t d[REG_SHA256_LEN];

  for (int i = 0; i < 200; i++) {
    size_t len = (size_t) g_rand_int_range(rng, 0, 10001);
    uint8_t *m = random_msg(rng, len);
    reg_sha256(m, len, d);
    assert_glib(m, len, d);
    g_free(m);
  }
  g_rand_free(rng);
}
END_TEST

START_TEST(random_lengths_many)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  GRand *rng = g_rand_new_with_seed(4);
  size_t n = 200;
  uint8_t **msgs = g_new0(uint8_t *, n);
  size_t *lens = g_new0(size_t, n);
  for (size_t i = 0; i < n; i++) {
    lens[i] = (size_t) g_rand_int_range(rng, 0, 10001);
    msgs[i] = random_msg(rng, lens[i]);
  }
  check_many(impl, n, msgs, lens);
  free_msgs(msgs, n);
  g_free(lens);
  g_rand_free(rng);
}
END_TEST

/*
 * n = 0..40 messages of very different lengths, so lanes finish at
 * different times, take new messages and go idle while others still work;
 * padding boundaries (55, 56, 63, 64, 119, 120) come often.
 */
START_TEST(mixed_batches)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  static const size_t edges[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129 };
  GRand *rng = g_rand_new_with_seed(5);
  for (size_t n = 0; n <= 40; n++) {
    for (int round = 0; round < 3; round++) {
      uint8_t **msgs = g_new0(uint8_t *, n + 1);
      size_t *lens = g_new0(size_t, n + 1);
      for (size_t i = 0; i < n; i++) {
        switch (g_rand_int_range(rng, 0, 4)) {
        case 0:
          lens[i] = edges[g_rand_int_range(rng, 0, G_N_ELEMENTS(edges))];
          break;
        case 1:
          lens[i] = (size_t) g_rand_int_range(rng, 0, 300);
          break;
        case 2:
          lens[i] = (size_t) g_rand_int_range(rng, 2000, 4000);
          break;
        default:
          lens[i] = (size_t) g_rand_int_range(rng, 0, 10001);
          break;
        }
        msgs[i] = random_msg(rng, lens[i]);
      }
      check_many(impl, n, msgs, lens);
      free_msgs(msgs, n);
      g_free(lens);
    }
  }
  g_rand_free(rng);
}
END_TEST

/* One long message among short ones: a lane runs alone for a long time. */
START_TEST(one_long_many_short)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  GRand *rng = g_rand_new_with_seed(6);
  size_t n = 37;
  uint8_t **msgs = g_new0(uint8_t *, n);
  size_t *lens = g_new0(size_t, n);
  for (size_t i = 0; i < n; i++) {
    lens[i] = i == 3 ? 50000 : i % 5;
    msgs[i] = random_msg(rng, lens[i]);
  }
  check_many(impl, n, msgs, lens);
  free_msgs(msgs, n);
  g_free(lens);
  g_rand_free(rng);
}
END_TEST

/* Messages at every alignment inside one buffer, and the same message in several lanes. */
START_TEST(unaligned_and_shared)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  GRand *rng = g_rand_new_with_seed(7);
  uint8_t *buf = random_msg(rng, 8192);
  const uint8_t *ptrs[34];
  size_t lens[34];
  uint8_t out[34][REG_SHA256_LEN];
  for (size_t i = 0; i < 32; i++) {
    ptrs[i] = buf + i * 3 + 1;
    lens[i] = 1000 + i * 97;
  }
  ptrs[32] = ptrs[33] = buf;
  lens[32] = lens[33] = 8192;
  reg_sha256_many_impl(impl, 34, ptrs, lens, out);
  for (size_t i = 0; i < 34; i++)
    assert_glib(ptrs[i], lens[i], out[i]);
  g_free(buf);
  g_rand_free(rng);
}
END_TEST

START_TEST(empty_and_null)
{
  RegSha256Impl impl = IMPL(_i);
  if (!reg_sha256_impl_available(impl))
    return;

  reg_sha256_many_impl(impl, 0, NULL, NULL, NULL);

  const uint8_t *ptrs[20] = { 0 };
  size_t lens[20] = { 0 };
  uint8_t out[20][REG_SHA256_LEN];
  char hex[65];
  reg_sha256_many_impl(impl, 20, ptrs, lens, out);
  for (size_t i = 0; i < 20; i++) {
    reg_sha256_hex(out[i], hex);
    ck_assert_str_eq(hex, vectors[0].hex);
  }
}
END_TEST

START_TEST(dispatch)
{
  RegSha256Impl best = reg_sha256_impl_best();
  ck_assert(reg_sha256_impl_available(best));
  ck_assert(reg_sha256_impl_available(REG_SHA256_IMPL_PORTABLE));
  ck_assert(!reg_sha256_impl_available(REG_SHA256_N_IMPLS));
  ck_assert_str_eq(reg_sha256_impl_name(REG_SHA256_IMPL_PORTABLE), "portable");
  ck_assert_str_eq(reg_sha256_impl_name(REG_SHA256_IMPL_AVX2), "avx2");
  ck_assert_str_eq(reg_sha256_impl_name(REG_SHA256_IMPL_AVX512), "avx512");

  reg_sha256_many(0, NULL, NULL, NULL);

  GRand *rng = g_rand_new_with_seed(8);
  size_t n = 100;
  uint8_t **msgs = g_new0(uint8_t *, n);
  size_t *lens = g_new0(size_t, n);
  uint8_t (*out)[REG_SHA256_LEN] = g_malloc_n(n, REG_SHA256_LEN);
  for (size_t i = 0; i < n; i++) {
    lens[i] = (size_t) g_rand_int_range(rng, 2500, 3500);
    msgs[i] = random_msg(rng, lens[i]);
  }
  for (size_t k = 0; k <= n; k += 33) {
    reg_sha256_many(k, (const uint8_t *const *) msgs, lens, out);
    for (size_t i = 0; i < k; i++)
      assert_glib(msgs[i], lens[i], out[i]);
  }
  g_free(out);
  free_msgs(msgs, n);
  g_free(lens);
  g_rand_free(rng);
}
END_TEST

START_TEST(hex)
{
  uint8_t d[REG_SHA256_LEN];
  char out[65];
  for (int i = 0; i < REG_SHA256_LEN; i++)
    d[i] = (uint8_t) (i * 8 + 7);
  reg_sha256_hex(d, out);
  ck_assert_str_eq(out, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("sha256");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, standard_vectors_single);
  tcase_add_test(tc, every_length_single);
  tcase_add_test(tc, random_lengths_single);
  tcase_add_loop_test(tc, standard_vectors_many, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, every_length_many, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, random_lengths_many, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, mixed_batches, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, one_long_many_short, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, unaligned_and_shared, 0, REG_SHA256_N_IMPLS);
  tcase_add_loop_test(tc, empty_and_null, 0, REG_SHA256_N_IMPLS);
  tcase_add_test(tc, dispatch);
  tcase_add_test(tc, hex);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  /* Say which implementations this CPU runs, since the others' tests pass by doing nothing. */
  for (int i = 0; i < REG_SHA256_N_IMPLS; i++)
    printf("sha256 %s: %s\n", reg_sha256_impl_name((RegSha256Impl) i),
           reg_sha256_impl_available((RegSha256Impl) i) ? "tested" : "not available here");
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
