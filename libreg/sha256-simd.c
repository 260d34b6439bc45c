/* sha256-simd.c: multi-buffer SHA-256 compression, 8 messages in AVX2 lanes or 16 in AVX-512. */
#include "sha256-private.h"

#ifdef REG_SHA256_HAVE_X86_SIMD

#include <immintrin.h>

/*
 * Each 32-bit lane of a vector holds one message's working variable, so one
 * vector instruction does a step of SHA-256 for 8 or 16 messages. A block
 * is loaded as one row per lane, byte-swapped, then transposed so that
 * vector t holds word t of every lane's block. The functions carry their
 * own target attributes and run only when dispatch (sha256.c) has asked
 * the CPU; the file is built without -mavx2 so nothing else in it uses the
 * wider instructions.
 */

/* the round constants: reg_sha256_k of sha256.c */
#define k256 reg_sha256_k

#define UNROLL _Pragma("GCC unroll 16")

/* Rounds, shared by both widths: the caller defines the vector operations. */
#define RND(a, b, c, d, e, f, g, h, t, wt)                                  \
  do {                                                                      \
    V t1_ = ADD(ADD(h, BSIG1(e)), ADD(CH(e, f, g), ADD(wt, K(t))));         \
    V t2_ = ADD(BSIG0(a), MAJ(a, b, c));                                    \
    (d) = ADD(d, t1_);                                                      \
    (h) = ADD(t1_, t2_);                                                    \
  } while (0)

#define SCHED(j)                                                            \
  (w[j] = ADD(ADD(w[j], SSIG1(w[((j) + 14) & 15])),                         \
              ADD(w[((j) + 9) & 15], SSIG0(w[((j) + 1) & 15]))))

#define R8(t, W)                                                            \
  RND(a, b, c, d, e, f, g, h, (t) + 0, W(0));                               \
  RND(h, a, b, c, d, e, f, g, (t) + 1, W(1));                               \
  RND(g, h, a, b, c, d, e, f, (t) + 2, W(2));                               \
  RND(f, g, h, a, b, c, d, e, (t) + 3, W(3));                               \
  RND(e, f, g, h, a, b, c, d, (t) + 4, W(4));                               \
  RND(d, e, f, g, h, a, b, c, (t) + 5, W(5));                               \
  RND(c, d, e, f, g, h, a, b, (t) + 6, W(6));                               \
  RND(b, c, d, e, f, g, h, a, (t) + 7, W(7))

/*
 * Moves lane l to its next block, from its first run into its second, and
 * asks for a block further on: 16 streams of one block per step are too
 * many and too slow for the hardware prefetcher to follow across pages.
 * The address may lie past the message; a prefetch never faults, and it is
 * made from an integer so that no out-of-bounds pointer is formed.
 */
#define PREFETCH_AHEAD (2 * REG_SHA256_BLOCK) /* measured no worse than 4 or 8 blocks */
#define NEXT_BLOCK(l)                                                       \
  do {                                                                      \
    _mm_prefetch((const char *) ((uintptr_t) cur[l] + PREFETCH_AHEAD), _MM_HINT_T0); \
    cur[l] += REG_SHA256_BLOCK;                                             \
    if (--cnt[l] == 0)                                                      \
      cur[l] = runs->next[l];                                               \
  } while (0)

#define W_LO(j) w[j]
#define W_HI(j) w[(j) + 8]
#define S_LO(j) SCHED(j)
#define S_HI(j) SCHED((j) + 8)

/* The 64 rounds of one block over w[0..15], then the feed-forward into s[]. */
#define COMPRESS(s)                                                         \
  do {                                                                      \
    V a = s[0], b = s[1], c = s[2], d = s[3];                               \
    V e = s[4], f = s[5], g = s[6], h = s[7];                               \
    R8(0, W_LO);                                                            \
    R8(8, W_HI);                                                            \
    for (int t = 16; t < 64; t += 16) {                                     \
      R8(t, S_LO);                                                          \
      R8(t + 8, S_HI);                                                      \
    }                                                                       \
    s[0] = ADD(s[0], a);                                                    \
    s[1] = ADD(s[1], b);                                                    \
    s[2] = ADD(s[2], c);                                                    \
    s[3] = ADD(s[3], d);                                                    \
    s[4] = ADD(s[4], e);                                                    \
    s[5] = ADD(s[5], f);                                                    \
    s[6] = ADD(s[6], g);                                                    \
    s[7] = ADD(s[7], h);                                                    \
  } while (0)

/* ---- AVX2: 8 lanes ---- */

#define V __m256i
#define ADD(x, y) _mm256_add_epi32(x, y)
#define XOR(x, y) _mm256_xor_si256(x, y)
#define ROR(x, n) _mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - (n)))
#define BSIG0(x) XOR(XOR(ROR(x, 2), ROR(x, 13)), ROR(x, 22))
#define BSIG1(x) XOR(XOR(ROR(x, 6), ROR(x, 11)), ROR(x, 25))
#define SSIG0(x) XOR(XOR(ROR(x, 7), ROR(x, 18)), _mm256_srli_epi32(x, 3))
#define SSIG1(x) XOR(XOR(ROR(x, 17), ROR(x, 19)), _mm256_srli_epi32(x, 10))
#define CH(e, f, g) XOR(g, _mm256_and_si256(e, XOR(f, g)))
#define MAJ(a, b, c)                                                        \
  _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(c, _mm256_or_si256(a, b)))
#define K(t) _mm256_set1_epi32((int) k256[t])

/* Transposes 8 rows of 8 words: out[j] gets word j of every row. */
__attribute__((target("avx2"))) static inline void
transpose8(const __m256i r[8], __m256i out[8])
{
  __m256i s[8], u[8];

  UNROLL for (int i = 0; i < 8; i += 2) {
    s[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
    s[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
  }
  UNROLL for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_unpacklo_epi64(s[i], s[i + 2]);
    u[i + 1] = _mm256_unpackhi_epi64(s[i], s[i + 2]);
    u[i + 2] = _mm256_unpacklo_epi64(s[i + 1], s[i + 3]);
    u[i + 3] = _mm256_unpackhi_epi64(s[i + 1], s[i + 3]);
  }
  /* u[m] holds words m and 4 + m of rows 0..3, u[4 + m] the same of rows 4..7. */
  UNROLL for (int m = 0; m < 4; m++) {
    out[m] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x20);
    out[4 + m] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x31);
  }
}

__attribute__((target("avx2"))) void
reg_sha256_core_avx2(uint32_t state[8][REG_SHA256_MAX_LANES], const RegSha256Runs *runs,
                     size_t nblocks)
{
  const __m256i bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                                         3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  __m256i s[8], w[16], lo[8], hi[8];

  for (int r = 0; r < 8; r++)
    s[r] = _mm256_loadu_si256((const __m256i *) state[r]);

  const uint8_t *cur[8];
  size_t cnt[8];
  for (int l = 0; l < 8; l++) {
    cur[l] = runs->p[l];
    cnt[l] = runs->n[l];
  }

  for (size_t blk = 0; blk < nblocks; blk++) {
    UNROLL for (int l = 0; l < 8; l++) {
      const uint8_t *p = cur[l];
      lo[l] = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *) p), bswap);
      hi[l] = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *) (p + 32)), bswap);
      NEXT_BLOCK(l);
    }
    transpose8(lo, w);
    transpose8(hi, w + 8);
    COMPRESS(s);
  }

  for (int r = 0; r < 8; r++)
    _mm256_storeu_si256((__m256i *) state[r], s[r]);
}

#undef V
#undef ADD
#undef XOR
#undef ROR
#undef BSIG0
#undef BSIG1
#undef SSIG0
#undef SSIG1
#undef CH
#undef MAJ
#undef K

/* ---- AVX-512: 16 lanes, with native rotates and three-input logic ---- */

#define V __m512i
#define ADD(x, y) _mm512_add_epi32(x, y)
#define ROR(x, n) _mm512_ror_epi32(x, n)
#define XOR3(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0x96)
#define BSIG0(x) XOR3(ROR(x, 2), ROR(x, 13), ROR(x, 22))
#define BSIG1(x) XOR3(ROR(x, 6), ROR(x, 11), ROR(x, 25))
#define SSIG0(x) XOR3(ROR(x, 7), ROR(x, 18), _mm512_srli_epi32(x, 3))
#define SSIG1(x) XOR3(ROR(x, 17), ROR(x, 19), _mm512_srli_epi32(x, 10))
#define CH(e, f, g) _mm512_ternarylogic_epi32(e, f, g, 0xca)  /* e ? f : g */
#define MAJ(a, b, c) _mm512_ternarylogic_epi32(a, b, c, 0xe8) /* at least two of three */
#define K(t) _mm512_set1_epi32((int) k256[t])

/* Transposes 16 rows of 16 words in place: r[j] gets word j of every row. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline void
transpose16(__m512i r[16])
{
  __m512i s[16], u[16];

  UNROLL for (int i = 0; i < 16; i += 2) {
    s[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
    s[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
  }
  UNROLL for (int i = 0; i < 16; i += 4) {
    u[i] = _mm512_unpacklo_epi64(s[i], s[i + 2]);
    u[i + 1] = _mm512_unpackhi_epi64(s[i], s[i + 2]);
    u[i + 2] = _mm512_unpacklo_epi64(s[i + 1], s[i + 3]);
    u[i + 3] = _mm512_unpackhi_epi64(s[i + 1], s[i + 3]);
  }
  /*
   * 128-bit chunk c of u[4g + m] holds word 4c + m of rows 4g..4g+3; the
   * chunks of the four u[4g + m] (g = 0..3) are a 4x4 transpose away from
   * words m, 4 + m, 8 + m, 12 + m.
   */
  UNROLL for (int m = 0; m < 4; m++) {
    __m512i v0 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0x44);
    __m512i v1 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0xee);
    __m512i v2 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0x44);
    __m512i v3 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0xee);
    r[m] = _mm512_shuffle_i32x4(v0, v2, 0x88);
    r[4 + m] = _mm512_shuffle_i32x4(v0, v2, 0xdd);
    r[8 + m] = _mm512_shuffle_i32x4(v1, v3, 0x88);
    r[12 + m] = _mm512_shuffle_i32x4(v1, v3, 0xdd);
  }
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) void
reg_sha256_core_avx512(uint32_t state[8][REG_SHA256_MAX_LANES], const RegSha256Runs *runs,
                       size_t nblocks)
{
  const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
  __m512i s[8], w[16];

  for (int r = 0; r < 8; r++)
    s[r] = _mm512_loadu_si512(state[r]);

  const uint8_t *cur[16];
  size_t cnt[16];
  for (int l = 0; l < 16; l++) {
    cur[l] = runs->p[l];
    cnt[l] = runs->n[l];
  }

  for (size_t blk = 0; blk < nblocks; blk++) {
    UNROLL for (int l = 0; l < 16; l++) {
      w[l] = _mm512_shuffle_epi8(_mm512_loadu_si512(cur[l]), bswap);
      NEXT_BLOCK(l);
    }
    transpose16(w);
    COMPRESS(s);
  }

  for (int r = 0; r < 8; r++)
    _mm512_storeu_si512(state[r], s[r]);
}

#else
/* ISO C wants at least one declaration in a file. */
typedef int reg_sha256_simd_none;
#endif /* REG_SHA256_HAVE_X86_SIMD */
