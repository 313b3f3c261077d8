/* main.c — execbench: parse the command line, build the plan, then either run
 * it (the parent) or run the one point it was given (--point, the child). */
#include "cli.h"
#include "err.h"
#include "eb_build_info.h"
#include "plan.h"
#include "point.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>

int main(int argc, char **argv)
{
    /* getopt permutes argv: keep the command line as given for the context. */
    char **given = calloc((size_t)argc + 1, sizeof *given);
    if (given == NULL) return 1;
    memcpy(given, argv, (size_t)argc * sizeof *argv);

    eb_cli cli;
    char why[600];
    if (eb_cli_parse(argc, argv, &cli, why, sizeof why) != 0) {
        fprintf(stderr, "execbench: %s\n", why);
        free(given);
        return 2;
    }
    const eb_settings *s = &cli.settings;
    if (s->help || s->version || s->list) {
        if (s->help) eb_cli_help(stdout);
        if (s->version)
            printf("execbench %s, %s build, %s %s\n", EB_VERSION, EB_BUILD_TYPE, EB_C_COMPILER,
                   EB_C_FLAGS);
        if (s->list) eb_cli_list(stdout);
        free(given);
        return 0;
    }
    if (s->point) /* the parent may die: this point must not outlive it */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0UL, 0UL, 0UL);

    eb_topology *topo = NULL;
    int rc = eb_topology_load(&topo);
    if (rc != 0) {
        fprintf(stderr, "execbench: could not load the hardware topology through hwloc: %s\n",
                eb_strerror(rc));
        free(given);
        return 1;
    }
    eb_plan plan;
    eb_plan_init(&plan);
    FILE *notes = s->point || s->quiet ? NULL : stderr;
    rc = eb_cli_plan(&cli, topo, notes, &plan, why, sizeof why);
    int status;
    if (rc != 0) {
        fprintf(stderr, "execbench: %s\n", why);
        status = 2;
    } else if (s->point) {
        if (plan.count != 1) {
            fprintf(stderr, "execbench: --point needs exactly one point, got %zu\n", plan.count);
            status = 2;
        } else {
            status = eb_point_main(&plan.points[0], &plan.settings, topo);
        }
    } else {
        status = eb_run(&cli, &plan, topo, argc, given);
    }
    eb_plan_free(&plan);
    eb_topology_free(topo);
    free(given);
    return status;
}
