/* sha256.c: SHA-256 (FIPS 180-4): the portable code, padding, and the scheduler of SIMD lanes. */
#include "sha256-private.h"

#include <string.h>

/*
 * Two ways to hash. reg_sha256() runs one message through the portable
 * compression function below. reg_sha256_many() keeps 16 (AVX-512) or 8
 * (AVX2) messages in flight at once, one per 32-bit lane of a vector, the
 * way multi-buffer hashing does it: every lane hashes its own message, then
 * its own padding blocks, and a lane whose message is done takes the next
 * one. Nothing here is global or allocated: the padding blocks and the
 * lane state live on the stack.
 */

const uint32_t reg_sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t sha256_iv[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* ---- The portable compression function ---- */

static inline uint32_t
load_be32(const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | (uint32_t) p[3];
}

static inline void
store_be32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 24);
  p[1] = (uint8_t) (v >> 16);
  p[2] = (uint8_t) (v >> 8);
  p[3] = (uint8_t) v;
}

static inline void
store_be64(uint8_t *p, uint64_t v)
{
  store_be32(p, (uint32_t) (v >> 32));
  store_be32(p + 4, (uint32_t) v);
}

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/* One round; the caller rotates the names instead of moving eight words. */
#define RND(a, b, c, d, e, f, g, h, kw)                                    \
  do {                                                                     \
    uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (kw);                    \
    uint32_t t2_ = BSIG0(a) + MAJ(a, b, c);                                \
    (d) += t1_;                                                            \
    (h) = t1_ + t2_;                                                       \
  } while (0)

/* Message schedule in a ring of 16 words: w[j] becomes W[t] for t = j mod 16. */
#define SCHED(j)                                                           \
  (w[j] += SSIG1(w[((j) + 14) & 15]) + w[((j) + 9) & 15] + SSIG0(w[((j) + 1) & 15]))

#define R8(t, W)                                                           \
  RND(a, b, c, d, e, f, g, h, reg_sha256_k[(t) + 0] + W(0));                   \
  RND(h, a, b, c, d, e, f, g, reg_sha256_k[(t) + 1] + W(1));                   \
  RND(g, h, a, b, c, d, e, f, reg_sha256_k[(t) + 2] + W(2));                   \
  RND(f, g, h, a, b, c, d, e, reg_sha256_k[(t) + 3] + W(3));                   \
  RND(e, f, g, h, a, b, c, d, reg_sha256_k[(t) + 4] + W(4));                   \
  RND(d, e, f, g, h, a, b, c, reg_sha256_k[(t) + 5] + W(5));                   \
  RND(c, d, e, f, g, h, a, b, reg_sha256_k[(t) + 6] + W(6));                   \
  RND(b, c, d, e, f, g, h, a, reg_sha256_k[(t) + 7] + W(7))

static void
sha256_blocks(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
  uint32_t w[16];

  for (; nblocks > 0; nblocks--, p += REG_SHA256_BLOCK) {
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    uint32_t e = st[4], f = st[5], g = st[6], h = st[7];

    for (int j = 0; j < 16; j++)
      w[j] = load_be32(p + 4 * j);
#define W_LO(j) w[j]
#define W_HI(j) w[(j) + 8]
    R8(0, W_LO);
    R8(8, W_HI);
#undef W_LO
#undef W_HI
    for (int t = 16; t < 64; t += 16) {
#define S_LO(j) SCHED(j)
#define S_HI(j) SCHED((j) + 8)
      R8(t, S_LO);
      R8(t + 8, S_HI);
#undef S_LO
#undef S_HI
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += h;
  }
}

/*
 * Writes the padding of a @len-byte message into @tail (two blocks of room):
 * its last len % 64 bytes, 0x80, zeros and the bit length. Returns the
 * number of tail blocks, 1 or 2.
 */
static size_t
sha256_pad(const uint8_t *data, size_t len, uint8_t tail[2 * REG_SHA256_BLOCK])
{
  size_t rem = len % REG_SHA256_BLOCK;
  size_t ntail = rem + 9 <= REG_SHA256_BLOCK ? 1 : 2;

  memset(tail, 0, 2 * REG_SHA256_BLOCK);
  if (rem > 0)
    memcpy(tail, data + (len - rem), rem);
  tail[rem] = 0x80;
  store_be64(tail + ntail * REG_SHA256_BLOCK - 8, (uint64_t) len << 3);
  return ntail;
}

static void
sha256_digest(const uint32_t st[8], uint8_t out[REG_SHA256_LEN])
{
  for (int i = 0; i < 8; i++)
    store_be32(out + 4 * i, st[i]);
}

void
reg_sha256(const void *data, size_t len, uint8_t out[REG_SHA256_LEN])
{
  uint32_t st[8];
  uint8_t tail[2 * REG_SHA256_BLOCK];
  size_t ntail = sha256_pad(data, len, tail);

  memcpy(st, sha256_iv, sizeof st);
  if (len >= REG_SHA256_BLOCK)
    sha256_blocks(st, data, len / REG_SHA256_BLOCK);
  sha256_blocks(st, tail, ntail);
  sha256_digest(st, out);
}

void
reg_sha256_hex(const uint8_t digest[REG_SHA256_LEN], char out[65])
{
  static const char hex[] = "0123456789abcdef";

  for (int i = 0; i < REG_SHA256_LEN; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[64] = '\0';
}

/* ---- Implementations and dispatch ---- */

const char *
reg_sha256_impl_name(RegSha256Impl impl)
{
  switch (impl) {
  case REG_SHA256_IMPL_PORTABLE:
    return "portable";
  case REG_SHA256_IMPL_AVX2:
    return "avx2";
  case REG_SHA256_IMPL_AVX512:
    return "avx512";
  case REG_SHA256_N_IMPLS:
    break;
  }
  return "unknown";
}

bool
reg_sha256_impl_available(RegSha256Impl impl)
{
  switch (impl) {
  case REG_SHA256_IMPL_PORTABLE:
    return true;
#ifdef REG_SHA256_HAVE_X86_SIMD
  case REG_SHA256_IMPL_AVX2:
    return __builtin_cpu_supports("avx2");
  case REG_SHA256_IMPL_AVX512:
    /* Also false under valgrind, which hides AVX-512 from CPUID. */
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
#endif
  default:
    return false;
  }
}

RegSha256Impl
reg_sha256_impl_best(void)
{
  if (reg_sha256_impl_available(REG_SHA256_IMPL_AVX512))
    return REG_SHA256_IMPL_AVX512;
  if (reg_sha256_impl_available(REG_SHA256_IMPL_AVX2))
    return REG_SHA256_IMPL_AVX2;
  return REG_SHA256_IMPL_PORTABLE;
}

static void
many_portable(size_t n, const uint8_t *const *data, const size_t *lens,
              uint8_t (*out)[REG_SHA256_LEN])
{
  for (size_t i = 0; i < n; i++)
    reg_sha256(data[i], lens[i], out[i]);
}

#ifdef REG_SHA256_HAVE_X86_SIMD

/*
 * One message in a lane. Its blocks come in two runs: the whole blocks of
 * the message where it lies, then the one or two padding blocks in @tail.
 * The run being hashed is (p, n), with n >= 1 while the lane is busy; the
 * run after it is (tp, tn), empty once the lane is on its tail.
 */
typedef struct {
  const uint8_t *p;
  size_t n;
  const uint8_t *tp;
  size_t tn;
  uint8_t *out;           /* where the digest goes */
  uint8_t tail[2 * REG_SHA256_BLOCK];
} Lane;

/*
 * The messages not yet started. They are taken a window at a time, longest
 * first within the window, so that the messages left when the lanes drain
 * are short ones and the lanes finish close together.
 */
#define WINDOW 64

typedef struct {
  const uint8_t *const *data;
  const size_t *lens;
  uint8_t (*out)[REG_SHA256_LEN];
  size_t n, next;         /* messages [next, n) are not in a window yet */
  size_t win[WINDOW];     /* the window's message indices, longest first */
  size_t wn, wpos;        /* its size and how many were started */
} Queue;

/* Takes the next message from @q into *@m; false when none is left. */
static bool
queue_pop(Queue *q, size_t *m)
{
  if (q->wpos == q->wn) {
    if (q->next == q->n)
      return false;
    q->wn = q->n - q->next < WINDOW ? q->n - q->next : WINDOW;
    q->wpos = 0;
    for (size_t i = 0; i < q->wn; i++) {
      /* Insertion sort by length, descending; equal lengths keep their order. */
      size_t idx = q->next + i, len = q->lens[idx], j = i;
      for (; j > 0 && q->lens[q->win[j - 1]] < len; j--)
        q->win[j] = q->win[j - 1];
      q->win[j] = idx;
    }
    q->next += q->wn;
  }
  *m = q->win[q->wpos++];
  return true;
}

static void
lane_start(Lane *l, const uint8_t *data, size_t len, uint8_t *out)
{
  size_t ntail = sha256_pad(data, len, l->tail);
  size_t whole = len / REG_SHA256_BLOCK;

  l->out = out;
  l->tp = l->tail;
  if (whole > 0) {
    l->p = data;
    l->n = whole;
    l->tn = ntail;
  } else {
    l->p = l->tail;
    l->n = ntail;
    l->tn = 0;
  }
}

/* Advances @l past @k hashed blocks (at most n + tn); returns true when its message is done. */
static bool
lane_advance(Lane *l, size_t k)
{
  if (k < l->n) {
    l->p += k * REG_SHA256_BLOCK;
    l->n -= k;
    return false;
  }
  k -= l->n;
  l->p = l->tp + k * REG_SHA256_BLOCK;
  l->n = l->tn - k;
  l->tn = 0;
  return l->n == 0;
}

/*
 * Hashes every message of @q in the lanes of @impl (AVX-512: 16, AVX2: 8).
 * Each step runs all lanes up to the nearest end of a message (a lane
 * crosses from its message into its padding inside the core); the lane
 * whose message is done writes its digest and takes the next message. Once
 * the queue is empty, idle lanes hash a busy lane's blocks again and their
 * result is ignored: a step of 16 lanes costs about what one block costs
 * the portable code, so no narrower path would finish sooner.
 */
static void
run_lanes(RegSha256Impl impl, Queue *q)
{
  const size_t nl = impl == REG_SHA256_IMPL_AVX512 ? 16 : 8;
  Lane pool[REG_SHA256_MAX_LANES];
  bool busy[REG_SHA256_MAX_LANES] = { false };
  _Alignas(64) uint32_t st[8][REG_SHA256_MAX_LANES];
  RegSha256Runs runs;

  memset(st, 0, sizeof st);
  for (;;) {
    size_t k = SIZE_MAX, m, some = SIZE_MAX;

    for (size_t i = 0; i < nl; i++) {
      if (!busy[i] && queue_pop(q, &m)) {
        lane_start(&pool[i], q->data[m], q->lens[m], q->out[m]);
        busy[i] = true;
        for (int r = 0; r < 8; r++)
          st[r][i] = sha256_iv[r];
      }
      if (busy[i]) {
        some = i;
        if (pool[i].n + pool[i].tn < k)
          k = pool[i].n + pool[i].tn;
      }
    }
    if (some == SIZE_MAX)
      return;

    for (size_t i = 0; i < REG_SHA256_MAX_LANES; i++) {
      const Lane *l = &pool[i < nl && busy[i] ? i : some];
      runs.p[i] = l->p;
      runs.n[i] = l->n;
      runs.next[i] = l->tp;
    }
    if (impl == REG_SHA256_IMPL_AVX512)
      reg_sha256_core_avx512(st, &runs, k);
    else
      reg_sha256_core_avx2(st, &runs, k);

    for (size_t i = 0; i < nl; i++) {
      if (busy[i] && lane_advance(&pool[i], k)) {
        for (int r = 0; r < 8; r++)
          store_be32(pool[i].out + 4 * r, st[r][i]);
        busy[i] = false;
      }
    }
  }
}

#endif /* REG_SHA256_HAVE_X86_SIMD */

void
reg_sha256_many_impl(RegSha256Impl impl, size_t n, const uint8_t *const *data,
                     const size_t *lens, uint8_t (*out)[REG_SHA256_LEN])
{
  switch (impl) {
#ifdef REG_SHA256_HAVE_X86_SIMD
  case REG_SHA256_IMPL_AVX2:
  case REG_SHA256_IMPL_AVX512: {
    Queue q = { .data = data, .lens = lens, .out = out, .n = n };
    run_lanes(impl, &q);
    return;
  }
#endif
  default:
    many_portable(n, data, lens, out);
    return;
  }
}

void
reg_sha256_many(size_t n, const uint8_t *const *data, const size_t *lens,
                uint8_t (*out)[REG_SHA256_LEN])
{
  /* One message gains nothing from lanes. */
  if (n == 1)
    reg_sha256(data[0], lens[0], out[0]);
  else
    reg_sha256_many_impl(reg_sha256_impl_best(), n, data, lens, out);
}
