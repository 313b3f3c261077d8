/* registry.c — every workload, one line each. */
#include "registry.h"

#include <string.h>

extern const eb_workload eb_workload_cpu_sumsq;
extern const eb_workload eb_workload_io_sleep;
extern const eb_workload eb_workload_net_http;
extern const eb_workload eb_workload_mix_waitsum;
extern const eb_workload eb_workload_mix_convoy;
extern const eb_workload eb_workload_test_crash;
extern const eb_workload eb_workload_test_hang;
extern const eb_workload eb_workload_test_badresult;
extern const eb_workload eb_workload_test_signal;
extern const eb_workload eb_workload_test_memory;
extern const eb_workload eb_workload_test_fds;
extern const eb_workload eb_workload_test_report;
extern const eb_workload eb_workload_test_http;

const eb_workload *const eb_workloads[] = {
    &eb_workload_cpu_sumsq,
    &eb_workload_io_sleep,
    &eb_workload_net_http,
    &eb_workload_mix_waitsum,
    &eb_workload_mix_convoy,
    &eb_workload_test_crash,
    &eb_workload_test_hang,
    &eb_workload_test_badresult,
    &eb_workload_test_signal,
    &eb_workload_test_memory,
    &eb_workload_test_fds,
    &eb_workload_test_report,
    &eb_workload_test_http,
};
const size_t eb_workload_count = sizeof eb_workloads / sizeof *eb_workloads;

const eb_workload *eb_workload_find(const char *name)
{
    for (size_t i = 0; i < eb_workload_count; i++)
        if (strcmp(eb_workloads[i]->name, name) == 0) return eb_workloads[i];
    return NULL;
}

int eb_workload_param_index(const eb_workload *w, const char *key)
{
    for (size_t i = 0; i < w->param_count; i++)
        if (strcmp(w->params[i].key, key) == 0) return (int)i;
    return -1;
}
