/* test_merge.c — the parent's merge on fixture child documents
 * (tests/fixtures/): family_index renumbered per point, aggregates kept,
 * error rows well-formed, libbenchmark's bare NaN tolerated, unusable output
 * refused with a precise reason; the ideals; the point process's enrichment;
 * the table; the atomic write. */
#include "eb_test.h"
#include "execbench_process.h"
#include "ideal.h"
#include "merge.h"
#include "output.h"
#include "point.h"
#include "run.h"

#include <errno.h>
#include <dirent.h>
#include <math.h>

static eb_topology *topo;

static char *fixture(const char *name, size_t *len)
{
    const char *src = getenv("EB_SOURCE_DIR");
    EB_REQUIRE(src != NULL);
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", src, name);
    FILE *f = fopen(path, "r");
    EB_REQUIRE(f != NULL);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = calloc(1, (size_t)size + 1);
    EB_REQUIRE(text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return text;
}

/* The plan the fixtures were written for: cpu.sumsq, 20 tasks, default n,
 * sequential / threaded 2 / multiprocess 2, pinned compact. */
static void fixture_plan(eb_plan *plan)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    eb_plan_init(plan);
    plan->settings.repetitions = 3;
    eb_plan_block b = {.workloads = "cpu.sumsq",
                       .executors = "sequential,threaded,multiprocess",
                       .workers = "2",
                       .tasks = "20"};
    char why[400];
    EB_REQUIRE(eb_plan_add_block(plan, &b, topo, NULL, why, sizeof why) == 0);
    EB_REQUIRE(plan->count == 3);
}

/* The document as JSON, for looking at what it would write. */
static json_t *eb_doc_rows(eb_doc *doc)
{
    return json_object_get(doc->results.root, "benchmarks");
}

static json_t *eb_doc_context(eb_doc *doc)
{
    return json_object_get(doc->results.root, "context");
}

static json_t *eb_doc_execbench(eb_doc *doc)
{
    return json_object_get(eb_doc_context(doc), "execbench");
}

static char *table_of(eb_doc *doc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    EB_REQUIRE(f != NULL);
    eb_run_table(f, &doc->results);
    fclose(f);
    return text;
}

static const char *str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s != NULL ? s : "";
}

static size_t rows_named(json_t *rows, const char *run_name, json_int_t family)
{
    size_t n = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(str(row, "run_name"), run_name) != 0) continue;
        EB_CHECKF(json_integer_value(json_object_get(row, "family_index")) == family,
                  "%s: family_index %lld, expected %lld", run_name,
                  (long long)json_integer_value(json_object_get(row, "family_index")),
                  (long long)family);
        n++;
    }
    return n;
}

/* The doc of the fixtures: sequential, threaded (both family 0 in their own
 * files), the failed multiprocess point, then micro rows. */
static void merged(eb_doc *doc, eb_plan *plan)
{
    fixture_plan(plan);
    EB_REQUIRE(eb_doc_init(doc, "test.json") == 0);
    const char *files[] = {"point_sequential.json", "point_threaded.json", "point_failed.json"};
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *text = fixture(files[i], &len), why[400] = "";
        EB_CHECKF(eb_doc_add_point(doc, &plan->points[i], text, len, why, sizeof why) == 0,
                  "%s: %s", files[i], why);
        free(text);
    }
    size_t len;
    char *text = fixture("micro.json", &len), why[400] = "";
    EB_CHECKF(eb_doc_add_foreign(doc, text, len, "micro.", why, sizeof why) == 0, "%s", why);
    free(text);
}

EB_TEST(merge_renumbers_families_and_keeps_aggregates)
{
    eb_doc doc;
    eb_plan plan;
    merged(&doc, &plan);
    json_t *rows = eb_doc_rows(&doc);
    char name[400];
    for (size_t i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s/manual_time", plan.points[i].name);
        /* 3 repetitions + mean, median, stddev, cv: all kept, one family each */
        EB_CHECKF(rows_named(rows, name, (json_int_t)i) == 7, "%s", name);
    }
    snprintf(name, sizeof name, "%s/manual_time", plan.points[2].name);
    EB_CHECK(rows_named(rows, name, 2) == 1);
    /* micro families continue the numbering; a name without micro. gets it */
    EB_CHECK(rows_named(rows, "micro.kernel/sumsq/n:1024", 3) == 2);
    EB_CHECK(rows_named(rows, "micro.kernel/other", 4) == 2);
    EB_CHECK(doc.families == 5 && doc.points == 3 && doc.failed == 1);

    /* structured keys from the plan, on every point row */
    json_t *row = json_array_get(rows, 8);
    EB_CHECK(strcmp(str(row, "executor"), "threaded") == 0);
    EB_CHECK(json_integer_value(json_object_get(row, "workers")) == 2);
    EB_CHECK(json_integer_value(json_object_get(row, "tasks")) == 20);
    EB_CHECK(strcmp(str(row, "pin"), "compact") == 0);
    EB_CHECK(json_integer_value(json_object_get(json_object_get(row, "params"), "n")) == 5000000);
    /* the NaN libbenchmark printed for a cv of zeros became 0.0; -Infinity null */
    json_t *cv = json_array_get(rows, 6);
    EB_CHECK(strcmp(str(cv, "aggregate_name"), "cv") == 0);
    EB_CHECK(json_is_real(json_object_get(cv, "spawn_ns")) &&
             json_real_value(json_object_get(cv, "spawn_ns")) == 0.0);
    json_t *micro_cv = json_array_get(rows, json_array_size(rows) - 1);
    EB_CHECK(json_is_null(json_object_get(micro_cv, "rate")));
    /* the context: libbenchmark's keys from the first point; our key moved */
    json_t *ctx = eb_doc_context(&doc);
    EB_CHECK(strcmp(str(ctx, "host_name"), "fixture") == 0);
    EB_CHECK(json_object_get(ctx, "execbench_timer_slack_ns") == NULL);
    EB_CHECK(json_integer_value(json_object_get(eb_doc_execbench(&doc), "timer_slack_ns")) == 1);
    double median;
    EB_CHECK(eb_doc_point_median_ns(&doc, &plan.points[0], &median) && median == 40.0e6);
    EB_CHECK(!eb_doc_point_median_ns(&doc, &plan.points[2], &median));
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

EB_TEST(error_rows_are_well_formed)
{
    eb_plan plan;
    fixture_plan(&plan);
    eb_doc doc;
    EB_REQUIRE(eb_doc_init(&doc, "test.json") == 0);
    eb_doc_add_error(&doc, &plan.points[1], &plan.settings, "timed out after 2 s");
    eb_doc_add_named_error(&doc, "micro/execbench-micro", "execbench-micro not found");
    json_t *row = json_array_get(eb_doc_rows(&doc), 0);
    char name[400];
    snprintf(name, sizeof name, "%s/manual_time", plan.points[1].name);
    EB_CHECK(strcmp(str(row, "name"), name) == 0 && strcmp(str(row, "run_name"), name) == 0);
    EB_CHECK(json_is_true(json_object_get(row, "error_occurred")));
    EB_CHECK(strcmp(str(row, "error_message"), "timed out after 2 s") == 0);
    EB_CHECK(strcmp(str(row, "run_type"), "iteration") == 0);
    EB_CHECK(json_is_integer(json_object_get(row, "iterations")));
    EB_CHECK(json_is_number(json_object_get(row, "real_time")));
    EB_CHECK(json_is_number(json_object_get(row, "cpu_time")));
    EB_CHECK(strcmp(str(row, "time_unit"), "ms") == 0);
    EB_CHECK(json_integer_value(json_object_get(row, "repetitions")) == 3);
    EB_CHECK(strcmp(str(row, "workload"), "cpu.sumsq") == 0 &&
             strcmp(str(row, "executor"), "threaded") == 0);
    json_t *micro = json_array_get(eb_doc_rows(&doc), 1);
    EB_CHECK(json_integer_value(json_object_get(micro, "family_index")) == 1);
    /* the micro step's row is no point: counted apart */
    EB_CHECK(doc.failed == 1 && doc.points == 1 && doc.others_failed == 1);
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

EB_TEST(unusable_output_is_refused_with_the_reason)
{
    eb_plan plan;
    fixture_plan(&plan);
    eb_doc doc;
    EB_REQUIRE(eb_doc_init(&doc, "test.json") == 0);
    size_t len;
    char *good = fixture("point_sequential.json", &len);
    static const struct {
        const char *text;
        const char *says;
    } cases[] = {
        {"", "printed nothing"},
        {"{\"context\": {}, \"benchmarks\": [", "printed invalid JSON: line 1 column"},
        {"garbage", "printed invalid JSON"},
        {"{\"context\": {}, \"benchmarks\": []}",
         "printed an unusable report: \"benchmarks\" is empty"},
        {"[1, 2]", "not a results document"},
        {"{\"context\": {}, \"benchmarks\": [{\"name\": \"cpu.sumsq/exec:sequential/tasks:20/"
         "workers:1/n:5000000/pin:compact/manual_time\", \"run_type\": \"iteration\", "
         "\"iterations\": 1, \"cpu_time\": 1.0, \"time_unit\": \"ms\"}]}",
         "printed an unusable report: benchmarks[0] (\"cpu.sumsq/exec:sequential/tasks:20/"
         "workers:1/n:5000000/pin:compact/manual_time\"): no \"real_time\" (a number)"},
        {"{\"context\": {}, \"benchmarks\": [{\"name\": \"other/manual_time\", \"run_type\": "
         "\"iteration\", \"iterations\": 1, \"real_time\": 1.0, \"cpu_time\": 1.0, "
         "\"time_unit\": \"ms\"}]}",
         "reported a row named 'other/manual_time'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char why[400] = "";
        EB_CHECK(eb_doc_add_point(&doc, &plan.points[0], cases[i].text, strlen(cases[i].text), why,
                                  sizeof why) == -EINVAL);
        EB_CHECKF(strstr(why, cases[i].says) != NULL, "case %zu: %s", i, why);
    }
    /* truncated: a point killed halfway through printing */
    char why[400] = "";
    EB_CHECK(eb_doc_add_point(&doc, &plan.points[0], good, len / 2, why, sizeof why) == -EINVAL);
    EB_CHECKF(strstr(why, "invalid JSON") != NULL, "%s", why);
    EB_CHECK(json_array_size(eb_doc_rows(&doc)) == 0 && doc.families == 0);
    free(good);
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

EB_TEST(ideals_come_from_the_sequential_median)
{
    eb_doc doc;
    eb_plan plan;
    merged(&doc, &plan);
    eb_doc_set_ideals(&doc, &plan, topo);
    json_t *rows = eb_doc_rows(&doc);
    eb_pin_plan *pin;
    char why[200];
    EB_REQUIRE(eb_pin_plan_create(topo, EB_PIN_COMPACT, NULL, 2, &pin, why, sizeof why) == 0);
    int cores = eb_pin_plan_cores(pin);
    free(pin);
    json_int_t want_threaded = (json_int_t)(40.0e6 / (cores < 2 ? cores : 2));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *executor = str(row, "executor");
        if (strcmp(executor, "sequential") == 0)
            EB_CHECK(json_integer_value(json_object_get(row, "ideal_ns")) == 40000000);
        if (strcmp(executor, "threaded") == 0) {
            EB_CHECKF(json_integer_value(json_object_get(row, "ideal_ns")) == want_threaded, "%lld",
                      (long long)json_integer_value(json_object_get(row, "ideal_ns")));
            EB_CHECK(strstr(str(row, "ideal_basis"), "sequential median 40.000 ms") != NULL);
        }
        if (strcmp(executor, "multiprocess") == 0) /* an error row has no ideal */
            EB_CHECK(json_object_get(row, "ideal_ns") == NULL);
    }
    eb_doc_free(&doc);

    /* without its sequential point, a CPU point gets no ideal, and says why */
    EB_REQUIRE(eb_doc_init(&doc, "test.json") == 0);
    size_t len;
    char *text = fixture("point_threaded.json", &len);
    EB_REQUIRE(eb_doc_add_point(&doc, &plan.points[1], text, len, why, sizeof why) == 0);
    free(text);
    eb_plan only;
    eb_plan_init(&only);
    only.points = &plan.points[1];
    only.count = 1;
    eb_doc_set_ideals(&doc, &only, topo);
    json_array_foreach(eb_doc_rows(&doc), i, row)
    {
        EB_CHECK(json_object_get(row, "ideal_ns") == NULL);
        EB_CHECK(strncmp(str(row, "ideal_basis"), "none: no sequential point", 25) == 0);
    }
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

/* text with every "tasks:20" made "tasks:<tasks>" (the fixtures' 20 tasks) */
static char *with_tasks(const char *text, unsigned tasks, size_t *len)
{
    char to[32];
    snprintf(to, sizeof to, "tasks:%u", tasks);
    size_t count = 0;
    for (const char *at = text; (at = strstr(at, "tasks:20")) != NULL; at += 8)
        count++;
    char *out = malloc(strlen(text) + count * strlen(to) + 1), *o = out;
    EB_REQUIRE(out != NULL);
    for (const char *at = text, *hit; *at; at = hit + 8) {
        hit = strstr(at, "tasks:20");
        if (hit == NULL) hit = at + strlen(at);
        memcpy(o, at, (size_t)(hit - at));
        o += hit - at;
        if (*hit == '\0') break;
        o += sprintf(o, "%s", to);
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

EB_TEST(ideals_schedule_whole_tasks)
{
    /* One sum on 2 workers cannot be split: its ideal is the whole sequential
     * time. Three sums of n, n + 1, n + 2 on 2 workers: the best schedule
     * gives one worker two of them, 2n + 1 of the 3n + 3 elements. */
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    eb_plan plan;
    eb_plan_init(&plan);
    plan.settings.repetitions = 3;
    eb_plan_block b = {.workloads = "cpu.sumsq",
                       .executors = "sequential,threaded",
                       .workers = "2",
                       .tasks = "1,3"};
    char why[400];
    EB_REQUIRE(eb_plan_add_block(&plan, &b, topo, NULL, why, sizeof why) == 0);
    EB_REQUIRE(plan.count == 4);
    eb_doc doc;
    EB_REQUIRE(eb_doc_init(&doc, "test.json") == 0);
    size_t len;
    char *seq = fixture("point_sequential.json", &len), *thr = fixture("point_threaded.json", &len);
    for (size_t i = 0; i < plan.count; i++) {
        const eb_point *p = &plan.points[i];
        bool sequential = strcmp(p->executor->name, "sequential") == 0;
        char *text = with_tasks(sequential ? seq : thr, (unsigned)p->tasks, &len);
        EB_REQUIRE(eb_doc_add_point(&doc, p, text, len, why, sizeof why) == 0);
        free(text);
    }
    free(seq);
    free(thr);
    eb_doc_set_ideals(&doc, &plan, topo);

    eb_pin_plan *pin;
    EB_REQUIRE(eb_pin_plan_create(topo, EB_PIN_COMPACT, NULL, 2, &pin, why, sizeof why) == 0);
    int cores = eb_pin_plan_cores(pin);
    free(pin);
    const double n = 5000000, median = 40e6; /* the fixture's default n and median */
    size_t i, checked = 0;
    json_t *row;
    json_array_foreach(eb_doc_rows(&doc), i, row)
    {
        if (strcmp(str(row, "executor"), "threaded") != 0) continue;
        json_int_t tasks = json_integer_value(json_object_get(row, "tasks"));
        /* one core: both workers share it, and the whole time is the ideal */
        double want = cores < 2 || tasks == 1 ? median : median * (2 * n + 1) / (3 * n + 3);
        json_int_t got = json_integer_value(json_object_get(row, "ideal_ns"));
        EB_CHECKF(llabs(got - (json_int_t)llround(want)) <= 1,
                  "%lld tasks on 2 workers: ideal %lld ns, expected %.0f; basis: %s",
                  (long long)tasks, (long long)got, want, str(row, "ideal_basis"));
        EB_CHECKF(strstr(str(row, "ideal_basis"), "whole task") != NULL, "%s",
                  str(row, "ideal_basis"));
        checked++;
    }
    EB_CHECK(checked >= 2);
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

/* Sets the real_time of the repetitions of the point whose name holds
 * `which` to 15, 20, 25 ms: a median of 20 ms, a CV of 25%. */
static void spread_repetitions(eb_doc *doc, const char *which)
{
    static const double ms[] = {15.0, 20.0, 25.0};
    size_t k = 0;
    for (size_t i = 0; i < doc->results.row_count; i++) {
        const eb_row *row = &doc->results.rows[i];
        if (row->run_type != EB_RUN_ITERATION || strstr(row->name, which) == NULL || k == 3)
            continue;
        EB_REQUIRE(strcmp(row->time_unit, "ms") == 0);
        EB_REQUIRE(eb_row_set_real(&doc->results, i, "real_time", ms[k++]) == 0);
    }
    EB_REQUIRE(k == 3);
}

EB_TEST(the_table_shows_speedup_and_efficiency)
{
    eb_doc doc;
    eb_plan plan;
    merged(&doc, &plan);
    eb_doc_set_ideals(&doc, &plan, topo);
    char *text = table_of(&doc);
    EB_CHECKF(strstr(text, "cpu.sumsq") != NULL, "%s", text);
    /* sequential 40 ms, threaded 20 ms: 2.00x */
    EB_CHECKF(strstr(text, "40.00 ms") != NULL && strstr(text, "20.00 ms") != NULL &&
                  strstr(text, "2.00x") != NULL,
              "%s", text);
    EB_CHECKF(strstr(text, "error in multiprocess, 2 workers, 20 tasks, pin compact, n=5000000: "
                           "worker 1 killed by signal 11 (SIGSEGV) in task 7") != NULL,
              "%s", text);
    EB_CHECK(strstr(text, "micro.") == NULL);
    /* each point's cv (1% in the fixtures): no warning */
    EB_CHECKF(strstr(text, "varied by more than") == NULL, "%s", text);
    free(text);

    /* a point whose repetitions spread by 25% is named in a closing line */
    spread_repetitions(&doc, "exec:threaded");
    text = table_of(&doc);
    EB_CHECKF(strstr(text, "25.00%") != NULL &&
                  strstr(text, "\n1 of 2 points varied by more than 10% (cv)") != NULL,
              "%s", text);
    free(text);
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}

/* libbenchmark's report of a point, adopted as the point process does. */
static void libbenchmark_report(eb_results_doc *doc, const char *text, size_t len, size_t *replaced)
{
    json_error_t error;
    json_t *root = eb_results_parse_lenient(text, len, &error, replaced);
    EB_REQUIRE(root != NULL);
    char why[EB_RESULTS_WHY_LEN];
    EB_REQUIRE(eb_results_adopt("libbenchmark", root, doc, why, sizeof why) == 0);
}

EB_TEST(the_point_process_enriches_libbenchmark_rows)
{
    if (topo == NULL) EB_REQUIRE(eb_topology_load(&topo) == 0);
    size_t len;
    char *text = fixture("libbenchmark_point.json", &len);
    size_t replaced = 0;
    eb_results_doc doc;
    libbenchmark_report(&doc, text, len, &replaced);
    EB_CHECK(replaced == 2);
    eb_plan plan;
    eb_plan_init(&plan);
    const char *params[] = {"latency_us=1000"};
    eb_plan_block b = {.workloads = "io.sleep",
                       .executors = "threaded",
                       .workers = "2",
                       .tasks = "4",
                       .params = params,
                       .param_count = 1};
    char why[300];
    EB_REQUIRE(eb_plan_add_block(&plan, &b, topo, NULL, why, sizeof why) == 0);
    int p01[] = {0, 1}, p10[] = {1, 0};
    eb_pu_map pus[3] = {{p01, 2, NULL}, {p01, 2, NULL}, {p10, 2, NULL}};
    EB_REQUIRE(eb_point_enrich(&doc, &plan.points[0], pus, 3, 1, NULL) == 0);
    json_t *rows = json_object_get(doc.root, "benchmarks");
    EB_REQUIRE(json_array_size(rows) == 7);
    json_t *first = json_array_get(rows, 0), *third = json_array_get(rows, 2);
    /* cpu_time: the job's CPU (0.3 ms), not libbenchmark's 0.01 ms */
    EB_CHECK(json_real_value(json_object_get(first, "cpu_time")) == 0.3);
    EB_CHECK(doc.rows[0].cpu_ns == 0.3e6); /* the typed row says the same */
    EB_CHECK(json_object_get(first, "eb_cpu_ns") == NULL);
    EB_CHECK(json_is_integer(json_object_get(first, "spawn_ns")) &&
             json_integer_value(json_object_get(first, "spawn_ns")) == 51234);
    EB_CHECK(json_integer_value(json_object_get(first, "task_latency_p99_ns")) == 1090001);
    json_t *want = json_pack("[i,i]", 1, 0);
    EB_CHECK(json_equal(json_object_get(third, "worker_pus"), want));
    json_decref(want);
    EB_CHECK(json_integer_value(json_object_get(first, "max_rss_per_task_bytes")) ==
             6400 * 1024 / 4);
    json_t *cv = json_array_get(rows, 6);
    EB_CHECK(json_real_value(json_object_get(cv, "cpu_time")) == 0.25); /* a ratio stays one */
    EB_CHECK(json_is_real(json_object_get(cv, "spawn_ns")));
    /* the repetitions disagreed on the PU map: the aggregates say so */
    EB_CHECK(json_is_true(json_object_get(cv, "worker_pus_varied")));
    EB_CHECK(json_integer_value(json_object_get(json_object_get(doc.root, "context"),
                                                "execbench_timer_slack_ns")) == 1);
    eb_results_free(&doc);

    /* a failed repetition reduces the point to that one error row */
    json_error_t error;
    json_t *root = eb_results_parse_lenient(text, len, &error, NULL);
    EB_REQUIRE(root != NULL);
    json_t *second = json_array_get(json_object_get(root, "benchmarks"), 1);
    json_object_set_new(second, "error_occurred", json_true());
    json_object_set_new(second, "error_message", json_string("verification failed: task 3"));
    EB_REQUIRE(eb_results_adopt("libbenchmark", root, &doc, why, sizeof why) == 0);
    EB_REQUIRE(eb_point_enrich(&doc, &plan.points[0], pus, 1, 1, NULL) == 0);
    rows = json_object_get(doc.root, "benchmarks");
    EB_CHECK(json_array_size(rows) == 1 && doc.row_count == 1);
    EB_CHECK(strcmp(str(json_array_get(rows, 0), "error_message"), "verification failed: task 3") ==
             0);
    eb_results_free(&doc);
    free(text);
    eb_plan_free(&plan);
}

EB_TEST(the_document_is_written_atomically)
{
    char dir[64], path[128];
    tmpdir_make(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sub/run.json", dir);
    char why[300];
    EB_REQUIRE(eb_output_prepare(path, why, sizeof why) == 0); /* creates sub/ */
    json_t *doc = json_pack("{s:{},s:[{s:s}]}", "context", "benchmarks", "name", "x");
    char *text = json_dumps(doc, 0);
    EB_REQUIRE(eb_output_write(text, strlen(text), path, why, sizeof why) == 0);
    free(text);
    json_t *back = load_json(path);
    EB_CHECK(back != NULL && json_equal(back, doc));
    json_decref(back);
    /* a second write replaces it whole; no temporary file stays behind */
    json_object_set_new(doc, "extra", json_true());
    text = json_dumps(doc, 0);
    EB_REQUIRE(eb_output_write(text, strlen(text), path, why, sizeof why) == 0);
    free(text);
    back = load_json(path);
    EB_CHECK(back != NULL && json_equal(back, doc));
    json_decref(back);
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    DIR *d = opendir(sub);
    EB_REQUIRE(d != NULL);
    int files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') files++;
    closedir(d);
    EB_CHECK(files == 1);
    /* a file where a directory should be: refused up front */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/run.json/x.json", sub);
    EB_CHECK(eb_output_prepare(bad, why, sizeof why) < 0);
    EB_CHECKF(strstr(why, "cannot write results into") != NULL, "%s", why);
    json_decref(doc);
    tmpdir_remove(sub);
    tmpdir_remove(dir);
}

/* "1 of 1 points varied": one point's noise in the singular. */
EB_TEST(the_table_names_one_noisy_point_in_the_singular)
{
    eb_plan plan;
    fixture_plan(&plan);
    eb_doc doc;
    EB_REQUIRE(eb_doc_init(&doc, "test.json") == 0);
    size_t len;
    char *text = fixture("point_sequential.json", &len), why[400] = "";
    EB_REQUIRE(eb_doc_add_point(&doc, &plan.points[0], text, len, why, sizeof why) == 0);
    free(text);
    spread_repetitions(&doc, "exec:sequential");
    text = table_of(&doc);
    EB_CHECKF(strstr(text, "\n1 of 1 point varied by more than 10% (cv) between repetitions: ") !=
                  NULL,
              "%s", text);
    EB_CHECKF(strstr(text, "; run it again (") != NULL, "%s", text);
    free(text);
    eb_doc_free(&doc);
    eb_plan_free(&plan);
}
