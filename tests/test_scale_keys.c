/* test_scale_keys.c — what a document says about coroutine stacks (issue 16),
 * from build/execbench itself: the mode a point named and the one its
 * coroutines ran with, what each repetition found kept from the runs before
 * it in its process (0: a cold start), the copy mode's figures, the up-front
 * memory estimate, and the context's sentences on cold runs and on what is
 * kept. */
#include "doc_check.h"
#include "eb_test.h"

#include <string.h>

/* the guarded stacks of a pool of 2,000 (scheduler.c): sanitizers' frames need more */
#ifdef EB_SANITIZE_BUILD
#define GUARDED_STACK (256 * 1024)
#else
#define GUARDED_STACK (64 * 1024)
#endif

static json_int_t int_at(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    EB_CHECKF(json_is_integer(v), "%s: %s is not an integer",
              json_string_value(json_object_get(row, "name")), key);
    return json_integer_value(v);
}

static const char *text_at(json_t *row, const char *key)
{
    const char *v = json_string_value(json_object_get(row, key));
    return v != NULL ? v : "";
}

/* --warmup 0: the first repetition is the process's first run and finds
 * nothing kept; the later ones find the stacks and timer entries of the
 * first. Each mode says itself, in the name, coro_stack and coro_stack_used. */
EB_TEST(each_repetition_says_what_it_found_kept_from_the_runs_before_it)
{
    const char *plan[] = {"--workload",
                          "io.sleep",
                          "--executor",
                          "coroutine",
                          "--workers",
                          "0",
                          "--tasks",
                          "2000",
                          "--coro-stack",
                          "separate,copy",
                          "--param",
                          "latency_us=20000",
                          "--warmup",
                          "0",
                          "--repetitions",
                          "3",
                          NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 2);
    const char *const modes[] = {"separate", "copy"};
    for (size_t m = 0; m < 2; m++) {
        char prefix[80];
        snprintf(prefix, sizeof prefix, "io.sleep/exec:coroutine/stack:%s/tasks:2000/", modes[m]);
        check_ok(doc, prefix, 3);
        json_t *rows[8];
        size_t n = doc_point_rows(doc, prefix, rows, 8);
        EB_REQUIRE(n == 7); /* 3 repetitions, 4 aggregates */
        for (size_t i = 0; i < 3; i++) {
            json_t *row = rows[i];
            EB_CHECK(strcmp(text_at(row, "coro_stack"), modes[m]) == 0);
            EB_CHECK(strcmp(text_at(row, "coro_stack_used"), modes[m]) == 0);
            json_int_t stacks = int_at(row, "coro_stacks_reused"),
                       timers = int_at(row, "coro_timers_reused");
            if (i == 0)
                EB_CHECKF(stacks == 0 && timers == 0,
                          "%s: the cold repetition found %lld stacks and %lld timers kept",
                          modes[m], (long long)stacks, (long long)timers);
            else
                EB_CHECKF(stacks >= 2000 && timers >= 2000,
                          "%s: warm repetition %zu found %lld stacks and %lld timers kept",
                          modes[m], i, (long long)stacks, (long long)timers);
            /* no warm-up: no cold_run_ns, the first repetition is the cold run */
            EB_CHECK(json_object_get(row, "cold_run_ns") == NULL);
            bool copy = m == 1;
            EB_CHECK(int_at(row, "coro_stack_bytes") == (copy ? 256 * 1024 : GUARDED_STACK));
            EB_CHECK((int_at(row, "coro_frames_max_bytes") > 0) == copy);
            EB_CHECK((int_at(row, "coro_copied_bytes") > 0) == copy);
            EB_CHECK((int_at(row, "coro_control_bytes") >= 2000 * 100) == copy);
            EB_CHECK((int_at(row, "coro_buffer_peak_bytes") >= 2000 * 64) == copy);
            EB_CHECK((int_at(row, "coro_arena_bytes") > 0) == copy);
            /* the up-front estimate, beside what was measured */
            EB_CHECK(int_at(row, "memory_estimate_bytes") > 0);
            EB_CHECK(int_at(row, "memory_need_bytes") > 0 && int_at(row, "memory_room_bytes") > 0);
            EB_CHECK(text_at(row, "memory_limit")[0] != '\0');
        }
    }
    json_t *cold = doc_execbench(doc, "cold_run_ns");
    json_t *kept = doc_execbench(doc, "coro_stacks_reused");
    EB_CHECK(json_is_string(cold) && strstr(json_string_value(cold), "first run") != NULL);
    EB_CHECK(json_is_string(kept) && strstr(json_string_value(kept), "0 is a cold start") != NULL);
    doc_run_end(&r);
}

/* A point of the default mode keeps its name and has no coro_stack; its
 * coroutines say the mode auto chose; a warm-up's point has cold_run_ns and
 * its repetitions find the warm-up's stacks; threads have no coro keys. */
EB_TEST(auto_is_unnamed_and_executors_without_coroutines_have_no_stack_keys)
{
    const char *plan[] = {
        "--workload",    "io.sleep", "--executor", "coroutine,threaded", "--workers", "4",
        "--tasks",       "8",        "--param",    "latency_us=10000",   "--warmup",  "1",
        "--repetitions", "2",        NULL};
    doc_run r;
    json_t *doc = doc_run_plan(&r, &(eb_sandbox){0}, plan, 0, 2);
    const char *coro = "io.sleep/exec:coroutine/tasks:8/workers:4/latency_us:10000/pin:compact/";
    check_ok(doc, coro, 2);
    json_t *rows[8];
    EB_REQUIRE(doc_point_rows(doc, coro, rows, 8) == 6);
    for (size_t i = 0; i < 2; i++) {
        EB_CHECK(json_object_get(rows[i], "coro_stack") == NULL);
        EB_CHECK(strcmp(text_at(rows[i], "coro_stack_used"), "separate") == 0);
        EB_CHECK(int_at(rows[i], "cold_run_ns") > 0);
        EB_CHECK(int_at(rows[i], "coro_stacks_reused") >= 4);
    }
    const char *threads = "io.sleep/exec:threaded/tasks:8/workers:4/";
    check_ok(doc, threads, 2);
    EB_REQUIRE(doc_point_rows(doc, threads, rows, 8) == 6);
    for (size_t i = 0; i < 6; i++) {
        EB_CHECK(json_object_get(rows[i], "coro_stack") == NULL);
        EB_CHECK(json_object_get(rows[i], "coro_stack_used") == NULL);
        EB_CHECK(json_object_get(rows[i], "coro_stacks_reused") == NULL);
        EB_CHECK(json_object_get(rows[i], "memory_estimate_bytes") != NULL);
    }
    doc_run_end(&r);
}
