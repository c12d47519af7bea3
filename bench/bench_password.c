/*
 * How long one argon2id password hash takes for a few (opslimit, memlimit) pairs, including
 * caremap's defaults (opslimit 2, memlimit 19 MiB: OWASP's minimum for argon2id, m=19 MiB, t=2,
 * p=1). The figures justify the defaults in docs/security.md. Standalone: libsodium only, not part
 * of the CMake build.
 *
 *   gcc -std=c11 -O2 -Wall -Wextra -o /tmp/bench_password bench/bench_password.c -lsodium
 *   /tmp/bench_password [ROUNDS]
 *
 * Each pair is hashed ROUNDS times (default 7) after one warm-up; the median is printed with its
 * ratio to the default pair measured in the same run, and the sign-ins per second one core can
 * verify (1000 / median).
 */
#define _POSIX_C_SOURCE 200809L

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pair {
    unsigned long long ops;
    size_t mem;
    const char *note;
};

static const struct pair pairs[] = {
    {1, crypto_pwhash_MEMLIMIT_MIN, "the unit tests' limits (8 KiB)"},
    {2, 19u << 20, "caremap default (OWASP minimum)"},
    {1, 46u << 20, "OWASP alternative m=46 MiB t=1"},
    {3, 12u << 20, "OWASP alternative m=12 MiB t=3"},
    {2, 64u << 20, "libsodium INTERACTIVE (ops 2, 64 MiB)"},
    {3, 256u << 20, "libsodium MODERATE (ops 3, 256 MiB)"},
};

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median milliseconds of rounds hashes with p's limits, or a negative value on failure. */
static double
measure(const struct pair *p, int rounds)
{
    static const char password[] = "correct horse battery staple";
    char out[crypto_pwhash_STRBYTES];
    double *t = calloc((size_t)rounds, sizeof(*t));
    if (t == NULL)
        return -1;
    if (crypto_pwhash_str(out, password, strlen(password), p->ops, p->mem) != 0) {
        free(t);
        return -1;
    }
    for (int i = 0; i < rounds; i++) {
        double start = now_ms();
        if (crypto_pwhash_str(out, password, strlen(password), p->ops, p->mem) != 0) {
            free(t);
            return -1;
        }
        t[i] = now_ms() - start;
    }
    qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
    double median = t[rounds / 2];
    free(t);
    return median;
}

int
main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    if (rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: bench_password [ROUNDS 1..1000]\n");
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "bench_password: libsodium could not start\n");
        return 1;
    }
    double ms[sizeof(pairs) / sizeof(pairs[0])];
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        ms[i] = measure(&pairs[i], rounds);
    double base = ms[1];

    printf("argon2id (libsodium %s), median of %d hashes\n", sodium_version_string(), rounds);
    printf("%-4s %-10s %10s %8s %10s  %s\n", "ops", "memory", "ms/hash", "x dflt", "hash/s/cpu",
           "");
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const struct pair *p = &pairs[i];
        char mem[32];
        if (p->mem >= (1u << 20))
            snprintf(mem, sizeof(mem), "%zu MiB", p->mem >> 20);
        else
            snprintf(mem, sizeof(mem), "%zu KiB", p->mem >> 10);
        if (ms[i] < 0) {
            printf("%-4llu %-10s %10s %8s %10s  %s\n", p->ops, mem, "failed", "-", "-", p->note);
            continue;
        }
        printf("%-4llu %-10s %10.2f %8.2f %10.1f  %s\n", p->ops, mem, ms[i], ms[i] / base,
               1000.0 / ms[i], p->note);
    }
    return 0;
}
