/* test_mpi.c — the mpi executor (issue 18) end to end, on this one machine:
 * execbench starts mpirun --oversubscribe, whose ranks are execbench-mpi-rank.
 * Skipped, with the reason, where this build has no rank program (Open MPI
 * was not found) or mpirun is not on PATH. */
#include "eb_test.h"
#include "execbench_process.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void need_mpi(void)
{
    char rank[4096];
    snprintf(rank, sizeof rank, "%s/execbench-mpi-rank", getenv("EB_BUILD_DIR"));
    if (access(rank, X_OK) != 0)
        EB_SKIP("this build has no execbench-mpi-rank (Open MPI was not found when configuring: "
                "tools/install-deps.sh mpi)");
    if (system("command -v mpirun >/dev/null 2>&1") != 0)
        EB_SKIP("mpirun is not on PATH (install openmpi-bin: tools/install-deps.sh mpi)");
}

typedef struct run {
    char dir[256], out[512];
    eb_proc p;
    int rc;
    json_t *doc;
} run;

/* execbench with `args` and --out into a fresh folder; the document loaded. */
static void run_args(run *r, const char *const *args)
{
    tmpdir_make(r->dir, sizeof r->dir);
    snprintf(r->out, sizeof r->out, "--out=%s/doc.json", r->dir);
    const char *all[49];
    size_t n = 0;
    for (; args[n] != NULL && n < 44; n++)
        all[n] = args[n];
    all[n++] = r->out;
    all[n++] = "--quiet";
    all[n++] = "--order=blocked"; /* each repetition one mpirun: as many as asked, no more */
    all[n] = NULL;
    r->rc = run_execbench(&r->p, all);
    char path[600];
    snprintf(path, sizeof path, "%s/doc.json", r->dir);
    r->doc = load_json(path);
}

static void run_free(run *r)
{
    json_decref(r->doc);
    proc_free(&r->p);
    tmpdir_remove(r->dir);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

/* The first row of the executor's point whose name has `marker` (NULL: any):
 * its median aggregate, or its error row. */
static json_t *row_of(const run *r, const char *executor, bool median)
{
    char exec[64];
    snprintf(exec, sizeof exec, "/exec:%s/", executor);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r->doc, "benchmarks"), i, row)
    {
        if (strstr(str(row, "name"), exec) == NULL) continue;
        if (json_is_true(json_object_get(row, "error_occurred"))) return row;
        if (!median || strcmp(str(row, "aggregate_name"), "median") == 0) return row;
    }
    return NULL;
}

static double real_time(json_t *row)
{
    return row != NULL ? json_number_value(json_object_get(row, "real_time")) : NAN;
}

/* Processes that are mpirun or a rank of this test's run (their arguments
 * hold seed=SEED): none may be left once execbench has returned. */
static int leftovers(long seed)
{
    char want[64];
    snprintf(want, sizeof want, "seed=%ld", seed);
    int found = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], buf[8192];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        bool ours_prog = strstr(buf, "mpirun") != NULL || strstr(buf, "execbench-mpi-rank") != NULL;
        bool ours_seed = false;
        for (size_t k = 0; k < n; k += strlen(buf + k) + 1)
            if (strcmp(buf + k, want) == 0) ours_seed = true;
        if (ours_prog && ours_seed) {
            fprintf(stderr, "left behind: pid %s: %s\n", e->d_name, buf);
            found++;
        }
    }
    if (d != NULL) closedir(d);
    return found;
}

/* A seed no other test of this run uses, so leftovers() sees only ours. */
static long unique_seed(void)
{
    return 700000000L + (long)getpid();
}

EB_TEST(mpi_dynamic_and_static_claiming_both_run_every_task_once_verified_at_rank_0)
{
    need_mpi();
    const char *claims[] = {"dynamic", "static"};
    for (int c = 0; c < 2; c++) {
        char claim[64];
        snprintf(claim, sizeof claim, "--mpi-claim=%s", claims[c]);
        const char *args[] = {
            "--workload=cpu.sumsq", "--executor=mpi",  "--workers=2", "--tasks=12",
            "--param=n=200000",     "--repetitions=2", claim,         NULL};
        run r;
        run_args(&r, args);
        EB_REQUIRE(r.doc != NULL);
        json_t *row = row_of(&r, "mpi", true);
        EB_REQUIRE(row != NULL);
        EB_CHECKF(!json_is_true(json_object_get(row, "error_occurred")), "%s: %s", claims[c],
                  str(row, "error_message"));
        /* Two ranks, each with its PU; the launch counted apart from the job. */
        EB_CHECKF(json_array_size(json_object_get(row, "worker_pus")) == 2, "%s", claims[c]);
        json_t *hosts = json_object_get(row, "worker_hosts");
        char here[256] = "";
        gethostname(here, sizeof here - 1);
        EB_CHECKF(json_array_size(hosts) == 2 &&
                      strcmp(json_string_value(json_array_get(hosts, 1)), here) == 0,
                  "%s: worker_hosts of 2 ranks on %s", claims[c], here);
        EB_CHECKF(json_number_value(json_object_get(row, "spawn_ns")) > 0, "%s", claims[c]);
        json_t *ctx = json_object_get(json_object_get(r.doc, "context"), "execbench");
        EB_CHECKF(strcmp(str(ctx, "mpi_claim"), claims[c]) == 0, "context mpi_claim %s",
                  str(ctx, "mpi_claim"));
        EB_CHECK(r.rc == 0);
        run_free(&r);
    }
}

EB_TEST(mpi_a_wrong_result_fails_verification_at_rank_0)
{
    need_mpi();
    const char *args[] = {"--workload=test.badresult",
                          "--executor=mpi",
                          "--workers=2",
                          "--tasks=6",
                          "--param=at=3",
                          "--repetitions=1",
                          NULL};
    run r;
    run_args(&r, args);
    EB_REQUIRE(r.doc != NULL);
    json_t *row = row_of(&r, "mpi", false);
    EB_REQUIRE(row != NULL);
    EB_CHECK(json_is_true(json_object_get(row, "error_occurred")));
    EB_CHECKF(strstr(str(row, "error_message"), "verification failed: task 3") != NULL, "%s",
              str(row, "error_message"));
    run_free(&r);
}

/* Tasks of different sizes (io.sleep's seeded jitter; seed 188 puts the long
 * waits in the first half): rank 0's static block takes ~161 ms, dynamic
 * claiming ~109 ms, the nominal ideal 6 x 20 ms = 120 ms. */
EB_TEST(mpi_dynamic_claiming_is_closer_to_the_ideal_than_static_when_tasks_differ)
{
    need_mpi();
    double median[2];
    const char *claims[] = {"--mpi-claim=dynamic", "--mpi-claim=static"};
    for (int c = 0; c < 2; c++) {
        const char *args[] = {"--workload=io.sleep",
                              "--executor=mpi",
                              "--workers=2",
                              "--tasks=12",
                              "--param=latency_us=20000",
                              "--param=jitter_pct=90",
                              "--seed=188",
                              "--repetitions=3",
                              claims[c],
                              NULL};
        run r;
        run_args(&r, args);
        EB_REQUIRE(r.doc != NULL);
        json_t *row = row_of(&r, "mpi", true);
        EB_REQUIRE(row != NULL && !json_is_true(json_object_get(row, "error_occurred")));
        median[c] = real_time(row); /* ms */
        run_free(&r);
    }
    double ideal = 120.0;
    fprintf(stderr, "dynamic %.1f ms, static %.1f ms, ideal %.0f ms\n", median[0], median[1],
            ideal);
    EB_CHECKF(fabs(median[0] - ideal) < fabs(median[1] - ideal), "dynamic %.1f, static %.1f",
              median[0], median[1]);
    EB_CHECKF(median[0] * 1.2 < median[1], "dynamic %.1f ms not well under static %.1f ms",
              median[0], median[1]);
}

EB_TEST(mpi_ranks_run_their_share_with_unbounded_coroutines_or_hybrid)
{
    need_mpi();
    /* 40 waits of 20 ms on 2 ranks: 400 ms one at a time per rank, 20 ms ideal. */
    const char *executors[] = {"--rank-executor=coroutine", "--rank-executor=hybrid"};
    for (int k = 0; k < 2; k++) {
        const char *args[] = {"--workload=io.sleep", "--executor=mpi",           "--workers=2",
                              "--tasks=40",          "--param=latency_us=20000", executors[k],
                              "--rank-workers=0",    "--repetitions=3",          NULL};
        run r;
        run_args(&r, args);
        EB_REQUIRE(r.doc != NULL);
        json_t *row = row_of(&r, "mpi", true);
        EB_REQUIRE(row != NULL);
        EB_CHECKF(!json_is_true(json_object_get(row, "error_occurred")), "%s: %s", executors[k],
                  str(row, "error_message"));
        EB_CHECKF(real_time(row) < 200.0, "%s: median %.1f ms: the waits did not overlap",
                  executors[k], real_time(row));
        run_free(&r);
    }
}

/* A fault on 2 ranks, 6 tasks, one repetition, this test's own seed (for
 * leftovers()), and up to two more flags: the mpi row's error message. */
static const char *fault_run(run *r, long seed, const char *workload, const char *more1,
                             const char *more2)
{
    char seed_arg[64];
    snprintf(seed_arg, sizeof seed_arg, "--seed=%ld", seed);
    const char *args[] = {workload, "--executor=mpi,sequential", "--workers=2", "--tasks=6",
                          seed_arg, "--repetitions=1",           more1,         more2,
                          NULL};
    run_args(r, args);
    EB_REQUIRE(r->doc != NULL);
    json_t *row = row_of(r, "mpi", false);
    EB_REQUIRE(row != NULL);
    EB_CHECK(json_is_true(json_object_get(row, "error_occurred")));
    /* The run goes on: the point after the failed one ran (a fault workload
     * fails there too, in its own way). */
    EB_CHECKF(row_of(r, "sequential", false) != NULL, "the point after the failed one did not run");
    return str(row, "error_message");
}

EB_TEST(mpi_a_killed_rank_is_an_error_row_and_leaves_no_process)
{
    need_mpi();
    long seed = unique_seed();
    run r;
    const char *msg = fault_run(&r, seed, "--workload=test.signal", "--param=at=2", NULL);
    EB_CHECKF(strstr(msg, "mpi rank ") != NULL && strstr(msg, "killed by signal 9 (SIGKILL)"), "%s",
              msg);
    EB_CHECK(leftovers(seed) == 0);
    run_free(&r);
}

EB_TEST(mpi_a_hung_rank_past_the_timeout_is_an_error_row_and_leaves_no_process)
{
    need_mpi();
    long seed = unique_seed();
    run r;
    const char *msg = fault_run(&r, seed, "--workload=test.hang", "--param=at=4", "--timeout=4");
    EB_CHECKF(strstr(msg, "timed out after 4 s") != NULL && strstr(msg, "task 4 never finished"),
              "%s", msg);
    usleep(200000); /* the ranks' PDEATHSIG after mpirun's */
    EB_CHECK(leftovers(seed) == 0);
    run_free(&r);
}

EB_TEST(mpi_a_wrong_hostfile_is_an_error_row_and_the_run_goes_on)
{
    need_mpi();
    long seed = unique_seed();
    char hostfile[600], hostfile_arg[700], dir[256];
    tmpdir_make(dir, sizeof dir);
    snprintf(hostfile, sizeof hostfile, "%s/hosts", dir);
    FILE *f = fopen(hostfile, "w");
    EB_REQUIRE(f != NULL);
    fprintf(f, "eb-no-such-host.invalid slots=2\n");
    fclose(f);
    snprintf(hostfile_arg, sizeof hostfile_arg, "--mpi-hostfile=%s", hostfile);
    run r;
    const char *msg = fault_run(&r, seed, "--workload=cpu.sumsq", "--param=n=100000", hostfile_arg);
    EB_CHECKF(strstr(msg, "mpirun could not start the ranks") != NULL &&
                  strstr(msg, "eb-no-such-host") != NULL,
              "%s", msg);
    json_t *after = row_of(&r, "sequential", false);
    EB_CHECK(after != NULL && !json_is_true(json_object_get(after, "error_occurred")));
    EB_CHECK(leftovers(seed) == 0);
    run_free(&r);
    tmpdir_remove(dir);
}

EB_TEST(mpi_is_listed_and_a_rank_executor_must_run_on_one_host_without_forking)
{
    const char *names[] = {"mpi", "multiprocess"};
    for (int k = 0; k < 2; k++) {
        char arg[64], want[128];
        snprintf(arg, sizeof arg, "--rank-executor=%s", names[k]);
        snprintf(want, sizeof want, "--rank-executor: '%s' cannot run a rank's share", names[k]);
        const char *args[] = {"--workload=cpu.sumsq", "--executor=mpi", arg, "--workers=2", NULL};
        eb_proc p;
        EB_CHECK(run_execbench(&p, args) == 2);
        EB_CHECKF(strstr(p.err, want) != NULL, "%s", p.err);
        proc_free(&p);
    }
    /* --list names it, built or not (then with the reason). */
    const char *list[] = {"--list", NULL};
    eb_proc p;
    EB_CHECK(run_execbench(&p, list) == 0);
    EB_CHECK(strstr(p.out, "  mpi ") != NULL);
    proc_free(&p);
}
