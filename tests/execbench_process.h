/* execbench_process.h — run build/execbench from a test and capture what it
 * says: its exit status, stdout and stderr. */
#ifndef EB_TEST_EXECBENCH_PROCESS_H
#define EB_TEST_EXECBENCH_PROCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct eb_proc {
    pid_t pid;
    int out_fd, err_fd;
    char *out, *err; /* captured, NUL-terminated */
    int status;      /* waitpid's */
} eb_proc;

/* The path of build/execbench (from EB_BUILD_DIR, set by ctest). */
const char *execbench_path(void);

/* argv for build/execbench with `args` (after argv[0]; NULL-terminated) into
 * argv[cap]. Unless `args` name them, it adds --target-ci 0 and --redo-limit
 * 0: an interleaved run then takes exactly --repetitions rounds and keeps a
 * disturbed round (marked), so a test of something else gets the rows it
 * asks for on a busy machine; the tests of the rounds themselves
 * (test_rounds.c) name both. */
void execbench_argv(const char *const *args, const char **argv, size_t cap);

/* Starts execbench with the NULL-terminated `args` (after argv[0]). */
void proc_start(eb_proc *p, const char *const *args);
/* Reads stderr until `needle` appears in it (or `timeout_s` passes): true if seen. */
bool proc_wait_stderr(eb_proc *p, const char *needle, double timeout_s);
/* Reads everything until both pipes close, reaps: the exit code, or 128+signal. */
int proc_finish(eb_proc *p);
void proc_free(eb_proc *p);

/* Runs execbench to the end: the exit code (or 128+signal). */
int run_execbench(eb_proc *p, const char *const *args);

/* A fresh directory under /tmp (removed with its files by tmpdir_remove). */
void tmpdir_make(char *buf, size_t len);
void tmpdir_remove(const char *dir);

/* Loads a JSON file strictly; NULL (with a message on stderr) if it is not JSON. */
json_t *load_json(const char *path);

/* Lines in text (a final line without newline counts). */
int count_lines(const char *text);

#endif
