/* registry.c — every executor, one line each. */
#include "executor.h"

#include <string.h>

extern const eb_executor eb_executor_sequential;
extern const eb_executor eb_executor_threaded;
extern const eb_executor eb_executor_coroutine;
extern const eb_executor eb_executor_multiprocess;
extern const eb_executor eb_executor_hybrid;
extern const eb_executor eb_executor_mpi;

const eb_executor *const eb_executors[] = {
    &eb_executor_sequential,
    &eb_executor_threaded,
    &eb_executor_coroutine,
    &eb_executor_multiprocess,
    &eb_executor_hybrid,
    &eb_executor_mpi,
};
const size_t eb_executor_count = sizeof eb_executors / sizeof *eb_executors;

const eb_executor *eb_executor_find(const char *name)
{
    for (size_t i = 0; i < eb_executor_count; i++)
        if (strcmp(eb_executors[i]->name, name) == 0) return eb_executors[i];
    return NULL;
}
