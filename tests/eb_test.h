/* eb_test.h — the few lines of test scaffolding the C tests share.
 *
 * A test program holds EB_TEST(name) cases; `prog name` runs one, `prog` runs
 * all, `prog --list` names them. CMake reads the EB_TEST lines of each source
 * and registers every case with ctest as <program>.<case>, so ctest reports
 * each by name and runs each in its own process (libbenchmark, fork and signal
 * state never leak from one case into the next). Written by hand: it is only a
 * registry and an assertion macro, less than any test library's set-up. */
#ifndef EB_TEST_H
#define EB_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct eb_test_case {
    const char *name;
    void (*fn)(void);
} eb_test_case;

#define EB_TEST_MAX 128
extern eb_test_case eb_test_cases[EB_TEST_MAX];
extern int eb_test_count;
extern int eb_test_failures;

#define EB_TEST(name)                                                                    \
    static void test_##name(void);                                                      \
    __attribute__((constructor)) static void register_##name(void)                      \
    {                                                                                    \
        if (eb_test_count < EB_TEST_MAX)                                                 \
            eb_test_cases[eb_test_count++] = (eb_test_case){#name, test_##name};         \
    }                                                                                    \
    static void test_##name(void)

#define EB_CHECK(cond)                                                                   \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            eb_test_failures++;                                                          \
        }                                                                                \
    } while (0)

/* Like EB_CHECK, with a printf-style explanation of what was seen. */
#define EB_CHECKF(cond, ...)                                                             \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);     \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            eb_test_failures++;                                                          \
        }                                                                                \
    } while (0)

/* Stops the case: the rest of it depends on what failed. */
#define EB_REQUIRE(cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: requirement failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

/* ctest's SKIP_RETURN_CODE: the case could not run here (and says why). */
#define EB_TEST_SKIP_CODE 77
#define EB_SKIP(...)                                                                     \
    do {                                                                                 \
        fprintf(stderr, "skipped: ");                                                    \
        fprintf(stderr, __VA_ARGS__);                                                    \
        fputc('\n', stderr);                                                             \
        exit(EB_TEST_SKIP_CODE);                                                         \
    } while (0)

#endif
