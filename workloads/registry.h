/* registry.h — every workload, hidden ones included (registry.c: one line
 * each). The interface they implement is workload.h, in the execution core. */
#ifndef EB_WORKLOAD_REGISTRY_H
#define EB_WORKLOAD_REGISTRY_H

#include "workload.h"

#include <stddef.h>

extern const eb_workload *const eb_workloads[];
extern const size_t eb_workload_count;
const eb_workload *eb_workload_find(const char *name);

/* Index of `key` in w->params, or -1. */
int eb_workload_param_index(const eb_workload *w, const char *key);

#endif
