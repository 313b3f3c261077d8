/* test_cli_corpus.c — the command-line fuzz target's corpus, replayed in every
 * build (sanitizer builds included) through the target's own checks
 * (runner/plan/fuzz/fuzz_cli.c, linked here without libFuzzer): every input is
 * refused in one line or becomes a plan whose points are whole, in bounds
 * and survive the trip to a point process. An input that breaks a promise
 * aborts, and the line before names it. */
#include "eb_test.h"

#include <dirent.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replay(const char *dir)
{
    DIR *d = opendir(dir);
    EB_REQUIRE(d != NULL);
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        EB_REQUIRE(f != NULL);
        static uint8_t data[1 << 16];
        size_t n = fread(data, 1, sizeof data, f);
        fclose(f);
        fprintf(stderr, "%s\n", path);
        LLVMFuzzerTestOneInput(data, n);
        count++;
    }
    closedir(d);
    return count;
}

EB_TEST(every_input_is_refused_in_one_line_or_planned_whole)
{
    const char *src = getenv("EB_SOURCE_DIR");
    EB_REQUIRE(src != NULL);
    LLVMFuzzerInitialize(NULL, NULL);
    static const char *const parts[] = {"seeds", "fuzzed", "regressions"};
    size_t total = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/runner/plan/fuzz/corpus/%s", src, parts[i]);
        size_t n = replay(dir);
        fprintf(stderr, "%s: %zu inputs\n", parts[i], n);
        total += n;
        if (i != 1) EB_CHECK(n > 0); /* fuzzed/ may be empty before a campaign */
    }
    EB_CHECK(total >= 100);
}
