/* sha256-private.h: SHA-256 (FIPS 180-4), one message at a time or many in parallel SIMD lanes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REG_SHA256_LEN 32
#define REG_SHA256_BLOCK 64

/* SHA-256 of @len bytes at @data (which may be NULL when @len is 0). */
void reg_sha256(const void *data, size_t len, uint8_t out[REG_SHA256_LEN]);

/*
 * Hashes @n independent messages: out[i] = SHA-256(data[i][0..lens[i])).
 * Uses multi-buffer SIMD (16 or 8 messages in the 32-bit lanes of one
 * register) when the CPU has it, else the portable code. Any n >= 0 and any
 * lengths, including 0. Allocates nothing; thread-safe.
 */
void reg_sha256_many(size_t n, const uint8_t *const *data, const size_t *lens,
                     uint8_t (*out)[REG_SHA256_LEN]);

/* Lower-case hex of @digest: 64 characters and a NUL. */
void reg_sha256_hex(const uint8_t digest[REG_SHA256_LEN], char out[65]);

/* ---- Internal: the implementations, exposed so tests and benchmarks can call each one ---- */

/* The 64 round constants of FIPS 180-4, shared by every implementation. */
extern const uint32_t reg_sha256_k[64];

typedef enum {
  REG_SHA256_IMPL_PORTABLE = 0, /* plain C, one message at a time: everywhere */
  REG_SHA256_IMPL_AVX2,         /* 8 lanes of 32 bits: x86-64 with AVX2 */
  REG_SHA256_IMPL_AVX512,       /* 16 lanes, vprord and vpternlogd: AVX-512F/BW/VL */
  REG_SHA256_N_IMPLS,
} RegSha256Impl;

/* "portable", "avx2", "avx512". */
const char *reg_sha256_impl_name(RegSha256Impl impl);

/* Whether this build has @impl and the CPU running it can execute it (asked at every call). */
bool reg_sha256_impl_available(RegSha256Impl impl);

/* The implementation reg_sha256_many() picks on this CPU. */
RegSha256Impl reg_sha256_impl_best(void);

/* reg_sha256_many() through @impl, which must be available; SIMD lanes even for n = 1. */
void reg_sha256_many_impl(RegSha256Impl impl, size_t n, const uint8_t *const *data,
                          const size_t *lens, uint8_t (*out)[REG_SHA256_LEN]);

/*
 * The SIMD compression cores (sha256-simd.c). @state holds the working hash
 * of lane l in state[0..7][l] (transposed: one row per hash word). Each core
 * runs @nblocks 64-byte blocks through every lane: lane l reads runs->n[l]
 * (at least 1) blocks from runs->p[l] on, then the rest from runs->next[l]
 * on, so a lane crosses from a message into its padding without a return
 * to the caller. Lanes past the core's width are ignored.
 */
#define REG_SHA256_MAX_LANES 16

typedef struct {
  const uint8_t *p[REG_SHA256_MAX_LANES];
  size_t n[REG_SHA256_MAX_LANES];
  const uint8_t *next[REG_SHA256_MAX_LANES];
} RegSha256Runs;

/* x86-64 with GCC or Clang has the SIMD cores unless the build defines REG_SHA256_NO_SIMD. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(REG_SHA256_NO_SIMD)
#define REG_SHA256_HAVE_X86_SIMD 1
void reg_sha256_core_avx2(uint32_t state[8][REG_SHA256_MAX_LANES], const RegSha256Runs *runs,
                          size_t nblocks);
void reg_sha256_core_avx512(uint32_t state[8][REG_SHA256_MAX_LANES], const RegSha256Runs *runs,
                            size_t nblocks);
#endif
