/* test_compare_corpus.c — no input makes execbench-compare crash or hang.
 *
 * Every file of tools/compare/fuzz/corpus/ (a JSON conformance set, truncated
 * and mutated results documents, seeds, inputs libFuzzer once found bad, and
 * the inputs its runs added coverage with)
 * goes through `summary FILE` and `diff FILE FILE`, the format rotating over
 * console, markdown, csv and json. Each run must exit 0 with a report and a
 * silent stderr, or exit 2 with nothing on stdout and exactly one line on
 * stderr that names the file. Under the sanitizer build (ASan + UBSan) a
 * memory error or undefined behaviour ends the program otherwise, and fails.
 *
 * The JSON set is also held to conformance: a y_ file (valid JSON) may be
 * refused as "not a results document" but never as invalid JSON, except for
 * the two refusals the reader makes on purpose (listed below); an n_ file
 * must be refused as invalid JSON. */
#include "compare_run.h"
#include "eb_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_S 60.0

/* Valid JSON the reader refuses by design: duplicate keys are ambiguous (which
 * "real_time" counts?), and a NUL inside a string would cut a C string short. */
static const char *const refused_on_purpose[] = {
    "y_object_duplicated_key_and_value.json",
    "y_object_escaped_null_in_key.json",
    "y_string_null_escape.json",
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    EB_REQUIRE(d != NULL);
    size_t n = 0;
    *names = NULL;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        *names = realloc(*names, (n + 1) * sizeof **names);
        EB_REQUIRE(*names != NULL);
        (*names)[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, n, sizeof **names, cmp_names);
    return n;
}

static bool on_purpose(const char *name)
{
    for (size_t i = 0; i < sizeof refused_on_purpose / sizeof refused_on_purpose[0]; i++)
        if (strcmp(name, refused_on_purpose[i]) == 0) return true;
    return false;
}

/* Runs one command over one file; returns the exit status (0 or 2 when sound)
 * and leaves a refusal's message in msg. */
static int check_run(const char *const *argv, const char *rel, char *msg, size_t msg_len)
{
    run_result res;
    const char *src = getenv("EB_SOURCE_DIR");
    run_compare(argv, src, NULL, RUN_PIPE, false, TIMEOUT_S, &res);
    int status = res.status;
    EB_CHECKF(!res.timed_out, "%s %s: no answer in %.0f s", argv[2], rel, TIMEOUT_S);
    if (status == 0) {
        EB_CHECKF(res.out_len > 0 && res.err_len == 0,
                  "%s: exit 0 but stdout %zu bytes, stderr: %s", rel, res.out_len, res.err);
    } else if (status == 2) {
        EB_CHECKF(res.out_len == 0, "%s: refused but wrote %zu bytes to stdout", rel, res.out_len);
        EB_CHECKF(count_lines(res.err) == 1 && strncmp(res.err, "execbench-compare: ", 19) == 0 &&
                      strstr(res.err, rel) != NULL,
                  "%s: refusal is not one line naming the file: %s", rel, res.err);
    } else {
        EB_CHECKF(false, "%s: exit %d (a crash or a sanitizer report); stderr:\n%s", rel, status,
                  res.err);
    }
    snprintf(msg, msg_len, "%s", status == 2 ? res.err : "");
    run_free(&res);
    return status;
}

static void feed(const char *sub)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tools/compare/fuzz/corpus/%s", getenv("EB_SOURCE_DIR"), sub);
    char **names;
    size_t n = list_dir(dir, &names);
    EB_CHECKF(n > 0, "%s is empty", dir);
    static const char *const formats[] = {"console", "markdown", "csv", "json"};
    size_t accepted = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "tools/compare/fuzz/corpus/%s/%s", sub, names[i]);
        const char *fmt = formats[i % 4];
        const char *summary[] = {"--format", fmt, "summary", rel, NULL};
        const char *diff[] = {"--format", fmt, "diff", rel, rel, NULL};
        char msg[1024];
        int s = check_run(summary, rel, msg, sizeof msg);
        bool invalid_json = s == 2 && (strstr(msg, "invalid JSON") || strstr(msg, "empty file"));
        if (strcmp(sub, "json") == 0 && strncmp(names[i], "y_", 2) == 0 && !on_purpose(names[i]))
            EB_CHECKF(!invalid_json, "%s is valid JSON but was refused as invalid: %s", rel, msg);
        if (strcmp(sub, "json") == 0 && strncmp(names[i], "n_", 2) == 0)
            EB_CHECKF(invalid_json, "%s is not JSON but was not refused as such: %s", rel, msg);
        if (strcmp(sub, "seeds") == 0) EB_CHECKF(s == 0, "seed %s was refused: %s", rel, msg);
        char diff_msg[1024];
        int d = check_run(diff, rel, diff_msg, sizeof diff_msg);
        EB_CHECKF(d == s, "%s: summary exit %d but diff exit %d", rel, s, d);
        s == 0 ? accepted++ : refused++;
        free(names[i]);
    }
    free(names);
    fprintf(stderr, "%s: %zu files, %zu accepted, %zu refused with a message\n", sub, n, accepted,
            refused);
}

EB_TEST(json_conformance_set)
{
    feed("json");
}

EB_TEST(truncated_documents)
{
    feed("truncated");
}

EB_TEST(mutated_documents)
{
    feed("mutated");
}

EB_TEST(seeds_and_fuzzer_findings)
{
    feed("seeds");
    feed("regressions");
    feed("fuzzed");
}
