/* mix_measure.c — issue 15's measurements, in one process so that the
 * executors compared are run in interleaved rounds (the machine's drift
 * falls on all of them alike) until the runner's own flags (--gil, rounds)
 * exist. Not a test: /work/measure/issue15.sh (outside the repository) says
 * how it was run.
 *
 *   mix_measure checkpoint PAIRS N       cpu.sumsq's kernel with and without its
 *                                         check points, PAIRS interleaved pairs
 *   mix_measure kernel with|without N    one call of either kernel (for callgrind)
 *   mix_measure run WORKLOAD TASKS PARAMS ROUNDS SPEC...
 *       SPEC = executor:workers[:gil=US][:nosteal][:threads=T]; PARAMS = k=v,k=v or -.
 *       Each round runs every SPEC once, starting one further along the list
 *       each round; prints each SPEC's median, its median ratio to the first
 *       SPEC (paired within rounds) and, for mix.waitsum, its ideal
 *       (makespan_mix.h, CPU time per element measured in every round).
 *   mix_measure convoy INTERVAL_US ROUNDS [IO_THREADS]
 *       io.sleep 160 x 10 ms on IO_THREADS threads (160) under a GIL, alone
 *       and beside one CPU-bound thread under the same GIL: task latency
 *       p50/p99. */
#include "executor.h"
#include "gil.h"
#include "makespan_mix.h"
#include "pin.h"
#include "registry.h"
#include "sumsq_kernel.h"
#include "wait.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

uint64_t eb_sumsq_unchecked(uint64_t n); /* sumsq_kernel.c built without check points */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- the check point's cost ------------------------------------------------ */

static int checkpoint(int pairs, uint64_t n)
{
    double *ratio = calloc((size_t)pairs, sizeof *ratio);
    double *with = calloc((size_t)pairs, sizeof *with),
           *without = calloc((size_t)pairs, sizeof *without);
    volatile uint64_t sink = eb_sumsq(n) + eb_sumsq_unchecked(n); /* warm */
    for (int i = 0; i < pairs; i++) {
        int64_t a = 0, b = 0;
        for (int k = 0; k < 2; k++) { /* alternate which goes first */
            bool first_with = (i + k) % 2 == 0;
            int64_t t0 = eb_now_ns();
            sink += first_with ? eb_sumsq(n) : eb_sumsq_unchecked(n);
            int64_t t1 = eb_now_ns();
            if (first_with)
                a += t1 - t0;
            else
                b += t1 - t0;
        }
        with[i] = (double)a;
        without[i] = (double)b;
        ratio[i] = (double)a / (double)b;
    }
    (void)sink;
    printf("checkpoint: n=%llu pairs=%d with %.3f ms, without %.3f ms (medians); "
           "with/without median %.4f (%.2f%%), ns/element %.4f\n",
           (unsigned long long)n, pairs, median(with, (size_t)pairs) / 1e6,
           median(without, (size_t)pairs) / 1e6, median(ratio, (size_t)pairs),
           (median(ratio, (size_t)pairs) - 1) * 100, median(without, (size_t)pairs) / (double)n);
    free(ratio);
    free(with);
    free(without);
    return 0;
}

/* ---- executors in rounds ----------------------------------------------------- */

typedef struct spec {
    char text[64];
    const eb_executor *e;
    unsigned workers;
    int64_t gil_us; /* 0: none */
    bool nosteal;
    unsigned threads; /* hybrid: 0 one per core */
    double *wall, *ratio, *ideal_ratio;
    double gil_handoffs, gil_wait_ns;
    int64_t p99_sum;
    double *cpu; /* user + sys of the job */
} spec;

static eb_topology *topology;

/* Runs one job as the point child would: pinned compact, verified. */
static int run_job(const eb_workload *w, uint64_t tasks, const int64_t *params, spec *s,
                   eb_job_result *out, int64_t *p99)
{
    eb_job job;
    memset(&job, 0, sizeof job);
    job.workload = w;
    memcpy(job.params, params, sizeof job.params);
    job.tasks = tasks;
    job.workers = s->workers;
    job.seed = 1;
    char why[256];
    eb_pin_plan *pin = NULL;
    unsigned plan_workers = s->workers;
    if (s->e->thread_per_core) {
        eb_pin_plan *probe;
        if (eb_pin_plan_create(topology, EB_PIN_COMPACT, NULL, 1, &probe, why, sizeof why) != 0)
            return -1;
        plan_workers = probe->units;
        free(probe);
    }
    if (eb_pin_plan_create(topology, EB_PIN_COMPACT, NULL, plan_workers, &pin, why, sizeof why) !=
        0)
        return -1;
    if (s->e->thread_per_core)
        job.threads = s->threads > 0 ? s->threads : (unsigned)eb_pin_plan_cores(pin);
    job.pin = pin;
    eb_gil *gil = NULL;
    if (s->gil_us > 0) {
        eb_gil_config c = {.interval_us = s->gil_us};
        if (eb_gil_create(&c, &gil) != 0) return -1;
        job.gil = gil;
    }
    if (w->setup != NULL && w->setup(&job) != 0) return -1;
    if (eb_job_alloc(&job) != 0) return -1;
    if (s->nosteal) setenv("EB_HYBRID_STEAL", "0", 1);
    memset(out, 0, sizeof *out);
    int rc = s->e->run(&job, out);
    unsetenv("EB_HYBRID_STEAL");
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", s->text, out->error);
    } else if ((rc = w->verify(&job, why, sizeof why)) != 0) {
        fprintf(stderr, "%s: verify: %s\n", s->text, why);
    }
    if (p99 != NULL) {
        int64_t *d = calloc(tasks, sizeof *d);
        for (uint64_t t = 0; t < tasks; t++)
            d[t] = job.task_end_ns[t] - job.task_start_ns[t];
        qsort(d, tasks, sizeof *d, cmp_i64);
        *p99 = d[(tasks * 99 + 99) / 100 - 1];
        free(d);
    }
    if (w->teardown != NULL) w->teardown(&job);
    eb_job_free(&job);
    eb_gil_destroy(gil);
    free(pin);
    return rc;
}

static int parse_params(const eb_workload *w, const char *text, int64_t *params)
{
    for (size_t i = 0; i < w->param_count; i++)
        params[i] = w->params[i].default_value;
    if (strcmp(text, "-") == 0) return 0;
    char *copy = strdup(text), *save = NULL;
    for (char *kv = strtok_r(copy, ",", &save); kv != NULL; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (eq == NULL) return -1;
        *eq = '\0';
        int i = eb_workload_param_index(w, kv);
        if (i < 0) return -1;
        params[i] = strtoll(eq + 1, NULL, 10);
    }
    free(copy);
    return 0;
}

static int parse_spec(const char *text, spec *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->text, sizeof s->text, "%s", text);
    char copy[64];
    snprintf(copy, sizeof copy, "%s", text);
    char *save = NULL, *name = strtok_r(copy, ":", &save), *workers = strtok_r(NULL, ":", &save);
    if (name == NULL || workers == NULL || (s->e = eb_executor_find(name)) == NULL) return -1;
    s->workers = (unsigned)strtoul(workers, NULL, 10);
    for (char *opt; (opt = strtok_r(NULL, ":", &save)) != NULL;) {
        if (strncmp(opt, "gil=", 4) == 0)
            s->gil_us = strtoll(opt + 4, NULL, 10);
        else if (strcmp(opt, "nosteal") == 0)
            s->nosteal = true;
        else if (strncmp(opt, "threads=", 8) == 0)
            s->threads = (unsigned)strtoul(opt + 8, NULL, 10);
        else
            return -1;
    }
    return 0;
}

static uint64_t mix_cost(uint64_t task, const void *arg)
{
    const int64_t *params = arg;
    return (uint64_t)params[0] + task; /* n + i */
}

/* The CPU time of one element now: 20 sums of n + i on this thread. */
static double ns_per_element(uint64_t n)
{
    volatile uint64_t sink = 0;
    double elements = 0;
    int64_t t0 = eb_now_ns();
    for (uint64_t i = 0; i < 20; i++) {
        sink += eb_sumsq(n + i);
        elements += (double)(n + i);
    }
    (void)sink;
    return (double)(eb_now_ns() - t0) / elements;
}

static int run_rounds(const char *workload, uint64_t tasks, const char *params_text, int rounds,
                      int nspecs, char **spec_text)
{
    const eb_workload *w = eb_workload_find(workload);
    int64_t params[EB_MAX_PARAMS];
    if (w == NULL || parse_params(w, params_text, params) != 0) {
        fprintf(stderr, "mix_measure: bad workload or params\n");
        return 2;
    }
    spec *specs = calloc((size_t)nspecs, sizeof *specs);
    for (int i = 0; i < nspecs; i++) {
        if (parse_spec(spec_text[i], &specs[i]) != 0) {
            fprintf(stderr, "mix_measure: bad spec %s\n", spec_text[i]);
            return 2;
        }
        specs[i].wall = calloc((size_t)rounds, sizeof(double));
        specs[i].ratio = calloc((size_t)rounds, sizeof(double));
        specs[i].ideal_ratio = calloc((size_t)rounds, sizeof(double));
        specs[i].cpu = calloc((size_t)rounds, sizeof(double));
    }
    bool mix = w->kind == EB_WORK_MIX;
    unsigned cores = 1;
    {
        eb_pin_plan *probe;
        char why[128];
        if (eb_pin_plan_create(topology, EB_PIN_COMPACT, NULL, 64, &probe, why, sizeof why) == 0) {
            cores = (unsigned)eb_pin_plan_cores(probe);
            free(probe);
        }
    }
    /* one warm-up of each, as the runner does */
    for (int i = 0; i < nspecs; i++) {
        eb_job_result out;
        if (run_job(w, tasks, params, &specs[i], &out, NULL) != 0) return 1;
    }
    for (int r = 0; r < rounds; r++) {
        double u = mix ? ns_per_element((uint64_t)params[0]) : 0;
        for (int k = 0; k < nspecs; k++) {
            spec *s = &specs[(r + k) % nspecs];
            eb_job_result out;
            int64_t p99 = 0;
            if (run_job(w, tasks, params, s, &out, &p99) != 0) return 1;
            s->wall[r] = (double)out.wall_ns;
            s->cpu[r] = (double)(out.cpu_user_ns + out.cpu_sys_ns);
            s->gil_handoffs += (double)out.gil.handoffs;
            s->gil_wait_ns += (double)out.gil.wait_ns;
            s->p99_sum += p99;
            if (mix) {
                bool one_thread = !s->e->parallel;
                unsigned threads = s->e->thread_per_core ? cores : s->workers;
                eb_mix_bound b;
                if (eb_mix_bound_compute(tasks, params[1] * 1000, u, mix_cost, params,
                                         strcmp(s->e->name, "sequential") == 0 ? 1 : s->workers,
                                         one_thread ? 1 : (threads ? threads : 1), cores, true,
                                         &b) == 0)
                    s->ideal_ratio[r] = (double)out.wall_ns / b.ns;
            }
        }
        for (int k = 0; k < nspecs; k++)
            specs[k].ratio[r] = specs[k].wall[r] / specs[0].wall[r];
        fprintf(stderr, "round %d/%d done\n", r + 1, rounds);
    }
    printf("%s tasks=%llu params=%s rounds=%d cores=%u\n", workload, (unsigned long long)tasks,
           params_text, rounds, cores);
    for (int i = 0; i < nspecs; i++) {
        spec *s = &specs[i];
        double lo = s->wall[0], hi = s->wall[0];
        for (int r = 1; r < rounds; r++) {
            lo = fmin(lo, s->wall[r]);
            hi = fmax(hi, s->wall[r]);
        }
        printf("  %-24s median %10.3f ms  [%.3f .. %.3f]  /%s %.4f", s->text,
               median(s->wall, (size_t)rounds) / 1e6, lo / 1e6, hi / 1e6, specs[0].text,
               median(s->ratio, (size_t)rounds));
        if (mix) printf("  /ideal %.4f", median(s->ideal_ratio, (size_t)rounds));
        if (s->gil_us > 0)
            printf("  gil: %.0f hand-offs, %.3f ms waiting per run", s->gil_handoffs / rounds,
                   s->gil_wait_ns / rounds / 1e6);
        printf("  p99 task %.3f ms  cpu %.3f ms\n", (double)s->p99_sum / rounds / 1e6,
               median(s->cpu, (size_t)rounds) / 1e6);
    }
    return 0;
}

/* ---- the convoy effect ------------------------------------------------------------ */

typedef struct cpu_hog {
    eb_gil *gil;
    _Atomic bool stop;
} cpu_hog;

static void *hog(void *raw)
{
    cpu_hog *h = raw;
    eb_gil_thread me;
    eb_gil_attach(h->gil, &me);
    volatile uint64_t sink = 0;
    while (!atomic_load(&h->stop))
        sink += eb_sumsq(100000);
    (void)sink;
    eb_gil_detach(&me);
    return NULL;
}

static int convoy(int64_t interval_us, int rounds, unsigned io_threads)
{
    const eb_workload *w = eb_workload_find("io.sleep");
    int64_t params[EB_MAX_PARAMS];
    parse_params(w, "latency_us=10000", params);
    double p50[2][64], p99[2][64], wall[2][64];
    if (rounds > 64) rounds = 64;
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
            int with_hog = (r + k) % 2;
            eb_gil_config c = {.interval_us = interval_us};
            eb_gil *gil;
            if (eb_gil_create(&c, &gil) != 0) return 1;
            cpu_hog h = {.gil = gil};
            pthread_t t;
            if (with_hog) pthread_create(&t, NULL, hog, &h);
            usleep(20000); /* the hog holds the GIL and computes */
            eb_job job;
            memset(&job, 0, sizeof job);
            job.workload = w;
            memcpy(job.params, params, sizeof job.params);
            job.tasks = 160;
            job.workers = io_threads;
            job.gil = gil;
            eb_job_alloc(&job);
            eb_job_result out;
            memset(&out, 0, sizeof out);
            if (eb_executor_find("threaded")->run(&job, &out) != 0) return 1;
            int64_t d[160];
            for (int i = 0; i < 160; i++)
                d[i] = job.task_end_ns[i] - job.task_start_ns[i];
            qsort(d, 160, sizeof *d, cmp_i64);
            p50[with_hog][r] = (double)d[79];
            p99[with_hog][r] = (double)d[158];
            wall[with_hog][r] = (double)out.wall_ns;
            eb_job_free(&job);
            atomic_store(&h.stop, true);
            if (with_hog) pthread_join(t, NULL);
            eb_gil_destroy(gil);
        }
    }
    for (int k = 0; k < 2; k++)
        printf("convoy interval_us=%lld io_threads=%u %-22s task p50 %.3f ms  p99 %.3f ms  wall "
               "%.3f ms (medians of %d)\n",
               (long long)interval_us, io_threads,
               k ? "beside a CPU thread:" : "alone:", median(p50[k], (size_t)rounds) / 1e6,
               median(p99[k], (size_t)rounds) / 1e6, median(wall[k], (size_t)rounds) / 1e6, rounds);
    return 0;
}

int main(int argc, char **argv)
{
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (eb_topology_load(&topology) != 0) return 1;
    if (argc >= 4 && strcmp(argv[1], "checkpoint") == 0)
        return checkpoint(atoi(argv[2]), strtoull(argv[3], NULL, 10));
    if (argc == 4 && strcmp(argv[1], "kernel") == 0) {
        uint64_t n = strtoull(argv[3], NULL, 10);
        uint64_t sum = strcmp(argv[2], "with") == 0 ? eb_sumsq(n) : eb_sumsq_unchecked(n);
        return eb_sumsq_verify(n, sum) ? 0 : 1;
    }
    if (argc >= 7 && strcmp(argv[1], "run") == 0)
        return run_rounds(argv[2], strtoull(argv[3], NULL, 10), argv[4], atoi(argv[5]), argc - 6,
                          argv + 6);
    if (argc >= 4 && strcmp(argv[1], "convoy") == 0)
        return convoy(strtoll(argv[2], NULL, 10), atoi(argv[3]),
                      argc > 4 ? (unsigned)atoi(argv[4]) : 160);
    fprintf(stderr, "mix_measure: see the comment at the top of tests/mix_measure.c\n");
    return 2;
}
