/* rounds.c — see rounds.h: the groups, the waves, the warm-up and the
 * schedule of rounds with its stopping rule. */
#include "rounds_state.h"

#include "child.h"
#include "interrupt.h"
#include "protocol.h"
#include "stats.h"
#include "wait.h"

#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* How long a point process may take to leave once its command pipe ends. */
#define STOP_GRACE_NS INT64_C(2000000000)

void eb_rounds_order(uint64_t seed, int64_t round, size_t group, size_t n, size_t *out)
{
    /* a stream of its own for every (round, group), from the seed alone */
    uint64_t state = seed ^ ((uint64_t)round * UINT64_C(0x9E3779B97F4A7C15)) ^
                     ((uint64_t)group * UINT64_C(0xC2B2AE3D27D4EB4F));
    eb_stats_splitmix64(&state);
    for (size_t i = 0; i < n; i++)
        out[i] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)(eb_stats_splitmix64(&state) % i);
        size_t t = out[i - 1];
        out[i - 1] = out[j];
        out[j] = t;
    }
}

static bool same_group(const eb_point *a, const eb_point *b)
{
    return a->workload == b->workload && a->tasks == b->tasks &&
           memcmp(a->params, b->params, sizeof a->params) == 0;
}

/* "cpu.sumsq/tasks:20/n:5000000": what the group's points share. */
static void group_name(const eb_point *p, char *buf, size_t len)
{
    int used = snprintf(buf, len, "%s/tasks:%" PRIu64, p->workload->name, p->tasks);
    for (size_t i = 0; i < p->workload->param_count && used > 0 && (size_t)used < len; i++)
        used += snprintf(buf + used, len - (size_t)used, "/%s:%" PRId64, p->workload->params[i].key,
                         p->params[i]);
}

static void add_pu(rgroup *g, int pu)
{
    for (size_t i = 0; i < g->pu_count; i++)
        if (g->pus[i] == pu) return;
    if (g->pu_count < sizeof g->pus / sizeof *g->pus) g->pus[g->pu_count++] = pu;
}

/* The CPUs a point may run on: its pin plan's, or all of this process's. */
static void add_point_pus(rgroup *g, const eb_point *p, const eb_topology *topo)
{
    eb_pin_plan *pin = NULL;
    char why[160];
    if (p->pin->pins && eb_pin_plan_create(topo, p->pin, p->pin->from_list ? p->cpuset : NULL,
                                           p->workers, &pin, why, sizeof why) == 0) {
        unsigned workers = p->workers > 0 ? p->workers : 1;
        for (unsigned w = 0; w < workers && w < pin->count; w++)
            add_pu(g, pin->pu_os_index[w]);
        free(pin);
        return;
    }
    free(pin);
    cpu_set_t mine;
    if (sched_getaffinity(0, sizeof mine, &mine) != 0) return;
    for (size_t c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &mine)) add_pu(g, (int)c);
}

static int build_groups(rounds_run *r, const eb_topology *topo)
{
    const eb_plan *plan = r->plan;
    r->groups = calloc(plan->count ? plan->count : 1, sizeof *r->groups);
    if (r->groups == NULL) return -1;
    for (size_t i = 0; i < plan->count; i++) {
        rpoint *p = &r->points[i];
        p->point = &plan->points[i];
        p->index = i;
        p->wait_ideal_ns = -1;
        if (p->point->workload->kind == EB_WORK_WAIT) {
            int64_t wait;
            p->wait_ideal_ns = eb_point_wait_ideal_ns(p->point, &wait);
        }
        rgroup *g = NULL;
        for (size_t k = 0; k < r->group_count && g == NULL; k++)
            if (same_group(r->groups[k].pts[0]->point, p->point)) g = &r->groups[k];
        if (g == NULL) {
            g = &r->groups[r->group_count];
            g->index = r->group_count++;
            g->pts = calloc(plan->count, sizeof *g->pts);
            if (g->pts == NULL) return -1;
            group_name(p->point, g->name, sizeof g->name);
        }
        g->pts[g->n++] = p;
        if (g->ref == NULL && p->point->executor->reference) g->ref = p;
        add_point_pus(g, p->point, topo);
    }
    return 0;
}

void eb_rounds_fail(rpoint *p, const char *message)
{
    p->failed = true;
    snprintf(p->error, sizeof p->error, "%s", message);
    eb_served_stop(&p->served, 0);
}

/* Starts the point's process and warms it up; false when it failed. */
static bool warm_up(rounds_run *r, rpoint *p, size_t shown, size_t total)
{
    char message[1500], position[48];
    snprintf(position, sizeof position, "[%zu/%zu]", shown + 1, total);
    r->progress->position = position;
    eb_progress_start(r->progress, shown, p->point->name);
    /* Up front: a point that cannot fit is refused with its estimate, never
     * started to be killed halfway (point_memory.h), as in a blocked run. */
    eb_point_memory_check(p->point, r->s, &p->memory);
    if (!p->memory.verdict.fits) {
        p->failed = true;
        snprintf(p->error, sizeof p->error, "refused before it started: %s", p->memory.text);
        eb_progress_done(r->progress, false, p->error);
        r->progress->position = NULL;
        return false;
    }
    char **args = eb_point_args(r->self, p->point, r->s);
    if (args == NULL) {
        eb_rounds_fail(p, "out of memory building the point's command line");
        eb_progress_done(r->progress, false, p->error);
        r->progress->position = NULL;
        return false;
    }
    int rc = eb_served_start(&p->served, r->exe, args);
    eb_point_args_free(args);
    p->started = rc == 0;
    const char *reply = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = eb_served_call(&p->served, EB_COMMAND_WARMUP, r->s->timeout_ns, eb_progress_tick,
                            r->progress, &reply, &len);
    if (rc != 0 && p->served.result.interrupted != 0) {
        /* cut short, not failed: a point without a kept round is left out */
        r->interrupted = p->served.result.interrupted;
    } else if (rc != 0) {
        eb_child_describe(&p->served.result, r->s->timeout_ns, "point process", message,
                          sizeof message);
        eb_rounds_fail(p, message);
    } else if (strncmp(reply, "error ", 6) == 0) {
        eb_rounds_fail(p, reply + 6);
    } else if (strcmp(reply, "ok") != 0) {
        snprintf(message, sizeof message, "point process answered '%.200s' to its warm-up", reply);
        eb_rounds_fail(p, message);
    }
    if (r->interrupted == 0)
        eb_progress_done(r->progress, !p->failed, p->failed ? p->error : "warmed up");
    r->progress->position = NULL;
    return !p->failed;
}

/* Whether group g is done after its latest sub-round; sets stopped_by. */
static bool finished(rounds_run *r, rgroup *g)
{
    const eb_settings *s = r->s;
    bool budget_spent = eb_now_ns() - r->start_ns >= s->rounds.time_budget_ns;
    size_t alive = 0;
    for (size_t i = 0; i < g->n; i++)
        alive += !g->pts[i]->failed;
    if (alive == 0) {
        g->stopped_by = "failed";
        return true;
    }
    if (g->kept < (size_t)s->repetitions) return false;
    double widest = s->rounds.target_ci > 0 ? eb_rounds_widest(r, g) : -1.0;
    if (s->rounds.target_ci == 0 || widest < 0) {
        g->stopped_by = "repetitions";
    } else if (widest <= (double)s->rounds.target_ci / 10000.0) {
        g->stopped_by = "target";
    } else if (g->kept >= (size_t)s->rounds.max_rounds) {
        g->stopped_by = "max-rounds";
    } else if (budget_spent) {
        g->stopped_by = "time-budget";
    } else {
        return false;
    }
    return true;
}

/* Rounds over the groups [first, last) until each is done. */
static void run_wave(rounds_run *r, size_t first, size_t last, int64_t *round)
{
    size_t n = last - first;
    size_t *order = calloc(n ? n : 1, sizeof *order);
    if (order == NULL) return;
    for (bool any = true; any && r->interrupted == 0; (*round)++) {
        any = false;
        eb_rounds_order((uint64_t)r->s->seed, *round, EB_ROUNDS_GROUP_ORDER, n, order);
        for (size_t k = 0; k < n && r->interrupted == 0; k++) {
            rgroup *g = &r->groups[first + order[k]];
            if (g->done) continue;
            if ((r->interrupted = eb_interrupted()) != 0) break;
            r->interrupted = eb_rounds_step(r, g, *round);
            g->done = finished(r, g);
            any |= !g->done;
        }
    }
    free(order);
}

static void stop_points(rounds_run *r, size_t first, size_t last)
{
    for (size_t k = first; k < last; k++)
        for (size_t i = 0; i < r->groups[k].n; i++) {
            rpoint *p = r->groups[k].pts[i];
            if (p->started) eb_served_stop(&p->served, STOP_GRACE_NS);
        }
    eb_child_reap_orphans(0);
}

size_t eb_rounds_run(eb_doc *doc, const eb_plan *plan, const eb_topology *topo, const char *exe,
                     const char *self, int64_t run_start_ns, eb_progress *progress,
                     int *interrupted)
{
    rounds_run r = {.doc = doc,
                    .plan = plan,
                    .s = &plan->settings,
                    .exe = exe,
                    .self = self,
                    .progress = progress,
                    .start_ns = run_start_ns};
    r.points = calloc(plan->count ? plan->count : 1, sizeof *r.points);
    size_t written = 0;
    /* every point of a wave alive at once holds five pipes here: the soft
     * limit on open files goes up to the hard one */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    if (r.points == NULL || build_groups(&r, topo) != 0) {
        fprintf(stderr, "execbench: out of memory planning the rounds\n");
        goto out;
    }
    int64_t round = 0;
    size_t warmed = 0;
    for (size_t first = 0; first < r.group_count && r.interrupted == 0;) {
        /* a wave: whole groups, as many points as may be alive at once */
        size_t last = first, alive = 0;
        while (last < r.group_count &&
               (last == first || alive + r.groups[last].n <= EB_ROUNDS_MAX_ALIVE))
            alive += r.groups[last++].n;
        for (size_t k = first; k < last && r.interrupted == 0; k++)
            for (size_t i = 0; i < r.groups[k].n && r.interrupted == 0; i++)
                warm_up(&r, r.groups[k].pts[i], warmed++, plan->count);
        if (!r.probing && r.groups[first].pu_count > 0)
            r.probing = eb_probe_calibrate(&r.probe, r.groups[first].pus[0]) == 0;
        if (r.interrupted == 0) run_wave(&r, first, last, &round);
        stop_points(&r, first, last);
        first = last;
    }
    written = eb_rounds_document(&r);
out:
    for (size_t k = 0; k < r.group_count; k++)
        free(r.groups[k].pts);
    free(r.groups);
    for (size_t i = 0; r.points != NULL && i < plan->count; i++) {
        rpoint *p = &r.points[i];
        eb_served_free(&p->served);
        for (size_t k = 0; k < p->kept_n; k++)
            eb_results_free(&p->kept[k]);
        eb_results_free(&p->error_part);
        free(p->kept);
        free(p->meta);
        free(p->times);
    }
    free(r.points);
    *interrupted = r.interrupted;
    return written;
}
