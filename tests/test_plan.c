/* test_plan.c — the plan: names exactly as RESULTS-FORMAT.md writes them, the
 * cross product and its rules, the presets, the child's flags, strict numbers. */
#include "cli.h"
#include "eb_test.h"
#include "parse.h"
#include "plan.h"

#include <errno.h>

static eb_topology *topo;

static void build(eb_plan *plan, const eb_plan_block *block, int expect_rc)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    eb_plan_init(plan);
    char why[400] = "";
    int rc = eb_plan_add_block(plan, block, topo, NULL, why, sizeof why);
    EB_CHECKF(rc == expect_rc, "rc %d (%s)", rc, why);
}

static const eb_point *find(const eb_plan *plan, const char *name)
{
    for (size_t i = 0; i < plan->count; i++)
        if (strcmp(plan->points[i].name, name) == 0) return &plan->points[i];
    return NULL;
}

EB_TEST(names_are_those_of_the_results_format)
{
    eb_plan plan;
    eb_plan_block b = {.workloads = "io.sleep",
                       .executors = "coroutine",
                       .workers = "0",
                       .tasks = "160",
                       .pin = "compact"};
    build(&plan, &b, 0);
    EB_REQUIRE(plan.count == 1);
    EB_CHECKF(strcmp(plan.points[0].name,
                     "io.sleep/exec:coroutine/tasks:160/workers:0/latency_us:10000/pin:compact") ==
                  0,
              "%s", plan.points[0].name);
    eb_plan_free(&plan);

    /* other parameters appear only off their default; a cpuset names its list */
    const char *params[] = {"jitter_pct=5"};
    eb_plan_block c = {.workloads = "io.sleep",
                       .executors = "threaded",
                       .workers = "4",
                       .tasks = "8",
                       .cpuset = "0",
                       .params = params,
                       .param_count = 1};
    build(&plan, &c, 0);
    EB_REQUIRE(plan.count == 1);
    EB_CHECKF(strcmp(plan.points[0].name, "io.sleep/exec:threaded/tasks:8/workers:4/"
                                          "latency_us:10000/jitter_pct:5/pin:cpuset=0") == 0,
              "%s", plan.points[0].name);
    eb_plan_free(&plan);

    /* a stack mode other than auto is named after the executor; auto keeps
     * today's name; executors without coroutines get one point, unnamed */
    eb_plan_block d = {.workloads = "io.sleep",
                       .executors = "coroutine,threaded",
                       .workers = "4",
                       .tasks = "8",
                       .coro_stacks = "auto,copy,separate"};
    build(&plan, &d, 0);
    EB_CHECKF(plan.count == 4, "%zu points", plan.count);
    const eb_point *p =
        find(&plan, "io.sleep/exec:coroutine/tasks:8/workers:4/latency_us:10000/pin:compact");
    EB_CHECK(p != NULL && p->coro_stack == EB_JOB_CORO_STACK_AUTO);
    p = find(&plan,
             "io.sleep/exec:coroutine/stack:copy/tasks:8/workers:4/latency_us:10000/pin:compact");
    EB_CHECK(p != NULL && p->coro_stack == EB_CORO_STACK_COPY);
    p = find(&plan, "io.sleep/exec:coroutine/stack:separate/tasks:8/workers:4/latency_us:10000/"
                    "pin:compact");
    EB_CHECK(p != NULL && p->coro_stack == EB_CORO_STACK_SEPARATE);
    p = find(&plan, "io.sleep/exec:threaded/tasks:8/workers:4/latency_us:10000/pin:compact");
    EB_CHECK(p != NULL && p->coro_stack == EB_JOB_CORO_STACK_AUTO);
    eb_plan_free(&plan);

    /* an unknown mode names the flag and the modes */
    char why[400] = "";
    eb_plan_block e = {.workloads = "io.sleep", .executors = "coroutine", .coro_stacks = "cpy"};
    eb_plan_init(&plan);
    EB_CHECK(eb_plan_add_block(&plan, &e, topo, NULL, why, sizeof why) == -EINVAL);
    EB_CHECKF(strcmp(why, "--coro-stack: unknown mode 'cpy'; use auto, separate or copy") == 0,
              "%s", why);
    eb_plan_free(&plan);
}

EB_TEST(the_plan_is_the_cross_product_with_sequential_collapsed)
{
    const char *params[] = {"n=1000,2000", "latency_us=500"};
    eb_plan_block b = {.workloads = "cpu.sumsq,io.sleep",
                       .executors = "sequential,threaded",
                       .workers = "1,2,3",
                       .tasks = "4,8",
                       .pin = "compact,none",
                       .params = params,
                       .param_count = 2};
    eb_plan plan;
    build(&plan, &b, 0);
    /* per (workload, params, tasks, pin): 1 sequential + 3 threaded;
     * cpu.sumsq: 2 n values x 2 tasks x 2 pins; io.sleep: 1 x 2 x 2 */
    EB_CHECKF(plan.count == (8 + 4) * 4, "%zu points", plan.count);
    EB_CHECK(find(&plan, "cpu.sumsq/exec:sequential/tasks:8/workers:1/n:2000/pin:none") != NULL);
    EB_CHECK(find(&plan, "cpu.sumsq/exec:threaded/tasks:4/workers:3/n:1000/pin:compact") != NULL);
    EB_CHECK(find(&plan, "io.sleep/exec:threaded/tasks:8/workers:2/latency_us:500/pin:none") !=
             NULL);
    EB_CHECK(find(&plan, "cpu.sumsq/exec:sequential/tasks:4/workers:2/n:1000/pin:none") == NULL);
    const eb_point *p = find(&plan, "cpu.sumsq/exec:threaded/tasks:4/workers:3/n:1000/pin:compact");
    EB_REQUIRE(p != NULL);
    EB_CHECK(p->workers == 3 && p->tasks == 4 && p->params[0] == 1000 && p->pin == EB_PIN_COMPACT);
    eb_plan_free(&plan);
}

EB_TEST(auto_workers_and_defaults_resolve_per_executor)
{
    eb_topology_summary s;
    eb_plan plan;
    eb_plan_block b = {.workloads = NULL, .executors = NULL};
    build(&plan, &b, 0);
    eb_topology_summarize(topo, &s);
    /* every visible workload x every executor, each workload's default tasks */
    size_t visible = 0;
    for (size_t w = 0; w < eb_workload_count; w++)
        visible += !eb_workloads[w]->hidden;
    size_t in_all = 0; /* a named-only executor (mpi) is not in "all" */
    for (size_t e = 0; e < eb_executor_count; e++)
        in_all += !eb_executors[e]->named_only;
    EB_CHECKF(plan.count == visible * in_all, "%zu points", plan.count);
    for (size_t i = 0; i < plan.count; i++) {
        const eb_point *p = &plan.points[i];
        EB_CHECK(!p->workload->hidden);
        EB_CHECK(p->tasks == p->workload->default_tasks);
        EB_CHECK(p->pin == EB_PIN_COMPACT);
        if (strcmp(p->executor->name, "sequential") == 0)
            EB_CHECK(p->workers == 1);
        else if (p->executor->allows_unbounded)
            EB_CHECK(p->workers == 0);
        else
            EB_CHECK(p->workers == (unsigned)s.cores);
    }
    eb_plan_free(&plan);

    /* workers 0 is left out where it cannot mean "unbounded" */
    eb_plan_block c = {.workloads = "io.sleep", .executors = "threaded,coroutine", .workers = "0"};
    build(&plan, &c, 0);
    EB_CHECK(plan.count == 1 && strcmp(plan.points[0].executor->name, "coroutine") == 0);
    eb_plan_free(&plan);
    eb_plan_block d = {.workloads = "io.sleep", .executors = "threaded", .workers = "0"};
    build(&plan, &d, -EINVAL);
    eb_plan_free(&plan);
}

EB_TEST(presets_expand_without_hidden_workloads)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    for (size_t i = 0; i < eb_preset_count; i++) {
        eb_plan plan;
        eb_plan_init(&plan);
        char why[400] = "";
        int rc = eb_plan_add_preset(&plan, &eb_presets[i], false, topo, NULL, why, sizeof why);
        EB_CHECKF(rc == 0, "%s: %s", eb_presets[i].name, why);
        EB_CHECK(plan.count > 0 && strcmp(plan.preset, eb_presets[i].name) == 0);
        EB_CHECK(plan.settings.repetitions == eb_presets[i].repetitions);
        /* Every visible workload x every executor appears in the presets that
         * promise the whole matrix: quick (CI's smoke test of everything) and
         * default (make bench). seeds is the articles' experiment and
         * crossover one sweep: each is checked for what it promises below. */
        bool matrix =
            strcmp(eb_presets[i].name, "quick") == 0 || strcmp(eb_presets[i].name, "default") == 0;
        for (size_t w = 0; matrix && w < eb_workload_count; w++) {
            for (size_t e = 0; e < eb_executor_count; e++) {
                bool seen = false;
                for (size_t k = 0; k < plan.count; k++)
                    if (plan.points[k].workload == eb_workloads[w] &&
                        plan.points[k].executor == eb_executors[e])
                        seen = true;
                EB_CHECKF(seen == (!eb_workloads[w]->hidden && !eb_executors[e]->named_only),
                          "%s: %s x %s %s", eb_presets[i].name, eb_workloads[w]->name,
                          eb_executors[e]->name, seen ? "present" : "missing");
            }
        }
        if (strcmp(eb_presets[i].name, "default") == 0) {
            /* a workers sweep: threaded cpu.sumsq at 3+ worker counts */
            unsigned seen[8] = {0}, distinct = 0;
            for (size_t k = 0; k < plan.count; k++) {
                const eb_point *p = &plan.points[k];
                if (strcmp(p->workload->name, "cpu.sumsq") != 0 ||
                    strcmp(p->executor->name, "threaded") != 0)
                    continue;
                bool dup = false;
                for (unsigned j = 0; j < distinct; j++)
                    dup |= seen[j] == p->workers;
                if (!dup && distinct < 8) seen[distinct++] = p->workers;
            }
            EB_CHECKF(distinct >= 3, "default sweeps %u worker counts", distinct);
        }
        eb_plan_free(&plan);
    }
    EB_CHECK(eb_preset_find("quick") != NULL && eb_preset_find("nope") == NULL);
}

EB_TEST(a_preset_timeout_lengthens_the_default_but_never_a_given_timeout)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    const eb_preset *seeds = eb_preset_find("seeds");
    EB_REQUIRE(seeds != NULL && seeds->timeout_s >= 300); /* 4 x 40.8 s of 100 GETs in a loop */
    char *given[] = {"execbench", "--timeout", "7", NULL}, *none[] = {"execbench", NULL};
    for (int k = 0; k < 2; k++) {
        eb_plan plan;
        eb_plan_init(&plan);
        char why[400] = "";
        EB_REQUIRE(eb_settings_parse(k == 0 ? 1 : 3, k == 0 ? none : given, &plan.settings, why,
                                     sizeof why) == 0);
        EB_REQUIRE(eb_plan_add_preset(&plan, seeds, false, topo, NULL, why, sizeof why) == 0);
        int64_t want = k == 0 ? (int64_t)seeds->timeout_s * 1000000000 : INT64_C(7000000000);
        EB_CHECKF(plan.settings.timeout_ns == want, "%s: timeout %lld ns",
                  k == 0 ? "default" : "--timeout 7", (long long)plan.settings.timeout_ns);
        eb_plan_free(&plan);
    }
    /* quick keeps the default */
    EB_CHECK(eb_preset_find("quick")->timeout_s == 0);
}

/* Issue 16: io.sleep with every task in flight, coroutines of both stack
 * modes at 10^3..10^6 (copied stacks first at each count: README, Scale)
 * and 10^7 with copied stacks, threads at 10^2..10^4, processes at
 * 10..10^3; waits that every start fits inside. */
EB_TEST(the_scale_preset_sweeps_tasks_per_executor_and_stack_mode)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    const eb_preset *scale = eb_preset_find("scale");
    EB_REQUIRE(scale != NULL);
    eb_plan plan;
    eb_plan_init(&plan);
    char why[400] = "";
    EB_REQUIRE(eb_plan_add_preset(&plan, scale, false, topo, NULL, why, sizeof why) == 0);
    static const char *const want[] = {
        "io.sleep/exec:coroutine/stack:copy/tasks:1000/workers:0/latency_us:1000000/pin:compact",
        "io.sleep/exec:coroutine/stack:separate/tasks:1000/workers:0/latency_us:1000000/"
        "pin:compact",
        "io.sleep/exec:coroutine/stack:copy/tasks:10000/workers:0/latency_us:1000000/pin:compact",
        "io.sleep/exec:coroutine/stack:separate/tasks:10000/workers:0/latency_us:1000000/"
        "pin:compact",
        "io.sleep/exec:coroutine/stack:copy/tasks:100000/workers:0/latency_us:1000000/pin:compact",
        "io.sleep/exec:coroutine/stack:separate/tasks:100000/workers:0/latency_us:1000000/"
        "pin:compact",
        "io.sleep/exec:coroutine/stack:copy/tasks:1000000/workers:0/latency_us:1000000/pin:compact",
        "io.sleep/exec:coroutine/stack:separate/tasks:1000000/workers:0/latency_us:1000000/"
        "pin:compact",
        "io.sleep/exec:coroutine/stack:copy/tasks:10000000/workers:0/latency_us:5000000/"
        "pin:compact",
        "io.sleep/exec:threaded/tasks:100/workers:100/latency_us:1000000/pin:compact",
        "io.sleep/exec:threaded/tasks:1000/workers:1000/latency_us:1000000/pin:compact",
        "io.sleep/exec:threaded/tasks:10000/workers:10000/latency_us:1000000/pin:compact",
        "io.sleep/exec:multiprocess/tasks:10/workers:10/latency_us:1000000/pin:compact",
        "io.sleep/exec:multiprocess/tasks:100/workers:100/latency_us:1000000/pin:compact",
        "io.sleep/exec:multiprocess/tasks:1000/workers:1000/latency_us:1000000/pin:compact",
    };
    size_t n = sizeof want / sizeof *want;
    EB_CHECKF(plan.count == n, "%zu points, expected %zu", plan.count, n);
    for (size_t i = 0; i < n && i < plan.count; i++)
        EB_CHECKF(strcmp(plan.points[i].name, want[i]) == 0, "point %zu: %s", i,
                  plan.points[i].name);
    for (size_t i = 0; i < plan.count; i++) {
        /* every task in flight, each start within its wait */
        const eb_point *p = &plan.points[i];
        EB_CHECK(eb_point_in_flight(p) == p->tasks);
        int64_t wait_ns = 0;
        EB_CHECK(eb_point_wait_ideal_ns(p, &wait_ns) == wait_ns && wait_ns >= 1000000000);
    }
    EB_CHECK(plan.settings.repetitions == scale->repetitions && scale->repetitions >= 3);
    eb_plan_free(&plan);
}

EB_TEST(the_point_flags_rebuild_the_same_point)
{
    const char *params[] = {"latency_us=1234", "jitter_pct=7"};
    eb_plan_block b = {.workloads = "io.sleep",
                       .executors = "multiprocess",
                       .workers = "3",
                       .tasks = "17",
                       .cpuset = "0",
                       .params = params,
                       .param_count = 2};
    eb_plan plan;
    build(&plan, &b, 0);
    EB_REQUIRE(plan.count == 1);
    plan.settings.repetitions = 4;
    plan.settings.seed = 99;
    plan.settings.coro_backend = EB_CORO_UCONTEXT;
    char **argv = eb_point_args("execbench", &plan.points[0], &plan.settings);
    EB_REQUIRE(argv != NULL);
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    eb_cli cli;
    char why[400];
    EB_REQUIRE(eb_cli_parse(argc, argv, &cli, why, sizeof why) == 0);
    EB_CHECK(cli.settings.point && cli.settings.repetitions == 4 && cli.settings.seed == 99 &&
             cli.settings.coro_backend == EB_CORO_UCONTEXT);
    eb_plan again;
    build(&again, &cli.block, 0);
    EB_REQUIRE(again.count == 1);
    EB_CHECKF(strcmp(again.points[0].name, plan.points[0].name) == 0, "%s vs %s",
              again.points[0].name, plan.points[0].name);
    EB_CHECK(memcmp(again.points[0].params, plan.points[0].params, sizeof again.points[0].params) ==
             0);
    eb_plan_free(&again);
    eb_point_args_free(argv);
    eb_plan_free(&plan);

    /* --coro-stack reaches the point process's point, and its job */
    eb_plan_block c = {
        .workloads = "io.sleep", .executors = "coroutine", .tasks = "5", .coro_stacks = "copy"};
    build(&plan, &c, 0);
    EB_REQUIRE(plan.count == 1);
    argv = eb_point_args("execbench", &plan.points[0], &plan.settings);
    EB_REQUIRE(argv != NULL);
    for (argc = 0; argv[argc] != NULL;)
        argc++;
    EB_REQUIRE(eb_cli_parse(argc, argv, &cli, why, sizeof why) == 0);
    build(&again, &cli.block, 0);
    EB_REQUIRE(again.count == 1);
    EB_CHECKF(strcmp(again.points[0].name, plan.points[0].name) == 0, "%s vs %s",
              again.points[0].name, plan.points[0].name);
    eb_job job;
    eb_point_job(&again.points[0], &job);
    EB_CHECK(again.points[0].coro_stack == EB_CORO_STACK_COPY &&
             job.coro_stack == EB_CORO_STACK_COPY);
    eb_plan_free(&again);
    eb_point_args_free(argv);
    eb_plan_free(&plan);
}

EB_TEST(numbers_are_parsed_strictly)
{
    int64_t v = 0;
    EB_CHECK(eb_parse_i64("42", 0, 100, &v) == 0 && v == 42);
    EB_CHECK(eb_parse_i64("-7", -10, 10, &v) == 0 && v == -7);
    EB_CHECK(eb_parse_i64("", 0, 100, &v) == -EINVAL);
    EB_CHECK(eb_parse_i64("12abc", 0, 100, &v) == -EINVAL);
    EB_CHECK(eb_parse_i64(" 12", 0, 100, &v) == -EINVAL);
    EB_CHECK(eb_parse_i64("1e3", 0, 10000, &v) == -EINVAL);
    EB_CHECK(eb_parse_i64("0x10", 0, 100, &v) == -EINVAL);
    EB_CHECK(eb_parse_i64("101", 0, 100, &v) == -ERANGE);
    EB_CHECK(eb_parse_i64("99999999999999999999", 0, INT64_MAX, &v) == -ERANGE);
    EB_CHECK(eb_parse_i64("-99999999999999999999", INT64_MIN, 0, &v) == -ERANGE);
    int64_t ns = 0;
    EB_CHECK(eb_parse_seconds("0.5", 10, &ns) == 0 && ns == 500000000);
    EB_CHECK(eb_parse_seconds("120", 1000, &ns) == 0 && ns == INT64_C(120000000000));
    EB_CHECK(eb_parse_seconds("0", 10, &ns) == -ERANGE);
    EB_CHECK(eb_parse_seconds("11", 10, &ns) == -ERANGE);
    EB_CHECK(eb_parse_seconds("nan", 10, &ns) == -EINVAL);
    EB_CHECK(eb_parse_seconds("1e1", 100, &ns) == -EINVAL);
    EB_CHECK(eb_parse_seconds("1..2", 10, &ns) == -EINVAL);
    EB_CHECK(eb_parse_seconds(".", 10, &ns) == -EINVAL);
    char list[] = "a,b,c";
    char *items[4];
    EB_CHECK(eb_split_list(list, items, 4) == 3 && strcmp(items[2], "c") == 0);
    char empty[] = "a,,b";
    EB_CHECK(eb_split_list(empty, items, 4) == -EINVAL);
    char many[] = "1,2,3,4,5";
    EB_CHECK(eb_split_list(many, items, 4) == -E2BIG);
}

/* An mpi point's tasks in flight are its ranks' (issue 18): 2 ranks of an
 * unbounded coroutine executor hold every task at once, 2 ranks of 3 threads
 * hold 6, 2 sequential ranks 2; the rank's executor is in the name, but for
 * the default (sequential), so its points keep their names. */
EB_TEST(an_mpi_point_counts_its_ranks_executors_in_flight)
{
    eb_point p;
    memset(&p, 0, sizeof p);
    p.workload = eb_workload_find("io.sleep");
    p.executor = eb_executor_find("mpi");
    EB_REQUIRE(p.workload != NULL && p.executor != NULL && p.executor->ranks);
    p.pin = eb_pin_policy_find("compact");
    EB_REQUIRE(p.pin != NULL);
    p.tasks = 160;
    p.workers = 2;
    p.params[0] = 10000;
    p.rank_executor = eb_executor_find("coroutine");
    p.rank_workers = 0;
    EB_CHECK(eb_point_in_flight(&p) == 160);
    eb_point_format_name(&p);
    EB_CHECKF(strstr(p.name, "/exec:mpi/rank:coroutine:0/") != NULL, "%s", p.name);
    p.rank_executor = eb_executor_find("threaded");
    p.rank_workers = 3;
    EB_CHECK(eb_point_in_flight(&p) == 6);
    p.rank_executor = eb_executor_find("sequential");
    p.rank_workers = 1;
    EB_CHECK(eb_point_in_flight(&p) == 2);
    eb_point_format_name(&p);
    EB_CHECKF(strstr(p.name, "/rank:") == NULL, "%s", p.name);
}
