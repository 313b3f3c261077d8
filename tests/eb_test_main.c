/* eb_test_main.c — runs the EB_TEST cases of one test program (see eb_test.h). */
#include "eb_test.h"

eb_test_case eb_test_cases[EB_TEST_MAX];
int eb_test_count;
int eb_test_failures;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < eb_test_count; i++) puts(eb_test_cases[i].name);
        return 0;
    }
    /* Set by ctest for a case this build cannot run (a ThreadSanitizer build:
     * tests/tests_reliability.cmake), with the reason. */
    const char *skip = getenv("EB_TEST_SKIP");
    if (argc > 1 && skip != NULL && skip[0] != '\0') {
        fprintf(stderr, "skipped: %s\n", skip);
        return EB_TEST_SKIP_CODE;
    }
    int ran = 0;
    for (int i = 0; i < eb_test_count; i++) {
        if (argc > 1 && strcmp(argv[1], eb_test_cases[i].name) != 0) continue;
        int before = eb_test_failures;
        eb_test_cases[i].fn();
        fprintf(stderr, "%s %s\n", eb_test_failures == before ? "ok  " : "FAIL",
                eb_test_cases[i].name);
        ran++;
    }
    if (ran == 0) {
        fprintf(stderr, "%s: no test case named '%s'; --list shows them\n", argv[0],
                argc > 1 ? argv[1] : "");
        return 2;
    }
    return eb_test_failures == 0 ? 0 : 1;
}
