/* fuzz_cli.c — libFuzzer target over execbench's command line: the flag and
 * --param parser, the plan built from it (plan flags or a preset) and the
 * flags each point process gets. The input is an argv, arguments separated
 * by NUL bytes. A crash, a leak or undefined behaviour (built with ASan +
 * UBSan) is a finding, and so is a broken promise (abort):
 *   - a refused command line says why, in one line;
 *   - a plan holds 1 to EB_MAX_POINTS points with distinct, whole names, and
 *     every value within its bounds;
 *   - every point, handed to a point process as flags, parses back to
 *     exactly itself with the same settings.
 *
 *   make fuzz                                        build it and run it (FUZZ_SECONDS)
 *   build-fuzz/fuzz_cli runner/plan/fuzz/corpus/seeds     one run by hand */
#include "cli.h"
#include "plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64
#define ROUND_TRIPS 64 /* points checked per input: enough, and fast */

static eb_topology *topo;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (eb_topology_load(&topo) != 0) abort();
    return 0;
}

static void check_why(const char *why)
{
    if (why[0] == '\0' || strchr(why, '\n') != NULL) abort();
}

static void check_point(const eb_point *p)
{
    if (p->workload == NULL || p->executor == NULL) abort();
    if (p->executor->max_workers > 0 && p->workers > p->executor->max_workers) abort();
    if (p->workers == 0 && !p->executor->allows_unbounded) abort();
    if (p->workers > EB_MAX_WORKERS) abort();
    if (p->tasks < 1 || p->tasks > (uint64_t)EB_MAX_TASKS) abort();
    for (size_t i = 0; i < p->workload->param_count; i++)
        if (p->params[i] < p->workload->params[i].min || p->params[i] > p->workload->params[i].max)
            abort();
    /* a name cut short could make two points one */
    if (strlen(p->name) >= sizeof p->name - 1) abort();
}

static bool same_point(const eb_point *a, const eb_point *b)
{
    return a->workload == b->workload && a->executor == b->executor && a->workers == b->workers &&
           a->tasks == b->tasks && a->pin == b->pin && strcmp(a->cpuset, b->cpuset) == 0 &&
           memcmp(a->params, b->params, sizeof a->params) == 0 && strcmp(a->name, b->name) == 0;
}

/* The point as its point process would get it, parsed back. */
static void round_trip(const eb_point *p, const eb_settings *s)
{
    char **args = eb_point_args("execbench", p, s);
    if (args == NULL) abort();
    int argc = 0;
    while (args[argc] != NULL)
        argc++;
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (argv == NULL) abort();
    memcpy(argv, args, (size_t)argc * sizeof *argv);
    eb_cli cli;
    char why[600];
    if (eb_cli_parse(argc, argv, &cli, why, sizeof why) != 0 || !cli.settings.point) abort();
    eb_plan plan;
    eb_plan_init(&plan);
    if (eb_cli_plan(&cli, topo, NULL, &plan, why, sizeof why) != 0) abort();
    if (plan.count != 1 || !same_point(&plan.points[0], p)) abort();
    if (!eb_settings_point_equal(&plan.settings, s)) abort();
    eb_plan_free(&plan);
    free(argv);
    eb_point_args_free(args);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* argv[0], then the input's arguments, each NUL-terminated */
    char *text = malloc(size + 1);
    if (text == NULL) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"execbench"};
    int argc = 1;
    for (size_t at = 0; at < size && argc <= MAX_ARGS;) {
        argv[argc++] = text + at;
        at += strlen(text + at) + 1;
    }
    argv[argc] = NULL;

    eb_cli cli;
    char why[600] = "";
    if (eb_cli_parse(argc, argv, &cli, why, sizeof why) != 0) {
        check_why(why);
        free(text);
        return 0;
    }
    eb_plan plan;
    eb_plan_init(&plan);
    why[0] = '\0';
    if (eb_cli_plan(&cli, topo, NULL, &plan, why, sizeof why) != 0) {
        check_why(why);
    } else {
        if (plan.count < 1 || plan.count > EB_MAX_POINTS) abort();
        const char **names = malloc(plan.count * sizeof *names);
        if (names == NULL) abort();
        for (size_t i = 0; i < plan.count; i++) {
            check_point(&plan.points[i]);
            names[i] = plan.points[i].name;
            if (i < ROUND_TRIPS) round_trip(&plan.points[i], &plan.settings);
        }
        qsort(names, plan.count, sizeof *names, by_name);
        for (size_t i = 1; i < plan.count; i++)
            if (strcmp(names[i - 1], names[i]) == 0) abort();
        free(names);
    }
    eb_plan_free(&plan);
    free(text);
    return 0;
}
