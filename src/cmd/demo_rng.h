/*
 * cmd/demo_rng: the demo's random numbers. splitmix64 (Steele, Lea and Flood 2014): tiny, fast,
 * and every seed gives a full-quality stream, unlike rand(), whose sequence differs between C
 * libraries. Each part of the demo (people, plans, claims) draws from a stream of its own, so
 * drawing one more number in one part does not shift the others.
 */
#ifndef CM_CMD_DEMO_RNG_H
#define CM_CMD_DEMO_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct demo_rng {
    uint64_t s;
};

static inline uint64_t
demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* 0 .. n-1. The modulo bias (n is tiny next to 2^64) is far below anything a demo could show. */
static inline int
demo_rng_below(struct demo_rng *r, int n)
{
    return n <= 1 ? 0 : (int)(demo_rng_next(r) % (uint64_t)n);
}

/* lo .. hi inclusive; lo when hi < lo. */
static inline int
demo_rng_between(struct demo_rng *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + demo_rng_below(r, hi - lo + 1);
}

/* True with probability pct in 100. */
static inline bool
demo_rng_chance(struct demo_rng *r, int pct)
{
    return demo_rng_below(r, 100) < pct;
}

#endif
