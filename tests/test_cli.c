/* test_cli.c — execbench's command line, end to end: every class of bad input
 * gets one line on stderr naming it, exit status 2, and no run; --help
 * documents every flag with its default. */
#include "eb_test.h"
#include "execbench_process.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct bad_case {
    const char *args[8];
    const char *says; /* a fragment the message must contain */
} bad_case;

static const bad_case bad_cases[] = {
    /* bad flags */
    {{"--bogus", NULL}, "unknown option '--bogus'"},
    {{"-x", NULL}, "unknown option '-x'"},
    {{"--workers", NULL}, "--workers needs a value"},
    {{"stray", NULL}, "unexpected argument 'stray'"},
    {{"--workload", "cpu.sumsq", "--workload", "io.sleep", NULL}, "--workload is given twice"},
    /* unknown workloads, executors, presets, policies, backends */
    {{"--workload", "cpu.nope", NULL}, "unknown workload 'cpu.nope'"},
    {{"--executor", "fibers", NULL}, "unknown executor 'fibers'"},
    {{"--preset", "huge", NULL}, "unknown preset 'huge'"},
    {{"--preset", "quick", "--workers", "2", NULL}, "cannot be combined"},
    {{"--pin", "diagonal", NULL}, "unknown policy 'diagonal'"},
    {{"--pin", "cpuset", NULL}, "--cpuset"},
    {{"--coro-backend", "threads", NULL}, "unknown backend 'threads'"},
    /* bad params: negative, zero, huge, non-numeric, overflow, unknown, malformed */
    {{"--workload", "cpu.sumsq", "--param", "n=-5", NULL}, "n: -5 is out of range"},
    {{"--workload", "cpu.sumsq", "--param", "n=0", NULL}, "n: 0 is out of range"},
    {{"--workload", "cpu.sumsq", "--param", "n=99999999999999", NULL}, "out of range"},
    {{"--workload", "cpu.sumsq", "--param", "n=abc", NULL}, "'abc' is not a whole number"},
    {{"--workload", "cpu.sumsq", "--param", "n=5e6", NULL}, "'5e6' is not a whole number"},
    {{"--workload", "cpu.sumsq", "--param", "n=99999999999999999999999", NULL}, "out of range"},
    {{"--workload", "io.sleep", "--param", "latency_us=1.5", NULL}, "not a whole number"},
    {{"--workload", "cpu.sumsq", "--param", "speed=3", NULL},
     "no selected workload has a parameter 'speed'"},
    {{"--param", "n", NULL}, "is not KEY=VALUE"},
    {{"--param", "n=1,,2", NULL}, "empty value"},
    /* bad lists and numbers */
    {{"--workers", "-1", NULL}, "--workers: -1 is out of range"},
    {{"--workers", "two", NULL}, "'two' is not a whole number"},
    {{"--workers", "2000000", NULL}, "out of range"},
    {{"--tasks", "0", NULL}, "--tasks: 0 is out of range"},
    {{"--tasks", "9223372036854775808", NULL}, "out of range"},
    {{"--repetitions", "0", NULL}, "--repetitions: 0 is out of range"},
    {{"--warmup", "-1", NULL}, "--warmup: -1 is out of range"},
    {{"--timeout", "0", NULL}, "--timeout: '0'"},
    {{"--timeout", "inf", NULL}, "--timeout: 'inf'"},
    {{"--timeout", "-3", NULL}, "--timeout: '-3'"},
    {{"--seed", "x", NULL}, "--seed: 'x'"},
    /* a cpuset beyond the machine, or not a list */
    {{"--cpuset", "4095", NULL}, "names CPU 4095, which this machine lacks"},
    {{"--cpuset", "0-9999", NULL}, "which this machine lacks"},
    {{"--cpuset", "zero", NULL}, "is not a list of CPUs"},
    /* found by fuzz_cli: hwloc read "-57" as CPU -57 and looped for ever, and
     * "0-4000000000" as a 500 MB bitmap */
    {{"--cpuset", "-57", NULL}, "cpuset '-57' is not a list of CPUs"},
    {{"--cpuset", "0-4000000000", NULL}, "is not a list of CPUs"},
    /* found by fuzz_cli: input echoed in a message must not break its line */
    {{"a\nb", NULL}, "unexpected argument 'a?b'"},
    {{"--workload", "x\ny", NULL}, "unknown workload 'x?y'"},
    {{"--cpuset", "0", "--pin", "pu", NULL}, "drop --pin pu or --cpuset"},
    /* a plan with nothing to run */
    {{"--executor", "threaded", "--workers", "0", NULL}, "the plan is empty"},
    /* an output that cannot be written, found before any point runs */
    {{"--workload", "cpu.sumsq", "--executor", "sequential", "--out", "/", NULL}, "is a directory"},
    {{"--workload", "cpu.sumsq", "--executor", "sequential", "--out", "/proc/execbench/x.json",
      NULL},
     "cannot write results into /proc/execbench/"},
};

EB_TEST(bad_input_gets_one_line_and_exit_2)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0); /* a default --out would land here */
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        eb_proc p;
        int code = run_execbench(&p, c->args);
        EB_CHECKF(code == 2, "case %zu (%s ...): exit %d", i, c->args[0], code);
        EB_CHECKF(count_lines(p.err) == 1, "case %zu: %d lines: %s", i, count_lines(p.err), p.err);
        EB_CHECKF(strncmp(p.err, "execbench: ", 11) == 0, "case %zu: %s", i, p.err);
        EB_CHECKF(strstr(p.err, c->says) != NULL, "case %zu: wanted '%s' in: %s", i, c->says,
                  p.err);
        EB_CHECKF(p.out[0] == '\0', "case %zu printed on stdout: %s", i, p.out);
        proc_free(&p);
    }
    struct stat st;
    EB_CHECK(stat("results", &st) != 0); /* nothing ran, nothing written */
    EB_CHECK(chdir("/") == 0);
    tmpdir_remove(dir);
}

EB_TEST(help_documents_every_flag_with_its_default)
{
    eb_proc p;
    const char *args[] = {"--help", NULL};
    EB_REQUIRE(run_execbench(&p, args) == 0);
    static const char *const flags[] = {
        "--preset",       "--workload", "--executor",    "--workers",    "--tasks",   "--pin",
        "--cpuset",       "--param",    "--repetitions", "--warmup",     "--timeout", "--seed",
        "--coro-backend", "--out",      "--micro",       "--repeat-run",
    };
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "\n  %s", flags[i]);
        const char *at = strstr(p.out, needle);
        while (at != NULL && at[strlen(needle)] != ' ' && at[strlen(needle)] != '[')
            at = strstr(at + 1, needle);
        EB_CHECKF(at != NULL, "--help does not document %s", flags[i]);
        if (at == NULL) continue;
        /* the flag's entry runs to the next line that starts a flag */
        const char *next = strstr(at + 1, "\n  --");
        size_t len = next ? (size_t)(next - at) : strlen(at);
        char entry[600];
        snprintf(entry, sizeof entry, "%.*s", (int)len, at);
        EB_CHECKF(strstr(entry, "default") != NULL, "%s has no default in --help: %s", flags[i],
                  entry);
    }
    EB_CHECK(strstr(p.out, "--quiet") != NULL && strstr(p.out, "--list") != NULL &&
             strstr(p.out, "--version") != NULL);
    EB_CHECK(strstr(p.out, "--point") == NULL); /* hidden: the parent's child */
    /* what --out does with links, devices and stdout, and where progress goes */
    EB_CHECK(strstr(p.out, "  -h, --help ") != NULL);
    EB_CHECK(strstr(p.out, "/dev/stdout puts the document alone on stdout, the\n"
                           "                         table then on stderr") != NULL);
    EB_CHECK(strstr(p.out, "results/latest-interrupted.json") != NULL);
    EB_CHECK(strstr(p.out, "Progress goes to stderr") != NULL);
    proc_free(&p);
}

EB_TEST(list_names_workloads_params_executors_and_presets)
{
    eb_proc p;
    const char *args[] = {"--list", NULL};
    EB_REQUIRE(run_execbench(&p, args) == 0);
    static const char *const names[] = {
        "cpu.sumsq",  "io.sleep", "test.crash", "test.hang",    "test.badresult", "latency_us",
        "sequential", "threaded", "coroutine",  "multiprocess", "compact",        "scatter",
        "quick",      "default",  "seeds",      "[tests only]",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        EB_CHECKF(strstr(p.out, names[i]) != NULL, "--list lacks %s", names[i]);
    proc_free(&p);
}

/* Runs execbench with `args`, expecting exit 2 and one line holding `says`
 * and none of `never` (may be NULL); nothing may run. */
static void check_refused_line(const char *const *args, const char *says, const char *never)
{
    eb_proc p;
    int code = run_execbench(&p, args);
    EB_CHECKF(code == 2, "%s %s: exit %d: %s", args[0], args[1] ? args[1] : "", code, p.err);
    EB_CHECKF(count_lines(p.err) == 1 && strncmp(p.err, "execbench: ", 11) == 0, "%s", p.err);
    EB_CHECKF(strstr(p.err, says) != NULL, "wanted '%s' in: %s", says, p.err);
    EB_CHECKF(never == NULL || strstr(p.err, never) == NULL, "'%s' should not be in: %s", never,
              p.err);
    EB_CHECKF(p.out[0] == '\0', "printed on stdout: %s", p.out);
    proc_free(&p);
}

/* getopt_long took any unique start of a name: "--worker 2" and "--task 2"
 * ran the whole default preset (a measurement flag alone runs it). */
EB_TEST(long_options_take_exact_names_and_near_misses_are_named)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    check_refused_line((const char *[]){"--worker", "2", NULL},
                       "unknown option '--worker' (did you mean --workers?)", NULL);
    check_refused_line((const char *[]){"--task", "2", NULL},
                       "unknown option '--task' (did you mean --tasks?)", NULL);
    check_refused_line((const char *[]){"--work=2", NULL},
                       "unknown option '--work' (did you mean --workload or --workers?)", NULL);
    check_refused_line((const char *[]){"--repetition", "3", NULL}, "(did you mean --repetitions?)",
                       NULL);
    check_refused_line((const char *[]){"--qiet", NULL}, "(did you mean --quiet?)", NULL);
    check_refused_line((const char *[]){"--quiet=yes", NULL}, "--quiet takes no value", NULL);
    check_refused_line((const char *[]){"--poin", NULL}, "unknown option '--poin'", "--point");
    struct stat st;
    EB_CHECK(stat("results", &st) != 0); /* no preset ran */
    EB_CHECK(chdir("/") == 0);
    tmpdir_remove(dir);
}

EB_TEST(a_flag_of_one_value_given_twice_is_refused_without_a_list_hint)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0); /* where a run would write, were one to start */
    static const char *const twice[][5] = {
        {"--repetitions", "2", "--repetitions", "3"},
        {"--warmup", "0", "--warmup", "1"},
        {"--timeout", "5", "--timeout", "6"},
        {"--seed", "1", "--seed", "2"},
        {"--out", "a.json", "--out", "b.json"},
        {"--preset", "quick", "--preset", "seeds"},
        {"--cpuset", "0", "--cpuset", "0"},
        {"--repeat-run", "2", "--repeat-run", "2"},
        {"--coro-backend", "fcontext", "--coro-backend", "ucontext"},
    };
    for (size_t i = 0; i < sizeof twice / sizeof *twice; i++) {
        char says[80];
        snprintf(says, sizeof says, "%s is given twice (%s, then %s); it takes one value",
                 twice[i][0], twice[i][1], twice[i][3]);
        const char *args[] = {twice[i][0], twice[i][1], twice[i][2], twice[i][3], NULL};
        check_refused_line(args, says, "comma");
    }
    check_refused_line((const char *[]){"--micro", "--micro=x", NULL},
                       "--micro is given twice; it takes one value", "comma");
    /* a list flag is still told to take one list */
    check_refused_line((const char *[]){"--workers", "1", "--workers", "2", NULL},
                       "--workers is given twice; give one comma-separated list", NULL);
    struct stat st;
    EB_CHECK(stat("results", &st) != 0);
    EB_CHECK(chdir("/") == 0);
    tmpdir_remove(dir);
}

EB_TEST(unknown_names_get_the_closest_known_one)
{
    static const struct {
        const char *args[6];
        const char *says;
    } cases[] = {
        {{"--workload", "cpu.sumq", NULL}, "unknown workload 'cpu.sumq' (did you mean cpu.sumsq?)"},
        {{"--executor", "corutine", NULL}, "unknown executor 'corutine' (did you mean coroutine?)"},
        {{"--executor", "sequential,Threaded", NULL}, "(did you mean threaded?)"},
        {{"--preset", "quik", NULL}, "unknown preset 'quik' (did you mean quick?)"},
        {{"--preset", "defualt", NULL}, "(did you mean default?)"},
        {{"--pin", "compat", NULL}, "unknown policy 'compat' (did you mean compact?)"},
        {{"--coro-backend", "ucontex", NULL}, "(did you mean ucontext?)"},
        {{"--workload", "io.sleep", "--param", "latency=5", NULL},
         "parameter 'latency' (did you mean latency_us?)"},
        {{"--workload", "cpu.sumsq", "--param", "N=5", NULL}, "parameter 'N' (did you mean n?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_refused_line(cases[i].args, cases[i].says, NULL);
    /* nothing close: no guess */
    check_refused_line((const char *[]){"--executor", "fibers", NULL}, "unknown executor 'fibers'",
                       "did you mean");
    check_refused_line((const char *[]){"--bogus", NULL}, "unknown option '--bogus'",
                       "did you mean");
}

EB_TEST(dash_h_prints_the_help_like_help)
{
    eb_proc a, b;
    EB_CHECK(run_execbench(&a, (const char *[]){"-h", NULL}) == 0);
    EB_CHECK(run_execbench(&b, (const char *[]){"--help", NULL}) == 0);
    EB_CHECK(strncmp(a.out, "usage: execbench", 16) == 0);
    EB_CHECK(strcmp(a.out, b.out) == 0);
    EB_CHECK(a.err[0] == '\0');
    proc_free(&a);
    proc_free(&b);
}

/* A --micro filter that is no regex used to fail after the last point, as if
 * the point had failed ("1 of 1 points failed"). */
EB_TEST(a_micro_filter_that_is_not_a_regex_stops_before_the_first_point)
{
    char dir[64];
    tmpdir_make(dir, sizeof dir);
    EB_REQUIRE(chdir(dir) == 0);
    check_refused_line(
        (const char *[]){"--workload", "cpu.sumsq", "--executor", "sequential", "--micro=[", NULL},
        "--micro='[' is not a POSIX extended regex", NULL);
    check_refused_line((const char *[]){"--micro=(a", NULL}, "is not a POSIX extended regex", NULL);
    struct stat st;
    EB_CHECK(stat("results", &st) != 0);
    EB_CHECK(chdir("/") == 0);
    tmpdir_remove(dir);
}
