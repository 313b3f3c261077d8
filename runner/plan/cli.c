/* cli.c — execbench's command line (cli.h): the settings table parses it and
 * writes --help's flags; this file adds what surrounds them and --list. */
#include "cli.h"

#include "err.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void eb_cli_help(FILE *f)
{
    fputs("usage: execbench [--preset NAME | PLAN FLAGS] [OPTIONS]\n"
          "\n"
          "Runs workloads under executors, each point in a fresh process timed by Google\n"
          "Benchmark, and writes one Google-Benchmark-compatible JSON document.\n"
          "With no plan flags and no --preset, runs the default preset.\n"
          "\n",
          f);
    eb_settings_help(f);
    fputs("\n"
          "Progress goes to stderr: each line names the point (k of N), the run's time so far\n"
          "and an estimate of what is left. On a terminal a live line shows the repetition\n"
          "under way, and every line fits the terminal's width; through a pipe, a line per\n"
          "finished point and one every 10 s while a point runs.\n"
          "\n"
          "Long options are taken by their whole names only (--workers, not --worker).\n"
          "\n"
          "Exit status: 0 all points ran and verified; 1 some point or the --micro step\n"
          "failed (it is in the document as an error entry); 2 bad command line; 128+N\n"
          "interrupted by signal N (what finished is written, the document marked\n"
          "interrupted).\n",
          f);
}

void eb_cli_list(FILE *f)
{
    fprintf(f, "workloads:\n");
    for (size_t i = 0; i < eb_workload_count; i++) {
        const eb_workload *w = eb_workloads[i];
        fprintf(f, "  %-16s %s%s (default tasks %" PRIu64 ")\n", w->name, w->description,
                w->hidden ? " [tests only]" : "", w->default_tasks);
        for (size_t p = 0; p < w->param_count; p++) {
            const eb_param_def *d = &w->params[p];
            fprintf(f, "    %-14s default %" PRId64 ", %" PRId64 "..%" PRId64 " %s: %s\n", d->key,
                    d->default_value, d->min, d->max, d->unit, d->help);
        }
    }
    fprintf(f, "executors:\n");
    for (size_t i = 0; i < eb_executor_count; i++)
        fprintf(f, "  %-16s %s\n", eb_executors[i]->name,
                eb_executors[i]->absent != NULL ? eb_executors[i]->absent
                                                : eb_executors[i]->description);
    fprintf(f, "pin policies:\n");
    for (size_t i = 0; i < eb_pin_policy_count; i++) {
        const eb_pin_policy *p = eb_pin_policies[i];
        char name[32];
        snprintf(name, sizeof name, p->from_list ? "(--%s LIST)" : "%s", p->name);
        fprintf(f, "  %-16s %s\n", name, p->description);
    }
    fprintf(f, "presets:\n");
    for (size_t i = 0; i < eb_preset_count; i++)
        fprintf(f, "  %-16s %s\n", eb_presets[i].name, eb_presets[i].description);
}

int eb_cli_parse(int argc, char **argv, eb_cli *cli, char *why, size_t why_len)
{
    memset(cli, 0, sizeof *cli);
    int rc = eb_settings_parse(argc, argv, &cli->settings, why, why_len);
    const eb_settings *s = &cli->settings;
    cli->block = (eb_plan_block){
        .workloads = s->workload,
        .executors = s->executor,
        .workers = s->workers,
        .tasks = s->tasks,
        .pin = s->pin,
        .cpuset = s->cpuset,
        .params = s->param.value,
        .param_count = s->param.count,
        .gil = s->gil,
        .gil_interval_us = s->gil_interval_us,
        .coro_stacks = s->coro_stack,
    };
    for (size_t i = 0; i < eb_setting_count; i++)
        cli->plan_flags |= eb_setting_table[i].plan && s->given[i];
    return rc;
}

int eb_cli_plan(const eb_cli *cli, const eb_topology *topo, FILE *notes, eb_plan *plan, char *why,
                size_t why_len)
{
    plan->settings = cli->settings;
    const char *preset = cli->settings.preset;
    int rc;
    if (preset != NULL || !cli->plan_flags) {
        const eb_preset *p = eb_preset_find(preset ? preset : "default");
        rc = eb_plan_add_preset(plan, p, eb_settings_given(&cli->settings, "repetitions"), topo,
                                notes, why, why_len);
        if (rc == 0 && p->fixed_rounds && !eb_settings_given(&cli->settings, "target-ci"))
            plan->settings.rounds.target_ci = 0;
    } else
        rc = eb_plan_add_block(plan, &cli->block, topo, notes, why, why_len);
    const char *server_cpuset = cli->settings.server_cpuset;
    eb_pin_plan *probe = NULL; /* its CPUs, against this machine's */
    char reason[300];
    if (rc == 0 && server_cpuset != NULL &&
        (rc = eb_pin_plan_create(topo, EB_PIN_CPUSET, server_cpuset, 1, &probe, reason,
                                 sizeof reason)) != 0)
        eb_fail(why, why_len, rc, "--server-cpuset: %s", reason);
    free(probe);
    if (rc != 0) eb_one_line(why);
    return rc;
}
