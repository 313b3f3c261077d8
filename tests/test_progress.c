/* test_progress.c — the progress lines: where the run is (point k of N), its
 * time and what is left, the repetition under way; on a terminal every line
 * within its width (an 80-column pseudo-terminal, end to end), through a
 * pipe a line per finished point and one every 10 s while a point runs long.
 * The pieces (fitting a line, durations, the estimate, the heartbeat) are
 * checked directly, the whole through build/execbench. */
#include "eb_test.h"
#include "estimate.h"
#include "execbench_process.h"
#include "progress.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const char long_name[] =
    "io.sleep/exec:multiprocess/tasks:100000/workers:1000/latency_us:100000/jitter_pct:50/"
    "pin:scatter";

EB_TEST(a_line_fits_its_width_and_never_cuts_a_number)
{
    /* the longest a terminal shows: 1000 repetitions, an hour's run */
    static const char *const states[] = {"12000.163 ms median of 1000", "rep 1000/1000, 59m59s",
                                         "warm-up 100/100, 59m59s", "FAILED"};
    const char *times = "(59m59s, ~59m59s left)";
    /* 44 columns hold the position and the longest state with nothing else */
    for (int width = 44; width <= 200; width++) {
        for (size_t s = 0; s < sizeof states / sizeof *states; s++) {
            char line[1024];
            eb_progress_compose(line, sizeof line, width, "[9999/9999]", long_name, states[s],
                                times);
            EB_CHECKF(strlen(line) <= (size_t)width - 1, "width %d: %zu columns: %s", width,
                      strlen(line), line);
            EB_CHECKF(strstr(line, states[s]) != NULL, "width %d cut the state: %s", width, line);
            EB_CHECKF(strncmp(line, "[9999/9999] ", 12) == 0, "width %d: %s", width, line);
            /* from 80 columns on, the times are whole too */
            if (width >= 80)
                EB_CHECKF(strstr(line, times) != NULL, "width %d cut the times: %s", width, line);
        }
    }
    /* room enough: nothing is shortened; no width (a pipe): nothing either */
    char line[1024];
    eb_progress_compose(line, sizeof line, 300, "[1/2]", long_name, "1.000 ms median of 3", "(1s)");
    EB_CHECK(strstr(line, long_name) != NULL);
    eb_progress_compose(line, sizeof line, 0, "[1/2]", long_name, "1.000 ms median of 3", "(1s)");
    EB_CHECK(strstr(line, long_name) != NULL && strstr(line, "(1s)") != NULL);
    /* shortened in the middle: the start and the end stay */
    eb_progress_compose(line, sizeof line, 80, "[1/2]", long_name, "1.000 ms median of 3", "(1s)");
    EB_CHECKF(strstr(line, "...") != NULL && strstr(line, "pin:scatter: 1.000 ms") != NULL, "%s",
              line);
}

EB_TEST(durations_read_at_a_glance)
{
    static const struct {
        double ns;
        const char *text;
    } cases[] = {{0, "0.0s"},      {4.24e9, "4.2s"},   {9.94e9, "9.9s"},  {42.7e9, "42s"},
                 {190e9, "3m10s"}, {3599e9, "59m59s"}, {3720e9, "1h02m"}, {-5e9, "0.0s"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[32];
        eb_progress_duration(cases[i].ns, text, sizeof text);
        EB_CHECKF(strcmp(text, cases[i].text) == 0, "%g ns: %s, expected %s", cases[i].ns, text,
                  cases[i].text);
    }
}

EB_TEST(the_width_comes_from_the_terminal_else_columns_else_80)
{
    int fd = open("/dev/null", O_WRONLY);
    EB_REQUIRE(fd >= 0);
    unsetenv("COLUMNS");
    EB_CHECK(eb_progress_width(fd) == 80);
    setenv("COLUMNS", "132", 1);
    EB_CHECK(eb_progress_width(fd) == 132);
    setenv("COLUMNS", "wide", 1);
    EB_CHECK(eb_progress_width(fd) == 80);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0) {
        int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
        EB_REQUIRE(slave >= 0);
        struct winsize ws = {.ws_row = 24, .ws_col = 57};
        EB_REQUIRE(ioctl(master, TIOCSWINSZ, &ws) == 0);
        EB_CHECK(eb_progress_width(slave) == 57); /* the terminal wins over COLUMNS */
        close(slave);
    }
    if (master >= 0) close(master);
    close(fd);
}

static eb_topology *topo;

static void plan_of(eb_plan *plan, eb_plan_block block, int repetitions, int warmup)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    eb_plan_init(plan);
    plan->settings.repetitions = repetitions;
    plan->settings.warmup = warmup;
    char why[400];
    EB_REQUIRE(eb_plan_add_block(plan, &block, topo, NULL, why, sizeof why) == 0);
}

EB_TEST(the_estimate_takes_waits_as_ideal_and_scales_cpu_work_by_what_finished)
{
    eb_plan plan;
    /* waits: 3 runs of ceil(8 / 2) x 10 ms, or 8 x 10 ms in sequence */
    plan_of(&plan,
            (eb_plan_block){.workloads = "io.sleep",
                            .executors = "sequential,threaded",
                            .workers = "2",
                            .tasks = "8",
                            .params = (const char *const[]){"latency_us=10000"},
                            .param_count = 1},
            2, 1);
    eb_estimate e;
    EB_REQUIRE(eb_estimate_init(&e, &plan, topo) == 0);
    double start = e.overhead_ns;
    EB_CHECKF(eb_estimate_point_ns(&e, 0) == start + 3 * 80e6, "%f", eb_estimate_point_ns(&e, 0));
    EB_CHECKF(eb_estimate_point_ns(&e, 1) == start + 3 * 40e6, "%f", eb_estimate_point_ns(&e, 1));
    EB_CHECK(eb_estimate_left_ns(&e, 0, 0) == 2 * start + 360e6);
    EB_CHECK(eb_estimate_left_ns(&e, 0, 100000000) == 2 * start + 260e6);
    EB_CHECK(eb_estimate_left_ns(&e, 0, 10000000000) == start + 120e6); /* never below 0 */
    EB_CHECK(eb_estimate_left_ns(&e, 2, 0) == 0);
    eb_estimate_free(&e);
    eb_plan_free(&plan);

    /* CPU: 10 tasks of 1,000,000 elements; the threaded point over min(4, cores) */
    plan_of(&plan,
            (eb_plan_block){.workloads = "cpu.sumsq",
                            .executors = "sequential,threaded,coroutine",
                            .workers = "4",
                            .tasks = "10",
                            .params = (const char *const[]){"n=1000000"},
                            .param_count = 1},
            1, 0);
    EB_REQUIRE(plan.count == 3);
    EB_REQUIRE(eb_estimate_init(&e, &plan, topo) == 0);
    eb_topology_summary machine;
    eb_topology_summarize(topo, &machine);
    double spread = machine.cores < 4 ? machine.cores : 4;
    double seq = eb_estimate_point_ns(&e, 0) - e.overhead_ns;
    EB_CHECK(seq > 0);
    EB_CHECK(eb_estimate_point_ns(&e, 1) - e.overhead_ns == seq / spread);
    EB_CHECK(eb_estimate_point_ns(&e, 2) - e.overhead_ns == seq); /* one thread */
    /* the sequential point took 3 times its model: so will the others */
    eb_estimate_learn(&e, 0, (int64_t)(e.overhead_ns + 3 * seq));
    EB_CHECKF(eb_estimate_point_ns(&e, 1) - e.overhead_ns > 2.99 * seq / spread &&
                  eb_estimate_point_ns(&e, 1) - e.overhead_ns < 3.01 * seq / spread,
              "%f of %f", eb_estimate_point_ns(&e, 1) - e.overhead_ns, seq);
    eb_estimate_free(&e);
    eb_plan_free(&plan);
}

/* Hybrid computes on one thread per core whatever --workers says (0 here),
 * a GIL on one at a time, and mixed work costs its waits plus its CPU: the
 * estimate lays them out as the point process does (plan.h). */
EB_TEST(the_estimate_lays_out_hybrid_gil_and_mixed_work_as_the_point_does)
{
    eb_plan plan;
    plan_of(&plan,
            (eb_plan_block){.workloads = "mix.waitsum",
                            .executors = "sequential,coroutine,hybrid",
                            .tasks = "8",
                            .params = (const char *const[]){"n=1000000", "latency_us=10000"},
                            .param_count = 2},
            1, 0);
    EB_REQUIRE(plan.count == 3);
    eb_estimate e;
    EB_REQUIRE(eb_estimate_init(&e, &plan, topo) == 0);
    eb_point_compute hybrid;
    EB_REQUIRE(eb_point_compute_get(&plan.points[2], topo, &hybrid) == 0);
    EB_CHECK(hybrid.threads >= 1 && hybrid.in_flight == 8);
    double cpu = 8 * 1e6; /* 1 ns an element, n elements a task */
    double spread = hybrid.threads < hybrid.cores ? hybrid.threads : hybrid.cores;
    double point[3];
    for (int i = 0; i < 3; i++)
        point[i] = eb_estimate_point_ns(&e, (size_t)i) - e.overhead_ns;
    EB_CHECKF(point[0] == 8 * 10e6 + cpu, "sequential %f", point[0]);
    EB_CHECKF(point[1] == 10e6 + cpu, "coroutine %f", point[1]);
    EB_CHECKF(point[2] == 10e6 + cpu / spread, "hybrid %f over %f", point[2], spread);
    eb_estimate_free(&e);
    eb_plan_free(&plan);

    plan_of(&plan,
            (eb_plan_block){.workloads = "cpu.sumsq",
                            .executors = "threaded",
                            .workers = "2",
                            .tasks = "10",
                            .params = (const char *const[]){"n=1000000"},
                            .param_count = 1,
                            .gil = "off,on"},
            1, 0);
    EB_REQUIRE(plan.count == 2 && plan.points[1].gil_interval_us == 5000);
    EB_REQUIRE(eb_estimate_init(&e, &plan, topo) == 0);
    eb_point_compute free_threads;
    EB_REQUIRE(eb_point_compute_get(&plan.points[0], topo, &free_threads) == 0);
    double free_spread =
        free_threads.threads < free_threads.cores ? free_threads.threads : free_threads.cores;
    EB_CHECK(eb_estimate_point_ns(&e, 1) - e.overhead_ns == 10e6);
    EB_CHECK(eb_estimate_point_ns(&e, 0) - e.overhead_ns == 10e6 / free_spread);
    eb_estimate_free(&e);
    eb_plan_free(&plan);
}

/* Reads a whole file into a string (malloc'd). */
static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    EB_REQUIRE(n >= 0);
    char *text = calloc((size_t)n + 1, 1);
    EB_REQUIRE(text != NULL);
    rewind(f);
    EB_REQUIRE(fread(text, 1, (size_t)n, f) == (size_t)n);
    return text;
}

static int occurrences(const char *text, const char *needle)
{
    int n = 0;
    for (const char *at = text; (at = strstr(at, needle)) != NULL; at++)
        n++;
    return n;
}

EB_TEST(through_a_pipe_a_long_point_says_it_is_alive_every_10_s)
{
    FILE *out = tmpfile();
    EB_REQUIRE(out != NULL);
    eb_progress p;
    eb_progress_init(&p, out, false, 3, NULL);
    EB_CHECK(!p.live);
    eb_progress_start(&p, 1, "io.sleep/exec:sequential/tasks:1/workers:1/latency_us:25000000");
    for (int64_t t = 0; t <= 25000000000; t += 250000000)
        eb_progress_tick(&p, t, t < 12000000000 ? "rep 1/3" : "rep 2/3");
    eb_progress_done(&p, true, "25000.000 ms median of 3");
    char *text = slurp(out);
    EB_CHECKF(count_lines(text) == 3, "%s", text);
    EB_CHECKF(strstr(text, "[2/3] io.sleep/exec:sequential/tasks:1/workers:1/latency_us:25000000: "
                           "still running after 10s, rep 1/3 (") == text,
              "%s", text);
    EB_CHECK(strstr(text, ": still running after 20s, rep 2/3 (") != NULL);
    EB_CHECK(strstr(text, ": 25000.000 ms median of 3 (") != NULL);
    EB_CHECK(occurrences(text, "\r") == 0 && occurrences(text, "\033") == 0);
    free(text);
    fclose(out);
}

/* ---- end to end ---- */

/* A pseudo-terminal of `columns` columns for execbench's stdout and stderr:
 * what it printed, raw (malloc'd); its exit code in *code. */
static char *run_on_terminal(int columns, const char *const *args, int *code)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        EB_SKIP("no pseudo-terminal here: %s", strerror(errno));
    struct winsize ws = {.ws_row = 24, .ws_col = (unsigned short)columns};
    EB_REQUIRE(ioctl(master, TIOCSWINSZ, &ws) == 0);
    const char *argv[64] = {execbench_path()};
    int n = 1;
    for (; args[n - 1] != NULL; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    EB_REQUIRE(pid >= 0);
    if (pid == 0) {
        int slave = open(ptsname(master), O_RDWR);
        if (slave < 0) _exit(126);
        dup2(slave, 1);
        dup2(slave, 2);
        setenv("TERM", "xterm", 1);
        unsetenv("COLUMNS");
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    char *text = calloc(1, 1);
    size_t len = 0;
    for (;;) {
        char chunk[4096];
        ssize_t got = read(master, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break; /* EIO: every slave end closed */
        char *grown = realloc(text, len + (size_t)got + 1);
        EB_REQUIRE(grown != NULL);
        text = grown;
        memcpy(text + len, chunk, (size_t)got);
        len += (size_t)got;
        text[len] = '\0';
    }
    int status;
    EB_REQUIRE(waitpid(pid, &status, 0) == pid);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    close(master);
    return text;
}

/* Each piece of terminal output between \r and \n, the erase-line code
 * dropped: calls `check` on each (a live line's redraws are pieces). */
static void for_each_piece(const char *text, void (*check)(const char *piece, void *arg), void *arg)
{
    char piece[4096];
    size_t n = 0;
    for (const char *c = text;; c++) {
        if (*c == '\r' || *c == '\n' || *c == '\0') {
            piece[n] = '\0';
            if (n > 0) check(piece, arg);
            n = 0;
            if (*c == '\0') return;
            continue;
        }
        if (strncmp(c, "\033[K", 3) == 0) {
            c += 2;
            continue;
        }
        if (n < sizeof piece - 1) piece[n++] = *c;
    }
}

typedef struct seen {
    int progress, too_wide, with_rep, finished, with_left, failed, message;
} seen;

static void check_piece(const char *piece, void *arg)
{
    seen *s = arg;
    bool progress = piece[0] == '[' || strncmp(piece, "    ", 4) == 0;
    if (!progress) return; /* the table and the closing messages are not progress */
    s->progress++;
    if (strlen(piece) > 79) {
        s->too_wide++;
        fprintf(stderr, "%zu columns: %s\n", strlen(piece), piece);
    }
    if (strstr(piece, ": rep 1/2, ") != NULL || strstr(piece, ": rep 2/2, ") != NULL) s->with_rep++;
    if (strstr(piece, "median of 2 (") != NULL) s->finished++;
    if (strstr(piece, "median of 2 (") != NULL && strstr(piece, "left)") != NULL) s->with_left++;
    if (strstr(piece, ": FAILED (") != NULL) s->failed++;
    if (strncmp(piece, "    ", 4) == 0 && strstr(piece, "SIGSEGV") != NULL) s->message++;
}

/* The finished lines ran past 80 columns (a terminal wraps them), the live
 * line was cut where it met the edge, and neither said how far the run was. */
EB_TEST(on_an_80_column_terminal_every_progress_line_fits)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *args[] = {"--workload",
                          "io.sleep,test.crash",
                          "--executor",
                          "sequential,multiprocess",
                          "--workers",
                          "2",
                          "--tasks",
                          "4",
                          "--param",
                          "latency_us=200000",
                          "--param",
                          "jitter_pct=0",
                          "--repetitions",
                          "2",
                          "--order",
                          "blocked",
                          "--out",
                          out,
                          NULL};
    int code;
    char *text = run_on_terminal(80, args, &code);
    EB_CHECKF(code == 1, "exit %d: %s", code, text); /* the test.crash points fail */
    seen s = {0};
    for_each_piece(text, check_piece, &s);
    EB_CHECKF(s.too_wide == 0, "%d of %d progress lines wider than 79 columns", s.too_wide,
              s.progress);
    EB_CHECKF(s.with_rep > 0, "no live line said which repetition ran:\n%s", text);
    EB_CHECKF(s.finished == 2 && s.with_left >= 1,
              "%d io.sleep points finished, %d with what is left:\n%s", s.finished, s.with_left,
              text);
    EB_CHECKF(s.failed == 2 && s.message >= 2, "failures: %d lines, %d messages below:\n%s",
              s.failed, s.message, text);
    free(text);
    tmpdir_remove(dir);
}

EB_TEST(through_a_pipe_each_finished_point_is_one_line_with_the_run_time_and_what_is_left)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *args[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "sequential,threaded,coroutine",
                          "--workers",
                          "4",
                          "--tasks",
                          "4",
                          "--param",
                          "latency_us=20000",
                          "--repetitions",
                          "2",
                          "--order",
                          "blocked",
                          "--out",
                          out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_CHECKF(count_lines(p.err) == 4, "%s", p.err); /* three points, then where the results are */
    const char *line = p.err;
    for (int k = 1; k <= 3; k++) {
        char start[16];
        snprintf(start, sizeof start, "[%d/3] io.sleep/", k);
        EB_CHECKF(strncmp(line, start, strlen(start)) == 0, "line %d: %s", k, line);
        const char *end = strchr(line, '\n');
        EB_REQUIRE(end != NULL);
        char text[600];
        snprintf(text, sizeof text, "%.*s", (int)(end - line), line);
        EB_CHECKF(strstr(text, " median of 2 (") != NULL && text[strlen(text) - 1] == ')', "%s",
                  text);
        if (k < 3)
            EB_CHECKF(strstr(text, " left)") != NULL, "no estimate of what is left: %s", text);
        line = end + 1;
    }
    EB_CHECK(strchr(p.err, '\r') == NULL && strchr(p.err, '\033') == NULL);
    proc_free(&p);
    tmpdir_remove(dir);
}

/* Through a pipe nothing was said while a point ran: a long one looked hung. */
EB_TEST(through_a_pipe_a_long_point_says_every_10_s_which_repetition_runs)
{
    char dir[64], out[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.json", dir);
    const char *args[] = {"--workload", "io.sleep", "--executor",    "sequential",
                          "--tasks",    "1",        "--param",       "latency_us=5500000",
                          "--warmup",   "0",        "--repetitions", "2",
                          "--order",    "blocked",  "--out",         out,
                          NULL};
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 0, "exit %d: %s", code, p.err);
    EB_CHECKF(strstr(p.err, "[1/1] io.sleep/exec:sequential/tasks:1/workers:1/latency_us:5500000/"
                            "pin:compact: still running after 10s, rep 2/2 (") == p.err,
              "%s", p.err);
    EB_CHECK(count_lines(p.err) == 3);
    proc_free(&p);
    tmpdir_remove(dir);
}
