/* json_report.c — see json_report.h. */
#include "json_report.h"

#include "eb_bench.h"
#include "eb_test.h"

#include <stdarg.h>
#include <unistd.h>

json_t *run_benchmarks_json(const char *filter, ...)
{
    char path[] = "/tmp/eb_test_report_XXXXXX";
    int fd = mkstemp(path);
    EB_REQUIRE(fd >= 0);
    close(fd);

    char out_flag[64], filter_flag[512];
    snprintf(out_flag, sizeof out_flag, "--benchmark_out=%s", path);
    snprintf(filter_flag, sizeof filter_flag, "--benchmark_filter=%s", filter);
    char *argv[16] = {"eb_test", out_flag, "--benchmark_out_format=json", filter_flag};
    int argc = 4;
    va_list ap;
    va_start(ap, filter);
    for (const char *flag; argc < 15 && (flag = va_arg(ap, const char *)) != NULL;)
        argv[argc++] = (char *)flag;
    va_end(ap);
    argv[argc] = NULL;

    eb_bench_initialize(&argc, argv);
    EB_REQUIRE(!eb_bench_report_unrecognized(argc, argv));
    size_t ran = eb_bench_run();
    EB_CHECKF(ran > 0, "no benchmark matched %s", filter);

    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (doc == NULL) fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
    EB_REQUIRE(doc != NULL);
    unlink(path);
    return doc;
}

json_t *find_row(json_t *doc, const char *name)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *n = json_string_value(json_object_get(row, "name"));
        if (n != NULL && strcmp(n, name) == 0) return row;
    }
    return NULL;
}

size_t count_rows_with_prefix(json_t *doc, const char *prefix)
{
    size_t i, count = 0;
    json_t *row;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, row)
    {
        const char *n = json_string_value(json_object_get(row, "name"));
        if (n != NULL && strncmp(n, prefix, strlen(prefix)) == 0) count++;
    }
    return count;
}
