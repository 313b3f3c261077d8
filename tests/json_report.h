/* json_report.h — run registered shim benchmarks and read back libbenchmark's
 * own JSON reporter output with jansson (what every consumer of ours sees). */
#ifndef EB_TEST_JSON_REPORT_H
#define EB_TEST_JSON_REPORT_H

#include <jansson.h>

/* Runs the benchmarks matching `filter` (extra --benchmark_* flags may follow,
 * NULL-terminated) and returns the parsed JSON document (caller json_decref's). */
json_t *run_benchmarks_json(const char *filter, ...);

/* The "benchmarks" row with this exact name, or NULL. */
json_t *find_row(json_t *doc, const char *name);

/* Number of rows whose name starts with prefix. */
size_t count_rows_with_prefix(json_t *doc, const char *prefix);

#endif
