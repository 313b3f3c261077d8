/* compare_run.h — run build/execbench-compare as a user would and capture what
 * it did: exit status, standard output and error, with a deadline so a hang
 * fails the test instead of stalling it. */
#ifndef EB_TEST_COMPARE_RUN_H
#define EB_TEST_COMPARE_RUN_H

#include <stdbool.h>
#include <stddef.h>

typedef enum run_stdout {
    RUN_PIPE = 0, /* captured, not a terminal */
    RUN_PTY,      /* a pseudo-terminal, captured: isatty() is true */
    RUN_DEV_FULL, /* /dev/full: every write fails */
} run_stdout;

typedef struct run_result {
    int status; /* exit status; 128 + signal when killed; -1 on timeout */
    bool timed_out;
    char *out, *err; /* NUL-terminated (caller frees) */
    size_t out_len, err_len;
} run_result;

/* Runs execbench-compare with argv (NULL-terminated, without the program),
 * in directory cwd (NULL: as is), with stdin from stdin_path (NULL: /dev/null),
 * with NO_COLOR set when no_color is true and removed otherwise. */
void run_compare(const char *const *argv, const char *cwd, const char *stdin_path, run_stdout mode,
                 bool no_color, double timeout_s, run_result *res);
/* The same with RLIMIT_AS at as_bytes (0: as it is), so a run that would
 * exhaust the memory fails inside the limit instead. */
void run_compare_limited(const char *const *argv, const char *cwd, const char *stdin_path,
                         run_stdout mode, bool no_color, double timeout_s, size_t as_bytes,
                         run_result *res);
void run_free(run_result *res);

/* The program's path ($EB_BUILD_DIR/execbench-compare) and the fixture folder. */
const char *compare_binary(void);
const char *fixture_dir(void);

/* The number of lines of s (a last line without '\n' counts). */
size_t count_lines(const char *s);

#endif
