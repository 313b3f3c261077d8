/* fuzz_results_doc.c — libFuzzer target over the results-document reader and
 * everything execbench-compare does with what it reads: load, validate, build
 * the summary (as execbench-compare and as the runner build it) and a diff of
 * the document against itself, render every output format into memory. Any
 * crash, leak, overflow or undefined behaviour (built with ASan + UBSan) is a
 * finding.
 *
 *   make fuzz                      build it with clang and run it (FUZZ_SECONDS)
 *   build-fuzz/fuzz_results_doc tools/compare/fuzz/corpus/...   one run by hand */
#include "diff.h"
#include "render.h"
#include "results.h"
#include "summary.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const eb_report *report)
{
    for (size_t f = 0; f < eb_report_format_count; f++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (out == NULL) abort();
        if (eb_render(report, eb_report_formats[f], true, out) != 0) abort();
        fclose(out);
        free(text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eb_results_doc doc;
    char why[EB_RESULTS_WHY_LEN];
    if (eb_results_load_buffer("fuzz.json", (const char *)data, size, &doc, why, sizeof why) != 0) {
        /* A rejected input must say why, in one line. */
        if (why[0] == '\0') abort();
        for (const char *p = why; *p; p++)
            if (*p == '\n') abort();
        return 0;
    }
    eb_report *report = NULL;
    if (eb_summary_build(&doc, 1, NULL, &report, why, sizeof why) == 0) render_all(report);
    eb_report_free(report);
    report = NULL;
    /* The runner's end table: points only, noisy points named. */
    eb_summary_options runner = {.points_only = true, .name_noisy_points = true};
    if (eb_summary_build(&doc, 1, &runner, &report, why, sizeof why) == 0) render_all(report);
    eb_report_free(report);
    report = NULL;

    eb_diff_options opt = {.alpha = 0.05, .fail_above_set = true, .fail_above_pct = 1.0};
    eb_diff_outcome outcome;
    if (eb_diff_build(&doc, &doc, NULL, &opt, &report, &outcome, why, sizeof why) == 0) {
        /* A document against itself cannot have slowed down, nor lost a result. */
        if (outcome.over_limit != 0 || outcome.lost != 0) abort();
        render_all(report);
    }
    free(outcome.gate_message);
    free(outcome.lost_message);
    eb_report_free(report);
    eb_results_free(&doc);
    return 0;
}
